-- The role matrix, then the behaviour behind it.  1. Docs = catalog = plan:
-- the privilege matrix of docs/security.md (the reviewed specification, read
-- from the file: pg_prove runs from the repository root, as scripts/test.sh
-- does), the privileges the catalog gives each group role on each table, view
-- and function, and taxshare.privilege_plan (the rows written next to the
-- objects) say the same, object by object; nothing is PUBLIC's; sequences go
-- to whoever may insert into their table.  2. Behaviour: own, unconditional and
-- conditional records, grants and their expiry, the operator, forgery of a
-- submission (submit() and the inbox are SECURITY DEFINER and check the
-- caller; nobody writes the intake tables directly), masking, the access log,
-- typed views under row-level security.
\set docs `cat docs/security.md`
BEGIN;
SET LOCAL client_min_messages = warning;

-- The plan's role columns, in order (admin, analyst, tax, unit, operator, exchange).
CREATE TEMP TABLE plan_role AS
  SELECT a.attname::text AS col, 'taxshare_' || a.attname AS role,
         row_number() OVER (ORDER BY a.attnum)::int AS pos
    FROM pg_attribute a
   WHERE a.attrelid = 'taxshare.privilege_plan'::regclass AND a.attnum > 0 AND NOT a.attisdropped
     AND a.attname NOT IN ('kind', 'object');

-- The table rows of the section "## Privilege matrix" of docs/security.md, as cells.
CREATE TEMP TABLE docs_row AS
  WITH line AS (SELECT t.l, t.n FROM regexp_split_to_table(:'docs', E'\n') WITH ORDINALITY t(l, n)),
       head AS (SELECT min(n) AS n FROM line WHERE l = '## Privilege matrix'),
       section AS (SELECT line.l, line.n FROM line, head
                    WHERE line.n > head.n
                      AND line.n < coalesce((SELECT min(x.n) FROM line x WHERE x.n > head.n AND x.l ~ '^## '),
                                            9223372036854775807))
  SELECT section.n,
         regexp_split_to_array(regexp_replace(section.l, '^\s*\|\s*|\s*\|\s*$', '', 'g'), '\s*\|\s*') AS cells
    FROM section
   WHERE section.l ~ '^\s*\|';

-- One line per object: "admin=rawd analyst=r ... exchange=-".
CREATE TEMP TABLE docs_priv AS
  SELECT d.n, btrim(d.cells[1], '`') AS obj,
         string_agg(r.col || '=' || coalesce(nullif(d.cells[r.pos + 1], ''), '-'), ' ' ORDER BY r.pos) AS privs
    FROM docs_row d, plan_role r
   WHERE d.cells[1] ~ '^`.*`$'
   GROUP BY d.n, d.cells[1];
CREATE TEMP VIEW docs_obj AS
  SELECT p.*, CASE WHEN strpos(p.obj, '(') > 0 THEN 'f' ELSE 'r' END AS k,
         CASE WHEN strpos(p.obj, '(') > 0 THEN to_regprocedure('taxshare.' || p.obj)::oid
              ELSE to_regclass(format('taxshare.%I', p.obj))::oid END AS oid
    FROM docs_priv p;

CREATE TEMP TABLE plan_obj AS
  SELECT pl.object AS obj, CASE pl.kind WHEN 'function' THEN 'f' ELSE 'r' END AS k,
         CASE pl.kind WHEN 'function' THEN to_regprocedure('taxshare.' || pl.object)::oid
              ELSE to_regclass(format('taxshare.%I', pl.object))::oid END AS oid,
         (SELECT string_agg(r.col || '=' || coalesce(nullif(to_jsonb(pl) ->> r.col, ''), '-'), ' ' ORDER BY r.pos)
            FROM plan_role r) AS privs
    FROM taxshare.privilege_plan pl;

