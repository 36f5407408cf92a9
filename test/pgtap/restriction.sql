-- pgTAP: restrictions (control/install/87_restriction.sql): issue on a
-- monitoring point or an authorised decision, lift, history, the current
-- view, the checks of the basis and of who may issue and lift.
BEGIN;
SELECT plan(39);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;
SET LOCAL TimeZone = 'UTC';

SELECT has_table('taxshare', 'restriction', 'table restriction exists');
SELECT has_view('taxshare', 'restriction_current', 'view restriction_current exists');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'taxshare' AND p.proname LIKE '%restriction%'
              AND obj_description(p.oid, 'pg_proc') LIKE '%/%'), 4,
          'every restriction function has a Chinese / English comment');

-- Fixtures: a monitoring point (M01 police case) and an analysis point
INSERT INTO taxshare.unit (code, name, kind) VALUES ('XDEP', '限制测试单位', 'department');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "限制测试 %s", "provider": "XDEP",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['XTEST-SRC', 'XTEST-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code) VALUES
  ('XR_M01', 'restriction test M01', 'XTEST-SRC', 'XTEST-DST', 'party', 'missing', 'M01_POLICE_CASE'),
  ('XR_A09', 'restriction test A09', 'XTEST-SRC', 'XTEST-DST', 'party', 'missing', 'A09_VEHICLE_TAX');
CREATE FUNCTION pg_temp.id(n text) RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT id FROM taxshare.entity WHERE name = n $$;
INSERT INTO taxshare.entity (kind, name) VALUES ('enterprise', 'X-case'), ('enterprise', 'X-soft'), ('person', 'X-person');
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved) VALUES
  ('XR_M01', pg_temp.id('X-case'), '2026-10-01', 0),
  ('XR_A09', pg_temp.id('X-soft'), '2026-10-01', 5000);
SELECT id AS m1 FROM taxshare.suspicion WHERE rule_code = 'XR_M01' \gset
SELECT id AS a1 FROM taxshare.suspicion WHERE rule_code = 'XR_A09' \gset
SELECT max(seq) AS seq0 FROM taxshare.ledger \gset
SELECT pg_temp.id('X-case') AS xcase, pg_temp.id('X-person') AS xperson \gset

-- Bad input
SELECT throws_ok($$SELECT taxshare.restriction_issue(-1, 'exit', '欠税', decided_by => '局长', decision_ref => '阻出〔2026〕1号')$$,
                 '22023', NULL, 'an unknown entity is refused');
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'bank_account', '欠税', suspicion_id => %s)$$,
                        pg_temp.id('X-case'), :m1), '22023', NULL, 'an unknown restriction is refused');
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'invoice_supply', '虚开')$$, pg_temp.id('X-case')),
                 '22023', NULL, 'a restriction without basis is refused');
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'invoice_supply', '虚开', decided_by => '局长')$$,
                        pg_temp.id('X-case')), '22023', NULL, 'a decision needs its reference');
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'invoice_supply', '疑点', suspicion_id => %s)$$,
                        pg_temp.id('X-soft'), :a1), '22023', NULL, 'a point of an analysis indicator is no basis');
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'invoice_supply', '虚开', suspicion_id => %s)$$,
                        pg_temp.id('X-soft'), :m1), '22023', NULL, 'a monitoring point of another entity is no basis');
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'invoice_supply', ' ', suspicion_id => %s)$$,
                        pg_temp.id('X-case'), :m1), '22023', NULL, 'a restriction needs its reason');
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'invoice_supply', '虚开', suspicion_id => %s,
                                                            until => '2020-01-01')$$, pg_temp.id('X-case'), :m1),
                 '22023', NULL, 'a restriction cannot end before it starts');
SET LOCAL ROLE taxshare_unit;
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'invoice_supply', '虚开', suspicion_id => %s)$$,
                        :xcase, :m1), '42501', 'role "taxshare_unit" may not issue a restriction',
                 'a sharing unit may not issue a restriction');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM taxshare.restriction), 0, 'nothing was written by the refused calls');
SELECT is((SELECT max(seq) FROM taxshare.ledger), :'seq0'::bigint, 'nor appended to the ledger');

-- x1: invoice supply stopped on the police case; x2: exit barred on a decision, for a time
SELECT taxshare.restriction_issue(pg_temp.id('X-case'), 'invoice_supply', '公安机关已立案, 停止发票供应',
                                  suspicion_id => :m1, actor => '税务局 征管科') AS x1 \gset
SELECT taxshare.restriction_issue(pg_temp.id('X-person'), 'exit', '欠税未缴清, 阻止出境',
                                  decided_by => '市税务局 王局长', decision_ref => '阻出〔2026〕7号',
                                  until => current_date + 30) AS x2 \gset
SELECT taxshare.restriction_issue(pg_temp.id('X-case'), 'registration_change', '立案期间限制变更登记',
                                  suspicion_id => :m1, until => '2026-11-30', at => '2026-11-01 10:00+08') AS x3 \gset
SELECT results_eq($$SELECT name, kind FROM taxshare.restriction_current ORDER BY restriction_id$$,
                  $$VALUES ('X-case'::text, 'invoice_supply'::text), ('X-person', 'exit')$$,
                  'the front desk sees the two restrictions in force, not the one past its last day');
