-- entity: resolve_entities() over a registry and a tax item, every
-- deterministic key path, the probabilistic path with its three outcomes,
-- the similar-name trap, explanations, the review queue, incremental runs,
-- rebuild, key persons, and the errors of the helpers.  Codes start with
-- TE_ / TE- and names use the 字号 澜沧 and 通衢, so no other test meets them.
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- The SQLSTATE of a statement whose message would name generated ids.
CREATE FUNCTION pg_temp.sqlstate_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '[0-9]+', 'N', 'g');
END
$$;

-- Parties of other test files' records are resolved first, out of the way.
SELECT true AS others_resolved FROM taxshare.resolve_entities();

INSERT INTO taxshare.unit (code, name, kind, division) VALUES
  ('TE_SCJG', '衡阳市市场监督管理局', 'department', '430400'),
  ('TE_SW', '国家税务总局衡阳市税务局', 'tax', '430400');
SELECT taxshare.catalog_define($${
  "code": "TE-REG", "title": "企业登记信息", "provider": "TE_SCJG", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
    {"name": "orgcode", "title": "组织机构代码", "type": "orgcode"},
    {"name": "name", "title": "企业名称", "type": "string"},
    {"name": "region", "title": "行政区划", "type": "division"},
    {"name": "address", "title": "住所", "type": "string"},
    {"name": "phone", "title": "联系电话", "type": "phone"},
    {"name": "rep_name", "title": "法定代表人", "type": "string"},
    {"name": "rep_idcard", "title": "法定代表人身份证号码", "type": "idcard"}]},
  "parties": [{"role": "enterprise", "uscc": "uscc", "orgcode": "orgcode", "name": "name"},
              {"role": "legal_rep", "idcard": "rep_idcard", "name": "rep_name"}]}$$) AS version;
SELECT taxshare.catalog_define($${
  "code": "TE-TAX", "title": "纳税申报信息", "provider": "TE_SW", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "tpid", "title": "纳税人识别号", "type": "string"},
    {"name": "name", "title": "纳税人名称", "type": "string"},
    {"name": "address", "title": "地址", "type": "string"},
    {"name": "phone", "title": "电话", "type": "string"},
    {"name": "amount", "title": "税额", "type": "amount"}]},
  "parties": [{"role": "taxpayer", "name": "name"}]}$$) AS version;
SELECT taxshare.party_evidence_set('TE-REG', 'enterprise', 'enterprise', region => 'region',
                                   address => 'address', phone => 'phone');
SELECT taxshare.party_evidence_set('TE-TAX', 'taxpayer', taxpayer_id => 'tpid', address => 'address',
                                   phone => 'phone');
INSERT INTO taxshare.party_link_source (item_code, enterprise_role, person_role, link_role)
VALUES ('TE-REG', 'enterprise', 'legal_rep', 'legal_rep');
SELECT item_code, role, kind, taxpayer_id_field, region_field, address_field, phone_field
  FROM taxshare.party_evidence WHERE item_code LIKE 'TE-%' ORDER BY 1, 2;

-- The registry: two namesakes with one legal representative, and a firm
-- known only by its organization code.
SELECT taxshare.submit('TE-REG', 'TE_SCJG', '2024-01-01', $$[
  {"uscc": "91430400MA4T00019B", "name": "衡阳澜沧置业有限公司", "region": "430406",
   "address": "衡阳市雁峰区先锋路8号", "phone": "0734-8123456", "rep_name": "周明", "rep_idcard": "430402197505051214"},
  {"uscc": "91430400MA4T000276", "name": "衡阳澜沧物业有限公司", "region": "430406",
   "address": "衡阳市雁峰区先锋路8号", "phone": "0734-8123457", "rep_name": "周明", "rep_idcard": "430402197505051214"},
  {"orgcode": "77012345-3", "name": "衡阳市通衢物流有限公司", "region": "430405"}]$$) > 0 AS submitted;
