-- pgTAP: risk grading (control/install/80_indicator.sql .. 86_risk_list.sql,
-- src/risk/risk_score.c, src/risk/risk_propagate.c, src/risk/risk_grade.c, src/risk/risk_breakdown_fmgr.c, src/common/bulk_insert.c).
-- Every expected score is worked out by hand in the comment beside it from
-- the formula of docs/risk.md:
--   score = 100 x sum(weight_f x factor_f) / sum(weight_f), factors
--   points = min(1, weighted points / 5), amount = log(amount/1e4)/log(1e3)
--   clamped to 0..1, severity = worst/5, social = worst/5; default weights
--   0.25, 0.35, 0.25, 0.15; medium from 40, high from 70.
BEGIN;
SELECT plan(138);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

-- ---------------------------------------------------------------------------
-- Objects
-- ---------------------------------------------------------------------------
SELECT has_table('taxshare', 'indicator', 'table indicator exists');
SELECT has_table('taxshare', 'blacklist', 'table blacklist exists');
SELECT has_table('taxshare', 'risk_param', 'table risk_param exists');
SELECT has_table('taxshare', 'risk_score', 'table risk_score exists');
SELECT has_table('taxshare', 'assessment_log', 'table assessment_log exists');
SELECT has_view('taxshare', 'risk_list', 'view risk_list exists');
SELECT has_function('taxshare', 'grade_risks', ARRAY['date'], 'grade_risks(date) exists');
SELECT is((SELECT count(*)::int FROM taxshare.indicator WHERE kind = 'monitoring'), 21,
          'the starter set has the 21 Binzhou monitoring indicators');
SELECT ok((SELECT count(*) FROM taxshare.indicator WHERE kind = 'analysis') BETWEEN 9 AND 12,
          'and about ten analysis indicators');
SELECT is((SELECT count(*)::int FROM taxshare.indicator
            WHERE code IN ('A01_PROPERTY_DEED_TAX', 'A02_LAND_USE_TAX', 'A03_CONSTRUCTION_VAT',
                           'A04_UNREGISTERED_TAXPAYER', 'A05_SOCIAL_INSURANCE_WITHHOLDING',
                           'A06_GOVT_PAYMENT_INVOICE') AND kind = 'analysis'),
          6, 'the six codes agreed with the matcher are analysis indicators');
SELECT ok((SELECT bool_and(name ~ '[一-龥]') FROM taxshare.indicator),
          'every starter indicator has a Chinese name');
SELECT is((SELECT count(*)::int FROM pg_extension x, unnest(x.extconfig) c
            WHERE x.extname = 'taxshare'
              AND c IN ('taxshare.indicator'::regclass, 'taxshare.blacklist'::regclass,
                        'taxshare.risk_param'::regclass, 'taxshare.risk_score'::regclass,
                        'taxshare.assessment_log'::regclass, 'taxshare.risk_grading'::regclass)),
          6, 'indicator, blacklist, risk_param, risk_score, assessment_log and risk_grading are kept by pg_dump');
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'taxshare'
              AND c.relname IN ('indicator', 'blacklist', 'blacklist_entity', 'risk_param', 'risk_score',
                                'risk_grading', 'response_kind', 'assessment_log', 'assessment_year', 'risk_list')
              AND obj_description(c.oid, 'pg_class') LIKE '%/%'),
          10, 'every risk table and view has a Chinese / English comment');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'taxshare'
              AND p.proname IN ('grade_risks', 'risk_param_problem', 'risk_param_check', 'risk_param_replace',
                                'indicator_replace', 'blacklist_normalize', 'risk_breakdown', 'risk_reason')
              AND obj_description(p.oid, 'pg_proc') LIKE '%/%'),
          8, 'every risk function has a Chinese / English comment');
SELECT fk_ok('taxshare', 'match_rule', 'indicator_code', 'taxshare', 'indicator', 'code',
             'every match rule''s indicator_code refers to an indicator');

-- ---------------------------------------------------------------------------
-- Fixtures: rules for the indicators used, test indicators, helpers
-- ---------------------------------------------------------------------------
INSERT INTO taxshare.indicator (code, name, name_en, kind, severity, social_impact, weight) VALUES
  ('TEST_W25', '测试权重2.5', 'test weight 2.5', 'analysis', 1, 1, 2.5),
  ('TEST_W3999', '测试39.99', 'test 39.99', 'analysis', 1, 1, 39.99),
  ('TEST_W40', '测试40', 'test 40', 'analysis', 1, 1, 40),
  ('TEST_W6999', '测试69.99', 'test 69.99', 'analysis', 1, 1, 69.99),
  ('TEST_W70', '测试70', 'test 70', 'analysis', 1, 1, 70);
-- match_rule checks its items against the catalog: two items of a test unit.
INSERT INTO taxshare.unit (code, name, kind) VALUES ('RISKTEST', '风险测试单位', 'department');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "风险测试 %s", "provider": "RISKTEST",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['RISKTEST-SRC', 'RISKTEST-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
SELECT 'TR_' || code, 'test rule ' || code, 'RISKTEST-SRC', 'RISKTEST-DST', 'party', 'missing', code
  FROM taxshare.indicator;
CREATE TEMP TABLE param0 AS SELECT name, value FROM taxshare.risk_param;

CREATE FUNCTION pg_temp.ent(n text, k text DEFAULT 'enterprise', idcard text DEFAULT NULL) RETURNS bigint
  LANGUAGE sql AS $$ INSERT INTO taxshare.entity (kind, name, idcard) VALUES (k, n, idcard) RETURNING id $$;
CREATE FUNCTION pg_temp.id(n text) RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT id FROM taxshare.entity WHERE name = n $$;
CREATE FUNCTION pg_temp.pt(n text, ind text, p date, amount numeric DEFAULT 0, st text DEFAULT 'new') RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved, status, reason)
  VALUES ('TR_' || ind, pg_temp.id(n), p, amount, st, CASE st WHEN 'excluded' THEN 'test: excluded' END) $$;
