-- match_rule: rules checked against the catalog when written, each check kind
-- with its tolerances and period window, re-runs without duplicates, triage
-- kept across re-runs, points cleared when the data no longer supports them.
-- Codes start with TR_ / TR- and the enterprises' 字号 are 甲乙, 丙丁, 戊己, 庚辛.
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- The SQLSTATE and message of a statement whose error would name generated ids.
CREATE FUNCTION pg_temp.sqlstate_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '[0-9]+', 'N', 'g');
END
$$;

INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('TR_ZJ', '某住建局', 'department'), ('TR_SW', '某税务局', 'tax');
SELECT taxshare.catalog_define($${
  "code": "TR-SALE", "title": "交易信息", "provider": "TR_ZJ", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "buyer_uscc", "title": "买受人统一社会信用代码", "type": "uscc"},
    {"name": "buyer_name", "title": "买受人名称", "type": "string"},
    {"name": "price", "title": "成交价格", "type": "amount"},
    {"name": "rate", "title": "税率", "type": "number"},
    {"name": "headcount", "title": "人数", "type": "integer"},
    {"name": "note", "title": "备注", "type": "string"}]},
  "parties": [{"role": "buyer", "uscc": "buyer_uscc", "name": "buyer_name"}]}$$) AS version;
SELECT taxshare.catalog_define($${
  "code": "TR-DECL", "title": "申报信息", "provider": "TR_SW", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "tpid", "title": "纳税人识别号", "type": "string"},
    {"name": "name", "title": "纳税人名称", "type": "string"},
    {"name": "tax", "title": "申报税额", "type": "amount"},
    {"name": "count", "title": "申报人数", "type": "integer"}]},
  "parties": [{"role": "taxpayer", "name": "name"}]}$$) AS version;
SELECT taxshare.party_evidence_set('TR-DECL', 'taxpayer', 'enterprise', taxpayer_id => 'tpid');

-- Rules are checked against the catalog when written
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind,
                                 expected_expr, target_amount_field, tolerance_abs, tolerance_rel, period_window)
VALUES ('TR_MISS', '交易未申报', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'missing', 'price * rate', NULL, NULL, NULL, 'same'),
       ('TR_BELOW', '申报税额低于应纳', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'amount_below', 'price * rate',
        'tax', 100, 0.1, '+1 month');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind,
                                 source_amount_field, target_amount_field, tolerance_abs, period_window, active)
VALUES ('TR_COUNT', '人数不符', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'count_mismatch', 'headcount', 'count', 1, 'same', true),
       ('TR_OFF', '停用的规则', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'missing', NULL, NULL, NULL, 'same', false);
SELECT code, check_kind, period_window, active FROM taxshare.match_rule WHERE code LIKE 'TR\_%' ORDER BY code;
SELECT taxshare.rule_expr_sql('price * rate') AS compiled;

INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind)
VALUES ('TR_X', 'x', 'TR-NONE', 'TR-DECL', 'buyer', 'missing');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'seller', 'missing');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'missing');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind, expected_expr)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'amount_below', 'price');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind,
                                 expected_expr, target_amount_field)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'amount_below', 'price * fee', 'tax');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind,
                                 expected_expr, target_amount_field)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'amount_below', 'price * note', 'tax');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind,
                                 expected_expr, target_amount_field)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'amount_below', 'price * (rate', 'tax');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind,
                                 expected_expr, target_amount_field)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'amount_below', 'price; DELETE FROM taxshare.entity', 'tax');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind,
                                 target_amount_field)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'count_mismatch', 'name');
\set VERBOSITY terse
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind, period_window)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'missing', '+1 week');
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind, tolerance_rel)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'missing', 2);
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind)
VALUES ('TR_X', 'x', 'TR-SALE', 'TR-DECL', 'buyer', 'taxpayer', 'bigger');
\set VERBOSITY default

