-- pgTAP: warnings and their feedback (control/install/88_warning.sql).  The
-- expected deadlines are counted by hand on the State Council notices:
--   2024 National Day: 1-7 October off, Sunday 29 September and Saturday
--   12 October worked (国办发明电〔2023〕7号);
--   2025 Spring Festival: 28 January - 4 February off, Sunday 26 January and
--   Saturday 8 February worked (国办发〔2024〕12号).
-- Push: by the 10th of the month after the period (the 10th included, as the
-- reporting deadline "每月10日前" is read), moved to the next working day;
-- receive: 3 working days; feedback: 30 days from the receipt (at the latest
-- from the receipt deadline), moved to the next working day; 2 cycles at most.
BEGIN;
SELECT plan(132);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;
SET LOCAL taxshare.due_date_roll_forward = on;
SET LOCAL TimeZone = 'UTC';   -- deadlines are days in China Standard Time whatever the session says

-- ---------------------------------------------------------------------------
-- Objects
-- ---------------------------------------------------------------------------
SELECT has_table('taxshare', 'warning', 'table warning exists');
SELECT has_table('taxshare', 'warning_task', 'table warning_task exists');
SELECT has_table('taxshare', 'warning_extension', 'table warning_extension exists');
SELECT has_table('taxshare', 'warning_dispute', 'table warning_dispute exists');
SELECT has_view('taxshare', 'warning_ledger', 'view warning_ledger exists');
SELECT has_function('taxshare', 'warning_push', 'warning_push exists');
SELECT has_function('taxshare', 'warning_receive', 'warning_receive exists');
SELECT has_function('taxshare', 'warning_feedback', 'warning_feedback exists');
SELECT has_function('taxshare', 'warning_extend', 'warning_extend exists');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'taxshare'
              AND p.proname IN ('warning_push', 'warning_receive', 'warning_feedback', 'warning_extend',
                                'warning_dispute', 'warning_dispute_resolve', 'warning_sweep', 'warning_deadlines',
                                '_warning_at', '_warning_param', '_warning_close', '_warning_open_task', '_cst_day',
                                '_warning_feedback_due')
              AND obj_description(p.oid, 'pg_proc') LIKE '%/%'), 15,
          'every warning function has a Chinese / English comment');
SELECT is((SELECT count(*)::int FROM pg_extension x, unnest(x.extconfig) c
            WHERE x.extname = 'taxshare'
              AND c IN ('taxshare.warning'::regclass, 'taxshare.warning_task'::regclass,
                        'taxshare.warning_extension'::regclass, 'taxshare.warning_dispute'::regclass)),
          4, 'the warning tables are kept by pg_dump');

-- ---------------------------------------------------------------------------
-- Fixtures: graded risks of September 2024
-- ---------------------------------------------------------------------------
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('WTAX', '预警测试税务局', 'tax'), ('WTAX2', '预警测试税务局二', 'tax'), ('WUNIT', '预警测试单位', 'department'),
  ('WUNIT2', '预警测试单位二', 'department'), ('WOFF', '停用单位', 'department');
UPDATE taxshare.unit SET active = false WHERE code = 'WOFF';
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "预警测试 %s", "provider": "WUNIT",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['WTEST-SRC', 'WTEST-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
SELECT 'WR_' || code, 'warning test ' || code, 'WTEST-SRC', 'WTEST-DST', 'party', 'missing', code
  FROM taxshare.indicator WHERE code IN ('M01_POLICE_CASE', 'A01_PROPERTY_DEED_TAX', 'A03_CONSTRUCTION_VAT', 'A09_VEHICLE_TAX');
CREATE FUNCTION pg_temp.id(n text) RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT id FROM taxshare.entity WHERE name = n $$;
INSERT INTO taxshare.entity (kind, name) VALUES
  ('enterprise', 'W-high'), ('enterprise', 'W-medium'), ('enterprise', 'W-low'), ('enterprise', 'W-low2');
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved) VALUES
  ('WR_M01_POLICE_CASE', pg_temp.id('W-high'), '2024-09-01', 0),
  ('WR_A01_PROPERTY_DEED_TAX', pg_temp.id('W-medium'), '2024-09-01', 400000),
  ('WR_A03_CONSTRUCTION_VAT', pg_temp.id('W-medium'), '2024-09-01', 600000),
  ('WR_A09_VEHICLE_TAX', pg_temp.id('W-low'), '2024-09-01', 5000),
  ('WR_A09_VEHICLE_TAX', pg_temp.id('W-low2'), '2024-09-01', 6000);
