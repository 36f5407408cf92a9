-- The security model, walked through (docs/security.md): login roles mapped to
-- units, submitting for one's own unit and failing for another's, reading own
-- records masked, a conditional read through a grant with the access log,
-- clearance, and an expired grant.  Roles belong to the cluster, so they are
-- named regress_* and dropped at the end.
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';

-- Two departments: housing provides a conditionally shared item, land reads it.
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('SEC-HOUSING', '住建局 (安全演示)', 'department'),
  ('SEC-LAND', '自然资源局 (安全演示)', 'department');
SELECT taxshare.catalog_define($j${"code": "SEC-DEED", "title": "商品房网签 (安全演示)", "provider": "SEC-HOUSING",
  "frequency": "monthly", "sharing": "conditional",
  "schema": {"fields": [{"name": "contract_no", "title": "合同编号", "type": "string"},
                        {"name": "buyer_idcard", "title": "买受人身份证号码", "type": "idcard"},
                        {"name": "buyer_name", "title": "买受人姓名", "type": "string"},
                        {"name": "phone", "title": "联系电话", "type": "phone"},
                        {"name": "price", "title": "成交金额(元)", "type": "amount"}]},
  "parties": [{"role": "buyer", "idcard": "buyer_idcard", "name": "buyer_name"}]}$j$::jsonb);

-- One login per department: group role taxshare_unit for the privileges,
-- a unit_member row for the unit.
CREATE ROLE regress_sec_housing LOGIN IN ROLE taxshare_unit;
CREATE ROLE regress_sec_land LOGIN IN ROLE taxshare_unit;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES
  ('regress_sec_housing', 'SEC-HOUSING'), ('regress_sec_land', 'SEC-LAND');

-- Housing submits its own data.  submit() runs as the extension owner and
-- checks the caller (the session user or, as here, its SET ROLE) once.
SET ROLE regress_sec_housing;
SELECT taxshare.current_units();
SELECT taxshare.may_submit_for('SEC-HOUSING') AS own, taxshare.may_submit_for('SEC-LAND') AS other;
SELECT taxshare.submit('SEC-DEED', 'SEC-HOUSING', '2024-01-01', $j$[
  {"contract_no": "HT001", "buyer_idcard": "430405199001010011", "buyer_name": "王小明",
   "phone": "13812345678", "price": "1,250,000.00"},
  {"contract_no": "HT002", "buyer_idcard": "430405198502030024", "buyer_name": "李四",
   "phone": "13900001111", "price": "980000"}]$j$) > 0 AS submitted;
-- The submission names the caller, not the owner the rows were written as.
SELECT item_code, unit_code, submitted_by, status, rows_total, rows_accepted, rows_rejected
  FROM taxshare.submission WHERE item_code = 'SEC-DEED';
-- Bulk loads go through the inbox, by COPY as well.
COPY taxshare.inbox (item, unit, period_start, payload) FROM stdin;
SEC-DEED	SEC-HOUSING	2024-02-01	{"contract_no": "HT003", "buyer_idcard": "430405199001010011", "buyer_name": "王小明", "price": "500000"}
\.
SELECT period_start, submitted_by, channel, status, rows_accepted
  FROM taxshare.submission WHERE item_code = 'SEC-DEED' ORDER BY period_start;

-- Housing cannot submit for land, by submit() or through the inbox ...
SELECT taxshare.submit('SEC-DEED', 'SEC-LAND', '2024-01-01', '[]');
INSERT INTO taxshare.inbox (item, unit, period_start, payload)
  VALUES ('SEC-DEED', 'SEC-LAND', '2024-01-01', '{"contract_no": "HT9"}');
-- ... nor write unvalidated rows into its own submission directly.
INSERT INTO taxshare.record (id, submission_id, row_no, status, payload)
  SELECT (id << 32) + 99, id, 99, 'accepted', '{"price": "1"}'
    FROM taxshare.submission WHERE item_code = 'SEC-DEED' AND period_start = '2024-01-01';

