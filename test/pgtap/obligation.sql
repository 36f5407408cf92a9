-- pgTAP: obligations, statuses, rectification windows, deductions, forwarding,
-- monthly statistics and the daily sweep (control/install/6x_*.sql,
-- src/deadline*.c).  Every expected value is counted by hand on the 2024
-- calendar: Mid-Autumn 15-17 Sep off; National Day 1-7 Oct off, Sunday 29 Sep
-- and Saturday 12 Oct worked; 20 Oct 2024 is a Sunday.
BEGIN;
SELECT plan(95);

SET LOCAL TimeZone = 'Asia/Shanghai';
SET LOCAL datestyle = 'ISO, YMD';
SET LOCAL taxshare.calendar_missing_year = error;
SET LOCAL taxshare.due_date_roll_forward = on;
SET LOCAL taxshare.deadline_profile = hengyang;
SET LOCAL taxshare.language = 'en';
SET LOCAL client_min_messages = warning;

-- ---------------------------------------------------------------------------
-- Objects
-- ---------------------------------------------------------------------------
SELECT has_table('taxshare', 'obligation', 'table obligation exists');
SELECT col_is_pk('taxshare', 'obligation', ARRAY['item_code', 'unit_code', 'period_start'],
                 'an obligation is an item x unit x period');
SELECT has_table('taxshare', 'deduction_event', 'table deduction_event exists');
SELECT has_view('taxshare', 'obligation_status', 'view obligation_status exists');
SELECT has_view('taxshare', 'rectification_window', 'view rectification_window exists');
SELECT has_view('taxshare', 'forwarding_delay', 'view forwarding_delay exists');
SELECT has_view('taxshare', 'monthly_upload_stats', 'view monthly_upload_stats exists');
SELECT has_function('taxshare', 'refresh_obligations', ARRAY['date'], 'refresh_obligations(date) exists');
SELECT has_function('taxshare', 'daily_sweep', ARRAY['date'], 'daily_sweep(date) exists');
SELECT ok((SELECT array['taxshare.obligation'::regclass, 'taxshare.deduction_event'::regclass,
                        'taxshare.deadline_rule'::regclass, 'taxshare.sweep_log'::regclass]::oid[]
                  <@ extconfig FROM pg_extension WHERE extname = 'taxshare'),
          'obligation, deduction_event, deadline_rule and sweep_log are dumped by pg_dump');

-- ---------------------------------------------------------------------------
-- Fixtures: unit OBT with items for each transition, unit OBS for the statistics
-- ---------------------------------------------------------------------------
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('OBT', '义务测试单位', 'department'),
  ('OBS', '统计测试单位', 'department');

CREATE FUNCTION pg_temp.item(code text, unit text, freq text, valid_from date, valid_to date DEFAULT NULL)
RETURNS integer LANGUAGE sql AS $$
  SELECT taxshare.catalog_define(jsonb_strip_nulls(jsonb_build_object(
    'code', code, 'title', code, 'provider', unit, 'frequency', freq,
    'validFrom', valid_from, 'validTo', valid_to,
    'schema', jsonb_build_object('fields', jsonb_build_array(
      jsonb_build_object('name', 'n', 'title', '编号', 'type', 'integer',
                         'constraints', jsonb_build_object('required', true)))))));
$$;