CREATE FUNCTION pg_temp.link(person text, enterprise text, r text) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO taxshare.party_link (person_id, enterprise_id, role) VALUES (pg_temp.id(person), pg_temp.id(enterprise), r) $$;
-- risk_list, not risk_score: the breakdown and the reason are rendered there
CREATE FUNCTION pg_temp.rs(n text, p date) RETURNS taxshare.risk_list
  LANGUAGE sql STABLE AS $$ SELECT * FROM taxshare.risk_list WHERE entity_id = pg_temp.id(n) AND period_start = p $$;
CREATE FUNCTION pg_temp.only_weight(f text) RETURNS void
  LANGUAGE sql AS $$
  UPDATE taxshare.risk_param SET value = CASE WHEN name = 'weight.' || f THEN 1 ELSE 0 END
   WHERE name LIKE 'weight.%' $$;
CREATE FUNCTION pg_temp.reset_params() RETURNS void
  LANGUAGE sql AS $$
  UPDATE taxshare.risk_param p SET value = o.value FROM param0 o WHERE o.name = p.name $$;

-- ---------------------------------------------------------------------------
-- 1. Default parameters: the worked example, responses, monitoring, rank
-- ---------------------------------------------------------------------------
SELECT pg_temp.ent(n) FROM unnest(ARRAY['R-worked', 'R-reminder', 'R-verify-amount', 'R-verify-ind',
                                         'R-monitor', 'R-audit', 'R-high-score', 'R-excluded', 'R-inactive']) n;
-- worked example: 2 points (A01, A03: severity 3, social 2), 1 million yuan:
-- 100 x (0.25 x 2/5 + 0.35 x 2/3 + 0.25 x 3/5 + 0.15 x 2/5) = 10 + 23.33 + 15 + 6 = 54.33
SELECT pg_temp.pt('R-worked', 'A01_PROPERTY_DEED_TAX', '2031-01-01', 400000);
SELECT pg_temp.pt('R-worked', 'A03_CONSTRUCTION_VAT', '2031-01-01', 600000);
SELECT pg_temp.pt('R-worked', 'A02_LAND_USE_TAX', '2031-01-01', 900000, 'excluded');
-- A09 (severity 2, social 1), 5 000 yuan: 5 + 0 + 10 + 3 = 18, low
SELECT pg_temp.pt('R-reminder', 'A09_VEHICLE_TAX', '2031-01-01', 5000);
-- A09, 150 000 yuan: amount log10(15)/3 = 0.39203 -> 13.72; 5 + 13.72 + 10 + 3 = 31.72
SELECT pg_temp.pt('R-verify-amount', 'A09_VEHICLE_TAX', '2031-01-01', 150000);
-- A04 (severity 2, social 2, asks for verification): 5 + 0 + 10 + 6 = 21
SELECT pg_temp.pt('R-verify-ind', 'A04_UNREGISTERED_TAXPAYER', '2031-01-01', 0);
-- M01 (monitoring, 5, 5, referral): 5 + 0 + 25 + 15 = 45, high by override
SELECT pg_temp.pt('R-monitor', 'M01_POLICE_CASE', '2031-01-01', 0);
-- M02 (monitoring, 5, 4): 5 + 0 + 25 + 12 = 42, high by override, audit
SELECT pg_temp.pt('R-audit', 'M02_INSPECTION_CASE', '2031-01-01', 0);
-- A11 (4, 3) + A05 (3, 3) + A06 (3, 3), 10 001 000 yuan: 15 + 35 + 20 + 9 = 79
SELECT pg_temp.pt('R-high-score', 'A11_EQUITY_TRANSFER_IIT', '2031-01-01', 5000000);
SELECT pg_temp.pt('R-high-score', 'A05_SOCIAL_INSURANCE_WITHHOLDING', '2031-01-01', 5000000);
SELECT pg_temp.pt('R-high-score', 'A06_GOVT_PAYMENT_INVOICE', '2031-01-01', 1000);
SELECT pg_temp.pt('R-excluded', 'A01_PROPERTY_DEED_TAX', '2031-01-01', 100, 'excluded');
UPDATE taxshare.match_rule SET active = false WHERE code = 'TR_A10_COURT_AUCTION_TAX';
SELECT pg_temp.pt('R-inactive', 'A10_COURT_AUCTION_TAX', '2031-01-01', 100);

SELECT results_eq($$SELECT entities, high, medium, low, raised, points FROM taxshare.grade_risks('2031-01-01')$$,
                  $$VALUES (7::bigint, 3::bigint, 1::bigint, 3::bigint, 0::bigint, 10::bigint)$$,
                  'grade_risks returns the counts: 7 entities, 3 high, 1 medium, 3 low, 10 points read');
SELECT is((pg_temp.rs('R-worked', '2031-01-01')).score, 54.33::float8, 'worked example scores 54.33');
SELECT is((pg_temp.rs('R-worked', '2031-01-01')).grade, 'medium', 'worked example is medium');
SELECT is((pg_temp.rs('R-worked', '2031-01-01')).points, 2, 'the excluded point is not counted');
SELECT is((pg_temp.rs('R-worked', '2031-01-01')).amount, 1000000.00, 'amount is the sum of the counted points');
SELECT is((pg_temp.rs('R-worked', '2031-01-01')).breakdown -> 'added',
          '{"points": 10, "amount": 23.33, "severity": 15, "social": 6}'::jsonb,
          'the breakdown says what each factor added');
