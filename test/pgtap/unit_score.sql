-- pgTAP: the units' score (control/install/92_unit_score.sql): every deduction
-- of the four parts with the numbers of seeds/000 art. 31, the sweep's dating
-- of them, disputes, the monthly / quarterly / yearly roll-up with floors,
-- ranks with ties, the change from the previous period, recomputation from
-- the stored evidence, closed years, bad input and who sees what.  Expected
-- values are counted by hand on the 2025 calendar: 3 March 2025 is a Monday,
-- so 5 working days after it is Monday 10 March; 14 March is a Friday, 2
-- working days after it Tuesday 18 March.
BEGIN;
SELECT plan(96);

SET LOCAL TimeZone = 'Asia/Shanghai';
SET LOCAL datestyle = 'ISO, YMD';
SET LOCAL taxshare.calendar_missing_year = error;
SET LOCAL taxshare.due_date_roll_forward = on;
SET LOCAL taxshare.language = 'en';
SET LOCAL client_min_messages = warning;

SELECT has_table('taxshare', 'unit_score', 'table unit_score exists');
SELECT col_is_pk('taxshare', 'unit_score', ARRAY['period_kind', 'period_start', 'unit_code'],
                 'a score is a unit x period');
SELECT has_column('taxshare', 'deduction_event', 'evidence_id', 'deduction_event names its evidence');
SELECT is(taxshare._unit_score_setting('contact.filing_working_days'), 5, 'the filing window defaults to 5 working days');
SELECT is(taxshare._unit_score_setting('dispute.working_days'), 10, 'disputes default to 10 working days');
INSERT INTO taxshare.unit_score_param (name, value, description) VALUES ('request.working_days', 7, 'restored');
SELECT is((SELECT count(*)::int FROM taxshare.unit_score_param WHERE name = 'request.working_days'), 1,
          'inserting an existing parameter (as a restore does) keeps one row');
SELECT is(taxshare._unit_score_setting('request.working_days'), 7, 'and takes the value inserted');
UPDATE taxshare.unit_score_param SET value = 5 WHERE name = 'request.working_days';

-- ---------------------------------------------------------------------------
-- Fixtures
-- ---------------------------------------------------------------------------
INSERT INTO taxshare.unit (code, name, kind, created_at) VALUES
  ('SA', '考核单位甲', 'department', '2024-06-01'),
  ('SB', '考核单位乙', 'department', '2024-06-01'),
  ('SC', '考核单位丙', 'department', '2025-03-03 09:00+08'),
  ('SD', '考核单位丁', 'department', '2024-06-01'),
  ('SE', '考核单位戊', 'department', '2024-06-01'),
  ('ST', '考核税务', 'tax', '2024-06-01'),
  ('SR', '考核关联', 'related', '2024-06-01'),
  ('SO', '考核财源办', 'office', '2024-06-01');

CREATE FUNCTION pg_temp.contact(unit text, role text, changed date, filed timestamptz)
RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO taxshare.unit_contact (unit_code, role, name, changed_on, filed_at)
  VALUES (unit, role, unit || ' ' || role || ' ' || changed, changed, filed) RETURNING id $$;
SELECT pg_temp.contact(u, r, '2024-06-03', '2024-06-03 10:00+08')
  FROM unnest(ARRAY['SA', 'SD', 'SE', 'ST', 'SR']) u, unnest(ARRAY['leader', 'liaison']) r;
-- SA: the liaison changes on 3 March, filed on the 12th (window ends on the
-- 10th: late); the leader changes the same day, filed on the 10th (in time)
SELECT pg_temp.contact('SA', 'liaison', '2025-03-03', '2025-03-12 10:00+08') AS late_change \gset
SELECT pg_temp.contact('SA', 'leader', '2025-03-03', '2025-03-10 16:00+08');
-- SB names its liaison only on 10 February and never a leader
SELECT pg_temp.contact('SB', 'liaison', '2025-02-10', '2025-02-10 10:00+08');
-- SC, new on 3 March, names its leader on the 5th, never a liaison
SELECT pg_temp.contact('SC', 'leader', '2025-03-05', '2025-03-05 10:00+08');