-- May 2024: four buyers.  Expected tax = price * rate.
--   甲乙: 30000 + 15000 = 45000, declared 40400 in May: short 4600 > 100 and > 10% (4500)
--   丙丁: 3000, declared 2701 in June: short 299 > 100 but not > 10% (300); June is not "same"
--   戊己: 6000, nothing declared
--   庚辛: 300, declared 200: short exactly 100, not more than the tolerance
SELECT taxshare.submit('TR-SALE', 'TR_ZJ', '2024-05-01', $$[
  {"buyer_uscc": "91430400MA4R00017J", "buyer_name": "衡阳甲乙商贸有限公司", "price": "1000000", "rate": 0.03, "headcount": 10},
  {"buyer_uscc": "91430400MA4R00017J", "buyer_name": "衡阳甲乙商贸有限公司", "price": "500000", "rate": 0.03, "headcount": 5},
  {"buyer_uscc": "91430400MA4R00025D", "buyer_name": "衡阳丙丁商贸有限公司", "price": "100000", "rate": 0.03, "headcount": 3},
  {"buyer_uscc": "91430400MA4R000338", "buyer_name": "衡阳戊己商贸有限公司", "price": "200000", "rate": 0.03, "headcount": 4},
  {"buyer_uscc": "91430400MA4R000413", "buyer_name": "衡阳庚辛商贸有限公司", "price": "10000", "rate": 0.03, "headcount": 2}]$$) > 0 AS submitted;
SELECT taxshare.submit('TR-DECL', 'TR_SW', '2024-05-01', $$[
  {"tpid": "91430400MA4R00017J", "name": "衡阳甲乙商贸有限公司", "tax": "40400", "count": 15},
  {"tpid": "91430400MA4R000413", "name": "衡阳庚辛商贸有限公司", "tax": "200", "count": 1}]$$) > 0 AS submitted;
SELECT taxshare.submit('TR-DECL', 'TR_SW', '2024-06-01', $$[
  {"tpid": "91430400MA4R00025D", "name": "衡阳丙丁商贸有限公司", "tax": "2701", "count": 3}]$$) > 0 AS submitted;
-- July is outside every window of May
SELECT taxshare.submit('TR-DECL', 'TR_SW', '2024-07-01', $$[
  {"tpid": "91430400MA4R00017J", "name": "衡阳甲乙商贸有限公司", "tax": "99999", "count": 15}]$$) > 0 AS submitted;

SELECT * FROM taxshare.run_rules('2024-05-01') WHERE rule_code LIKE 'TR\_%';
CREATE TEMP VIEW tr_points AS
  SELECT s.id, s.rule_code, s.entity_name, s.amount_involved, s.details, cardinality(s.evidence) AS evidence,
         s.status, s.reason
    FROM taxshare.suspicion_list s WHERE s.rule_code LIKE 'TR\_%' AND s.period_start = '2024-05-01';
SELECT rule_code, entity_name, amount_involved, details, evidence, status FROM tr_points ORDER BY rule_code, entity_name;

-- Running again changes nothing and duplicates nothing
SELECT * FROM taxshare.run_rules('2024-05-01', resolve => false) WHERE rule_code LIKE 'TR\_%';
SELECT count(*) AS points, count(DISTINCT (rule_code, entity_name)) AS distinct_points FROM tr_points;

-- The tax bureau's triage
SELECT status, reason, triaged_by = session_user AS by_me
  FROM taxshare.suspicion_triage((SELECT id FROM tr_points WHERE rule_code = 'TR_BELOW' AND entity_name LIKE '%甲乙%'),
                                 'confirmed');
SELECT status, reason
  FROM taxshare.suspicion_triage((SELECT id FROM tr_points WHERE rule_code = 'TR_MISS' AND entity_name LIKE '%戊己%'),
                                 'excluded', '已在外地申报');
SELECT pg_temp.sqlstate_of(format('SELECT taxshare.suspicion_triage(%s, %L)', id, 'excluded')) AS no_reason,
       pg_temp.sqlstate_of(format('SELECT taxshare.suspicion_triage(%s, %L, %L)', id, 'excluded', '   ')) AS blank_reason
  FROM tr_points WHERE rule_code = 'TR_MISS' AND entity_name LIKE '%丙丁%';
