-- Warnings and their feedback (control/install/88_warning.sql): one month of
-- the cycle of seeds/000 art. 18-20 around the 2025 National Day holiday
-- (1-8 October off, Sunday 28 September and Saturday 11 October worked).
-- Own unit codes (WG...), entities (WG-...) and the period 2025-09-01.
SET client_min_messages = warning;
SET taxshare.language = en;
SET datestyle = 'ISO, YMD';
SET TimeZone = 'Asia/Shanghai';
SET taxshare.due_date_roll_forward = on;

INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('WGTAX', '国家税务总局某市税务局 (测试)', 'tax'), ('WGZJJ', '住房和城乡建设局 (测试)', 'department');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "预警示例 %s", "provider": "WGZJJ",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['WG-SRC', 'WG-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
SELECT 'WG_' || code, 'warning example ' || code, 'WG-SRC', 'WG-DST', 'party', 'missing', code
  FROM taxshare.indicator WHERE code IN ('M05_INVOICE_FRAUD', 'A01_PROPERTY_DEED_TAX', 'A03_CONSTRUCTION_VAT',
                                         'A06_GOVT_PAYMENT_INVOICE');
INSERT INTO taxshare.entity (kind, name) VALUES
  ('enterprise', 'WG-某贸易有限公司'), ('enterprise', 'WG-某置业有限公司'), ('enterprise', 'WG-某建筑工程有限公司');
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
SELECT v.r, e.id, '2025-09-01', v.a
  FROM (VALUES ('WG-某贸易有限公司', 'WG_M05_INVOICE_FRAUD', 2500000),
               ('WG-某置业有限公司', 'WG_A01_PROPERTY_DEED_TAX', 450000),
               ('WG-某置业有限公司', 'WG_A03_CONSTRUCTION_VAT', 800000),
               ('WG-某建筑工程有限公司', 'WG_A06_GOVT_PAYMENT_INVOICE', 60000)) v(n, r, a)
  JOIN taxshare.entity e ON e.name = v.n;
SELECT entities, high, medium, low FROM taxshare.grade_risks('2025-09-01');

-- 1. Push (before the 10th of October): high risks on Tuesday 30 September,
--    the rest on Thursday 9 October, the first working day after the holiday.
SELECT taxshare.warning_push('2025-09-01', 'WGTAX', ARRAY['high'], title => '2025年9月 高风险',
                             actor => '市财源办', at => '2025-09-30 10:00') AS w_high \gset
SELECT taxshare.warning_push('2025-09-01', 'WGTAX', ARRAY['medium', 'low'], title => '2025年9月 中低风险',
                             actor => '市财源办', at => '2025-10-09 09:30') AS w_rest \gset
SELECT e.name, t.grade, t.score, t.response
  FROM taxshare.warning_task t JOIN taxshare.entity e ON e.id = t.entity_id
 WHERE t.warning_id IN (:w_high, :w_rest) ORDER BY t.rank;

-- 2. Receive within 3 working days: 30 September + 3 = 11 October (1-8
--    October off, Saturday 11 October worked); 9 October + 3 = 13 October.
--    The second warning is received late.
SELECT taxshare.warning_receive(:w_high, actor => '税务局 风险管理科', at => '2025-10-10 16:00') AS on_time;
SELECT taxshare.warning_receive(:w_rest, actor => '税务局 风险管理科', at => '2025-10-15 09:00') AS on_time;

-- 3.-4. Respond and feed back within 30 days; the second warning is extended once.
SELECT taxshare.warning_feedback(t.id, 'referred', referred_to => '市公安局经侦支队',
                                 actor => '税务局 稽查局', at => '2025-11-03 10:00') AS on_time
  FROM taxshare.warning_task t WHERE t.warning_id = :w_high;
SELECT taxshare.warning_extend(:w_rest, '涉及外地项目, 等待项目所在地税务机关协查回复',
                               actor => '税务局 风险管理科', at => '2025-11-05 10:00') AS new_deadline;
\set VERBOSITY sqlstate
SELECT taxshare.warning_extend(:w_rest, '再次延期', at => '2025-11-06 10:00');
\set VERBOSITY default
SELECT taxshare.warning_feedback(t.id, 'recovered', note => '约谈后补缴契税及滞纳金', amount_recovered => 13500.00,
                                 response_taken => 'assessment', at => '2025-11-28 15:00') AS on_time
  FROM taxshare.warning_task t JOIN taxshare.entity e ON e.id = t.entity_id
 WHERE t.warning_id = :w_rest AND e.name = 'WG-某置业有限公司';
-- a no-action answer without the leader's signature is refused
SELECT taxshare.warning_feedback(t.id, 'no_action', note => '款项为预付款, 已于次月开票')
  FROM taxshare.warning_task t JOIN taxshare.entity e ON e.id = t.entity_id
 WHERE t.warning_id = :w_rest AND e.name = 'WG-某建筑工程有限公司';
SELECT taxshare.warning_feedback(t.id, 'no_action', note => '款项为预付款, 已于次月开票',
                                 signed_off_by => '分管副局长', at => '2025-12-01 11:00') AS on_time
  FROM taxshare.warning_task t JOIN taxshare.entity e ON e.id = t.entity_id
 WHERE t.warning_id = :w_rest AND e.name = 'WG-某建筑工程有限公司';

-- 5. The ledger: every deadline and whether it was met.
SELECT title, tasks, answered_tasks, no_action_tasks, recovered, status, state,
       push_due, push_met, receive_due, receive_met, cycles, feedback_due, feedback_met
  FROM taxshare.warning_ledger WHERE warning_id IN (:w_high, :w_rest) ORDER BY warning_id;
SELECT title, pushed_by, to_char(pushed_at, 'YYYY-MM-DD HH24:MI') AS pushed, received_by,
       to_char(received_at, 'YYYY-MM-DD HH24:MI') AS received, extension_reason
  FROM taxshare.warning_ledger WHERE warning_id IN (:w_high, :w_rest) ORDER BY warning_id;

-- A warning the unit never answers costs it 2 duty points after the deadline.
SELECT taxshare.warning_push('2025-09-01', 'WGZJJ', ARRAY['high'], title => '2025年9月 抄送住建',
                             at => '2025-10-09 10:00') AS w_unit \gset
SELECT state, receive_due, receive_met, feedback_due FROM taxshare.warning_ledger WHERE warning_id = :w_unit;
SELECT taxshare.warning_sweep('2025-12-31') AS deductions;
SELECT d.unit_code, d.part, d.points, d.event_date, d.reason, d.source,
       regexp_replace(d.detail, '^warning [0-9]+', 'warning N') AS detail
  FROM taxshare.warning_ledger l JOIN taxshare.deduction_event d ON d.id = l.deduction_event_id
 WHERE l.warning_id = :w_unit;
SELECT taxshare.warning_sweep('2025-12-31') AS deductions_again;