-- Reporting deductions as refresh_obligations() writes them (tested in obligation.sql)
CREATE FUNCTION pg_temp.reporting(unit text, day date, n integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date,
                                        reason, points, source, detail)
  SELECT unit, 'reporting', 'ITEM-' || g, date_trunc('month', day - 20)::date, 1, day, 'missing', -2, 'obligation', 'test'
    FROM generate_series(1, n) g $$;
SELECT pg_temp.reporting('SA', '2025-03-14', 3);
INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date,
                                      reason, points, source, detail)
VALUES ('SA', 'reporting', 'ITEM-J', '2024-12-01', 1, '2025-01-20', 'missing', -2, 'obligation', 'test');
SELECT pg_temp.reporting('SD', '2025-02-14', 21);

-- ---------------------------------------------------------------------------
-- Organisation (art. 10, 31 (一))
-- ---------------------------------------------------------------------------
SELECT results_eq($$SELECT unit_code, complete, late_changes FROM taxshare.unit_contact_check
                    WHERE unit_code IN ('SA', 'SB', 'SC') ORDER BY 1$$,
                  $$VALUES ('SA', true, 1::bigint), ('SB', false, 0::bigint), ('SC', false, 0::bigint)$$,
                  'unit_contact_check: SA complete with one late change, SB and SC lack a contact');

SELECT lives_ok($$SELECT taxshare.unit_score_sweep('2025-03-10')$$, 'the sweep runs as of 10 March');
SELECT results_eq($$SELECT unit_code, reason, points, event_date FROM taxshare.deduction_event
                    WHERE part = 'organisation' ORDER BY unit_code, reason$$,
                  $$VALUES ('SB', 'no_leader', -5, '2025-01-01'::date), ('SB', 'no_liaison', -10, '2025-01-01'::date)$$,
                  'as of 10 March: SB without leader -5 and without liaison -10, dated 1 January; SC still has its window; SA''s late filing not yet made');
SELECT lives_ok($$SELECT taxshare.unit_score_sweep('2025-03-31')$$, 'the sweep runs as of 31 March');
SELECT lives_ok($$SELECT taxshare.unit_score_sweep('2025-03-31')$$, 'and again');
SELECT results_eq($$SELECT unit_code, reason, points, event_date, source FROM taxshare.deduction_event
                    WHERE part = 'organisation' ORDER BY unit_code, reason$$,
                  $$VALUES ('SA', 'contact_late', -5, '2025-03-11'::date, 'unit_contact'),
                           ('SB', 'no_leader', -5, '2025-01-01'::date, 'organisation'),
                           ('SB', 'no_liaison', -10, '2025-01-01'::date, 'organisation'),
                           ('SC', 'no_liaison', -10, '2025-03-11'::date, 'organisation')$$,
                  'as of 31 March: SA''s change filed after 10 March -5 dated the 11th; SC without liaison after its window -10 dated the 11th; each once however often the sweep runs');
SELECT is((SELECT evidence_id FROM taxshare.deduction_event WHERE reason = 'contact_late'), :late_change::bigint,
          'the late change deduction names the unit_contact row');
SELECT lives_ok($$SELECT taxshare.unit_score_sweep('2025-11-30')$$, 'a sweep later in the year');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE reason IN ('no_leader', 'no_liaison')), 3,
          'no leader / no liaison count once a year');

-- ---------------------------------------------------------------------------
-- Duty: requests and meetings (art. 31 (三))
-- ---------------------------------------------------------------------------
SELECT taxshare.request_send('SA', 'r1 临时数据', sent_on => '2025-03-03') AS r1 \gset
SELECT is((SELECT due_on FROM taxshare.office_request WHERE id = :r1), '2025-03-10'::date,
          'a request without due day is due 5 working days after it was sent');