SELECT results_eq($$SELECT high, medium, low FROM taxshare.grade_risks('2024-09-01')$$,
                  $$VALUES (1::bigint, 1::bigint, 2::bigint)$$, 'fixture: 1 high, 1 medium, 2 low');
CREATE FUNCTION pg_temp.ledger(wid bigint) RETURNS taxshare.warning_ledger
  LANGUAGE sql STABLE AS $$ SELECT * FROM taxshare.warning_ledger WHERE warning_id = wid $$;
CREATE FUNCTION pg_temp.task(wid bigint, n text) RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT id FROM taxshare.warning_task WHERE warning_id = wid AND entity_id = pg_temp.id(n) $$;

-- ---------------------------------------------------------------------------
-- Push
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT taxshare.warning_push('2024-09-01', 'NOSUCH')$$, '22023', NULL, 'an unknown unit is refused');
SELECT throws_ok($$SELECT taxshare.warning_push('2024-09-01', 'WOFF')$$, '22023', NULL, 'an inactive unit is refused');
SELECT throws_ok($$SELECT taxshare.warning_push('2024-09-01', 'WTAX', ARRAY['severe'])$$, '22023', NULL,
                 'an unknown grade is refused');
SELECT throws_ok($$SELECT taxshare.warning_push('2024-01-01', 'WTAX')$$, 'P0002', NULL,
                 'a period without graded risks has nothing to push');
SELECT throws_ok($$SELECT taxshare.warning_push('2024-09-01', 'WTAX', at => now() + interval '1 day')$$, '22023', NULL,
                 'a step cannot be recorded in the future');

-- w1: the high risk to the tax bureau on Monday 30 September, before the holiday
SELECT taxshare.warning_push('2024-09-01', 'WTAX', ARRAY['high'], title => '2024年9月高风险',
                             actor => '财源办 张科长', at => '2024-09-30 10:00+08') AS w1 \gset
SELECT is((SELECT count(*)::int FROM taxshare.warning_task WHERE warning_id = :w1), 1, 'w1 carries the one high risk');
SELECT results_eq(format($$SELECT grade::text, response, rank FROM taxshare.warning_task WHERE warning_id = %s$$, :w1),
                  $$VALUES ('high', 'referral', 1)$$, 'the task keeps grade, prescribed response and rank at push time');
SELECT throws_ok($$SELECT taxshare.warning_push('2024-09-01', 'WTAX', ARRAY['high'])$$, 'P0002', NULL,
                 'a risk is not pushed twice to the same unit');
SELECT is((pg_temp.ledger(:w1)).push_due, '2024-10-10'::date, 'push due: the 10th of the month after the period, included');
SELECT ok((pg_temp.ledger(:w1)).push_met, 'pushed on 30 September: on time');
SELECT is((pg_temp.ledger(:w1)).pushed_by, '财源办 张科长', 'the push keeps its actor');
SELECT is((pg_temp.ledger(:w1)).receive_due, '2024-10-10'::date,
          'receive due: 3 working days after 30 September skip 1-7 October: 10 October');
SELECT is((pg_temp.ledger(:w1)).status, 'pushed', 'status pushed');

-- w2: medium and low, pushed on Saturday 12 October (a make-up working day), late
SELECT taxshare.warning_push('2024-09-01', 'WTAX', ARRAY['medium', 'low'], at => '2024-10-12 09:00+08') AS w2 \gset
SELECT is((SELECT count(*)::int FROM taxshare.warning_task WHERE warning_id = :w2), 2 + 1,
          'w2 carries the medium and the two low risks');
SELECT ok(NOT (pg_temp.ledger(:w2)).push_met, 'pushed on 12 October: after the 10th, late');
SELECT is((pg_temp.ledger(:w2)).receive_due, '2024-10-16'::date,
          'receive due: 3 working days after Saturday 12 October: 14, 15, 16 October');