-- Every object the docs or the plan name, with what the catalog grants.  A
-- name that resolves to nothing fails below ("every object of the docs matrix
-- exists") or in security_completeness.sql (the plan's).
CREATE TEMP TABLE matrix AS
  SELECT coalesce(d.obj, p.obj) AS obj, d.privs AS docs, p.privs AS plan,
         (SELECT string_agg(r.col || '=' || coalesce(nullif(
                   CASE k.k WHEN 'f' THEN CASE WHEN has_function_privilege(r.role, k.oid, 'EXECUTE') THEN 'X' END
                   ELSE concat(CASE WHEN has_table_privilege(r.role, k.oid, 'SELECT') THEN 'r' END,
                               CASE WHEN has_table_privilege(r.role, k.oid, 'INSERT') THEN 'a' END,
                               CASE WHEN has_table_privilege(r.role, k.oid, 'UPDATE') THEN 'w' END,
                               CASE WHEN has_table_privilege(r.role, k.oid, 'DELETE') THEN 'd' END) END,
                   ''), '-'), ' ' ORDER BY r.pos)
            FROM plan_role r) AS catalog
    FROM (SELECT k, oid FROM docs_obj UNION SELECT k, oid FROM plan_obj) k
    LEFT JOIN docs_obj d ON d.k = k.k AND d.oid = k.oid
    LEFT JOIN plan_obj p ON p.k = k.k AND p.oid = k.oid
   WHERE k.oid IS NOT NULL;

SELECT plan((SELECT 2 * count(*)::int FROM matrix) + 7 + 43);

-- 1. The matrix.
SELECT ok((SELECT count(*) FROM docs_priv) > 0,
          'docs/security.md has its privilege matrix (section "## Privilege matrix"; run from the repository root)');
SELECT is_empty($$SELECT d.n FROM docs_row d
                   WHERE d.cells[1] !~ '^`.*`$' AND d.cells[1] !~ '^-+$'
                     AND d.cells IS DISTINCT FROM
                         ARRAY['object'] || (SELECT array_agg(r.col ORDER BY r.pos) FROM plan_role r)$$,
                'every header of the docs matrix names the plan''s roles in order');
SELECT is_empty($$SELECT obj FROM docs_obj WHERE oid IS NULL$$,
                'every object of the docs matrix exists');
SELECT is_empty($$SELECT obj FROM docs_obj WHERE oid IS NOT NULL GROUP BY k, oid, obj HAVING count(*) > 1$$,
                'no object is twice in the docs matrix');
SELECT is(m.catalog, coalesce(m.docs, 'no row in docs/security.md'),
          format('%s: the catalog grants what docs/security.md says', m.obj))
  FROM matrix m ORDER BY m.obj;
SELECT is(coalesce(m.plan, 'no row in taxshare.privilege_plan'), coalesce(m.docs, 'no row in docs/security.md'),
          format('%s: taxshare.privilege_plan says what docs/security.md says', m.obj))
  FROM matrix m ORDER BY m.obj;
SELECT is_empty($$SELECT c.relname FROM pg_class c, aclexplode(c.relacl) a
                   WHERE c.relnamespace = 'taxshare'::regnamespace AND a.grantee = 0$$,
                'no table, view or sequence is granted to PUBLIC');
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                   WHERE p.pronamespace = 'taxshare'::regnamespace AND a.grantee = 0$$,
                'no function is executable by PUBLIC');
SELECT is_empty($$SELECT seq.relname, r.role FROM pg_depend d
                     JOIN pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
                     JOIN pg_class tab ON tab.oid = d.refobjid, plan_role r
                   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                     AND d.deptype IN ('a', 'i') AND seq.relnamespace = 'taxshare'::regnamespace
                     AND has_sequence_privilege(r.role, seq.oid, 'USAGE')
                         <> has_table_privilege(r.role, tab.oid, 'INSERT')$$,
                'a sequence is usable by exactly the roles that may insert into its table');

-- 2. Behaviour.  Two departments, the office, one item of each sharing kind.
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('SM-A', '矩阵测试甲局', 'department'), ('SM-B', '矩阵测试乙局', 'department'),
  ('SM-O', '矩阵测试财源办', 'office');
SELECT taxshare.catalog_define($j${"code": "SM-COND", "title": "有条件共享测试", "provider": "SM-A",
  "frequency": "monthly", "sharing": "conditional",
  "schema": {"fields": [{"name": "buyer_idcard", "title": "身份证号码", "type": "idcard"},
                        {"name": "buyer_name", "title": "姓名", "type": "string"},
                        {"name": "phone", "title": "电话", "type": "phone"},
                        {"name": "price", "title": "金额", "type": "amount"}]},
  "parties": [{"role": "buyer", "idcard": "buyer_idcard", "name": "buyer_name"}]}$j$::jsonb);