SELECT taxshare.request_send('SA', 'r2', due => '2025-03-05', sent_on => '2025-03-03') AS r2 \gset
SELECT taxshare.request_send('SA', 'r3', sent_on => '2025-03-03') AS r3 \gset
SELECT taxshare.request_send('SA', 'r4', sent_on => '2025-03-03') AS r4 \gset
SELECT lives_ok(format($$SELECT taxshare.request_answer(%s, 'done', '2025-03-10')$$, :r1), 'r1 answered on its due day');
SELECT lives_ok(format($$SELECT taxshare.request_answer(%s, 'done', '2025-03-07')$$, :r2), 'r2 answered two days late');
SELECT lives_ok(format($$SELECT taxshare.request_refuse(%s, '无此数据', '2025-03-04')$$, :r3), 'r3 refused');
SELECT throws_ok(format($$SELECT taxshare.request_refuse(%s, '')$$, :r4), '22023', NULL, 'a refusal needs a reason');
SELECT throws_ok(format($$SELECT taxshare.request_answer(%s)$$, :r3), '55000', NULL, 'a request is closed once');
SELECT taxshare.request_send('SB', 'refuse ' || g, sent_on => '2025-03-03') FROM generate_series(1, 11) g;
SELECT taxshare.request_refuse(id, 'no', '2025-03-05') FROM taxshare.office_request WHERE unit_code = 'SB';

SELECT taxshare.meeting_hold('2025-03-12', '季度调度会', ARRAY['SA', 'SB', 'SC']) AS m1 \gset
SELECT taxshare.meeting_attend(:m1, 'SA');
SELECT taxshare.meeting_attend(:m1, 'SB', false, '因病请假');
SELECT taxshare.meeting_attend(:m1, 'SC', false);
SELECT taxshare.meeting_hold('2025-03-14', '专题会', ARRAY['SA']) AS m2 \gset
SELECT throws_ok(format($$SELECT taxshare.meeting_attend(%s, 'SB')$$, :m2), '22023', NULL,
                 'attendance only for invited units');

SELECT taxshare.unit_score_sweep('2025-03-10');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE part = 'duty' AND unit_code = 'SA'), 2,
          'as of 10 March: r2 (late) and r3 (refused); r4 is due that day');
SELECT taxshare.unit_score_sweep('2025-03-18');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE source = 'meeting_invite' AND unit_code = 'SA'), 0,
          'as of 18 March the attendance of the 14 March meeting may still be recorded');
SELECT taxshare.unit_score_sweep('2025-03-19');
SELECT results_eq($$SELECT reason, points, event_date, evidence_id FROM taxshare.deduction_event
                    WHERE part = 'duty' AND unit_code = 'SA' ORDER BY event_date$$,
                  format($$VALUES ('request_refused', -2, '2025-03-04'::date, %s::bigint),
                                  ('request_unanswered', -2, '2025-03-06'::date, %s::bigint),
                                  ('request_unanswered', -2, '2025-03-11'::date, %s::bigint),
                                  ('meeting_missed', -2, '2025-03-14'::date,
                                   (SELECT id FROM taxshare.meeting_invite WHERE meeting_id = %s))$$,
                         :r3, :r2, :r4, :m2),
                  'SA''s duty deductions: refused r3 on the 4th, r2 late dated the day after its due day, r4 unanswered, the unrecorded meeting -2 each');
SELECT results_eq($$SELECT unit_code, count(*)::int FROM taxshare.deduction_event
                    WHERE source = 'meeting_invite' GROUP BY 1 ORDER BY 1$$,
                  $$VALUES ('SA', 1), ('SC', 1)$$, 'meetings: SC absent -2, SB excused, SA attended the first');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE unit_code = 'SB' AND part = 'duty'), 11,
          'SB: eleven refused requests');

-- ---------------------------------------------------------------------------
-- Confidentiality (art. 29, 31 (四))
-- ---------------------------------------------------------------------------
SELECT taxshare.incident_record('SA', '2025-03-20', '误发邮件, 已追回', false, measures => '已追回');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE part = 'confidentiality'), 0,
          'an incident without serious consequences deducts nothing');
SELECT taxshare.incident_record('SB', '2025-04-02', '数据外泄', true, referral => '移送纪检监察') AS inc \gset
SELECT results_eq($$SELECT unit_code, points, event_date, reason FROM taxshare.deduction_event WHERE part = 'confidentiality'$$,
                  $$VALUES ('SB', -20, '2025-04-02'::date, 'incident_serious')$$,
                  'a serious incident takes the whole confidentiality part, dated when it happened');