-- w3: the high risk to a department on Monday 27 January 2025, before the Spring Festival
SELECT taxshare.warning_push('2024-09-01', 'WUNIT', entity_ids => ARRAY[pg_temp.id('W-high')],
                             at => '2025-01-27 10:00+08') AS w3 \gset
SELECT is((pg_temp.ledger(:w3)).receive_due, '2025-02-07'::date,
          'receive due across the Spring Festival: 5, 6, 7 February');
SELECT is((pg_temp.ledger(:w3)).feedback_due, '2025-03-10'::date,
          'never received: feedback due 30 days after the receipt deadline, 9 March is a Sunday: 10 March');

-- w4: one low risk to a second department at 07:30 on 11 October in Beijing (23:30 on the 10th in UTC)
SELECT taxshare.warning_push('2024-09-01', 'WUNIT2', entity_ids => ARRAY[pg_temp.id('W-low')],
                             at => '2024-10-11 07:30+08') AS w4 \gset
SELECT ok(NOT (pg_temp.ledger(:w4)).push_met, 'the push day is the day in Beijing (the 11th): late');
SELECT is((pg_temp.ledger(:w4)).receive_due, '2024-10-15'::date,
          'receive due counts Saturday 12 October as a working day: 12, 14, 15 October');

-- ---------------------------------------------------------------------------
-- Receive
-- ---------------------------------------------------------------------------
SELECT is(taxshare.warning_receive(:w1, at => '2024-10-09 16:00+08'), true,
          'w1 received on 9 October: within 3 working days');
SELECT is((pg_temp.ledger(:w1)).status, 'received', 'status received');
SELECT ok((pg_temp.ledger(:w1)).receive_met, 'the ledger says the receipt was on time');
SELECT is((pg_temp.ledger(:w1)).received_by, session_user::text, 'the actor defaults to the session user');
SELECT is((pg_temp.ledger(:w1)).feedback_due, '2024-11-08'::date, 'feedback due 30 days after the receipt: 8 November');
SELECT throws_ok(format('SELECT taxshare.warning_receive(%s)', :w1), '55000', NULL, 'a warning is received once');
SELECT throws_ok(format($$SELECT taxshare.warning_receive(%s, at => '2024-10-01 10:00+08')$$, :w2), '22023', NULL,
                 'a warning cannot be received before it was pushed');
SELECT throws_ok($$SELECT taxshare.warning_receive(-1)$$, 'P0002', NULL, 'an unknown warning is reported');
SELECT is(taxshare.warning_receive(:w2, at => '2024-10-18 10:00+08'), false, 'w2 received on 18 October: late');
SELECT ok(NOT (pg_temp.ledger(:w2)).receive_met, 'the ledger says the receipt was late');
SELECT is((pg_temp.ledger(:w2)).feedback_due, '2024-11-15'::date,
          'a late receipt does not buy time: 30 days from the receipt deadline (16 October)');
SELECT is(taxshare.warning_receive(:w4, at => '2024-10-12 10:00+08'), true, 'w4 received on the make-up Saturday');
SELECT is((pg_temp.ledger(:w4)).feedback_due, '2024-11-11'::date, 'w4 feedback due 11 November');
SELECT is((pg_temp.ledger(:w3)).state, 'overdue', 'w3, never received, is overdue');
SELECT ok(NOT (pg_temp.ledger(:w3)).receive_met, 'and its receipt deadline was missed');

-- ---------------------------------------------------------------------------
-- Extensions: one more 30-day cycle, 2 cycles in all
-- ---------------------------------------------------------------------------
SELECT throws_ok(format($$SELECT taxshare.warning_extend(%s, '  ')$$, :w2), '22023', NULL,
                 'an extension needs a reason');
SELECT is(taxshare.warning_extend(:w2, '涉及跨区核查, 需协查函回复', at => '2024-11-10 10:00+08'),
          '2024-12-16'::date, 'extended: 16 October + 60 days = 15 December, a Sunday: 16 December');