SELECT taxshare.catalog_define($j${"code": "SM-OPEN", "title": "无条件共享测试", "provider": "SM-B",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "amount", "title": "金额", "type": "amount"}]}}$j$::jsonb);
SELECT taxshare.catalog_define($j${"code": "SM-NONE", "title": "不予共享测试", "provider": "SM-B",
  "frequency": "monthly", "sharing": "none",
  "schema": {"fields": [{"name": "amount", "title": "金额", "type": "amount"}]}}$j$::jsonb);

CREATE ROLE sm_a LOGIN IN ROLE taxshare_unit;
CREATE ROLE sm_b LOGIN IN ROLE taxshare_unit;
CREATE ROLE sm_office LOGIN IN ROLE taxshare_admin;
CREATE ROLE sm_operator LOGIN IN ROLE taxshare_operator;
CREATE ROLE sm_exchange LOGIN IN ROLE taxshare_exchange;
CREATE ROLE sm_analyst LOGIN IN ROLE taxshare_analyst;
CREATE ROLE sm_reader LOGIN IN ROLE taxshare_analyst;
CREATE ROLE sm_stranger LOGIN IN ROLE taxshare_unit;	-- a unit login with no unit_member row
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('sm_a', 'SM-A'), ('sm_b', 'SM-B'),
  ('sm_analyst', 'SM-A');

-- submit() and the inbox statement trigger write as the extension owner and
-- check the caller themselves, with a pinned search_path; the inbox row trigger
-- is a plain C function that becomes the owner, with the same search_path, for
-- each step that touches a table (docs/intake.md, "Who the inbox runs as";
-- test/pgtap/intake_owner.sql tests it).
SELECT is((SELECT array_agg(p.proname::text || ':' || p.prosecdef || ':' || coalesce(array_to_string(p.proconfig, ','), '')
                            ORDER BY p.proname)
             FROM pg_proc p WHERE p.pronamespace = 'taxshare'::regnamespace
              AND p.proname IN ('submit', 'inbox_row', 'inbox_finish')),
          ARRAY['inbox_finish:true:search_path=pg_catalog, taxshare, pg_temp',
                'inbox_row:false:',
                'submit:true:search_path=pg_catalog, taxshare, pg_temp'],
          'submit() and the inbox statement trigger are SECURITY DEFINER with a pinned search_path; the row trigger switches in C');
SELECT is((SELECT array_agg(r ORDER BY r) FROM unnest(ARRAY['taxshare_admin', 'taxshare_analyst', 'taxshare_tax',
             'taxshare_unit', 'taxshare_operator', 'taxshare_exchange']) r
            WHERE has_function_privilege(r, 'taxshare.submit(text, text, date, jsonb, timestamptz, text, text)', 'EXECUTE')),
          ARRAY['taxshare_admin', 'taxshare_exchange', 'taxshare_unit'],
          'only the office, the units and the exchange platform may call submit()');

SET LOCAL ROLE sm_a;
SELECT is(taxshare.current_units(), ARRAY['SM-A'], 'current_units() gives the unit of the login');
SELECT ok(taxshare.may_submit_for('SM-A') AND NOT taxshare.may_submit_for('SM-B'),
  'may_submit_for(): own unit yes, another unit no');
SELECT lives_ok($$SELECT taxshare.submit('SM-COND', 'SM-A', '2024-01-01',
  '[{"buyer_idcard": "430405199001010011", "buyer_name": "王小明", "phone": "13812345678", "price": "100"}]')$$,
  'a unit submits for itself');
SELECT is((SELECT submitted_by FROM taxshare.submission WHERE item_code = 'SM-COND'), 'sm_a',
  'submitted_by is the caller, not the definer the rows were written as');
SELECT throws_ok($$SELECT taxshare.submit('SM-OPEN', 'SM-B', '2024-01-01', '[{"amount": "1"}]')$$,
  '42501', 'role "sm_a" may not submit for unit "SM-B"', 'a unit cannot forge another unit''s submission');
SELECT throws_ok($$INSERT INTO taxshare.inbox (item, unit, period_start, payload)
                   VALUES ('SM-OPEN', 'SM-B', '2024-02-01', '{"amount": "1"}')$$,
  '42501', 'role "sm_a" may not submit for unit "SM-B"', 'nor through the inbox');
SELECT throws_ok($$INSERT INTO taxshare.submission (item_code, item_version, unit_code, period_start,
                     period_end, channel, language) VALUES ('SM-OPEN', 1, 'SM-B', '2024-01-01', '2024-01-31', 'api', 'zh')$$,
  '42501', NULL, 'nor by inserting the submission row itself');