SELECT is(jsonb_path_query_array((pg_temp.rs('R-worked', '2031-01-01')).breakdown, '$.points[*].indicator'),
          '["A03_CONSTRUCTION_VAT", "A01_PROPERTY_DEED_TAX"]'::jsonb,
          'the breakdown lists the points, largest amount first');
SELECT is((pg_temp.rs('R-worked', '2031-01-01')).response, 'assessment', 'medium: assessment');
SELECT is((pg_temp.rs('R-reminder', '2031-01-01')).score, 18::float8, 'A09 with 5 000 yuan scores 18');
SELECT is((pg_temp.rs('R-reminder', '2031-01-01')).response, 'reminder', 'low with a small amount: reminder');
SELECT is((pg_temp.rs('R-verify-amount', '2031-01-01')).score, 31.72::float8, 'A09 with 150 000 yuan scores 31.72');
SELECT is((pg_temp.rs('R-verify-amount', '2031-01-01')).response, 'verification',
          'low with at least response.verification_amount: verification');
SELECT is((pg_temp.rs('R-verify-ind', '2031-01-01')).response, 'verification',
          'low with an indicator that asks for verification: verification');
SELECT is((pg_temp.rs('R-monitor', '2031-01-01')).score, 45::float8, 'a lone M01 point scores 45');
SELECT is((pg_temp.rs('R-monitor', '2031-01-01')).grade, 'high', 'a monitoring indicator makes it high');
SELECT ok((pg_temp.rs('R-monitor', '2031-01-01')).monitoring
          AND ((pg_temp.rs('R-monitor', '2031-01-01')).breakdown -> 'override')::boolean,
          'monitoring flagged, override recorded in the breakdown');
SELECT is((pg_temp.rs('R-monitor', '2031-01-01')).breakdown -> 'monitoring', '["M01_POLICE_CASE"]'::jsonb,
          'the breakdown names the monitoring indicator');
SELECT is((pg_temp.rs('R-monitor', '2031-01-01')).response, 'referral', 'high with M01: referral');
SELECT is((pg_temp.rs('R-audit', '2031-01-01')).response, 'audit', 'high with M02: audit');
SELECT is((pg_temp.rs('R-high-score', '2031-01-01')).score, 79::float8, 'three points, 10 million yuan: 79');
SELECT is((pg_temp.rs('R-high-score', '2031-01-01')).grade, 'high', '79 is high on the score');
SELECT ok((pg_temp.rs('R-high-score', '2031-01-01')).breakdown -> 'override' IS NULL, 'no override recorded');
SELECT ok(pg_temp.rs('R-excluded', '2031-01-01') IS NULL, 'an entity with only excluded points is not graded');
SELECT ok(pg_temp.rs('R-inactive', '2031-01-01') IS NULL, 'points of an inactive rule are not graded');
SELECT is(ARRAY(SELECT e.name FROM taxshare.risk_score s JOIN taxshare.entity e ON e.id = s.entity_id
                 WHERE s.period_start = '2031-01-01' ORDER BY s.rank),
          ARRAY['R-high-score', 'R-monitor', 'R-audit', 'R-worked', 'R-verify-amount', 'R-verify-ind', 'R-reminder'],
          'rank: grade first, then score');
SELECT is(ARRAY(SELECT rank FROM taxshare.risk_score WHERE period_start = '2031-01-01' ORDER BY rank),
          ARRAY[1, 2, 3, 4, 5, 6, 7], 'ranks are 1..n without gaps');
SELECT results_eq($$SELECT name, grade::text, score, response FROM taxshare.risk_list
                     WHERE period_start = '2031-01-01' AND grade = 'high' ORDER BY rank LIMIT 2$$,
                  $$VALUES ('R-high-score'::text, 'high'::text, 79::float8, 'audit'::text),
                           ('R-monitor', 'high', 45, 'referral')$$,
                  'risk_list shows name, grade, score and response in rank order');
SELECT is((SELECT entities FROM taxshare.risk_grading WHERE period_start = '2031-01-01'), 7::bigint,
          'the run is recorded in risk_grading');
SELECT is((SELECT params ->> 'grade.high' FROM taxshare.risk_grading WHERE period_start = '2031-01-01'), '70',
          'with the parameters it used');
-- regrading replaces the period
SELECT pg_temp.pt('R-reminder', 'A08_ELECTRICITY_REVENUE', '2031-01-01', 5000);
SELECT lives_ok($$SELECT taxshare.grade_risks('2031-01-01')$$, 'regrading a period works');
SELECT is((SELECT count(*)::int FROM taxshare.risk_score WHERE period_start = '2031-01-01'), 7,
          'regrading replaces the period''s rows');
SELECT is((pg_temp.rs('R-reminder', '2031-01-01')).points, 2, 'and sees the new point');
UPDATE taxshare.indicator SET active = false WHERE code = 'M02_INSPECTION_CASE';
SELECT taxshare.grade_risks('2031-01-01');
SELECT ok(pg_temp.rs('R-audit', '2031-01-01') IS NULL, 'points of an inactive indicator are not graded');
UPDATE taxshare.indicator SET active = true WHERE code = 'M02_INSPECTION_CASE';

-- ---------------------------------------------------------------------------
-- 2. Each factor alone (the other weights 0)
-- ---------------------------------------------------------------------------
SELECT pg_temp.ent(n) FROM unnest(ARRAY['F-points-2', 'F-points-w', 'F-points-6', 'F-amount-floor',
                                         'F-amount-100k', 'F-amount-1m', 'F-amount-full', 'F-sev-4',
                                         'F-sev-2', 'F-social-3', 'F-social-1']) n;