SELECT is((pg_temp.ledger(:w2)).cycles, 2, 'two cycles');
SELECT is((pg_temp.ledger(:w2)).extension_reason, '涉及跨区核查, 需协查函回复', 'the ledger shows the reason');
SELECT throws_ok(format($$SELECT taxshare.warning_extend(%s, 'again', at => '2024-11-11 10:00+08')$$, :w2),
                 '55000', NULL, 'a third cycle is refused');
SELECT throws_ok(format($$SELECT taxshare.warning_extend(%s, 'too late', at => '2025-03-11 10:00+08')$$, :w3),
                 '55000', NULL, 'no extension after the feedback deadline');

-- ---------------------------------------------------------------------------
-- Feedback
-- ---------------------------------------------------------------------------
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'recovered', amount_recovered => 100)$$,
                        pg_temp.task(:w3, 'W-high')), '55000', NULL, 'no feedback before the receipt');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'fixed')$$, pg_temp.task(:w1, 'W-high')),
                 '22023', NULL, 'an unknown outcome is refused');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'recovered')$$, pg_temp.task(:w1, 'W-high')),
                 '22023', NULL, 'recovered needs the amount');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'dismissed')$$, pg_temp.task(:w1, 'W-high')),
                 '22023', NULL, 'dismissed needs the reason');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'referred')$$, pg_temp.task(:w1, 'W-high')),
                 '22023', NULL, 'referred needs the body referred to');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'no_action', note => '经核实无误')$$, pg_temp.task(:w1, 'W-high')),
                 '22023', NULL, 'no action needs the leader''s sign-off');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'no_action', signed_off_by => '李局长')$$, pg_temp.task(:w1, 'W-high')),
                 '22023', NULL, 'no action needs the written reason');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'recovered', amount_recovered => 1, response_taken => 'prayer')$$,
                        pg_temp.task(:w1, 'W-high')), '22023', NULL, 'an unknown response is refused');
SELECT throws_ok($$SELECT taxshare.warning_feedback(-1, 'dismissed', note => 'x')$$, 'P0002', NULL,
                 'an unknown task is reported');
SELECT is(taxshare.warning_feedback(pg_temp.task(:w1, 'W-high'), 'referred', referred_to => '市公安局经侦支队',
                                    actor => '税务局 王科长', at => '2024-11-01 10:00+08'),
          true, 'w1 referred on 1 November: on time');
SELECT results_eq(format($$SELECT status, outcome, response_taken, answered_by FROM taxshare.warning_task WHERE id = %s$$,
                         pg_temp.task(:w1, 'W-high')),
                  $$VALUES ('answered', 'referred', 'referral', '税务局 王科长')$$,
                  'the task keeps outcome, response taken and actor');
SELECT is((pg_temp.ledger(:w1)).status, 'answered', 'all tasks answered: the warning is answered');
SELECT is((pg_temp.ledger(:w1)).state, 'answered', 'state answered');
SELECT ok((pg_temp.ledger(:w1)).feedback_met, 'feedback met');
SELECT throws_ok(format($$SELECT taxshare.warning_feedback(%s, 'dismissed', note => 'again')$$, pg_temp.task(:w1, 'W-high')),
                 '55000', NULL, 'a task is answered once');
SELECT throws_ok(format($$SELECT taxshare.warning_extend(%s, 'more time')$$, :w1), '55000', NULL,
                 'an answered warning cannot be extended');

SELECT is(taxshare.warning_feedback(pg_temp.task(:w2, 'W-medium'), 'recovered', note => '约谈后补缴契税',
                                    amount_recovered => 12000, response_taken => 'assessment',
                                    at => '2024-11-20 15:00+08'),
          true, 'w2 medium: taxes recovered on 20 November, within the extended deadline');
SELECT results_eq(format($$SELECT assessed_on, source FROM taxshare.assessment_log WHERE entity_id = %s$$, pg_temp.id('W-medium')),
                  $$VALUES ('2024-11-20'::date, 'feedback'::text)$$,
                  'an assessment taken is recorded for the once-a-year rule');