-- A submission of good and bad rows, received by the platform at "at" (and by
-- the exchange at "exch").
CREATE FUNCTION pg_temp.sub(item text, unit text, period date, good integer, bad integer,
                            at timestamptz, exch timestamptz DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  sid bigint;
BEGIN
  sid := taxshare.submit(item, unit, period,
                         (SELECT jsonb_agg(r) FROM (
                            SELECT jsonb_build_object('n', g) AS r FROM generate_series(1, good) g
                            UNION ALL
                            SELECT jsonb_build_object('n', 'x') FROM generate_series(1, bad) g) t),
                         exch);
  UPDATE taxshare.submission SET received_at = at WHERE id = sid;
  RETURN sid;
END
$$;

SELECT pg_temp.item('OBT-M1', 'OBT', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBT-M2', 'OBT', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBT-M3', 'OBT', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBT-Q1', 'OBT', 'quarterly', '2024-07-01');
SELECT pg_temp.item('OBT-Q2', 'OBT', 'quarterly', '2024-07-01');
SELECT pg_temp.item('OBT-F', 'OBT', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBT-G', 'OBT', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBT-X', 'OBT', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBT-RT', 'OBT', 'realtime', '2024-01-01');
SELECT pg_temp.item('OBT-AH', 'OBT', 'adhoc', '2024-01-01');
SELECT pg_temp.item('OBT-OLD', 'OBT', 'monthly', '2024-08-01', '2024-09-30');
SELECT pg_temp.item('OBT-R', 'OBT', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBT-Z', 'OBT', 'quarterly', '2024-07-01');
INSERT INTO taxshare.deadline_rule (item_code, offset_days, offset_unit) VALUES ('OBT-R', 15, 'calendar');
INSERT INTO taxshare.deadline_rule (item_code, profile) VALUES ('OBT-Z', 'zhengzhou');

-- Every submission up front: a refresh as of a day ignores what reached the
-- platform later.
SELECT pg_temp.sub('OBT-M1', 'OBT', '2024-09-01', 3, 0, '2024-10-10 16:00+08');
SELECT pg_temp.sub('OBT-M2', 'OBT', '2024-09-01', 3, 0, '2024-10-16 09:00+08');
SELECT pg_temp.sub('OBT-M3', 'OBT', '2024-09-01', 3, 0, '2024-10-18 09:00+08');
SELECT pg_temp.sub('OBT-Q1', 'OBT', '2024-07-01', 0, 2, '2024-09-27 11:00+08');
SELECT pg_temp.sub('OBT-Q1', 'OBT', '2024-07-01', 2, 0, '2024-10-10 17:00+08');
SELECT pg_temp.sub('OBT-Q2', 'OBT', '2024-07-01', 0, 2, '2024-09-27 11:00+08');
SELECT pg_temp.sub('OBT-Q2', 'OBT', '2024-07-01', 2, 0, '2024-10-11 09:00+08');
SELECT pg_temp.sub('OBT-F', 'OBT', '2024-09-01', 1, 0, '2024-10-08 10:00+08', '2024-09-27 10:00+08');
SELECT pg_temp.sub('OBT-G', 'OBT', '2024-09-01', 1, 0, '2024-10-09 10:00+08', '2024-09-27 10:00+08');
SELECT pg_temp.sub('OBT-X', 'OBT', '2024-09-01', 1, 0, '2024-10-14 10:00+08', '2024-10-10 15:00+08');

CREATE FUNCTION pg_temp.st(item text, period date DEFAULT '2024-09-01')
RETURNS taxshare.obligation_status LANGUAGE sql AS $$
  SELECT s FROM taxshare.obligation_status s
   WHERE s.item_code = item AND s.unit_code = 'OBT' AND s.period_start = period;
$$;

-- ---------------------------------------------------------------------------
-- As of 9 October: due dates, pending, defective
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT taxshare.refresh_obligations('2024-10-09')$$, 'refresh as of 2024-10-09');
SELECT is((pg_temp.st('OBT-M1')).due_date, DATE '2024-10-10', 'a September report is due 10 October (art. 8)');
SELECT is((pg_temp.st('OBT-M1')).status, 'pending', 'not yet due, nothing reported: pending');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).due_date, DATE '2024-10-21',
          'the third quarter is due 20 October, a Sunday: 21 October');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).status, 'defective', 'a rejected submission: defective');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).window_reason, 'rejected', 'its window was opened by the rejection');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).window_opened_on, DATE '2024-09-27',
          'the window opens the day the platform received it');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).window_closes_on, DATE '2024-10-10',
          '5 working days over National Day: 29 (make-up Sunday), 30 Sep, 8, 9, 10 Oct');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).window_state, 'open', 'the window is open');
SELECT is((pg_temp.st('OBT-R')).due_date, DATE '2024-10-15', 'an item''s own rule: 15 calendar days after 30 September');
SELECT is((pg_temp.st('OBT-Z', '2024-07-01')).due_date, DATE '2024-10-10',
          'an item on the Zhengzhou profile: within the first 10 days of the quarter');