SELECT pg_temp.only_weight('points');
SELECT pg_temp.pt('F-points-2', c, '2031-02-01') FROM unnest(ARRAY['A01_PROPERTY_DEED_TAX', 'A02_LAND_USE_TAX']) c;
SELECT pg_temp.pt('F-points-w', 'TEST_W25', '2031-02-01');
SELECT pg_temp.pt('F-points-6', c, '2031-02-01')
  FROM unnest(ARRAY['A01_PROPERTY_DEED_TAX', 'A02_LAND_USE_TAX', 'A03_CONSTRUCTION_VAT',
                    'A05_SOCIAL_INSURANCE_WITHHOLDING', 'A06_GOVT_PAYMENT_INVOICE', 'A08_ELECTRICITY_REVENUE']) c;
SELECT taxshare.grade_risks('2031-02-01');
SELECT is((pg_temp.rs('F-points-2', '2031-02-01')).score, 40::float8, 'points: 2 of 5 = 40');
SELECT is((pg_temp.rs('F-points-w', '2031-02-01')).score, 50::float8, 'points: one point of weight 2.5 = 50');
SELECT is((pg_temp.rs('F-points-w', '2031-02-01')).breakdown -> 'points_weighted', '2.5'::jsonb,
          'the weighted count is in the breakdown');
SELECT is((pg_temp.rs('F-points-6', '2031-02-01')).score, 100::float8, 'points: 6 saturate at 100');

SELECT pg_temp.only_weight('amount');
SELECT pg_temp.pt('F-amount-floor', 'A01_PROPERTY_DEED_TAX', '2031-03-01', 10000);
SELECT pg_temp.pt('F-amount-100k', 'A01_PROPERTY_DEED_TAX', '2031-03-01', 100000);
SELECT pg_temp.pt('F-amount-1m', 'A01_PROPERTY_DEED_TAX', '2031-03-01', 1000000);
SELECT pg_temp.pt('F-amount-full', 'A01_PROPERTY_DEED_TAX', '2031-03-01', 20000000);
SELECT taxshare.grade_risks('2031-03-01');
SELECT is((pg_temp.rs('F-amount-floor', '2031-03-01')).score, 0::float8, 'amount: 10 000 (the floor) = 0');
SELECT is((pg_temp.rs('F-amount-floor', '2031-03-01')).grade, 'low', 'a point scoring 0 is still low');
SELECT is((pg_temp.rs('F-amount-100k', '2031-03-01')).score, 33.33::float8, 'amount: 100 000 = 33.33');
SELECT is((pg_temp.rs('F-amount-1m', '2031-03-01')).score, 66.67::float8, 'amount: 1 million = 66.67');
SELECT is((pg_temp.rs('F-amount-full', '2031-03-01')).score, 100::float8, 'amount: 20 million = 100');

SELECT pg_temp.only_weight('severity');
SELECT pg_temp.pt('F-sev-4', 'A11_EQUITY_TRANSFER_IIT', '2031-04-01');
SELECT pg_temp.pt('F-sev-4', 'A09_VEHICLE_TAX', '2031-04-01');
SELECT pg_temp.pt('F-sev-2', 'A09_VEHICLE_TAX', '2031-04-01');
SELECT taxshare.grade_risks('2031-04-01');
SELECT is((pg_temp.rs('F-sev-4', '2031-04-01')).score, 80::float8, 'severity: the worst point (4 of 5) = 80');
SELECT is((pg_temp.rs('F-sev-4', '2031-04-01')).severity, 4::smallint, 'severity column holds the worst');
SELECT is((pg_temp.rs('F-sev-2', '2031-04-01')).score, 40::float8, 'severity: 2 of 5 = 40');

SELECT pg_temp.only_weight('social');
SELECT pg_temp.pt('F-social-3', 'A05_SOCIAL_INSURANCE_WITHHOLDING', '2031-05-01');
SELECT pg_temp.pt('F-social-1', 'A09_VEHICLE_TAX', '2031-05-01');
SELECT taxshare.grade_risks('2031-05-01');
SELECT is((pg_temp.rs('F-social-3', '2031-05-01')).score, 60::float8, 'social influence: 3 of 5 = 60');
SELECT is((pg_temp.rs('F-social-1', '2031-05-01')).score, 20::float8, 'social influence: 1 of 5 = 20');

-- ---------------------------------------------------------------------------
-- 3. Grade boundaries (points only, points.full 100: score = indicator weight)
-- ---------------------------------------------------------------------------
SELECT pg_temp.only_weight('points');
UPDATE taxshare.risk_param SET value = 100 WHERE name = 'points.full';
SELECT pg_temp.ent(n) FROM unnest(ARRAY['B-3999', 'B-40', 'B-6999', 'B-70']) n;
SELECT pg_temp.pt('B-3999', 'TEST_W3999', '2031-06-01');
SELECT pg_temp.pt('B-40', 'TEST_W40', '2031-06-01');
SELECT pg_temp.pt('B-6999', 'TEST_W6999', '2031-06-01');
SELECT pg_temp.pt('B-70', 'TEST_W70', '2031-06-01');
SELECT taxshare.grade_risks('2031-06-01');
SELECT is((pg_temp.rs('B-3999', '2031-06-01')).grade, 'low', '39.99 is low');
SELECT is((pg_temp.rs('B-40', '2031-06-01')).grade, 'medium', '40 is medium (threshold included)');
SELECT is((pg_temp.rs('B-6999', '2031-06-01')).grade, 'medium', '69.99 is medium');
SELECT is((pg_temp.rs('B-70', '2031-06-01')).grade, 'high', '70 is high');
UPDATE taxshare.risk_param SET value = CASE name WHEN 'grade.medium' THEN 50 ELSE 60 END
 WHERE name IN ('grade.medium', 'grade.high');