SELECT parties, by_key, probabilistic, review, new_entities FROM taxshare.resolve_entities();
SELECT kind, name, uscc, idcard, orgcode, region, phone
  FROM taxshare.entity WHERE name LIKE '%澜沧%' OR name LIKE '%通衢%' OR name = '周明' ORDER BY kind, name;
SELECT enterprise_name, role, person_name, valid_from FROM taxshare.enterprise_person
 WHERE enterprise_name LIKE '%澜沧%' ORDER BY enterprise_name;

-- The tax bureau's declarations: every way a taxpayer ID is written, and
-- names without a usable one.
SELECT taxshare.submit('TE-TAX', 'TE_SW', '2024-02-01', $$[
  {"tpid": "91430400MA4T00019B", "name": "衡阳澜沧置业有限责任公司", "amount": "100"},
  {"tpid": "91430405770123453J", "name": "衡阳市通衢物流有限公司", "amount": "100"},
  {"tpid": "430405770123453", "name": "通衢物流", "amount": "100"},
  {"tpid": "430402750505121", "name": "周明", "amount": "10"},
  {"tpid": "43040619820808232100", "name": "吴芳", "amount": "10"},
  {"tpid": "430406820808232", "name": "吴芳", "amount": "10"},
  {"tpid": "91430400MA4T00019C", "name": "澜沧置业（衡阳）有限公司", "address": "衡阳市雁峰区先锋路8号", "amount": "100"},
  {"name": "衡阳澜沧物业有限责任公司", "amount": "100"},
  {"name": "衡阳澜沧置业有限公司", "address": "衡阳市雁峰区先锋路8号", "phone": "0734-8123457", "amount": "100"},
  {"name": "衡阳澜仓置业有限公司", "address": "衡阳市雁峰区先锋路8号", "amount": "100"},
  {"name": "衡阳江东贸易有限公司", "amount": "100"}]$$) > 0 AS submitted;
SELECT parties, by_key, probabilistic, review, new_entities FROM taxshare.resolve_entities();

-- Which entity each declaration is about, how, and why.
CREATE TEMP VIEW te_party AS
  SELECT (rp.record_id & 4294967295)::int AS row_no, c.item_code, rp.role, c.payload ->> 'name' AS reported,
         rp.method, e.name AS entity, e.kind, rp.score, rp.explanation
    FROM taxshare.record_party rp
    JOIN taxshare.current_record c ON c.id = rp.record_id
    JOIN taxshare.entity e ON e.id = rp.entity_id
   WHERE c.item_code LIKE 'TE-%';
SELECT row_no, reported, method, entity, round(score::numeric, 2) AS score,
       coalesce(explanation ->> 'read_as', explanation ->> 'decision') AS how
  FROM te_party WHERE item_code = 'TE-TAX' ORDER BY row_no;
-- the organization code inside the USCC gave the firm its USCC
SELECT name, uscc, orgcode, taxpayer_id FROM taxshare.entity WHERE name LIKE '%通衢%';
-- the persons: 15-digit ID, personal taxpayer ID (+00) and a legacy ID meet in one entity
SELECT kind, name, idcard, taxpayer_id FROM taxshare.entity WHERE name IN ('周明', '吴芳') ORDER BY name;

