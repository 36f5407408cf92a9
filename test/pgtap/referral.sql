-- pgTAP: referrals (control/install/85_referral.sql).  Deadlines counted by
-- hand on the State Council notices: 2024 National Day 1-7 October off,
-- Sunday 29 September and Saturday 12 October worked.  Receipt: 3 working
-- days (referral.receive_working_days); result: 60 days from the receipt
-- (referral.result_days), moved off a day off.
BEGIN;
SELECT plan(72);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;
SET LOCAL taxshare.due_date_roll_forward = on;
SET LOCAL TimeZone = 'UTC';

SELECT has_table('taxshare', 'referral', 'table referral exists');
SELECT has_table('taxshare', 'referral_basis', 'table referral_basis exists');
SELECT has_view('taxshare', 'referral_ledger', 'view referral_ledger exists');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'taxshare' AND p.proname LIKE '%referral%'
              AND obj_description(p.oid, 'pg_proc') LIKE '%/%'),
          (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'taxshare' AND p.proname LIKE '%referral%'),
          'every referral function has a Chinese / English comment');
SELECT is((SELECT count(*)::int FROM pg_extension x, unnest(x.extconfig) c
            WHERE x.extname = 'taxshare' AND c IN ('taxshare.referral'::regclass, 'taxshare.referral_basis'::regclass)),
          2, 'the referral tables are kept by pg_dump');
SELECT is((SELECT attname::text FROM pg_attribute WHERE attrelid = 'taxshare.risk_list'::regclass
            ORDER BY attnum DESC LIMIT 1), 'open_referral_id', 'risk_list ends with the open referral');

-- Fixtures: a high risk of September 2024 pushed as a warning
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('RTAX', '移送测试税务局', 'tax'), ('RDEP', '移送测试单位', 'department'), ('ROFF', '停用单位', 'department');
UPDATE taxshare.unit SET active = false WHERE code = 'ROFF';
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "移送测试 %s", "provider": "RDEP",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['RTEST-SRC', 'RTEST-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
VALUES ('RR_M05', 'referral test', 'RTEST-SRC', 'RTEST-DST', 'party', 'missing', 'M05_INVOICE_FRAUD');
CREATE FUNCTION pg_temp.id(n text) RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT id FROM taxshare.entity WHERE name = n $$;
INSERT INTO taxshare.entity (kind, name) VALUES ('enterprise', 'R-fraud'), ('enterprise', 'R-other');
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved) VALUES
  ('RR_M05', pg_temp.id('R-fraud'), '2024-09-01', 800000),
  ('RR_M05', pg_temp.id('R-other'), '2024-09-01', 1000);
SELECT id AS s1 FROM taxshare.suspicion WHERE entity_id = pg_temp.id('R-fraud') \gset
SELECT id AS s_other FROM taxshare.suspicion WHERE entity_id = pg_temp.id('R-other') \gset
SELECT taxshare.grade_risks('2024-09-01');
SELECT taxshare.warning_push('2024-09-01', 'RTAX', ARRAY['high'], entity_ids => ARRAY[pg_temp.id('R-fraud')],
                             at => '2024-09-30 10:00+08') AS w1 \gset
SELECT id AS t1 FROM taxshare.warning_task WHERE warning_id = :w1 \gset
SELECT max(seq) AS seq0 FROM taxshare.ledger \gset