-- ---------------------------------------------------------------------------
-- The score
-- ---------------------------------------------------------------------------
SELECT is(taxshare.unit_score_compute('month', '2025-02-01'), 7, 'February: seven units scored (not the office)');
SELECT is(taxshare.unit_score_compute('month', '2025-03-01'), 7, 'March: seven units scored');
SELECT results_eq($$SELECT unit_code, organisation, reporting, duty, confidentiality, total,
                           n_organisation, n_reporting, n_duty, n_confidentiality, rank, change
                      FROM taxshare.unit_score WHERE period_kind = 'month' AND period_start = '2025-03-01'
                     ORDER BY unit_kind, rank, unit_code$$,
                  $$VALUES ('SD', 20, 40, 20, 20, 100, 0, 0, 0, 0, 1, 40),
                           ('SE', 20, 40, 20, 20, 100, 0, 0, 0, 0, 1, 0),
                           ('SC', 10, 40, 18, 20, 88, 1, 0, 1, 0, 3, -12),
                           ('SA', 15, 34, 12, 20, 81, 1, 3, 4, 0, 4, -19),
                           ('SB', 20, 40, 0, 20, 80, 0, 0, 11, 0, 5, -20),
                           ('SR', 20, 40, 20, 20, 100, 0, 0, 0, 0, 1, 0),
                           ('ST', 20, 40, 20, 20, 100, 0, 0, 0, 0, 1, 0)$$,
                  'March: parts floored at 0 (SB''s duty), ties share a rank (1, 1, 3), ranks within a kind, change from February');
SELECT is((SELECT reporting FROM taxshare.unit_score WHERE period_kind = 'month' AND period_start = '2025-02-01'
            AND unit_code = 'SD'), 0, 'February: 21 reporting deductions (-42) floor the part at 0');
SELECT results_eq($$SELECT unit_code, listed_apart FROM taxshare.unit_score
                    WHERE period_kind = 'month' AND period_start = '2025-03-01' AND listed_apart$$,
                  $$VALUES ('ST', true)$$, 'the tax bureau is listed apart');

SELECT is(taxshare.unit_score_compute('quarter', '2025-01-01'), 7, 'the first quarter');
SELECT results_eq($$SELECT unit_code, organisation, reporting, duty, total FROM taxshare.unit_score
                    WHERE period_kind = 'quarter' AND unit_code IN ('SA', 'SB', 'SD') ORDER BY 1$$,
                  $$VALUES ('SA', 15, 32, 12, 79), ('SB', 5, 40, 0, 65), ('SD', 20, 0, 20, 60)$$,
                  'Q1: January''s deductions count (SA -2 reporting, SB -15 organisation)');
SELECT is(taxshare.unit_score_compute('year', '2025-01-01'), 7, 'the year');
SELECT results_eq($$SELECT unit_code, organisation, reporting, duty, confidentiality, total, n_confidentiality
                      FROM taxshare.unit_score WHERE period_kind = 'year' AND unit_code IN ('SA', 'SB') ORDER BY 1$$,
                  $$VALUES ('SA', 15, 32, 12, 20, 79, 0), ('SB', 5, 40, 0, 0, 45, 1)$$,
                  'the year: full points minus the year''s deductions, floored (SB''s April incident: confidentiality 0)');
SELECT is((SELECT change FROM taxshare.unit_score WHERE period_kind = 'year' AND unit_code = 'SA'), NULL::integer,
          'no change when the previous year was not computed');

-- a year's part is the full points minus the year's deductions, not the sum of months
SELECT pg_temp.reporting('SE', d::date, 1) FROM generate_series('2025-01-15'::date, '2025-12-15', '1 month') d;
SELECT taxshare.request_send('SE', 'x' || g, due => '2025-05-06', sent_on => '2025-04-28') FROM generate_series(1, 11) g;
SELECT taxshare.unit_score_sweep('2025-05-31');
SELECT taxshare.unit_score_compute('year', '2025-01-01');
SELECT results_eq($$SELECT reporting, duty FROM taxshare.unit_score WHERE period_kind = 'year' AND unit_code = 'SE'$$,
                  $$VALUES (16, 0)$$,
                  'SE''s year: 12 monthly deductions of 2 give reporting 40 - 24 = 16; 11 unanswered requests floor duty at 0');