SELECT taxshare.grade_risks('2031-06-01');
SELECT is(ARRAY(SELECT grade::text FROM taxshare.risk_score s JOIN taxshare.entity e ON e.id = s.entity_id
                 WHERE s.period_start = '2031-06-01' ORDER BY e.name),
          ARRAY['low', 'low', 'high', 'high'],
          'tuned thresholds (medium 50, high 60): 39.99 low, 40 low, 69.99 high, 70 high');
SELECT pg_temp.reset_params();

-- ---------------------------------------------------------------------------
-- 4. Propagation along party_link, both ways, decaying, capped at one grade
-- ---------------------------------------------------------------------------
SELECT pg_temp.ent(n) FROM unnest(ARRAY['E-src', 'E-black', 'E-nopoints', 'E-low', 'E-low2', 'E-hop2',
                                         'E-m07', 'E-m07-nopoints']) n;
SELECT pg_temp.ent(n, 'person') FROM unnest(ARRAY['P-nopoints', 'P-investor', 'P-low', 'P-medium', 'P-low2', 'P-src']) n;
SELECT pg_temp.ent('P-black', 'person', '430402198001011002');
-- E-src: M01 alone, 45, high by override: passes on max(45, 70) = 70
SELECT pg_temp.pt('E-src', 'M01_POLICE_CASE', '2031-07-01');
SELECT pg_temp.link('P-nopoints', 'E-src', 'legal_rep');     -- 70 x 0.7 x 1.0 = 49
SELECT pg_temp.link('P-investor', 'E-src', 'investor');      -- 70 x 0.7 x 0.6 = 29.4
SELECT pg_temp.link('P-low', 'E-src', 'legal_rep');          -- 49 over its own 18
SELECT pg_temp.pt('P-low', 'A09_VEHICLE_TAX', '2031-07-01', 5000);
-- E-black: blacklisted, no points: passes on 100
INSERT INTO taxshare.blacklist (kind, entity_id, reason, listed_on, source)
VALUES ('enterprise', pg_temp.id('E-black'), 'test listing', '2030-01-01', 'test');
SELECT pg_temp.link('P-medium', 'E-black', 'legal_rep');     -- 100 x 0.7 = 70 over its own 54.33
SELECT pg_temp.pt('P-medium', 'A01_PROPERTY_DEED_TAX', '2031-07-01', 400000);
SELECT pg_temp.pt('P-medium', 'A03_CONSTRUCTION_VAT', '2031-07-01', 600000);
SELECT pg_temp.link('P-low2', 'E-black', 'legal_rep');       -- 70 over its own 18: capped at medium
SELECT pg_temp.pt('P-low2', 'A09_VEHICLE_TAX', '2031-07-01', 5000);
-- P-src: M13 (monitoring, 4, 4) alone: 5 + 0 + 20 + 12 = 37, high: passes on 70
SELECT pg_temp.pt('P-src', 'M13_IDENTITY_FRAUD', '2031-07-01');
SELECT pg_temp.link('P-src', 'E-nopoints', 'legal_rep');     -- 49, no points: low, capped
SELECT pg_temp.link('P-src', 'E-low', 'tax_handler');        -- 70 x 0.7 x 0.8 = 39.2 over 18
SELECT pg_temp.pt('E-low', 'A09_VEHICLE_TAX', '2031-07-01', 5000);
-- P-black: blacklisted by resident ID (no entity_id), no points
INSERT INTO taxshare.blacklist (kind, idcard, reason, listed_on, source)
VALUES ('person', '430402198001011002', 'test listing by ID', '2030-01-01', 'test');
SELECT pg_temp.link('P-black', 'E-low2', 'investor');        -- 100 x 0.7 x 0.6 = 42 over 18: medium
SELECT pg_temp.pt('E-low2', 'A09_VEHICLE_TAX', '2031-07-01', 5000);
-- a blacklisted finance head of an enterprise with points: M07, a monitoring
-- hit (A09 with M07's severity 4 and social influence 3: 5 + 0 + 20 + 9 = 34,
-- high), and the propagated 100 x 0.7 x 0.8 = 56 on top; it then passes
-- max(34, 70) x 0.7 x 0.8 = 39.2 back to P-black, who has no points
SELECT pg_temp.link('P-black', 'E-m07', 'finance_head');
SELECT pg_temp.pt('E-m07', 'A09_VEHICLE_TAX', '2031-07-01', 5000);
-- a blacklisted legal representative of an enterprise without points: 70, capped low
SELECT pg_temp.link('P-black', 'E-m07-nopoints', 'legal_rep');
-- second hop: E-src -> P-nopoints (49) -> E-hop2: 49 x 0.7 = 34.3
SELECT pg_temp.link('P-nopoints', 'E-hop2', 'legal_rep');

SELECT results_eq($$SELECT raised FROM taxshare.grade_risks('2031-07-01')$$,
                  $$VALUES (12::bigint)$$, 'twelve entities raised by propagation');
SELECT is((pg_temp.rs('P-nopoints', '2031-07-01')).grade, 'low',
          'enterprise -> person: a person without points is lifted one grade only, to low');