-- ---------------------------------------------------------------------------
-- Bad input: clear errors, nothing written
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT taxshare.referral_open(-1, 'police', '虚开发票', suspicion_ids => ARRAY[1::bigint])$$,
                 '22023', NULL, 'an unknown entity is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'army', '虚开发票', suspicion_ids => ARRAY[%s::bigint])$$,
                        pg_temp.id('R-fraud'), :s1), '22023', NULL, 'an unknown agency is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'department', '虚开发票', suspicion_ids => ARRAY[%s::bigint])$$,
                        pg_temp.id('R-fraud'), :s1), '22023', NULL, 'another department must be named');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'department', '虚开发票', suspicion_ids => ARRAY[%s::bigint],
                                                        to_unit => 'NOSUCH')$$, pg_temp.id('R-fraud'), :s1),
                 '22023', NULL, 'an unknown unit is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'department', '虚开发票', suspicion_ids => ARRAY[%s::bigint],
                                                        to_unit => 'ROFF')$$, pg_temp.id('R-fraud'), :s1),
                 '22023', NULL, 'an inactive unit is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'police', '虚开发票')$$, pg_temp.id('R-fraud')),
                 '22023', NULL, 'a referral without basis is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'police', ' ', suspicion_ids => ARRAY[%s::bigint])$$,
                        pg_temp.id('R-fraud'), :s1), '22023', NULL, 'a referral without reason is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'police', '虚开发票', suspicion_ids => ARRAY[%s::bigint])$$,
                        pg_temp.id('R-fraud'), :s_other), '22023', NULL, 'a suspicion of another entity is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'police', '虚开发票', warning_task_ids => ARRAY[-5::bigint])$$,
                        pg_temp.id('R-fraud')), '22023', NULL, 'an unknown warning task is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_open(%s, 'police', '虚开发票', suspicion_ids => ARRAY[%s::bigint],
                                                        at => now() + interval '1 day')$$, pg_temp.id('R-fraud'), :s1),
                 '22023', NULL, 'a step cannot be recorded in the future');
SELECT is((SELECT count(*)::int FROM taxshare.referral), 0, 'nothing was written by the refused calls');
SELECT is((SELECT max(seq) FROM taxshare.ledger), :'seq0'::bigint, 'nor anything appended to the ledger');

-- ---------------------------------------------------------------------------
-- r1: to the police on Monday 30 September 2024, on the suspicion and the warning task
-- ---------------------------------------------------------------------------
SELECT taxshare.referral_open(pg_temp.id('R-fraud'), 'police', '涉嫌虚开增值税专用发票',
                              suspicion_ids => ARRAY[:s1::bigint], warning_task_ids => ARRAY[:t1::bigint],
                              actor => '税务局 风险管理科', at => '2024-09-30 15:00+08') AS r1 \gset
CREATE FUNCTION pg_temp.l(rid bigint) RETURNS taxshare.referral_ledger
  LANGUAGE sql STABLE AS $$ SELECT * FROM taxshare.referral_ledger WHERE referral_id = rid $$;
SELECT is((pg_temp.l(:r1)).status, 'open', 'r1 is open');
SELECT is((pg_temp.l(:r1)).opened_by, '税务局 风险管理科', 'the referral keeps its actor');
SELECT is((pg_temp.l(:r1)).suspicion_ids, ARRAY[:s1::bigint], 'the ledger names the suspicion it rests on');
SELECT is((pg_temp.l(:r1)).warning_task_ids, ARRAY[:t1::bigint], 'and the warning task');
SELECT is((pg_temp.l(:r1)).receive_due, '2024-10-10'::date,
          'receipt due 3 working days after 30 September, over National Day: 8, 9, 10 October');
SELECT is((SELECT receive_due FROM taxshare.referral WHERE id = :r1), '2024-10-10'::date, 'stored on the referral');
SELECT is((SELECT open_referral_id FROM taxshare.risk_list WHERE period_start = '2024-09-01'
            AND entity_id = pg_temp.id('R-fraud')), :r1::bigint, 'the risk list shows the open referral');
SELECT ok((SELECT open_referral_id IS NULL FROM taxshare.risk_list WHERE period_start = '2024-09-01'
            AND entity_id = pg_temp.id('R-other')), 'and none for an entity not referred');
SELECT is((SELECT action || ': ' || object FROM taxshare.ledger ORDER BY seq DESC LIMIT 1),
          format('referral_open: referral %s opened: entity %s to police, by 税务局 风险管理科', :r1, pg_temp.id('R-fraud')),
          'the referral is in the ledger');

-- a result before the receipt, a close before the result
SELECT throws_ok(format($$SELECT taxshare.referral_result(%s, 'filed')$$, :r1), '55000', NULL,
                 'no result before the receipt');
SELECT throws_ok(format($$SELECT taxshare.referral_close(%s)$$, :r1), '55000', NULL, 'no closure before the result');
SELECT throws_ok(format($$SELECT taxshare.referral_receive(%s, at => '2024-09-29 10:00+08')$$, :r1), '22023', NULL,
                 'no receipt before the referral');
SELECT throws_ok($$SELECT taxshare.referral_receive(-1)$$, 'P0002', NULL, 'an unknown referral is reported');