SELECT is((SELECT count(*)::int FROM taxshare.obligation WHERE item_code IN ('OBT-RT', 'OBT-AH')), 0,
          'realtime and adhoc items owe no periods');
SELECT is((SELECT array_agg(period_start ORDER BY period_start) FROM taxshare.obligation WHERE item_code = 'OBT-OLD'),
          ARRAY[DATE '2024-08-01', DATE '2024-09-01'], 'an item retired on 30 September owes August and September only');
SELECT is((SELECT array_agg(period_start ORDER BY period_start) FROM taxshare.obligation WHERE item_code = 'OBT-M1'),
          ARRAY[DATE '2024-09-01', DATE '2024-10-01'], 'a monthly item valid from 1 September owes each month started by as_of');
SELECT is((pg_temp.st('OBT-M1', '2024-10-01')).status, 'pending', 'the current period is pending');

-- ---------------------------------------------------------------------------
-- As of 11 October
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT taxshare.refresh_obligations('2024-10-11')$$, 'refresh as of 2024-10-11');
SELECT is((pg_temp.st('OBT-M1')).status, 'on_time', 'accepted on the due date: pending -> on_time');
SELECT is((pg_temp.st('OBT-M1')).days_late, 0, 'on time: 0 days late');
SELECT is((pg_temp.st('OBT-M2')).status, 'missing', 'due date passed, nothing reported: pending -> missing');
SELECT is((pg_temp.st('OBT-M2')).days_late, 1, 'missing for 1 calendar day');
SELECT is((pg_temp.st('OBT-M2')).working_days_late, 1, 'and 1 working day');
SELECT is((pg_temp.st('OBT-M2')).window_opened_on, DATE '2024-10-10', 'a missing report opens a window on the due date');
SELECT is((pg_temp.st('OBT-M2')).window_closes_on, DATE '2024-10-16',
          '5 working days: 11, 12 (make-up Saturday), 14, 15, 16 October');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).status, 'rectified',
          'rejected, accepted on the window''s last day: defective -> rectified');
SELECT is((pg_temp.st('OBT-Q1', '2024-07-01')).window_state, 'met', 'window met');
SELECT is((pg_temp.st('OBT-Q2', '2024-07-01')).status, 'late',
          'rejected, accepted a day after the window: defective -> late');
SELECT is((SELECT row(reason, event_date, points)::text FROM taxshare.deduction_event
            WHERE item_code = 'OBT-Q2' AND unit_code = 'OBT'),
          row('rejected', DATE '2024-10-11', -2)::text, 'one deduction: rejected, incurred 11 October, -2 points');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE item_code = 'OBT-Q1'), 0,
          'no deduction for a window met');
SELECT is((pg_temp.st('OBT-X')).status, 'missing',
          'at the exchange on the due date but not yet at the platform: missing for now');

-- ---------------------------------------------------------------------------
-- 16, 17, 18 October: the window of a missing report
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT taxshare.refresh_obligations('2024-10-16')$$, 'refresh as of 2024-10-16');
SELECT is((pg_temp.st('OBT-M2')).status, 'rectified', 'reported on the window''s last day: missing -> rectified');
SELECT is((pg_temp.st('OBT-M2')).days_late, 6, 'reported 6 calendar days late');
SELECT is((pg_temp.st('OBT-M2')).working_days_late, 5, '5 working days late');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE item_code = 'OBT-M2'), 0,
          'late within the window: no deduction');
SELECT is((pg_temp.st('OBT-X')).status, 'on_time',
          'once at the platform (14 Oct), received by the exchange on the due date: missing -> on_time');
SELECT is((pg_temp.st('OBT-X')).first_submitted_on, DATE '2024-10-10', 'lateness counts from the exchange receipt');
SELECT is((pg_temp.st('OBT-X')).window_state, NULL, 'and the missing window is gone');
SELECT is((pg_temp.st('OBT-M3')).window_state, 'open', 'on the window''s last day it is still open');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE item_code = 'OBT-M3'), 0,
          'no deduction before the window is over');