SELECT throws_ok($$INSERT INTO taxshare.record (id, submission_id, row_no, status, payload)
                   SELECT (s.id << 32) + 99, s.id, 99, 'accepted', '{"price": "1"}'
                     FROM taxshare.submission s WHERE s.item_code = 'SM-COND'$$,
  '42501', NULL, 'a unit cannot add unvalidated rows to its own submission by writing record');
SELECT throws_ok($$INSERT INTO taxshare.record_error (submission_id, row_no, code, message) VALUES (1, 1, 'x', 'x')$$,
  '42501', NULL, 'nor record_error');
SELECT throws_ok($$UPDATE taxshare.submission SET status = 'accepted' WHERE item_code = 'SM-COND'$$,
  '42501', NULL, 'nor change its submission');
SELECT is((SELECT payload ->> 'buyer_idcard' FROM taxshare.record_visible WHERE item_code = 'SM-COND'),
          '430405********0011', 'own records are masked without clearance: resident ID');
SELECT is((SELECT array[payload ->> 'buyer_name', payload ->> 'phone'] FROM taxshare.record_visible WHERE item_code = 'SM-COND'),
          ARRAY['王**', '138****5678'], 'own records are masked without clearance: person name and phone');
SELECT throws_ok($$SELECT count(*) FROM taxshare.record$$, '42501', NULL,
  'a unit reads records only through the masked view');
RESET ROLE;

SET LOCAL ROLE sm_stranger;
SELECT throws_ok($$SELECT taxshare.submit('SM-COND', 'SM-A', '2024-03-01', '[]')$$,
  '42501', 'role "sm_stranger" may not submit for unit "SM-A"', 'a unit login without a unit submits for none');
RESET ROLE;
SET LOCAL ROLE sm_analyst;
SELECT throws_ok($$SELECT taxshare.submit('SM-COND', 'SM-A', '2024-03-01', '[]')$$,
  '42501', 'permission denied for function submit', 'an analyst does not submit, even listed in unit_member');
RESET ROLE;
-- Expired membership: the role is no longer of the unit.
UPDATE taxshare.unit_member SET valid_from = current_date - 30, valid_to = current_date - 1 WHERE role = 'sm_a';
SET LOCAL ROLE sm_a;
SELECT throws_ok($$SELECT taxshare.submit('SM-COND', 'SM-A', '2024-03-01', '[]')$$,
  '42501', 'role "sm_a" may not submit for unit "SM-A"', 'after its membership ended a login submits no more');
RESET ROLE;
UPDATE taxshare.unit_member SET valid_from = current_date, valid_to = NULL WHERE role = 'sm_a';

SET LOCAL ROLE sm_exchange;
SELECT lives_ok($$SELECT taxshare.submit('SM-OPEN', 'SM-B', '2024-01-01', '[{"amount": "1"}]')$$,
  'the exchange platform submits on behalf of any unit');
SELECT is((SELECT submitted_by FROM taxshare.submission WHERE item_code = 'SM-OPEN'), 'sm_exchange',
  'the exchange platform''s submission keeps its login');
RESET ROLE;
SET LOCAL ROLE sm_office;
SELECT lives_ok($$SELECT taxshare.submit('SM-NONE', 'SM-B', '2024-01-01', '[{"amount": "2"}]')$$,
  'the office submits on behalf of any unit');
RESET ROLE;

SET LOCAL ROLE sm_b;
SELECT is((SELECT array_agg(item_code ORDER BY item_code) FROM taxshare.record_visible),
          ARRAY['SM-NONE', 'SM-OPEN'], 'a unit sees its own items, none of another unit''s conditional records');
SELECT is((SELECT array_agg(DISTINCT unit_code) FROM taxshare.submission WHERE unit_code LIKE 'SM-%'),
          ARRAY['SM-B'], 'a unit sees its own submissions only');
SELECT throws_ok($$SELECT * FROM taxshare.read_records('SM-COND')$$, '42501', NULL,
  'no conditional read without a grant');
SELECT ok(taxshare.grant_request('SM-COND', '房产交易税源核查', '本局', current_date + 30) > 0, 'grant requested');
SELECT throws_ok($$SELECT taxshare.grant_approve((SELECT max(id) FROM taxshare.data_grant))$$, '42501', NULL,
  'the grantee cannot approve its own request');