-- ---------------------------------------------------------------------------
-- Receipt, result, closure
-- ---------------------------------------------------------------------------
SELECT is(taxshare.referral_receive(:r1, actor => '市公安局经侦支队', at => '2024-10-10 11:00+08'), true,
          'r1 received on 10 October: the last day, on time');
SELECT is((pg_temp.l(:r1)).status, 'received', 'status received');
SELECT ok((pg_temp.l(:r1)).receive_met, 'receipt met');
SELECT is((pg_temp.l(:r1)).result_due, '2024-12-09'::date,
          'result due 60 days after 10 October: 9 December (a Monday)');
SELECT throws_ok(format($$SELECT taxshare.referral_receive(%s)$$, :r1), '55000', NULL, 'a referral is received once');
SELECT throws_ok(format($$SELECT taxshare.referral_result(%s, 'arrested')$$, :r1), '22023', NULL,
                 'an unknown result is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_result(%s, 'not_filed')$$, :r1), '22023', NULL,
                 'not filed needs its reason');
SELECT throws_ok(format($$SELECT taxshare.referral_result(%s, 'recovered')$$, :r1), '22023', NULL,
                 'recovered needs the amount');
SELECT throws_ok(format($$SELECT taxshare.referral_result(%s, 'penalized', amount => -1)$$, :r1), '22023', NULL,
                 'a negative amount is refused');
SELECT throws_ok(format($$SELECT taxshare.referral_result(%s, 'filed', at => '2024-10-09 10:00+08')$$, :r1), '22023', NULL,
                 'no result before the receipt time');
SELECT is((pg_temp.l(:r1)).status, 'received', 'the refused results changed nothing');
SELECT is(taxshare.referral_result(:r1, 'filed', reason => '已立案侦查', actor => '经侦支队 李警官',
                                   at => '2024-11-20 10:00+08'), true, 'r1: case filed on 20 November, on time');
SELECT results_eq(format($$SELECT status, state, result, result_by, result_met FROM taxshare.referral_ledger WHERE referral_id = %s$$, :r1),
                  $$VALUES ('decided'::text, 'decided'::text, 'filed'::text, '经侦支队 李警官'::text, true)$$,
                  'the ledger shows the result, its actor and that it was on time');
SELECT throws_ok(format($$SELECT taxshare.referral_result(%s, 'penalized')$$, :r1), '55000', NULL,
                 'a referral has one result');
SELECT throws_ok(format($$SELECT taxshare.referral_close(%s, at => '2024-11-19 10:00+08')$$, :r1), '22023', NULL,
                 'no closure before the result');
SELECT lives_ok(format($$SELECT taxshare.referral_close(%s, '移交公安立案, 税务局跟踪', at => '2024-11-21 10:00+08')$$, :r1),
                'r1 closed');
SELECT results_eq(format($$SELECT status, state, close_note FROM taxshare.referral_ledger WHERE referral_id = %s$$, :r1),
                  $$VALUES ('closed'::text, 'closed'::text, '移交公安立案, 税务局跟踪'::text)$$, 'r1 closed in the ledger');
SELECT throws_ok(format($$SELECT taxshare.referral_close(%s)$$, :r1), '55000', NULL, 'a referral is closed once');
SELECT ok((SELECT open_referral_id IS NULL FROM taxshare.risk_list WHERE period_start = '2024-09-01'
            AND entity_id = pg_temp.id('R-fraud')), 'a closed referral is no longer shown on the risk list');
SELECT is((SELECT count(*)::int FROM taxshare.ledger WHERE seq > :seq0 AND action LIKE 'referral_%'), 4,
          'four steps, four ledger entries');
SELECT ok((SELECT ok FROM taxshare.ledger_verify()), 'the ledger verifies');

-- ---------------------------------------------------------------------------
-- r2: to the inspection bureau, late receipt, taxes recovered, late result
-- ---------------------------------------------------------------------------
SELECT taxshare.referral_open(pg_temp.id('R-fraud'), 'inspection', '逃避缴纳税款',
                              warning_task_ids => ARRAY[:t1::bigint], at => '2024-10-11 10:00+08') AS r2 \gset
