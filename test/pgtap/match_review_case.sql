-- pgTAP: the review policy of resolution (issue 16; docs/matching.md, "Reviews"):
-- a party in the review band is linked provisionally to its best candidate, never
-- made a new entity; what it says is not offered to later parties; parties that
-- say the same share one case, and one decision moves them all.
BEGIN;
SELECT plan(31);
SET LOCAL client_min_messages = warning;

SELECT has_column('taxshare', 'record_party', 'provisional', 'record_party.provisional exists');
SELECT has_column('taxshare', 'match_review', 'case_key', 'match_review.case_key exists');
SELECT col_default_is('taxshare', 'record_party', 'provisional', 'false', 'links are final unless said otherwise');

SELECT taxshare.resolve_entities();  -- whatever other suites left: not ours
INSERT INTO taxshare.unit (code, name, kind, division) VALUES
  ('TR_SCJG', '衡阳市市场监督管理局', 'department', '430400'),
  ('TR_SW', '国家税务总局衡阳市税务局', 'tax', '430400');
SELECT taxshare.catalog_define($${
  "code": "TR-REG", "title": "企业登记信息", "provider": "TR_SCJG", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
    {"name": "name", "title": "企业名称", "type": "string"},
    {"name": "region", "title": "行政区划", "type": "division"},
    {"name": "address", "title": "住所", "type": "string"}]},
  "parties": [{"role": "enterprise", "uscc": "uscc", "name": "name"}]}$$);
SELECT taxshare.catalog_define($${
  "code": "TR-TAX", "title": "纳税申报信息", "provider": "TR_SW", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "name", "title": "纳税人名称", "type": "string"},
    {"name": "address", "title": "地址", "type": "string"},
    {"name": "amount", "title": "税额", "type": "amount"}]},
  "parties": [{"role": "taxpayer", "name": "name"}]}$$);
SELECT taxshare.party_evidence_set('TR-REG', 'enterprise', 'enterprise', region => 'region', address => 'address');
SELECT taxshare.party_evidence_set('TR-TAX', 'taxpayer', address => 'address');

SELECT taxshare.submit('TR-REG', 'TR_SCJG', '2024-01-01', $$[
  {"uscc": "91430400MA4T00019B", "name": "衡阳澜沧置业有限公司", "region": "430406",
   "address": "衡阳市雁峰区先锋路8号"}]$$);
-- two declarations with the same typo at the right address: the review band
SELECT taxshare.submit('TR-TAX', 'TR_SW', '2024-01-01', $$[
  {"name": "衡阳澜仓置业有限公司", "address": "衡阳市雁峰区先锋路8号", "amount": "100"},
  {"name": "衡阳澜仓置业有限责任公司", "address": "衡阳市雁峰区先锋路8号", "amount": "200"}]$$);
SELECT is((SELECT review::int FROM taxshare.resolve_entities()), 2, 'both go to review');

CREATE TEMP VIEW tr_party AS
  SELECT c.id AS record_id, c.payload ->> 'amount' AS amount, rp.entity_id, rp.provisional, rp.method,
         e.name AS entity_name
    FROM taxshare.current_record c
    JOIN taxshare.record_party rp ON rp.record_id = c.id
    JOIN taxshare.entity e ON e.id = rp.entity_id
   WHERE c.item_code = 'TR-TAX';
SELECT is((SELECT count(*)::int FROM taxshare.entity WHERE name LIKE '%澜%'), 1,
          'no new entity: the one registered company only');
SELECT ok((SELECT bool_and(provisional AND entity_name = '衡阳澜沧置业有限公司') FROM tr_party),
          'both are linked provisionally to the candidate');
SELECT is((SELECT count(DISTINCT case_key)::int FROM taxshare.match_review WHERE status = 'pending'
            AND case_key LIKE '%澜仓%'), 1, 'the two share one case (the same normalised name)');
SELECT is((SELECT count(*)::int FROM taxshare.entity_attribute WHERE kind = 'name' AND value = '衡阳澜仓置业有限公司'),
          0, 'the provisional name is not taken into the candidate');

-- a later month: the same typo again meets no duplicate, and joins the case
SELECT taxshare.submit('TR-TAX', 'TR_SW', '2024-02-01', $$[
  {"name": "衡阳澜仓置业有限公司", "address": "衡阳市雁峰区先锋路8号", "amount": "300"}]$$);
SELECT is((SELECT review::int FROM taxshare.resolve_entities()), 1, 'the later one goes to review too');
SELECT is((SELECT count(*)::int FROM taxshare.entity WHERE name LIKE '%澜%'), 1, 'still no new entity');
SELECT is((SELECT count(*)::int FROM taxshare.match_review WHERE status = 'pending' AND case_key LIKE '%澜仓%'), 3,
          'three parties ...');