SELECT is(taxshare.warning_feedback(pg_temp.task(:w2, 'W-low2'), 'no_action', note => '该车辆已于外地缴纳车船税, 附完税证明',
                                    signed_off_by => '分管副局长 李四', at => '2024-12-10 10:00+08'),
          true, 'w2 low: no action, with a written reason and the leader''s sign-off');
SELECT is((pg_temp.ledger(:w2)).status, 'received', 'one task still open: the warning is not answered yet');
SELECT is((pg_temp.ledger(:w2)).open_tasks, 1::bigint, 'the ledger counts the open task');

-- ---------------------------------------------------------------------------
-- Disputes
-- ---------------------------------------------------------------------------
SELECT throws_ok(format($$SELECT taxshare.warning_dispute(%s, '')$$, pg_temp.task(:w2, 'W-low')), '22023', NULL,
                 'a dispute needs its reason');
SELECT taxshare.warning_dispute(pg_temp.task(:w2, 'W-low'), '车辆登记信息有误, 该车已转籍',
                                at => '2024-12-12 10:00+08') AS d1 \gset
SELECT is((SELECT escalated_to FROM taxshare.warning_dispute WHERE id = :d1), 'office', 'a dispute goes to the office');
SELECT is((SELECT status FROM taxshare.warning_task WHERE id = pg_temp.task(:w2, 'W-low')), 'disputed', 'the task is disputed');
SELECT is((pg_temp.ledger(:w2)).state, 'answered', 'the dispute answers the last task: w2 answered');
SELECT results_eq(format($$SELECT disputed_tasks, no_action_tasks, answered_tasks, extensions FROM taxshare.warning_ledger WHERE warning_id = %s$$, :w2),
                  $$VALUES (1::bigint, 1::bigint, 2::bigint, 1::bigint)$$,
                  'the ledger counts disputed, no-action and answered tasks and the extension');
SELECT throws_ok(format($$SELECT taxshare.warning_dispute_resolve(%s, 'maybe')$$, :d1), '22023', NULL,
                 'a decision is upheld or overturned');
SELECT lives_ok(format($$SELECT taxshare.warning_dispute_resolve(%s, 'overturned', '核实车辆已转籍', at => '2024-12-20 10:00+08')$$, :d1),
                'the office overturns the warning');
SELECT is((SELECT outcome FROM taxshare.warning_task WHERE id = pg_temp.task(:w2, 'W-low')), 'dismissed',
          'an overturned dispute dismisses the points');
SELECT throws_ok(format($$SELECT taxshare.warning_dispute_resolve(%s, 'upheld')$$, :d1), '55000', NULL,
                 'a dispute is decided once');
SELECT taxshare.warning_dispute(pg_temp.task(:w4, 'W-low'), '重大分歧: 涉及政策适用', major => true,
                                at => '2024-11-20 10:00+08') AS d2 \gset
SELECT is((SELECT escalated_to FROM taxshare.warning_dispute WHERE id = :d2), 'city_government',
          'a major dispute goes to the city government');
SELECT is((pg_temp.ledger(:w4)).state, 'answered_late', 'w4 answered on 20 November, after 11 November: late');
SELECT ok(NOT (pg_temp.ledger(:w4)).feedback_met, 'feedback not met');

-- ---------------------------------------------------------------------------
-- Unanswered warnings become duty deductions (art. 31 (三))
-- ---------------------------------------------------------------------------
SELECT is(taxshare.warning_sweep('2024-11-01'), 0, 'before any feedback deadline: no deduction');
SELECT is(taxshare.warning_sweep('2025-06-01'), 2, 'w3 (never answered) and w4 (answered late) cost their units');
SELECT is(taxshare.warning_sweep('2025-06-01'), 0, 'the sweep is idempotent');
SELECT results_eq(format($$SELECT unit_code, part, points, event_date, reason, source FROM taxshare.deduction_event
                            WHERE id = (SELECT deduction_event_id FROM taxshare.warning WHERE id = %s)$$, :w3),
                  $$VALUES ('WUNIT'::text, 'duty'::text, -2, '2025-03-11'::date, 'warning_unanswered'::text, 'warning'::text)$$,
                  'w3: -2 duty points for WUNIT, the day after its deadline');