SELECT is((pg_temp.l(:r2)).receive_due, '2024-10-15'::date, 'due 12 (make-up Saturday), 14, 15 October');
SELECT is(taxshare.referral_receive(:r2, at => '2024-10-17 10:00+08'), false, 'received on 17 October: late');
SELECT ok(NOT (pg_temp.l(:r2)).receive_met, 'receipt missed in the ledger');
SELECT is((pg_temp.l(:r2)).result_due, '2024-12-16'::date, '17 October + 60 days = 16 December');
SELECT is(taxshare.referral_result(:r2, 'recovered', amount => 356000.50, at => '2024-12-20 10:00+08'), false,
          'taxes recovered on 20 December: late');
SELECT results_eq(format($$SELECT result, amount, result_met FROM taxshare.referral_ledger WHERE referral_id = %s$$, :r2),
                  $$VALUES ('recovered'::text, 356000.50::numeric, false)$$, 'the amount recovered and the missed deadline');
SELECT is((SELECT open_referral_id FROM taxshare.risk_list WHERE period_start = '2024-09-01'
            AND entity_id = pg_temp.id('R-fraud')), :r2::bigint, 'decided but not closed: still open on the risk list');

-- ---------------------------------------------------------------------------
-- r3, r4: to a department, not filed; the states before and after the deadlines
-- ---------------------------------------------------------------------------
SELECT taxshare.referral_open(pg_temp.id('R-other'), 'department', '骗取财政补贴', suspicion_ids => ARRAY[:s_other::bigint],
                              to_unit => 'RDEP', at => '2024-10-08 09:00+08') AS r3 \gset
SELECT is((pg_temp.l(:r3)).state, 'receipt_overdue', 'never received, past its deadline: receipt overdue');
SELECT ok(NOT (pg_temp.l(:r3)).receive_met, 'receipt missed');
SELECT taxshare.referral_receive(:r3, at => '2024-10-09 09:00+08');
SELECT is((pg_temp.l(:r3)).state, 'result_overdue', 'received, no result after its deadline: result overdue');
SELECT is(taxshare.referral_result(:r3, 'not_filed', reason => '补贴资金已追回, 不构成犯罪', at => '2025-01-10 09:00+08'),
          false, 'not filed, with the reason, late');
SELECT taxshare.referral_open(pg_temp.id('R-other'), 'court', '拒不执行判决',
                              suspicion_ids => ARRAY[:s_other::bigint]) AS r4 \gset
SELECT is((pg_temp.l(:r4)).state, 'awaiting_receipt', 'opened now: awaiting receipt');
SELECT ok((pg_temp.l(:r4)).receive_met IS NULL, 'receipt neither met nor missed yet');
SELECT taxshare.referral_receive(:r4);
SELECT is((pg_temp.l(:r4)).state, 'in_progress', 'received now: in progress');
SELECT ok((pg_temp.l(:r4)).result_met IS NULL, 'result neither met nor missed yet');

-- stored deadlines: a later change of the parameters rewrites nothing
UPDATE taxshare.risk_param SET value = 10 WHERE name = 'referral.receive_working_days';
UPDATE taxshare.risk_param SET value = 5 WHERE name = 'referral.result_days';
SELECT results_eq(format($$SELECT receive_due, result_due FROM taxshare.referral_ledger WHERE referral_id = %s$$, :r2),
                  $$VALUES ('2024-10-15'::date, '2024-12-16'::date)$$, 'r2 keeps the deadlines it was given');
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 0 WHERE name = 'referral.result_days'$$, '22023', NULL,
                 'referral.result_days is at least 1');

-- The report's referral section (89_report.sql, _report_referrals): r2, opened
-- in October 2024, to the inspection bureau, taxes recovered, both deadlines missed.
SELECT ok(taxshare._report_referrals('2024-10-01', '2024-11-01') LIKE
          '%<td>inspection</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">1</td><td class="num">0</td>%',
          'the October report counts the referral to the inspection bureau, with its result');
SELECT ok(taxshare._report_referrals('2024-10-01', '2024-11-01') LIKE '%356,000.50%',
          'and the taxes it recovered');
SELECT ok(taxshare._report_referrals('2023-01-01', '2023-02-01') LIKE '%no referral was opened in the period%',
          'a month without referrals says so');
SELECT * FROM finish();
ROLLBACK;