SELECT lives_ok($$SELECT taxshare.refresh_obligations('2024-10-17')$$, 'refresh as of 2024-10-17');
SELECT is((pg_temp.st('OBT-M3')).status, 'missing', 'still missing after the window');
SELECT is((pg_temp.st('OBT-M3')).window_state, 'missed', 'the window is missed');
SELECT is((SELECT row(reason, event_date, points, part)::text FROM taxshare.deduction_event
            WHERE item_code = 'OBT-M3' AND unit_code = 'OBT'),
          row('missing', DATE '2024-10-17', -2, 'reporting')::text,
          'one deduction in the reporting part: missing, incurred 17 October, -2 points');
SELECT is((SELECT detail FROM taxshare.deduction_event WHERE item_code = 'OBT-M3'),
          'OBT-M3, period from 2024-09-01: nothing reported by the due date; not put right within 5 working days (2024-10-10 to 2024-10-16)',
          'the deduction explains itself in taxshare.language');
SELECT lives_ok($$SELECT taxshare.refresh_obligations('2024-10-17')$$, 'the same refresh again');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE item_code = 'OBT-M3'), 1,
          'the deduction is created once');

SELECT lives_ok($$SELECT taxshare.refresh_obligations('2024-10-18')$$, 'refresh as of 2024-10-18');
SELECT is((pg_temp.st('OBT-M3')).status, 'late', 'reported after the window: missing -> late');
SELECT is((pg_temp.st('OBT-M3')).deductions, 1::bigint, 'still one deduction');
SELECT is((pg_temp.st('OBT-M3')).working_days_late, 7, '7 working days late (11, 12, 14, 15, 16, 17, 18 Oct)');

-- ---------------------------------------------------------------------------
-- Exchange forwarding: exactly 3 working days is in time, 4 is late
-- ---------------------------------------------------------------------------
SELECT is((SELECT row(working_days, late)::text FROM taxshare.forwarding_delay WHERE item_code = 'OBT-F'),
          row(3, false)::text, 'exchange 27 Sep, platform 8 Oct: 3 working days, in time');
SELECT is((SELECT row(working_days, late)::text FROM taxshare.forwarding_delay WHERE item_code = 'OBT-G'),
          row(4, true)::text, 'exchange 27 Sep, platform 9 Oct: 4 working days, late');
SELECT is((SELECT forward_by FROM taxshare.forwarding_delay WHERE item_code = 'OBT-G'), DATE '2024-10-08',
          'it had to reach the platform by 8 October');
SELECT is((pg_temp.st('OBT-G')).forwarded_late, true, 'obligation_status flags the late forwarding');
SELECT is((pg_temp.st('OBT-F')).forwarded_late, false, 'and not the timely one');
SELECT is((pg_temp.st('OBT-G')).status, 'on_time', 'late forwarding does not make the unit late');
SELECT is((SELECT count(*)::int FROM taxshare.forwarding_delay WHERE item_code LIKE 'OBT-%' AND late), 1,
          'one submission forwarded late');