-- related units left out by the parameter
UPDATE taxshare.unit_score_param SET value = 1 WHERE name = 'score.exclude_related';
SELECT is(taxshare.unit_score_compute('month', '2025-03-01'), 6, 'with score.exclude_related = 1 the related unit is not scored');
SELECT is((SELECT count(*)::int FROM taxshare.unit_score WHERE unit_code = 'SR' AND period_kind = 'month'
            AND period_start = '2025-03-01'), 0, 'and its row is gone');
UPDATE taxshare.unit_score_param SET value = 0 WHERE name = 'score.exclude_related';
SELECT taxshare.unit_score_compute('month', '2025-03-01');

-- recomputation from the stored evidence
SELECT is_empty($$SELECT * FROM taxshare.unit_score_verify('month', '2025-03-01')$$,
                'March recomputed from the stored evidence equals the stored score');
SELECT is_empty($$SELECT * FROM taxshare.unit_score_verify('year', '2025-01-01')$$,
                'so does the year');
INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date,
                                      reason, points, source, detail, created_at)
VALUES ('SD', 'reporting', 'ITEM-LATER', '2025-02-01', 1, '2025-03-20', 'missing', -2, 'obligation', 'later',
        now() + interval '1 minute');
SELECT is_empty($$SELECT * FROM taxshare.unit_score_verify('month', '2025-03-01')$$,
                'a fact recorded after the computation does not make the stored score wrong');
SELECT is((SELECT total FROM taxshare.unit_score_calc('month', '2025-03-01') WHERE unit_code = 'SD'), 98,
          'but counts when the month is computed again');
UPDATE taxshare.unit_score SET duty = 19, total = 99
 WHERE period_kind = 'month' AND period_start = '2025-03-01' AND unit_code = 'SE';
SELECT results_eq($$SELECT unit_code, stored, recomputed FROM taxshare.unit_score_verify('month', '2025-03-01')$$,
                  $$VALUES ('SE', 99, 98)$$, 'a stored score that the evidence does not give is found');

-- closed years
SELECT lives_ok($$SELECT taxshare.unit_score_close(2025)$$, 'the office closes 2025');
SELECT throws_ok($$SELECT taxshare.unit_score_compute('month', '2025-03-01')$$, '55000', NULL,
                 'a closed year does not move');
SELECT is((SELECT total FROM taxshare.unit_score WHERE period_kind = 'month' AND period_start = '2025-03-01'
            AND unit_code = 'SD'), 100, 'the later fact leaves the closed March as it was');
SELECT throws_ok($$SELECT taxshare.unit_score_reopen(2025, ' ')$$, '22023', NULL, 'reopening needs a reason');
SELECT throws_ok($$SELECT taxshare.unit_score_close(2024)$$, '55000', NULL, 'a year not computed cannot be closed');
SELECT lives_ok($$SELECT taxshare.unit_score_reopen(2025, '补录事实')$$, 'the office reopens 2025');
SELECT throws_ok($$SELECT taxshare.unit_score_reopen(2025, 'again')$$, '55000', NULL, 'an open year is not reopened');
-- (the test runs in one transaction, where now() stands still: the later fact
-- is now made to look recorded before the computation)
UPDATE taxshare.deduction_event SET created_at = now() WHERE item_code = 'ITEM-LATER';
SELECT taxshare.unit_score_compute('month', '2025-03-01');
SELECT is((SELECT total FROM taxshare.unit_score WHERE period_kind = 'month' AND period_start = '2025-03-01'
            AND unit_code = 'SD'), 98, 'reopened, the month takes the later fact');