SELECT is((pg_temp.rs('P-nopoints', '2031-07-01')).score, 39.99::float8, 'its 49 held at 39.99');
SELECT ok(((pg_temp.rs('P-nopoints', '2031-07-01')).breakdown #>> '{propagation,capped}')::boolean
          AND (pg_temp.rs('P-nopoints', '2031-07-01')).propagated, 'capped and marked propagated');
SELECT is((pg_temp.rs('P-nopoints', '2031-07-01')).breakdown #>> '{propagation,origin}',
          pg_temp.id('E-src')::text, 'the breakdown names the source');
SELECT is((pg_temp.rs('P-nopoints', '2031-07-01')).response, 'verification',
          'listed through a link only: verification');
SELECT is((pg_temp.rs('P-investor', '2031-07-01')).score, 29.4::float8, 'an investor link passes less: 29.4');
SELECT is((pg_temp.rs('P-low', '2031-07-01')).grade, 'medium', 'enterprise -> person: low 18 lifted to medium');
SELECT is((pg_temp.rs('P-low', '2031-07-01')).score, 49::float8, 'with the propagated 49');
SELECT is((pg_temp.rs('P-low', '2031-07-01')).own_score, 18::float8, 'own score kept beside it');
SELECT is((pg_temp.rs('P-medium', '2031-07-01')).grade, 'high', 'blacklisted enterprise -> person: medium to high');
SELECT is((pg_temp.rs('P-medium', '2031-07-01')).score, 70::float8, 'score 70');
SELECT is((pg_temp.rs('P-low2', '2031-07-01')).grade, 'medium', 'a low person never jumps to high by propagation');
SELECT is((pg_temp.rs('P-low2', '2031-07-01')).score, 69.99::float8, 'held at 69.99');
SELECT is((pg_temp.rs('E-nopoints', '2031-07-01')).grade, 'low', 'person -> enterprise: high person lifts its enterprise');
SELECT is((pg_temp.rs('E-nopoints', '2031-07-01')).score, 39.99::float8, 'to low, capped');
SELECT is((pg_temp.rs('E-low', '2031-07-01')).score, 39.2::float8, 'a tax handler link passes 70 x 0.7 x 0.8 = 39.2');
SELECT is((pg_temp.rs('E-low2', '2031-07-01')).grade, 'medium', 'blacklisted person (by ID) -> enterprise: low to medium');
SELECT is((pg_temp.rs('E-low2', '2031-07-01')).score, 42::float8, 'an investor link passes 100 x 0.7 x 0.6 = 42');
SELECT is((pg_temp.rs('E-m07', '2031-07-01')).grade, 'high', 'a blacklisted finance head of an enterprise with points: high (M07)');
SELECT is((pg_temp.rs('E-m07', '2031-07-01')).own_score, 34::float8, 'its own score takes M07''s severity and social influence');
SELECT is((pg_temp.rs('E-m07', '2031-07-01')).breakdown -> 'monitoring', '["M07_BLACKLIST_KEY_ROLE"]'::jsonb,
          'the breakdown names M07');
SELECT is((pg_temp.rs('E-m07', '2031-07-01')).breakdown ->> 'blacklisted_key_person', pg_temp.id('P-black')::text,
          'and the blacklisted person');
SELECT is((pg_temp.rs('E-m07-nopoints', '2031-07-01')).grade, 'low',
          'without points of its own the blacklist only propagates: low');
SELECT is((pg_temp.rs('E-m07-nopoints', '2031-07-01')).score, 39.99::float8, 'capped at 39.99');
SELECT is((pg_temp.rs('E-hop2', '2031-07-01')).score, 34.3::float8, 'two links: 70 x 0.7 x 0.7 = 34.3');
SELECT is((pg_temp.rs('E-hop2', '2031-07-01')).breakdown -> 'propagation' ->> 'hops', '2', 'two hops recorded');
SELECT is((pg_temp.rs('E-hop2', '2031-07-01')).breakdown -> 'propagation' ->> 'via',
          pg_temp.id('P-nopoints')::text, 'via the person in between');
SELECT is((pg_temp.rs('P-black', '2031-07-01')).score, 39.2::float8,
          'a blacklisted person without points is listed only through a high enterprise (E-m07: 39.2)');
SELECT ok((pg_temp.rs('P-black', '2031-07-01')).blacklisted, 'and marked blacklisted');
SELECT is((pg_temp.rs('E-src', '2031-07-01')).score, 45::float8, 'a source is not raised by its own risk coming back');
UPDATE taxshare.risk_param SET value = 1 WHERE name = 'propagation.hops';
SELECT taxshare.grade_risks('2031-07-01');
SELECT ok(pg_temp.rs('E-hop2', '2031-07-01') IS NULL, 'propagation.hops 1: the second hop is gone');
UPDATE taxshare.risk_param SET value = 0 WHERE name = 'propagation.decay';
SELECT taxshare.grade_risks('2031-07-01');
SELECT is((SELECT count(*)::int FROM taxshare.risk_score WHERE period_start = '2031-07-01' AND propagated), 0,
          'propagation.decay 0 turns propagation off');
SELECT pg_temp.reset_params();
UPDATE taxshare.blacklist SET delisted_on = '2031-06-15' WHERE entity_id = pg_temp.id('E-black');
SELECT taxshare.grade_risks('2031-07-01');
SELECT is((pg_temp.rs('P-medium', '2031-07-01')).grade, 'medium', 'delisted before the period: no longer raises');
SELECT ok(NOT (pg_temp.rs('E-low2', '2031-07-01')).blacklisted, 'the enterprise itself is not blacklisted');

-- ---------------------------------------------------------------------------
-- 5. No taxpayer is assessed twice in a calendar year (seeds/000 art. 20 (四))
-- ---------------------------------------------------------------------------
SELECT pg_temp.ent(n) FROM unnest(ARRAY['Y-X', 'Y-logged', 'Y-prev']) n;
SELECT pg_temp.pt(n, 'A01_PROPERTY_DEED_TAX', p, 400000), pg_temp.pt(n, 'A03_CONSTRUCTION_VAT', p, 600000)
  FROM unnest(ARRAY['Y-X', 'Y-logged', 'Y-prev']) n, unnest(ARRAY['2032-01-01', '2032-02-01']::date[]) p;
INSERT INTO taxshare.assessment_log (entity_id, assessed_on, note) VALUES
  (pg_temp.id('Y-logged'), '2032-05-20', 'assessed by the district bureau'),
  (pg_temp.id('Y-prev'), '2031-12-15', 'last year');
SELECT taxshare.grade_risks('2032-01-01');
SELECT taxshare.grade_risks('2032-02-01');
SELECT is((pg_temp.rs('Y-X', '2032-01-01')).response, 'assessment', 'first medium of the year: assessment');
SELECT is((pg_temp.rs('Y-X', '2032-02-01')).response, 'verification', 'second medium of the year: verification');
SELECT ok((pg_temp.rs('Y-X', '2032-02-01')).response_reason LIKE '%already assessed this year (2032-01-01)%',
          'with the reason recorded');
SELECT is((pg_temp.rs('Y-X', '2032-02-01')).breakdown ->> 'assessed_this_year', '2032-01-01',
          'and the earlier assessment in the breakdown');
SELECT is((pg_temp.rs('Y-logged', '2032-01-01')).response, 'verification',
          'an assessment recorded in assessment_log counts for the whole year');
SELECT is((pg_temp.rs('Y-prev', '2032-01-01')).response, 'assessment', 'an assessment last year does not count');
SELECT taxshare.grade_risks('2032-01-01');
SELECT is((pg_temp.rs('Y-X', '2032-01-01')).response, 'assessment',
          'regrading the first period keeps its assessment (only earlier periods count)');
SET LOCAL taxshare.language = zh;
SELECT taxshare.grade_risks('2032-02-01');
SELECT ok((pg_temp.rs('Y-X', '2032-02-01')).response_reason LIKE '%同一年度内不得多次评估%',
          'the reason in Chinese under taxshare.language = zh');
SET LOCAL taxshare.language = en;

-- ---------------------------------------------------------------------------
-- 6. Configuration tables and errors
-- ---------------------------------------------------------------------------
INSERT INTO taxshare.indicator (code, name, name_en, kind, severity, social_impact, weight)
VALUES ('A01_PROPERTY_DEED_TAX', '不动产交易未缴契税', 'property sold, deed tax not paid', 'analysis', 3, 2, 1.5);
SELECT is((SELECT weight FROM taxshare.indicator WHERE code = 'A01_PROPERTY_DEED_TAX'), 1.5::float8,
          'inserting an existing indicator code updates it (how a dump restores tuned weights)');
INSERT INTO taxshare.risk_param (name, value, description) VALUES ('grade.high', 75, 'tuned');
SELECT is((SELECT value FROM taxshare.risk_param WHERE name = 'grade.high'), 75::float8,
          'inserting an existing parameter updates it');
SELECT is(taxshare.risk_param_problem(), NULL, 'the parameters are consistent');
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 80 WHERE name = 'grade.medium'$$, '22023', NULL,
                 'medium above high is refused');
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 1.5 WHERE name = 'propagation.hops'$$, '22023', NULL,
                 'a fractional hop count is refused');
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 1.2 WHERE name = 'propagation.decay'$$, '22023', NULL,
                 'a decay above 1 is refused');
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 0 WHERE name LIKE 'weight.%'$$, '22023', NULL,
                 'all weights 0 is refused');