RESET ROLE;
SET LOCAL ROLE sm_office;
SELECT lives_ok($$SELECT taxshare.grant_approve((SELECT max(id) FROM taxshare.data_grant WHERE item_code = 'SM-COND'))$$,
  'the office approves (test/pgtap/grant_approval.sql: who else may, by policy)');
RESET ROLE;
SET LOCAL ROLE sm_a;
SELECT throws_ok($$SELECT * FROM taxshare.read_records('SM-NONE')$$, '42501', NULL,
  'an item not shared is refused to others');
RESET ROLE;
SET LOCAL ROLE sm_b;
SELECT is((SELECT payload ->> 'buyer_idcard' FROM taxshare.read_records('SM-COND')), '430405********0011',
  'with a live grant the conditional record is read, masked');
SELECT is((SELECT count(*)::int FROM taxshare.record_visible WHERE item_code = 'SM-COND'), 0,
  'the grant opens read_records(), not the view');
RESET ROLE;
SELECT is((SELECT string_agg(concat_ws('|', role, action, item_code, rows, purpose), ';')
             FROM taxshare.access_log WHERE item_code = 'SM-COND'),
          'sm_b|read|SM-COND|1|房产交易税源核查',
          'the conditional read is in access_log with the rows and the purpose of the grant');

-- An expired grant (valid until yesterday) opens nothing.
UPDATE taxshare.data_grant SET valid_from = current_date - 60, valid_to = current_date - 1 WHERE item_code = 'SM-COND';
SET LOCAL ROLE sm_b;
SELECT throws_ok($$SELECT * FROM taxshare.read_records('SM-COND')$$, '42501', NULL,
  'no conditional read after the grant expired');
RESET ROLE;

-- Clearance: the same unit member sees the values.
UPDATE taxshare.unit_member SET clearance = true WHERE role = 'sm_a';
SET LOCAL ROLE sm_a;
SELECT is((SELECT payload ->> 'buyer_idcard' FROM taxshare.record_visible WHERE item_code = 'SM-COND'),
          '430405199001010011', 'with clearance the resident ID is shown');
RESET ROLE;

-- The inbox (COPY/INSERT) is open to a unit for its own unit: COPY FROM
-- would refuse a table with row-level security, so the trigger checks.
SET LOCAL ROLE sm_a;
SELECT lives_ok($$INSERT INTO taxshare.inbox (item, unit, period_start, payload)
                  VALUES ('SM-COND', 'SM-A', '2024-02-01', '{"buyer_idcard": "430405199001010011", "price": "5"}')$$,
  'a unit writes its own rows to the inbox');
RESET ROLE;

-- Typed views run with the reader's rights: an analyst sees through one only
-- what record's policies let it read (no conditional records of SM-A).
SELECT is(taxshare.catalog_view_create('SM-COND')::text, 'taxshare.item_sm_cond', 'the typed view of SM-COND');
SELECT is((SELECT reloptions FROM pg_class WHERE oid = 'taxshare.item_sm_cond'::regclass),
          ARRAY['security_invoker=true'], 'a typed view is created security_invoker');
SELECT is((SELECT count(*)::int FROM taxshare.item_sm_cond), 2, 'the owner reads both records of the typed view');
SET LOCAL ROLE sm_reader;
SELECT is((SELECT count(*)::int FROM taxshare.item_sm_cond), 0,
  'an analyst reads no conditional record of another unit through the typed view');
RESET ROLE;
SET LOCAL ROLE sm_b;
SELECT throws_ok($$SELECT count(*) FROM taxshare.item_sm_cond$$, '42501', NULL,
  'a unit is not granted the typed views (it reads record_visible)');
RESET ROLE;

-- The operator: metadata and counts, never payloads.
SET LOCAL ROLE sm_operator;
SELECT ok((SELECT count(*) FROM taxshare.submission WHERE unit_code LIKE 'SM-%') = 4, 'the operator sees submissions (counts)');
SELECT throws_ok($$SELECT payload FROM taxshare.record$$, '42501', NULL, 'the operator cannot read records');
SELECT throws_ok($$SELECT payload FROM taxshare.record_visible$$, '42501', NULL, 'nor the record view');
SELECT throws_ok($$SELECT * FROM taxshare.read_records('SM-OPEN')$$, '42501', NULL, 'nor through read_records()');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