-- ---------------------------------------------------------------------------
-- Statistics of a hand-made month: unit OBS, items due in October 2024
--   A accepted 8 Oct (100 rows)                       on_time
--   B 8 good + 2 bad rows 9 Oct, 10 rows 11 Oct        rectified (window 9 -> 15 Oct)
--   C 5 rows 18 Oct                                    late (missing window 10 -> 16 Oct)
--   D nothing                                          missing
--   E quarterly, 4 bad rows on its due date 21 Oct     defective (window 21 -> 28 Oct)
-- ---------------------------------------------------------------------------
SELECT pg_temp.item('OBS-A', 'OBS', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBS-B', 'OBS', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBS-C', 'OBS', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBS-D', 'OBS', 'monthly', '2024-09-01');
SELECT pg_temp.item('OBS-E', 'OBS', 'quarterly', '2024-07-01');
SELECT pg_temp.sub('OBS-A', 'OBS', '2024-09-01', 100, 0, '2024-10-08 10:00+08');
SELECT pg_temp.sub('OBS-B', 'OBS', '2024-09-01', 8, 2, '2024-10-09 10:00+08');
SELECT pg_temp.sub('OBS-B', 'OBS', '2024-09-01', 10, 0, '2024-10-11 10:00+08');
SELECT pg_temp.sub('OBS-C', 'OBS', '2024-09-01', 5, 0, '2024-10-18 10:00+08');
SELECT pg_temp.sub('OBS-E', 'OBS', '2024-07-01', 0, 4, '2024-10-21 10:00+08');

SELECT lives_ok($$SELECT taxshare.daily_sweep('2024-10-31')$$, 'daily_sweep as of 2024-10-31');
SELECT results_eq(
  $$SELECT items_due, on_time, rectified, late, missing, defective, pending, reported_after_due,
           uploads, records, rejected_rows, error_rate, records_current, forwarded_late
      FROM taxshare.monthly_upload_stats WHERE unit_code = 'OBS' AND month = '2024-10-01'$$,
  $$VALUES (5::bigint, 1::bigint, 1::bigint, 1::bigint, 1::bigint, 1::bigint, 0::bigint, 1::bigint,
            5::numeric, 129::numeric, 6::numeric, 0.0465::numeric, 115::numeric, 0::numeric)$$,
  'October 2024 for OBS: 5 due, 1 on time, 1 rectified, 1 late, 1 missing, 1 defective; 129 rows uploaded, 6 rejected, error rate 0.0465');
SELECT is((SELECT items_due FROM taxshare.monthly_upload_stats WHERE unit_code = 'OBS' AND month = '2024-11-01'),
          4::bigint, 'November: the four October reports, due 11 November');
SELECT is((SELECT pending FROM taxshare.monthly_upload_stats WHERE unit_code = 'OBS' AND month = '2024-11-01'),
          4::bigint, 'all pending');
SELECT is((SELECT array_agg(item_code || ':' || reason ORDER BY item_code) FROM taxshare.deduction_event WHERE unit_code = 'OBS'),
          ARRAY['OBS-C:missing', 'OBS-D:missing', 'OBS-E:rejected'], 'three deductions for OBS: C, D and E');
SELECT is((SELECT window_closes_on FROM taxshare.obligation_status WHERE item_code = 'OBS-E' AND period_start = '2024-07-01'),
          DATE '2024-10-28', 'E''s window: 22, 23, 24, 25, 28 October');

-- ---------------------------------------------------------------------------
-- daily_sweep is idempotent
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE before_sweep AS
  SELECT item_code, unit_code, period_start, due_date, status, days_late, working_days_late,
         next_change_on, w_reason, w_opened, w_closes, w_state, w_rectified
    FROM taxshare.obligation;
SELECT is((SELECT s - 'as_of' - 'pending' - 'missing' - 'defective' - 'open_windows' - 'forwarded_late' - 'due_unknown'
             FROM taxshare.daily_sweep('2024-10-31') s),
          '{"evaluated": 0, "status_changed": 0, "due_dates_changed": 0, "deductions_created": 0, "obligations_created": 0, "obligations_removed": 0,
            "unit_score": {"meetings": 0, "requests": 0, "no_leader": 0, "no_liaison": 0, "contact_late": 0,
                           "payment_warnings": {"issued": 0, "lifted": 0, "rectified": 0, "suspended": 0}}}'::jsonb,
          'the second sweep of the day creates, evaluates and deducts nothing');
SELECT is((SELECT count(*)::int FROM (
             SELECT item_code, unit_code, period_start, due_date, status, days_late, working_days_late,
                    next_change_on, w_reason, w_opened, w_closes, w_state, w_rectified
               FROM taxshare.obligation
             EXCEPT SELECT * FROM before_sweep) d), 0, 'and changes no obligation');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE unit_code IN ('OBT', 'OBS')),
          (SELECT count(DISTINCT (item_code, period_start, episode))::int FROM taxshare.deduction_event
            WHERE unit_code IN ('OBT', 'OBS')),
          'no deduction twice for the same episode');
SELECT is((SELECT count(*)::int FROM taxshare.sweep_log WHERE as_of = '2024-10-31'), 2, 'both sweeps are logged');
SELECT is((SELECT (summary ->> 'missing')::int FROM taxshare.sweep_log WHERE as_of = '2024-10-31' ORDER BY id DESC LIMIT 1),
          (SELECT count(*)::int FROM taxshare.obligation WHERE status = 'missing'),
          'the summary counts the missing obligations');