SELECT taxshare.suspicion_triage((SELECT id FROM tr_points WHERE rule_code = 'TR_MISS' AND entity_name LIKE '%丙丁%'),
                                 'ignored');
SELECT taxshare.suspicion_triage(-1, 'confirmed');
-- the table itself refuses an exclusion without a reason
SELECT pg_temp.sqlstate_of(format('UPDATE taxshare.suspicion SET status = %L WHERE id = %s', 'excluded', id)) AS direct
  FROM tr_points WHERE rule_code = 'TR_MISS' AND entity_name LIKE '%丙丁%';
SELECT status FROM tr_points WHERE rule_code = 'TR_MISS' AND entity_name LIKE '%丙丁%';

-- Late declarations arrive; the rules run again
--   甲乙 declares 1000 more: short 3600, no longer a point, but it was confirmed: kept
--   戊己 declares 6000: its amount point is cleared; its missing point was excluded: kept
--   丙丁 declares a second headcount of 1 in May: its count point changes (0 -> 1 declared)
--   庚辛 buys again (100000): expected 3300, short 3100: a new point
SELECT taxshare.submit('TR-DECL', 'TR_SW', '2024-05-01', $$[
  {"tpid": "91430400MA4R00017J", "name": "衡阳甲乙商贸有限公司", "tax": "40400", "count": 15},
  {"tpid": "91430400MA4R000413", "name": "衡阳庚辛商贸有限公司", "tax": "200", "count": 1},
  {"tpid": "91430400MA4R00017J", "name": "衡阳甲乙商贸有限公司", "tax": "1000", "count": 0},
  {"tpid": "91430400MA4R000338", "name": "衡阳戊己商贸有限公司", "tax": "6000", "count": 4},
  {"tpid": "91430400MA4R00025D", "name": "衡阳丙丁商贸有限公司", "tax": "0", "count": 1}]$$) > 0 AS resubmitted;
SELECT taxshare.submit('TR-SALE', 'TR_ZJ', '2024-05-01', $$[
  {"buyer_uscc": "91430400MA4R00017J", "buyer_name": "衡阳甲乙商贸有限公司", "price": "1000000", "rate": 0.03, "headcount": 10},
  {"buyer_uscc": "91430400MA4R00017J", "buyer_name": "衡阳甲乙商贸有限公司", "price": "500000", "rate": 0.03, "headcount": 5},
  {"buyer_uscc": "91430400MA4R00025D", "buyer_name": "衡阳丙丁商贸有限公司", "price": "100000", "rate": 0.03, "headcount": 3},
  {"buyer_uscc": "91430400MA4R000338", "buyer_name": "衡阳戊己商贸有限公司", "price": "200000", "rate": 0.03, "headcount": 4},
  {"buyer_uscc": "91430400MA4R000413", "buyer_name": "衡阳庚辛商贸有限公司", "price": "10000", "rate": 0.03, "headcount": 2},
  {"buyer_uscc": "91430400MA4R000413", "buyer_name": "衡阳庚辛商贸有限公司", "price": "100000", "rate": 0.03, "headcount": 0}]$$) > 0 AS resubmitted;
SELECT * FROM taxshare.run_rules('2024-05-01') WHERE rule_code LIKE 'TR\_%';
SELECT rule_code, entity_name, amount_involved, details, evidence, status, reason
  FROM tr_points ORDER BY rule_code, entity_name;

-- A rule switched off finds nothing; months are whole months
UPDATE taxshare.match_rule SET active = false WHERE code = 'TR_COUNT';
SELECT rule_code FROM taxshare.run_rules('2024-05-01', false) WHERE rule_code LIKE 'TR\_%';
SELECT * FROM taxshare.run_rules('2024-05-15');
UPDATE taxshare.match_rule SET active = false WHERE code LIKE 'TR\_%';
