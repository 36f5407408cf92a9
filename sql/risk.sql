-- Risk grading: indicators, grade_risks(), responses and the risk list
-- (control/install/80_indicator.sql .. 86_risk_list.sql).  Everything here
-- uses its own unit, catalog items, rules, entities (names RG-...) and the
-- periods of 2030, so other files' data do not show.
SET client_min_messages = warning;
SET taxshare.language = en;
SET datestyle = 'ISO, YMD';
SET extra_float_digits = 0;

-- The starter set
SELECT kind, count(*) FROM taxshare.indicator GROUP BY kind ORDER BY kind;
SELECT code, name, severity, social_impact, response
  FROM taxshare.indicator WHERE code IN ('M01_POLICE_CASE', 'M02_INSPECTION_CASE', 'M03_ABNORMAL_TAXPAYER',
                                         'M04_ABSCONDED', 'M05_INVOICE_FRAUD', 'A01_PROPERTY_DEED_TAX',
                                         'A07_LOSS_INVESTOR_PROPERTY')
 ORDER BY code;
SELECT name, value FROM taxshare.risk_param WHERE name LIKE 'weight.%' OR name LIKE 'grade.%' ORDER BY name;

-- Fixtures: a unit with two catalog items, one rule per indicator used
INSERT INTO taxshare.unit (code, name, kind) VALUES ('RGTEST', '风险评级测试单位', 'department');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "风险评级测试 %s", "provider": "RGTEST",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['RG-SRC', 'RG-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
SELECT 'RG_' || code, 'risk test ' || code, 'RG-SRC', 'RG-DST', 'party', 'missing', code
  FROM taxshare.indicator
 WHERE code IN ('M01_POLICE_CASE', 'M13_IDENTITY_FRAUD', 'A01_PROPERTY_DEED_TAX', 'A03_CONSTRUCTION_VAT',
                'A04_UNREGISTERED_TAXPAYER', 'A05_SOCIAL_INSURANCE_WITHHOLDING', 'A09_VEHICLE_TAX',
                'A11_EQUITY_TRANSFER_IIT');

CREATE TEMP TABLE rg (name text PRIMARY KEY, id bigint);
WITH e AS (
  INSERT INTO taxshare.entity (kind, name)
  SELECT CASE WHEN n LIKE 'RG-P-%' THEN 'person' ELSE 'enterprise' END, n
    FROM unnest(ARRAY['RG-E-Huaxiang', 'RG-E-Jinshi', 'RG-E-Police', 'RG-E-Small', 'RG-E-Shell',
                      'RG-P-Zhang', 'RG-P-Li', 'RG-P-Wang']) n
  RETURNING name, id)
INSERT INTO rg SELECT name, id FROM e;

CREATE FUNCTION pg_temp.pt(n text, ind text, p date, amount numeric) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
  SELECT 'RG_' || ind, id, p, amount FROM rg WHERE name = n $$;

-- March 2030.  Huaxiang: the worked example of docs/risk.md (two points, one
-- million yuan).  Jinshi: three points, ten million.  Police: a police case
-- (monitoring).  Small: a vehicle-tax point.  Shell: an unregistered business.
SELECT pg_temp.pt('RG-E-Huaxiang', 'A01_PROPERTY_DEED_TAX', '2030-03-01', 400000),
       pg_temp.pt('RG-E-Huaxiang', 'A03_CONSTRUCTION_VAT', '2030-03-01', 600000),
       pg_temp.pt('RG-E-Jinshi', 'A11_EQUITY_TRANSFER_IIT', '2030-03-01', 6000000),
       pg_temp.pt('RG-E-Jinshi', 'A05_SOCIAL_INSURANCE_WITHHOLDING', '2030-03-01', 3000000),
       pg_temp.pt('RG-E-Jinshi', 'A01_PROPERTY_DEED_TAX', '2030-03-01', 1000000),
       pg_temp.pt('RG-E-Police', 'M01_POLICE_CASE', '2030-03-01', 0),
       pg_temp.pt('RG-E-Small', 'A09_VEHICLE_TAX', '2030-03-01', 3200),
       pg_temp.pt('RG-E-Shell', 'A04_UNREGISTERED_TAXPAYER', '2030-03-01', 0),
       pg_temp.pt('RG-P-Wang', 'A09_VEHICLE_TAX', '2030-03-01', 8000);
-- Zhang is the legal representative of Police; Li invests in it; Wang is the
-- finance head of Shell and the tax handler of Police.
INSERT INTO taxshare.party_link (person_id, enterprise_id, role)
SELECT p.id, e.id, r
  FROM (VALUES ('RG-P-Zhang', 'RG-E-Police', 'legal_rep'), ('RG-P-Li', 'RG-E-Police', 'investor'),
               ('RG-P-Wang', 'RG-E-Shell', 'finance_head'), ('RG-P-Wang', 'RG-E-Police', 'tax_handler')) v(pn, en, r)
  JOIN rg p ON p.name = v.pn JOIN rg e ON e.name = v.en;

SELECT * FROM taxshare.grade_risks('2030-03-01');
SELECT rank, name, grade, score, own_score, points, amount, response, propagated
  FROM taxshare.risk_list WHERE period_start = '2030-03-01' ORDER BY rank;
SELECT name, response_reason FROM taxshare.risk_list WHERE period_start = '2030-03-01' ORDER BY rank;
-- why Huaxiang scores 54.33, and why Zhang is on the list
-- (the points' ids depend on the other files, hence not shown)
SELECT jsonb_pretty(breakdown #- '{points,0,id}' #- '{points,1,id}')
  FROM taxshare.risk_list WHERE period_start = '2030-03-01' AND name = 'RG-E-Huaxiang';
SELECT breakdown #>> '{propagation,value}' AS propagated, breakdown #>> '{propagation,role}' AS role,
       breakdown #>> '{propagation,capped}' AS capped,
       (SELECT name FROM rg WHERE id = (breakdown #>> '{propagation,origin}')::bigint) AS origin
  FROM taxshare.risk_list WHERE period_start = '2030-03-01' AND name = 'RG-P-Zhang';

-- The top of one grade, as BI reads it
SELECT rank, name, score, response FROM taxshare.risk_list
 WHERE period_start = '2030-03-01' AND grade = 'low' ORDER BY rank LIMIT 3;

-- April: Huaxiang is medium again, but was assessed in March: verification.
SELECT pg_temp.pt('RG-E-Huaxiang', 'A01_PROPERTY_DEED_TAX', '2030-04-01', 500000),
       pg_temp.pt('RG-E-Huaxiang', 'A03_CONSTRUCTION_VAT', '2030-04-01', 700000);
SELECT entities, medium FROM taxshare.grade_risks('2030-04-01');
SELECT name, grade, response, response_reason, breakdown ->> 'assessed_this_year' AS assessed
  FROM taxshare.risk_list WHERE period_start = '2030-04-01';
SET taxshare.language = zh;
SELECT taxshare.grade_risks('2030-04-01') IS NOT NULL AS regraded;
SELECT response_reason FROM taxshare.risk_list WHERE period_start = '2030-04-01';
SET taxshare.language = en;

-- Tuning: a lower high threshold makes Huaxiang high in April
UPDATE taxshare.risk_param SET value = 50 WHERE name = 'grade.high';
SELECT entities, high, medium FROM taxshare.grade_risks('2030-04-01');
UPDATE taxshare.risk_param SET value = 70 WHERE name = 'grade.high';
SELECT period_start, entities, high, medium, low, raised, points, params ->> 'grade.high' AS high_from
  FROM taxshare.risk_grading WHERE period_start IN ('2030-03-01', '2030-04-01') ORDER BY period_start;

-- Errors
\set VERBOSITY default
UPDATE taxshare.risk_param SET value = 90 WHERE name = 'grade.medium';
SELECT taxshare.grade_risks('-infinity');
\set VERBOSITY terse
INSERT INTO taxshare.risk_param (name, value, description) VALUES ('weight.luck', 1, 'not a parameter');