-- Explanations: what each comparison contributed
SELECT f ->> 'field' AS field, f ->> 'level' AS level, (f ->> 'weight')::numeric AS weight
  FROM te_party, jsonb_array_elements(explanation #> '{best,comparison,fields}') f
 WHERE row_no = 7 ORDER BY field;
SELECT explanation #>> '{best,comparison,weight}' AS weight, explanation ->> 'unverified_identifier' AS evidence
  FROM te_party WHERE row_no = 7;
-- the trap: row 9 says 澜沧置业 at 澜沧物业's phone; 澜沧物业 is only the runner-up
SELECT entity, explanation #>> '{runner_up,name}' AS runner_up,
       (explanation #>> '{runner_up,comparison,weight}')::numeric < 4 AS runner_up_below_lower
  FROM te_party WHERE row_no = 9;
SELECT f ->> 'field' AS field, f ->> 'level' AS level
  FROM te_party, jsonb_array_elements(explanation #> '{runner_up,comparison,fields}') f
 WHERE row_no = 9 AND f ->> 'field' IN ('name', 'industry') ORDER BY field;

-- The review queue: a typo at the right address is left to a person; until
-- then the party is linked provisionally to the candidate (no entity of its own)
SELECT (r.record_id & 4294967295)::int AS row_no, c.name AS candidate, rp.provisional,
       rp.entity_id = r.candidate_entity_id AS linked_to_candidate, r.entity_id IS NULL AS no_own_entity,
       r.case_key = r.candidate_entity_id || ':衡阳澜仓置业有限公司' AS case_key,
       round(r.weight::numeric, 2) AS weight, r.status
  FROM taxshare.match_review r
  JOIN taxshare.entity c ON c.id = r.candidate_entity_id
  JOIN taxshare.record_party rp ON rp.record_id = r.record_id AND rp.role = r.role
 WHERE c.name LIKE '%澜沧%';
-- what the provisional party says is not the candidate's yet
SELECT count(*) AS typo_taken_before FROM taxshare.entity_attribute
 WHERE kind = 'name' AND value = '衡阳澜仓置业有限公司';
SELECT taxshare.match_review_decide(r.id, 'maybe') FROM taxshare.match_review r
  JOIN taxshare.entity e ON e.id = r.candidate_entity_id WHERE e.name LIKE '%澜沧%';
SELECT taxshare.match_review_decide(r.id, 'link', 'reviewer') = e.id AS linked_to_candidate
  FROM taxshare.match_review r JOIN taxshare.entity e ON e.id = r.candidate_entity_id
 WHERE e.name LIKE '%澜沧%' AND r.status = 'pending';
SELECT row_no, method, entity, explanation ->> 'decided_by' AS decided_by FROM te_party WHERE row_no = 10;
SELECT rp.provisional FROM taxshare.record_party rp JOIN taxshare.match_review r USING (record_id, role)
 WHERE r.case_key LIKE '%:衡阳澜仓置业有限公司';
SELECT count(*) AS typo_taken_after FROM taxshare.entity_attribute
 WHERE kind = 'name' AND value = '衡阳澜仓置业有限公司';
SELECT count(*) AS provisional_left FROM taxshare.entity WHERE name = '衡阳澜仓置业有限公司';
SELECT status, decided_by FROM taxshare.match_review r JOIN taxshare.entity e ON e.id = r.candidate_entity_id
 WHERE e.name LIKE '%澜沧%';
SELECT pg_temp.sqlstate_of(format('SELECT taxshare.match_review_decide(%s, %L)', r.id, 'link')) AS decided_twice
  FROM taxshare.match_review r
  JOIN taxshare.entity e ON e.id = r.candidate_entity_id WHERE e.name LIKE '%澜沧%';
SELECT taxshare.match_review_decide(-1, 'link');

-- Every name an entity was reported under is kept
SELECT a.kind, a.value FROM taxshare.entity_attribute a JOIN taxshare.entity e ON e.id = a.entity_id
 WHERE e.uscc = '91430400MA4T00019B' ORDER BY a.kind, a.value;

-- Incremental: only the new record is looked at
SELECT taxshare.submit('TE-TAX', 'TE_SW', '2024-03-01', $$[
  {"tpid": "91430400MA4T00019B", "name": "衡阳澜沧置业有限公司", "amount": "100"}]$$) > 0 AS submitted;
SELECT parties, by_key, probabilistic, review, new_entities FROM taxshare.resolve_entities();
SELECT parties FROM taxshare.resolve_entities();

-- Rebuild: every link made again, the person's decision kept
CREATE TEMP TABLE te_before AS SELECT row_no, item_code, role, method, entity FROM te_party;
SELECT parties > 0 AS rebuilt FROM taxshare.resolve_entities(rebuild => true);
SELECT b.row_no, b.item_code, b.method AS before, a.method AS after, b.entity = a.entity AS same_entity
  FROM te_before b JOIN te_party a USING (row_no, item_code, role)
 WHERE b.method IS DISTINCT FROM a.method OR b.entity IS DISTINCT FROM a.entity;
SELECT count(*) AS links FROM te_party;
SELECT row_no, method FROM te_party WHERE row_no = 10 AND item_code = 'TE-TAX';

-- Thresholds are GUCs
SHOW taxshare.match_upper;
SHOW taxshare.match_lower;
SET taxshare.match_lower = 20;
SELECT * FROM taxshare.resolve_entities();
RESET taxshare.match_lower;

-- The model, and comparing two parties by hand
SELECT field, level, round(m::numeric, 3) AS m, round(u::numeric, 3) AS u, round(weight::numeric, 2) AS weight
  FROM taxshare.match_model('enterprise') WHERE field IN ('name', 'identifier') ORDER BY field, weight DESC;
SELECT taxshare.match_compare('衡阳华湘置业有限公司', '衡阳华湘物业有限公司') ->> 'decision' AS trap;
SELECT taxshare.match_compare('衡阳华湘置业有限公司', '华湘置业（衡阳）有限责任公司') ->> 'decision' AS variants;
SELECT taxshare.match_compare('衡阳华湘置业有限公司', '衡阳华湘置业有限公司',
                              ident_a => '91350100M000100Y43', ident_b => '91430400MA4T00019B') AS different_keys;
SELECT taxshare.match_compare('张伟', '张伟', 'person') ->> 'decision' AS common_name;
SELECT taxshare.match_compare('张伟', '张伟', 'person', phone_a => '13800000000', phone_b => '138-0000-0000')
       ->> 'weight' AS with_phone;
SELECT taxshare.match_compare('a', 'b', 'company');
SELECT taxshare.match_model('robot');

-- Parameters set by hand change the weights
INSERT INTO taxshare.match_parameter (kind, field, level, m, u) VALUES ('enterprise', 'phone', 'agree', 0.5, 0.25);
SELECT round(weight::numeric, 2) AS phone_agree FROM taxshare.match_model('enterprise')
 WHERE field = 'phone' AND level = 'agree';
INSERT INTO taxshare.match_parameter (kind, field, level, m, u) VALUES ('enterprise', 'colour', 'red', 0.5, 0.5);
SELECT count(*) FROM taxshare.match_model('enterprise');
DELETE FROM taxshare.match_parameter WHERE kind = 'enterprise';

-- The helpers' errors
SELECT taxshare.party_evidence_set('TE-NONE', 'taxpayer');
SELECT taxshare.party_evidence_set('TE-TAX', 'buyer');
SELECT taxshare.party_evidence_set('TE-TAX', 'taxpayer', 'robot');
SELECT taxshare.party_evidence_set('TE-TAX', 'taxpayer', address => 'street');
SELECT pg_temp.sqlstate_of(format('SELECT taxshare.entity_merge(%s, %s)', e.id, p.id)) AS merge_kinds
  FROM taxshare.entity e, taxshare.entity p
 WHERE e.uscc = '91430400MA4T00019B' AND p.idcard = '430402197505051214';
SELECT pg_temp.sqlstate_of(format('SELECT taxshare.entity_merge(%s, %s)', a.id, b.id)) AS merge_keys
  FROM taxshare.entity a, taxshare.entity b
 WHERE a.uscc = '91430400MA4T00019B' AND b.uscc = '91430400MA4T000276';
SELECT pg_temp.sqlstate_of('SELECT taxshare.entity_merge(-1, -2)') AS merge_unknown;
SELECT taxshare.record_party_set(-1, 'taxpayer', e.id) FROM taxshare.entity e WHERE e.uscc = '91430400MA4T00019B';
SELECT taxshare.record_party_set(1, 'taxpayer', -1);
