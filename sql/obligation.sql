-- Obligations, statuses, rectification windows, deductions, forwarding,
-- monthly statistics and the daily sweep (docs/deadlines.md).
-- Unit OBR; the 2024 calendar: National Day 1-7 Oct off, 29 Sep and 12 Oct worked.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS taxshare;
SET TimeZone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET taxshare.language = 'en';

INSERT INTO taxshare.unit (code, name, kind) VALUES ('OBR', '不动产登记中心', 'department');
CREATE FUNCTION pg_temp.item(code text, freq text, valid_from date) RETURNS integer
LANGUAGE sql AS $$
  SELECT taxshare.catalog_define(jsonb_build_object(
    'code', code, 'title', '测试条目 ' || code, 'provider', 'OBR', 'frequency', freq,
    'validFrom', valid_from,
    'schema', '{"fields": [{"name": "n", "title": "编号", "type": "integer", "constraints": {"required": true}}]}'::jsonb));
$$;
CREATE FUNCTION pg_temp.sub(item text, period date, good integer, bad integer,
                            at timestamptz, exch timestamptz DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  sid bigint;
BEGIN
  sid := taxshare.submit(item, 'OBR', period,
                         (SELECT jsonb_agg(r) FROM (
                            SELECT jsonb_build_object('n', g) AS r FROM generate_series(1, good) g
                            UNION ALL
                            SELECT jsonb_build_object('n', 'x') FROM generate_series(1, bad) g) t),
                         exch);
  UPDATE taxshare.submission SET received_at = at WHERE id = sid;
END
$$;

SELECT pg_temp.item('OBR-MON', 'monthly', '2024-08-01');
SELECT pg_temp.item('OBR-QTR', 'quarterly', '2024-07-01');
SELECT pg_temp.item('OBR-WEEK', 'weekly', '2024-09-23');
SELECT pg_temp.item('OBR-RT', 'realtime', '2024-01-01');

-- August: on time through the exchange (forwarded in 4 working days: late);
-- September: rejected on 27 Sep, put right on 10 Oct, the window's last day;
-- the third quarter: nothing; the weeks: the first on time, the second late.
SELECT pg_temp.sub('OBR-MON', '2024-08-01', 20, 0, '2024-09-12 09:30+08', '2024-09-06 16:00+08');
SELECT pg_temp.sub('OBR-MON', '2024-09-01', 0, 3, '2024-09-27 10:00+08');
SELECT pg_temp.sub('OBR-MON', '2024-09-01', 3, 0, '2024-10-10 15:00+08');
SELECT pg_temp.sub('OBR-WEEK', '2024-09-23', 1, 0, '2024-09-29 10:00+08');
SELECT pg_temp.sub('OBR-WEEK', '2024-09-30', 1, 0, '2024-10-09 10:00+08');

-- As of 30 September: what is owed, when it is due, and its state.
SELECT created > 0 AS created_some FROM taxshare.refresh_obligations('2024-09-30');
SELECT item_code, period_start, period_end, due_date, status, first_submitted_on,
       days_late, working_days_late, window_reason, window_opened_on, window_closes_on, window_state
  FROM taxshare.obligation_status WHERE unit_code = 'OBR' ORDER BY item_code, period_start;

-- As of 31 October.
SELECT created > 0 AS created_some FROM taxshare.refresh_obligations('2024-10-31');
SELECT item_code, period_start, due_date, status, first_submitted_on, days_late, working_days_late,
       submissions, current_submission_status, deductions, points
  FROM taxshare.obligation_status WHERE unit_code = 'OBR' ORDER BY item_code, period_start;
SELECT item_code, period_start, episode, reason, opened_on, closes_on, state, rectified_on
  FROM taxshare.rectification_window WHERE unit_code = 'OBR' ORDER BY item_code, period_start, episode;
SELECT item_code, period_start, episode, event_date, reason, points, part, detail
  FROM taxshare.deduction_event WHERE unit_code = 'OBR' ORDER BY item_code, period_start, episode;
SELECT item_code, period_start, received_at_exchange, received_at, forward_by, working_days, late
  FROM taxshare.forwarding_delay WHERE unit_code = 'OBR' ORDER BY submission_id;
SELECT month, items_due, on_time, rectified, late, missing, defective, pending, reported_after_due,
       uploads, records, rejected_rows, error_rate, records_current, forwarded_late
  FROM taxshare.monthly_upload_stats WHERE unit_code = 'OBR' ORDER BY month;

-- The sweep: a second run the same day finds nothing to do.
SELECT (taxshare.daily_sweep('2024-10-31')) IS NOT NULL AS swept;
SELECT s - 'as_of' - 'pending' - 'missing' - 'defective' - 'open_windows' - 'forwarded_late' - 'due_unknown'
  FROM taxshare.daily_sweep('2024-10-31') s;
SELECT count(*) AS deductions FROM taxshare.deduction_event WHERE unit_code = 'OBR';

-- Chinese messages.
SET taxshare.language = 'zh';
SELECT pg_temp.sub('OBR-QTR', '2024-07-01', 0, 1, '2024-11-01 10:00+08');
SELECT deductions FROM taxshare.refresh_obligations('2024-11-11');
SELECT item_code, reason, event_date, detail FROM taxshare.deduction_event
 WHERE unit_code = 'OBR' AND event_date > '2024-11-01' ORDER BY id;

-- Errors.
\set SHOW_CONTEXT never
SELECT taxshare.refresh_obligations(NULL);
SELECT taxshare.daily_sweep('infinity');
INSERT INTO taxshare.deadline_rule (item_code, profile, offset_days, offset_unit)
  VALUES ('OBR-MON', 'hengyang', 3, 'working');
SELECT * FROM taxshare._obligation_periods('hourly', '2024-01-01', '2024-02-01');