-- ---------------------------------------------------------------------------
-- Disputes
-- ---------------------------------------------------------------------------
SET LOCAL taxshare.calendar_missing_year = weekends;
CREATE FUNCTION pg_temp.ded(unit text, day date, created timestamptz DEFAULT now()) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date,
                                        reason, points, source, detail, created_at)
  VALUES (unit, 'reporting', 'DISPUTE-' || day || '-' || clock_timestamp(), date_trunc('month', day)::date, 1, day,
          'missing', -2, 'obligation', 'to dispute', created) RETURNING id $$;
SELECT pg_temp.ded('SA', current_date) AS d1 \gset
SELECT pg_temp.ded('SA', current_date) AS d2 \gset
SELECT pg_temp.ded('SA', current_date - 40, now() - interval '40 days') AS d3 \gset
SELECT taxshare.deduction_dispute(:d1, '已按期报送, 系平台接收延迟') AS x1 \gset
SELECT ok(:x1 > 0, 'SA disputes d1');
SELECT throws_ok(format($$SELECT taxshare.deduction_dispute(%s, 'again')$$, :d1), '55000', NULL,
                 'a deduction is disputed once');
SELECT throws_ok(format($$SELECT taxshare.deduction_dispute(%s, 'too late')$$, :d3), '55000', NULL,
                 'after 10 working days a dispute is refused');
SELECT throws_ok(format($$SELECT taxshare.deduction_dispute(%s, '  ')$$, :d2), '22023', NULL, 'a dispute needs grounds');
SELECT throws_ok($$SELECT taxshare.deduction_dispute(-1, 'x')$$, '22023', NULL, 'an unknown deduction is refused');
SELECT results_eq(format($$SELECT dispute_state FROM taxshare.deduction_effective WHERE id = %s$$, :d1),
                  $$VALUES ('open')$$, 'while open the deduction counts');
SELECT throws_ok(format($$SELECT taxshare.deduction_decide(%s, 'dropped', 'x')$$, :x1), '22023', NULL,
                 'the decision is upheld or cancelled');
SELECT throws_ok(format($$SELECT taxshare.deduction_decide(%s, 'cancelled', '')$$, :x1), '22023', NULL,
                 'a decision needs a reason');
SELECT lives_ok(format($$SELECT taxshare.deduction_decide(%s, 'cancelled', '核实为平台原因')$$, :x1),
                'the office cancels d1');
SELECT throws_ok(format($$SELECT taxshare.deduction_decide(%s, 'upheld', 'x')$$, :x1), '55000', NULL,
                 'a dispute is decided once');
SELECT is_empty(format($$SELECT 1 FROM taxshare.deduction_effective WHERE id = %s$$, :d1),
                'a cancelled deduction no longer counts');
SELECT throws_ok(format($$SELECT taxshare.deduction_dispute(%s, 'x')$$, :d1), '55000', 'deduction ' || :d1 || ' is cancelled',
                 'a cancelled deduction cannot be disputed');
SELECT taxshare.deduction_dispute(:d2, '理由') AS x2 \gset
SELECT taxshare.deduction_decide(:x2, 'upheld', '证据充分');
SELECT results_eq(format($$SELECT dispute_state FROM taxshare.deduction_effective WHERE id = %s$$, :d2),
                  $$VALUES ('upheld')$$, 'an upheld deduction counts');
SELECT is((SELECT reporting FROM taxshare.unit_score_calc('month', date_trunc('month', current_date)::date)
            WHERE unit_code = 'SA'), 38, 'this month SA loses 2 for d2, nothing for the cancelled d1');
SELECT is((SELECT count(*)::int FROM taxshare.ledger WHERE action IN ('deduction_dispute', 'deduction_decision')), 4,
          'disputes and decisions are in the ledger');
SELECT ok((taxshare.ledger_verify()).ok, 'the ledger verifies');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE id IN (:d1, :d2)), 2,
          'deduction_event keeps the cancelled deduction (append-only)');

-- ---------------------------------------------------------------------------
-- Bad input: a clear error, nothing written
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT taxshare.unit_score_compute('week', '2025-03-03')$$, '22023', NULL, 'an unknown period kind');
SELECT throws_ok($$SELECT taxshare.unit_score_compute('month', '2025-03-02')$$, '22007', NULL,
                 'a month that does not start on the 1st');