SELECT is((SELECT count(DISTINCT case_key)::int FROM taxshare.match_review WHERE status = 'pending'
            AND case_key LIKE '%澜仓%'), 1, '... in one case');
SELECT ok((SELECT bool_and(provisional) FROM tr_party), 'all three are provisional');
-- the queue by case, explained
SELECT is((SELECT parties::int FROM taxshare.match_review_case WHERE case_key LIKE '%澜仓%'), 3,
          'match_review_case: one row for the case, with its three parties');
SELECT is((SELECT explanation_zh FROM taxshare.match_review_case WHERE case_key LIKE '%澜仓%'),
          '名称相差一两个字, 地址相同', 'the case explained in Chinese');
SELECT is((SELECT explanation_en FROM taxshare.match_review_case WHERE case_key LIKE '%澜仓%'),
          'the names differ in a character or two, the same address', '... and in English');

-- "reject": one new entity for all the parties of the case
SAVEPOINT before_decision;
SELECT isnt((SELECT taxshare.match_review_decide(min(id), 'reject', 'reviewer') FROM taxshare.match_review
              WHERE case_key LIKE '%澜仓%'), NULL::bigint, 'rejecting returns the new entity');
SELECT is((SELECT count(DISTINCT entity_id)::int FROM tr_party), 1, 'the three parties share one entity ...');
SELECT isnt((SELECT min(entity_name) FROM tr_party), '衡阳澜沧置业有限公司', '... which is not the candidate');
SELECT ok((SELECT bool_and(NOT provisional AND method = 'manual') FROM tr_party), 'the links are final and manual');
SELECT is((SELECT count(*)::int FROM taxshare.match_review WHERE case_key LIKE '%澜仓%' AND status = 'rejected'),
          3, 'every review of the case is decided');
SELECT is((SELECT count(*)::int FROM taxshare.entity WHERE name LIKE '%澜%'), 2, 'exactly one entity was made');
ROLLBACK TO SAVEPOINT before_decision;

-- "link": every party of the case is the candidate, and its name becomes the candidate's
SELECT is((SELECT taxshare.match_review_decide(max(id), 'link', 'reviewer') FROM taxshare.match_review
            WHERE case_key LIKE '%澜仓%'),
          (SELECT id FROM taxshare.entity WHERE name = '衡阳澜沧置业有限公司'), 'linking returns the candidate');
SELECT ok((SELECT bool_and(NOT provisional AND method = 'manual' AND entity_name = '衡阳澜沧置业有限公司') FROM tr_party),
          'all three are linked for good');
SELECT is((SELECT count(*)::int FROM taxshare.match_review WHERE case_key LIKE '%澜仓%' AND status = 'linked'),
          3, 'every review of the case is decided');
SELECT is((SELECT count(*)::int FROM taxshare.entity_attribute WHERE kind = 'name' AND value = '衡阳澜仓置业有限公司'),
          1, 'the confirmed name is now offered to later parties');
SELECT throws_ok((SELECT format('SELECT taxshare.match_review_decide(%s, ''link'')', min(id)) FROM taxshare.match_review
                   WHERE case_key LIKE '%澜仓%'), '55000', NULL, 'a decided case cannot be decided again');
-- the next identical declaration links at once through the confirmed name
SELECT taxshare.submit('TR-TAX', 'TR_SW', '2024-03-01', $$[
  {"name": "衡阳澜仓置业有限公司", "address": "衡阳市雁峰区先锋路8号", "amount": "400"}]$$);
SELECT is((SELECT probabilistic::int FROM taxshare.resolve_entities()), 1, 'after the decision the name links');

-- the words for the classes of the issue
SELECT is((taxshare.match_explain('{"name": "衡阳华湘物业有限公司", "best": {"name": "耒阳华湘物业有限公司",
             "comparison": {"fields": [{"field": "name", "level": "<0.75"}]}}}')).zh,
          '名称相同, 但一方为衡阳, 一方为耒阳', 'the same name in two divisions: said so');
SELECT is((taxshare.match_explain('{"name": "衡阳华湘物业有限公司", "best": {"name": "耒阳华湘物业有限公司",
             "comparison": {"fields": [{"field": "name", "level": "<0.75"}]}}}')).en,
          'the names are the same, but one states 衡阳, the other 耒阳', '... in English too');
SELECT is((taxshare.match_explain('{"name": "华湘物业有限公司", "ambiguous": true,
             "best": {"name": "衡阳华湘物业有限公司", "comparison": {"fields": [{"field": "name", "level": "exact"}]}},
             "runner_up": {"name": "长沙华湘物业有限公司"}}')).zh,
          '名称相同, 但一方名称未写明地区, 另一候选主体 (长沙华湘物业有限公司) 同样接近',
          'a name without its region between two namesakes');

SELECT * FROM finish();
ROLLBACK;