-- Housing reads its own records through record_visible, masked without
-- clearance; the record table itself is not granted to units.
SELECT period_start, payload ->> 'contract_no' AS contract, payload ->> 'buyer_idcard' AS idcard,
       payload ->> 'buyer_name' AS name, payload ->> 'phone' AS phone, payload ->> 'price' AS price
  FROM taxshare.record_visible WHERE item_code = 'SEC-DEED' ORDER BY period_start, row_no;
SELECT count(*) FROM taxshare.record;
RESET ROLE;

-- Land sees none of housing's conditional records, and needs a grant.
SET ROLE regress_sec_land;
SELECT count(*) AS visible FROM taxshare.record_visible WHERE item_code = 'SEC-DEED';
SELECT * FROM taxshare.read_records('SEC-DEED');
SELECT taxshare.grant_request('SEC-DEED', '土地增值税清算核查', '本局土地科', current_date + 30,
                              '2024-01-01', '2024-12-01') AS grant_id \gset
SELECT grantee_unit, purpose, status FROM taxshare.data_grant WHERE id = :grant_id;
-- A grantee cannot approve its own request: whoever owns it classifies it
-- (42501; the message names the grant id, which depends on earlier files).
\set VERBOSITY sqlstate
SELECT taxshare.grant_approve(:grant_id);
\set VERBOSITY default
RESET ROLE;

-- Nor, by default, can the providing unit: taxshare.grant_approval = office
-- (Hengyang art. 23) leaves the approval to the office.
SHOW taxshare.grant_approval;
SET ROLE regress_sec_housing;
\set VERBOSITY sqlstate
SELECT taxshare.grant_approve(:grant_id);
\set VERBOSITY default
RESET ROLE;
-- The office (here the superuser, a member of taxshare_admin) approves.
SELECT taxshare.grant_approve(:grant_id);
SELECT status, office_approved_by = session_user AS by_the_office, provider_approved_by
  FROM taxshare.data_grant WHERE id = :grant_id;

-- With the live grant land reads through read_records(), masked, and the read
-- is logged with the purpose of the grant.
SET ROLE regress_sec_land;
SELECT period_start, payload ->> 'buyer_idcard' AS idcard, payload ->> 'buyer_name' AS name,
       payload ->> 'price' AS price
  FROM taxshare.read_records('SEC-DEED', '2024-01-01') ORDER BY record_id;
RESET ROLE;
SELECT actor = session_user AS actor_is_login, role, action, item_code, period_start, rows, purpose,
       grant_id = :grant_id AS by_the_grant
  FROM taxshare.access_log WHERE item_code = 'SEC-DEED';

-- Clearance (unit_member.clearance) shows the values unmasked.
UPDATE taxshare.unit_member SET clearance = true WHERE role = 'regress_sec_land';
SET ROLE regress_sec_land;
SELECT payload ->> 'buyer_idcard' AS idcard, payload ->> 'buyer_name' AS name
  FROM taxshare.read_records('SEC-DEED', '2024-01-01') ORDER BY record_id;
RESET ROLE;

-- An expired grant (it ended yesterday) opens nothing; the log keeps the two
-- reads made while it was live.
UPDATE taxshare.data_grant SET valid_from = current_date - 60, valid_to = current_date - 1 WHERE id = :grant_id;
SET ROLE regress_sec_land;
SELECT * FROM taxshare.read_records('SEC-DEED', '2024-01-01');
RESET ROLE;
SELECT count(*) AS reads_logged FROM taxshare.access_log WHERE item_code = 'SEC-DEED';

-- Roles are cluster-wide: leave none behind.
DELETE FROM taxshare.unit_member WHERE role IN ('regress_sec_housing', 'regress_sec_land');
DROP ROLE regress_sec_housing;
DROP ROLE regress_sec_land;