-- ---------------------------------------------------------------------------
-- A resubmission after the fact changes the state at the next refresh
-- ---------------------------------------------------------------------------
SELECT pg_temp.sub('OBS-E', 'OBS', '2024-07-01', 4, 0, '2024-10-30 10:00+08');
SELECT is((SELECT status FROM taxshare.obligation WHERE item_code = 'OBS-E' AND period_start = '2024-07-01'),
          'defective', 'before the refresh the stored state is unchanged');
SELECT is((taxshare.daily_sweep('2024-10-31') ->> 'evaluated')::int, 1, 'the sweep evaluates just that obligation');
SELECT is((SELECT status FROM taxshare.obligation WHERE item_code = 'OBS-E' AND period_start = '2024-07-01'),
          'late', 'defective -> late: put right after its window');
SELECT is((SELECT count(*)::int FROM taxshare.deduction_event WHERE item_code = 'OBS-E'), 1,
          'its deduction stays, once');

-- ---------------------------------------------------------------------------
-- A year without holiday data: the due date waits for the notice
-- ---------------------------------------------------------------------------
DELETE FROM taxshare.holiday WHERE day >= '2025-01-01' AND day < '2026-01-01';
SELECT lives_ok($$SELECT taxshare.refresh_obligations('2024-12-02')$$, 'refresh as of 2024-12-02 without 2025 data');
SELECT is((SELECT row(due_date, due_missing_year, status)::text FROM taxshare.obligation
            WHERE item_code = 'OBS-A' AND period_start = '2024-12-01'),
          row(NULL::date, 2025, 'pending')::text,
          'December''s due date (in 2025) is unknown, the year is named, the period pending');
SELECT is((SELECT due_date FROM taxshare.obligation WHERE item_code = 'OBS-A' AND period_start = '2024-11-01'),
          DATE '2024-12-10', 'November''s due date needs no 2025 data');
INSERT INTO taxshare.holiday (day, kind, name) VALUES ('2025-01-01', 'holiday', '元旦');
SELECT is((taxshare.refresh_obligations('2024-12-02')).due_unknown, 0::bigint, 'with 2025 data every due date is known');
SELECT is((SELECT due_date FROM taxshare.obligation WHERE item_code = 'OBS-A' AND period_start = '2024-12-01'),
          DATE '2025-01-10', 'December is due 10 January 2025');

-- ---------------------------------------------------------------------------
-- Errors
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT taxshare.refresh_obligations(NULL)$$, '22023', NULL,
                 'refresh_obligations(NULL) is refused');
SELECT throws_ok($$SELECT taxshare.refresh_obligations('infinity')$$, '22023', NULL,
                 'refresh_obligations(infinity) is refused');
SELECT throws_ok($$SELECT taxshare.daily_sweep(NULL)$$, '22023', NULL, 'daily_sweep(NULL) is refused');
SELECT throws_ok($$INSERT INTO taxshare.deadline_rule (item_code, profile, offset_days, offset_unit)
                   VALUES ('OBT-M1', 'hengyang', 3, 'working')$$, '23514', NULL,
                 'a rule is a profile or an offset, not both');
SELECT throws_ok($$INSERT INTO taxshare.deadline_rule (item_code, profile) VALUES ('OBT-M1', 'shanghai')$$,
                 '23514', NULL, 'an unknown profile is refused');
SELECT throws_ok($$INSERT INTO taxshare.deadline_rule (item_code, offset_days, offset_unit) VALUES ('OBT-M1', -1, 'working')$$,
                 '23514', NULL, 'a negative offset is refused');
SELECT throws_ok($$SELECT * FROM taxshare._obligation_periods('hourly', '2024-01-01', '2024-02-01')$$,
                 '22023', NULL, 'an unknown frequency is refused');
SELECT throws_ok($$INSERT INTO taxshare.obligation (item_code, unit_code, period_start, period_end, frequency, item_version, due_date, status)
                   VALUES ('OBT-M1', 'OBT', '2023-01-01', '2023-01-31', 'monthly', 1, '2023-02-10', 'done')$$,
                 '23514', NULL, 'an unknown status is refused');

SELECT * FROM finish();
ROLLBACK;