SELECT ok((pg_temp.ledger(:w4)).deduction_event_id IS NOT NULL, 'the ledger links the deduction');
SELECT ok((pg_temp.ledger(:w1)).deduction_event_id IS NULL AND (pg_temp.ledger(:w2)).deduction_event_id IS NULL,
          'warnings answered in time cost nothing');
SELECT ok((SELECT detail FROM taxshare.deduction_event WHERE id = (pg_temp.ledger(:w3)).deduction_event_id)
          LIKE '%not answered by its feedback deadline 2025-03-10%', 'the deduction says why');
SELECT ok((pg_temp.ledger(:w1)).backdated, 'steps recorded after they happened are flagged in the ledger');

-- ---------------------------------------------------------------------------
-- The assessment done in w2 counts for the rest of 2024
-- ---------------------------------------------------------------------------
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved) VALUES
  ('WR_A01_PROPERTY_DEED_TAX', pg_temp.id('W-medium'), '2024-12-01', 400000),
  ('WR_A03_CONSTRUCTION_VAT', pg_temp.id('W-medium'), '2024-12-01', 600000);
SELECT taxshare.grade_risks('2024-12-01');
SELECT is((SELECT response FROM taxshare.risk_score WHERE period_start = '2024-12-01' AND entity_id = pg_temp.id('W-medium')),
          'verification', 'medium in December after the November assessment: verification');
SELECT ok((SELECT response_reason FROM taxshare.risk_list WHERE period_start = '2024-12-01' AND entity_id = pg_temp.id('W-medium'))
          LIKE '%(2024-09-01)%', 'the reason names the first assessment of the year (the September prescription)');

-- ---------------------------------------------------------------------------
-- Parameters: a DBA who reads "at most 2 cycles" as two extensions
-- ---------------------------------------------------------------------------
UPDATE taxshare.risk_param SET value = 3 WHERE name = 'warning.max_cycles';
SELECT taxshare.warning_push('2024-09-01', 'WUNIT', entity_ids => ARRAY[pg_temp.id('W-medium')],
                             at => '2024-10-08 10:00+08') AS w5 \gset
SELECT taxshare.warning_receive(:w5, at => '2024-10-08 11:00+08');
SELECT is(taxshare.warning_extend(:w5, 'first', at => '2024-10-20 10:00+08'), '2024-12-09'::date,
          '8 October + 60 days = 7 December, a Saturday: 9 December');
SELECT is(taxshare.warning_extend(:w5, 'second', at => '2024-10-21 10:00+08'), '2025-01-06'::date,
          'warning.max_cycles 3 allows a third cycle: 8 October + 90 days = 6 January');
SELECT throws_ok(format($$SELECT taxshare.warning_extend(%s, 'third', at => '2024-10-22 10:00+08')$$, :w5), '55000', NULL,
                 'and refuses a fourth');
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 0 WHERE name = 'warning.max_cycles'$$, '22023', NULL,
                 'warning.max_cycles must be at least 1');

-- ---------------------------------------------------------------------------
-- A warning pushed and received now: the states before any deadline
-- ---------------------------------------------------------------------------
SELECT taxshare.warning_push('2024-09-01', 'WUNIT2', entity_ids => ARRAY[pg_temp.id('W-low2')]) AS w6 \gset
SELECT is((pg_temp.ledger(:w6)).state, 'awaiting_receipt', 'pushed now: awaiting receipt');
SELECT ok((pg_temp.ledger(:w6)).receive_met IS NULL, 'receipt neither met nor missed yet');
SELECT is(taxshare.warning_receive(:w6), true, 'received at once: on time');
SELECT is((pg_temp.ledger(:w6)).state, 'in_progress', 'received, task open: in progress');
SELECT ok((pg_temp.ledger(:w6)).feedback_met IS NULL, 'feedback neither met nor missed yet');
SELECT ok(NOT (pg_temp.ledger(:w6)).backdated, 'steps recorded as they happen are not flagged');
-- pushed 20 days ago and not received: past the receipt deadline, within the feedback one
SELECT taxshare.warning_push('2024-09-01', 'WUNIT2', entity_ids => ARRAY[pg_temp.id('W-medium')],
                             at => now() - interval '20 days') AS w7 \gset