SELECT throws_ok($$INSERT INTO taxshare.risk_param (name, value, description) VALUES ('weight.luck', 1, 'x')$$,
                 '23514', NULL, 'an unknown parameter is refused');
SELECT throws_ok($$SELECT taxshare.grade_risks('infinity')$$, '22023', NULL, 'an infinite period is refused');
SELECT throws_ok($$INSERT INTO taxshare.blacklist (kind, entity_id, reason, listed_on, source)
                   VALUES ('enterprise', pg_temp.id('P-src'), 'x', '2031-01-01', 'x')$$,
                 '22023', NULL, 'a blacklist entry of the wrong kind for its entity is refused');
SELECT throws_ok($$INSERT INTO taxshare.blacklist (kind, reason, listed_on, source)
                   VALUES ('person', 'x', '2031-01-01', 'x')$$,
                 '23514', NULL, 'a blacklist entry naming no one is refused');
SELECT throws_ok($$INSERT INTO taxshare.indicator (code, name, name_en, kind, severity, social_impact)
                   VALUES ('bad code', 'x', 'x', 'analysis', 1, 1)$$,
                 '23514', NULL, 'an indicator code must be upper-case letters, digits and _');
SELECT throws_ok($$INSERT INTO taxshare.indicator (code, name, name_en, kind, severity, social_impact)
                   VALUES ('A99_X', 'x', 'x', 'analysis', 6, 1)$$,
                 '23514', NULL, 'severity is 1..5');
SELECT throws_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
                   VALUES ('TR_NOPE', 'x', 'RISKTEST-SRC', 'RISKTEST-DST', 'party', 'missing', 'NO_SUCH_INDICATOR')$$,
                 '23503', NULL, 'a match rule must name an existing indicator');

-- ---------------------------------------------------------------------------
-- Storage: the breakdown and the reason are stored compactly and rendered
-- when read; the SQL write path (taken when row-level security applies to
-- the grader) writes the very rows of the bulk path
-- ---------------------------------------------------------------------------
SELECT ok((SELECT sum(octet_length(detail)) * 3 < sum(octet_length(taxshare.risk_breakdown(detail)::text))
             FROM taxshare.risk_score WHERE period_start = '2031-07-01'),
          'the stored breakdown takes under a third of its rendered jsonb');