SELECT is((SELECT issued_by FROM taxshare.restriction WHERE id = :x1), '税务局 征管科', 'the issue keeps its actor');
SELECT is((SELECT action || ': ' || object FROM taxshare.ledger WHERE seq > :seq0 ORDER BY seq LIMIT 1),
          format('restriction_issue: restriction %s issued: invoice_supply for entity %s, basis suspicion %s, by 税务局 征管科',
                 :x1, pg_temp.id('X-case'), :m1), 'the issue is in the ledger with its basis');
SELECT ok((SELECT object LIKE '%basis decision 阻出〔2026〕7号 of 市税务局 王局长%' FROM taxshare.ledger
            WHERE action = 'restriction_issue' AND seq > :seq0 ORDER BY seq OFFSET 1 LIMIT 1),
          'a decision is recorded with the person and its reference');

-- Lifting
SET LOCAL ROLE taxshare_unit;
SELECT throws_ok(format($$SELECT taxshare.restriction_lift(%s, '已缴清')$$, :x2), '42501',
                 'role "taxshare_unit" may not lift a restriction', 'a sharing unit may not lift a restriction');
RESET ROLE;
SET LOCAL ROLE taxshare_analyst;
SELECT throws_ok(format($$SELECT taxshare.restriction_lift(%s, '已缴清')$$, :x2), '42501',
                 'role "taxshare_analyst" may not lift a restriction', 'nor may the analysis group');
RESET ROLE;
SELECT throws_ok(format($$SELECT taxshare.restriction_lift(%s, '')$$, :x2), '22023', NULL, 'a lift needs its reason');
SELECT throws_ok($$SELECT taxshare.restriction_lift(-1, 'x')$$, 'P0002', NULL, 'an unknown restriction is reported');
SELECT throws_ok(format($$SELECT taxshare.restriction_lift(%s, '已缴清', at => '2020-01-01 00:00+08')$$, :x2), '22023', NULL,
                 'no lift before the issue');
SET LOCAL ROLE taxshare_tax;
SELECT lives_ok(format($$SELECT taxshare.restriction_lift(%s, '欠税及滞纳金已缴清', actor => '税务局 征管科')$$, :x2),
                'the tax bureau lifts the exit restriction');
RESET ROLE;
SELECT throws_ok(format($$SELECT taxshare.restriction_lift(%s, 'again')$$, :x2), '55000', NULL, 'a restriction is lifted once');
SELECT results_eq($$SELECT name, kind FROM taxshare.restriction_current ORDER BY restriction_id$$,
                  $$VALUES ('X-case'::text, 'invoice_supply'::text)$$, 'a lifted restriction is no longer current');
SELECT results_eq(format($$SELECT kind, lifted_by, lift_reason FROM taxshare.restriction WHERE entity_id = %s$$, pg_temp.id('X-person')),
                  $$VALUES ('exit'::text, '税务局 征管科'::text, '欠税及滞纳金已缴清'::text)$$, 'the history keeps the lifted restriction');
SELECT is((SELECT count(*)::int FROM taxshare.ledger WHERE seq > :seq0 AND action LIKE 'restriction_%'), 4,
          'three issues and one lift in the ledger');
SELECT ok((SELECT ok FROM taxshare.ledger_verify()), 'the ledger verifies');

-- Who reads the current restrictions
SET LOCAL ROLE taxshare_tax;
SELECT is((SELECT count(*)::int FROM taxshare.restriction_current), 1, 'the tax bureau reads them');
RESET ROLE;
SET LOCAL ROLE taxshare_analyst;
SELECT is((SELECT count(*)::int FROM taxshare.restriction_current), 1, 'the analysis group reads them');
RESET ROLE;
SET LOCAL ROLE taxshare_unit;
SELECT throws_ok($$SELECT count(*) FROM taxshare.restriction_current$$, '42501', NULL, 'a sharing unit does not');
RESET ROLE;
-- the front desk: the current restrictions and nothing else
SET LOCAL ROLE taxshare_frontdesk;
SELECT results_eq($$SELECT name, kind FROM taxshare.restriction_current$$,
                  $$VALUES ('X-case'::text, 'invoice_supply'::text)$$, 'the front desk reads the restrictions in force');
SELECT throws_ok($$SELECT count(*) FROM taxshare.restriction$$, '42501', NULL, 'but not the table and its history');
SELECT throws_ok($$SELECT count(*) FROM taxshare.entity$$, '42501', NULL, 'nor the entities');
SELECT throws_ok($$SELECT count(*) FROM taxshare.risk_list$$, '42501', NULL, 'nor the risk list');
SELECT throws_ok(format($$SELECT taxshare.restriction_lift(%s, 'x')$$, :x1), '42501', NULL, 'nor lift a restriction');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM taxshare.privilege_plan WHERE frontdesk <> ''), 1,
          'restriction_current is the one object the front desk may use');
-- an excluded monitoring point is no basis any more
UPDATE taxshare.suspicion SET status = 'excluded', reason = '立案信息有误' WHERE id = :m1;
SELECT throws_ok(format($$SELECT taxshare.restriction_issue(%s, 'exit', '再次限制', suspicion_id => %s)$$,
                        pg_temp.id('X-case'), :m1), '22023', NULL, 'an excluded point is no basis');

SELECT * FROM finish();
ROLLBACK;