SELECT is((pg_temp.ledger(:w7)).state, 'receipt_overdue', 'not received within 3 working days: receipt overdue');
SELECT ok(NOT (pg_temp.ledger(:w7)).receive_met AND (pg_temp.ledger(:w7)).feedback_met IS NULL,
          'receipt missed, feedback still open');

-- ---------------------------------------------------------------------------
-- One reading of "每月10日前" (#19): the push deadline is the reporting deadline
-- ---------------------------------------------------------------------------
SELECT is((taxshare.warning_deadlines('2024-09-01'::date, NULL)).push_due, '2024-10-10'::date,
          'push for September 2024: by Thursday 10 October, the 10th included');
SELECT is((taxshare.warning_deadlines('2024-01-01'::date, NULL)).push_due, '2024-02-18'::date,
          'push for January 2024: 10 February is in the Spring Festival, moved to the make-up Sunday 18 February');
SELECT is((taxshare.warning_deadlines('2025-02-01'::date, NULL)).push_due, '2025-03-10'::date,
          'push for February 2025: Monday 10 March');
SELECT is((SELECT count(*)::int FROM generate_series('2024-01-01'::date, '2026-11-01', '1 month') m
            WHERE (taxshare.warning_deadlines(m::date, NULL)).push_due
                  IS DISTINCT FROM taxshare.due_date('monthly', m::date, 'hengyang')), 0,
          'every month of 2024-2026: the push deadline is the monthly reporting deadline');
-- a DBA whose last day is the 9th: the push for February 2025 fell on Sunday 9 March
UPDATE taxshare.risk_param SET value = 9 WHERE name = 'warning.push_before_day';
SELECT is((taxshare.warning_deadlines('2025-02-01'::date, NULL)).push_due, '2025-03-10'::date,
          'last day the 9th: Sunday 9 March 2025 moves to Monday 10 March like every other deadline');
SET LOCAL taxshare.due_date_roll_forward = off;
SELECT is((taxshare.warning_deadlines('2025-02-01'::date, NULL)).push_due, '2025-03-09'::date,
          'with taxshare.due_date_roll_forward off it stays on the Sunday');
SET LOCAL taxshare.due_date_roll_forward = on;
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 0 WHERE name = 'warning.push_before_day'$$, '22023', NULL,
                 'warning.push_before_day is a day of the month, at least 1');
SELECT throws_ok($$UPDATE taxshare.risk_param SET value = 29 WHERE name = 'warning.push_before_day'$$, '22023', NULL,
                 'and at most 28 (every month has one)');

-- ---------------------------------------------------------------------------
-- Stored deadlines: later changes of parameters do not rewrite history
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE before_change AS
  SELECT warning_id, push_due, push_met, receive_due, receive_met, feedback_due, feedback_met
    FROM taxshare.warning_ledger;
UPDATE taxshare.risk_param SET value = 5 WHERE name = 'warning.push_before_day';
UPDATE taxshare.risk_param SET value = 10 WHERE name = 'warning.receive_working_days';
UPDATE taxshare.risk_param SET value = 15 WHERE name = 'warning.cycle_days';
-- (w6's feedback deadline falls in 2027, which has no holiday notice: it is
-- counted, with the parameters of the day, once the notice is loaded)
SELECT is((SELECT count(*)::int FROM taxshare.warning_ledger l JOIN before_change b USING (warning_id)
            WHERE b.receive_due IS NOT NULL AND b.feedback_due IS NOT NULL
              AND (l.push_due, l.push_met, l.receive_due, l.receive_met, l.feedback_due, l.feedback_met)
                  IS DISTINCT FROM (b.push_due, b.push_met, b.receive_due, b.receive_met, b.feedback_due, b.feedback_met)),
          0, 'new parameters change no deadline of a warning already pushed');
SELECT is((SELECT count(*)::int FROM before_change WHERE receive_due IS NOT NULL AND feedback_due IS NOT NULL), 6,
          'six of the seven warnings had every deadline');
SELECT is((taxshare.warning_deadlines(:w1::bigint)).feedback_due, '2024-11-08'::date,
          'warning_deadlines(id) reads the stored feedback deadline of w1');