SELECT throws_ok($$SELECT taxshare.risk_breakdown('\x0200'::bytea)$$, 'XX001', NULL,
                 'a breakdown in an unknown format is refused');
SELECT throws_ok($$SELECT taxshare.risk_breakdown('\x0102ff'::bytea)$$, 'XX001', NULL,
                 'a damaged breakdown is refused');
SET LOCAL taxshare.language = zh;
SELECT is((pg_temp.rs('R-worked', '2031-01-01')).response_reason, '中风险: 纳税评估',
          'the reason is rendered in the reader''s language');
SET LOCAL taxshare.language = en;
SELECT taxshare.grade_risks('2031-07-01');
CREATE TEMP TABLE rs_bulk AS
  SELECT entity_id, score, grade, rank, points, amount, own_score, own_grade, severity, social_impact,
         monitoring, blacklisted, propagated, response, reason_code, detail
    FROM taxshare.risk_score WHERE period_start = '2031-07-01';
SET LOCAL ROLE taxshare_analyst;
SELECT taxshare.grade_risks('2031-07-01');
RESET ROLE;
SELECT cmp_ok((SELECT count(*)::int FROM rs_bulk), '>', 5, 'a period with propagation and M07 to compare');
SELECT set_eq($$SELECT entity_id, score, grade, rank, points, amount, own_score, own_grade, severity, social_impact,
                       monitoring, blacklisted, propagated, response, reason_code, detail
                  FROM taxshare.risk_score WHERE period_start = '2031-07-01'$$,
              $$SELECT * FROM rs_bulk$$,
              'graded by an analyst (SQL path), the period has the very rows of the bulk path');

-- ---------------------------------------------------------------------------
-- Amounts are read from the stored numeric (src/common/numeric_cents.c): every form
-- of numeric(18,2) sums to the cent; NaN raises what (NaN * 100)::int8 does
-- ---------------------------------------------------------------------------
SELECT pg_temp.ent(n) FROM unnest(ARRAY['AM-small', 'AM-max', 'AM-null', 'AM-neg', 'AM-nan']) n;
SELECT pg_temp.pt('AM-small', 'A01_PROPERTY_DEED_TAX', '2033-01-01', 0.01),
       pg_temp.pt('AM-small', 'A02_LAND_USE_TAX', '2033-01-01', 1234.50),
       pg_temp.pt('AM-small', 'A03_CONSTRUCTION_VAT', '2033-01-01', 30000.7),
       pg_temp.pt('AM-max', 'A01_PROPERTY_DEED_TAX', '2033-01-01', 9999999999999999.99),
       pg_temp.pt('AM-null', 'A01_PROPERTY_DEED_TAX', '2033-01-01', NULL),
       pg_temp.pt('AM-neg', 'A01_PROPERTY_DEED_TAX', '2033-01-01', -5.25),
       pg_temp.pt('AM-neg', 'A02_LAND_USE_TAX', '2033-01-01', 10000);
SELECT taxshare.grade_risks('2033-01-01');
SELECT results_eq($$SELECT (pg_temp.rs(n, '2033-01-01')).amount FROM unnest(ARRAY['AM-small', 'AM-max', 'AM-null', 'AM-neg']) n$$,
                  $$VALUES (31235.21::numeric), (9999999999999999.99), (0.00), (9994.75)$$,
                  'amounts are summed to the cent: small, the largest numeric(18,2), NULL, negative');
SELECT is((pg_temp.rs('AM-small', '2033-01-01')).breakdown #>> '{points,0,amount}', '30000.70',
          'and each point keeps its own amount in the breakdown');
SELECT pg_temp.pt('AM-nan', 'A01_PROPERTY_DEED_TAX', '2033-02-01', 'NaN');
SELECT throws_ok($$SELECT taxshare.grade_risks('2033-02-01')$$, '0A000', NULL,
                 'a NaN amount is refused as (NaN * 100)::int8 refuses it');

-- ---------------------------------------------------------------------------
-- 7. The indexes hold every row (src/risk/risk_list_index.c writes the list index
--    after the rows, in key order; amcheck reads every heap row back from
--    each index), for the latest period, a regraded earlier one, and beside
--    an index of the DBA's own, which the bulk writer writes row by row
-- ---------------------------------------------------------------------------
CREATE EXTENSION amcheck;
CREATE INDEX risk_score_dba ON taxshare.risk_score (period_start, rank);
SELECT taxshare.grade_risks('2032-02-01');
SELECT taxshare.grade_risks('2031-01-01');
SELECT lives_ok($$SELECT bt_index_check('taxshare.risk_score_list', true)$$,
                'the list index holds every row of the periods graded by the bulk path');
SELECT lives_ok($$SELECT bt_index_check('taxshare.risk_score_pkey', true)$$,
                'and so does the primary key');
SELECT lives_ok($$SELECT bt_index_check('taxshare.risk_score_dba', true)$$,
                'and an index of the DBA''s own');
CREATE TEMP TABLE by_seqscan AS
  SELECT entity_id, grade, rank FROM taxshare.risk_score WHERE period_start = '2031-01-01';
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT results_eq($$SELECT entity_id, grade, rank FROM taxshare.risk_score
                     WHERE period_start = '2031-01-01' ORDER BY grade, rank$$,
                  $$SELECT * FROM by_seqscan ORDER BY grade, rank$$,
                  'an index scan of the list index finds the regraded period''s rows in order');
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT cmp_ok((SELECT count(*)::int FROM by_seqscan), '>', 3, 'of which there are several');
DROP INDEX taxshare.risk_score_dba;

SELECT * FROM finish();
ROLLBACK;