SELECT throws_ok($$SELECT taxshare.unit_score_compute('quarter', '2025-02-01')$$, '22007', NULL,
                 'a quarter that does not start a quarter');
SELECT throws_ok($$SELECT taxshare.unit_score_compute('year', '2025-03-01')$$, '22007', NULL, 'a year not starting 1 January');
SELECT is((SELECT count(*)::int FROM taxshare.unit_score WHERE period_kind = 'year'), 7, 'the stored scores are untouched');
SELECT throws_ok($$SELECT taxshare.request_send('SA', 'x', due => '2025-03-01', sent_on => '2025-03-03')$$, '22008', NULL,
                 'a request due before it was sent');
SELECT throws_ok($$SELECT taxshare.request_send('NOPE', 'x')$$, '22023', 'unknown unit "NOPE"', 'a request to an unknown unit');
SELECT is((SELECT count(*)::int FROM taxshare.office_request WHERE subject = 'x'), 0, 'no request was written');
SELECT throws_ok($$SELECT taxshare.incident_record('NOPE', '2025-03-01', 'x', true)$$, '22023', NULL,
                 'an incident of an unknown unit');
SELECT throws_ok($$SELECT taxshare.incident_record('SA', current_date + 1, 'x', true)$$, '22008', NULL,
                 'an incident in the future');
SELECT is((SELECT count(*)::int FROM taxshare.incident), 2, 'no incident was written');
SELECT throws_ok($$SELECT taxshare.meeting_hold('2025-03-01', 'x', ARRAY['SA', 'NOPE'])$$, '22023', NULL,
                 'a meeting inviting an unknown unit');
SELECT is((SELECT count(*)::int FROM taxshare.meeting), 2, 'no meeting was written');

-- ---------------------------------------------------------------------------
-- Who sees what
-- ---------------------------------------------------------------------------
CREATE ROLE regress_us_sa IN ROLE taxshare_unit;
CREATE ROLE regress_us_sb IN ROLE taxshare_unit;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('regress_us_sa', 'SA'), ('regress_us_sb', 'SB');
SET LOCAL ROLE regress_us_sa;
SELECT results_eq($$SELECT DISTINCT unit_code FROM taxshare.unit_score$$, $$VALUES ('SA')$$,
                  'a unit reads its own scores only');
SELECT results_eq($$SELECT DISTINCT unit_code FROM taxshare.office_request$$, $$VALUES ('SA')$$,
                  'and its own requests');
SELECT is_empty($$SELECT 1 FROM taxshare.incident WHERE unit_code <> 'SA'$$, 'and its own incidents');
SELECT throws_ok($$SELECT taxshare.incident_record('SB', '2025-03-01', 'x', true)$$, '42501', NULL,
                 'a unit cannot record incidents');
SELECT throws_ok($$SELECT taxshare.unit_score_compute('month', '2025-03-01')$$, '42501', NULL,
                 'a unit cannot compute scores');
SELECT throws_ok($$INSERT INTO taxshare.unit_score_param VALUES ('score.exclude_related', 1, 'x')$$, '42501', NULL,
                 'a unit cannot change parameters');
RESET ROLE;
SELECT id AS rb FROM taxshare.office_request WHERE unit_code = 'SB' LIMIT 1 \gset
SELECT taxshare.request_send('SA', 'answer me', sent_on => current_date) AS ra \gset
SELECT pg_temp.ded('SB', current_date) AS db \gset
SET LOCAL ROLE regress_us_sa;
SELECT throws_ok(format($$SELECT taxshare.request_answer(%s, 'x')$$, :rb), '22023', NULL,
                 'a unit cannot answer another unit''s request');
SELECT lives_ok(format($$SELECT taxshare.request_answer(%s, '已报送')$$, :ra), 'a unit answers its own request');
SELECT throws_ok(format($$SELECT taxshare.deduction_dispute(%s, 'x')$$, :db), '22023', NULL,
                 'a unit cannot dispute another unit''s deduction');
SELECT throws_ok(format($$SELECT taxshare.deduction_decide(%s, 'cancelled', 'x')$$, :x2), '42501', NULL,
                 'a unit cannot decide disputes');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