SELECT taxshare.warning_push('2024-09-01', 'WTAX2', entity_ids => ARRAY[pg_temp.id('W-high')],
                             at => '2024-10-08 10:00+08') AS w8 \gset
SELECT results_eq(format($$SELECT push_due, receive_due, feedback_due FROM taxshare.warning WHERE id = %s$$, :w8),
                  $$VALUES ('2024-10-08'::date, '2024-10-21'::date, '2024-11-05'::date)$$,
                  'a warning pushed after the change stores the new ones: the 5th moved to 8 October, 10 working days, 15 days');
SELECT is(taxshare.warning_receive(:w8, at => '2024-10-09 10:00+08'), true, 'w8 received on 9 October');
SELECT is((pg_temp.ledger(:w8)).feedback_due, '2024-10-24'::date, 'the receipt stores its feedback deadline: 9 + 15 days');
UPDATE taxshare.risk_param SET value = 30 WHERE name = 'warning.cycle_days';
SELECT is((pg_temp.ledger(:w8)).feedback_due, '2024-10-24'::date, 'and a later change of the cycle leaves it');
SELECT is(taxshare.warning_extend(:w8, '需外省协查', at => '2024-10-20 10:00+08'), '2024-12-09'::date,
          'an extension is counted with the parameters of its day: 9 October + 2 x 30 days = 8 December, a Sunday: 9 December');
SELECT is((SELECT feedback_due FROM taxshare.warning WHERE id = :w8), '2024-12-09'::date, 'and stored');
UPDATE taxshare.risk_param SET value = 10 WHERE name = 'warning.push_before_day';
UPDATE taxshare.risk_param SET value = 3 WHERE name = 'warning.receive_working_days';

-- ---------------------------------------------------------------------------
-- A year without holiday data: its deadlines stay empty, the ledger stays readable
-- ---------------------------------------------------------------------------
SET LOCAL taxshare.calendar_missing_year = error;
CREATE TEMP TABLE holiday_2025 AS SELECT * FROM taxshare.holiday WHERE day >= '2025-01-01' AND day < '2026-01-01';
DELETE FROM taxshare.holiday WHERE day >= '2025-01-01' AND day < '2026-01-01';
SELECT results_eq(format($$SELECT receive_due, feedback_due FROM taxshare.warning_ledger WHERE warning_id = %s$$, :w3),
                  $$VALUES ('2025-02-07'::date, '2025-03-10'::date)$$,
                  'w3, pushed in January 2025, keeps the deadlines it was given: the holidays are not read again');
SELECT taxshare.warning_push('2024-09-01', 'WUNIT', entity_ids => ARRAY[pg_temp.id('W-low')],
                             at => '2025-01-27 10:00+08') AS w9 \gset
SELECT ok((pg_temp.ledger(:w9)).receive_due IS NULL AND (pg_temp.ledger(:w9)).feedback_due IS NULL,
          'w9, pushed while 2025 has no holiday notice, has no receipt or feedback deadline');
SELECT is((SELECT count(*)::int FROM taxshare.warning_ledger WHERE warning_id IN (:w1, :w2, :w3, :w4, :w9)), 5,
          'and the ledger is still readable');
SELECT is((pg_temp.ledger(:w1)).feedback_due, '2024-11-08'::date, 'other years are not affected');
INSERT INTO taxshare.holiday SELECT * FROM holiday_2025;
SELECT is((pg_temp.ledger(:w9)).receive_due, '2025-02-07'::date,
          'once the notice is back, the ledger counts the missing deadline: 5, 6, 7 February');
SELECT ok((SELECT receive_due IS NULL FROM taxshare.warning WHERE id = :w9), 'not yet stored');
SELECT taxshare.warning_sweep('2025-01-28');
SELECT results_eq(format($$SELECT receive_due, feedback_due FROM taxshare.warning WHERE id = %s$$, :w9),
                  $$VALUES ('2025-02-07'::date, '2025-03-10'::date)$$,
                  'the sweep stores the deadlines the calendar now has');

SELECT * FROM finish();
ROLLBACK;
