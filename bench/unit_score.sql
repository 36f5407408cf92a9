-- Benchmark: the units' score (control/install/92_unit_score.sql).  500 units
-- (480 sharing units, 20 related), 300 catalog items each, 3 years (2023-2025)
-- of the facts the score reads: reporting deductions (about 1 in 60 of the
-- unit's 3 600 item-months a year, as refresh_obligations() writes them),
-- office requests (24 a unit a year, 1 in 8 answered late or refused) and
-- meetings (one a month, every unit invited, 1 in 20 absent) turned into duty
-- deductions by the sweep, unanswered warnings, organisation deductions, and
-- disputes of 1 deduction in 100 (half of them cancelled).  The obligations
-- themselves are not generated (bench/obligations.sql measures them): the
-- score reads deduction_event, not the obligations.  Usage (taxshare
-- installed, in an empty database):
--   psql -X -v ON_ERROR_STOP=1 [-v units=500] -f bench/unit_score.sql
-- Prints, best of 7 runs each (the ranking: of 5), in the same run:
--   unit_score: baseline GROUP BY over the year's deduction rows: T ms (R rows)
--   unit_score: unit_score_compute('year', 2025): T ms (N units) ratio X (target <= 1.5)
--   unit_score: reading the year's ranking: T ms (target < 20 ms)
\set QUIET on
\set ON_ERROR_STOP on
\if :{?units}
\else
\set units 500
\endif
SET client_min_messages = warning;
SET TimeZone = 'Asia/Shanghai';
SET taxshare.calendar_missing_year = weekends;
\pset tuples_only on
\pset format unaligned
SELECT setseed(0.25) \g /dev/null

INSERT INTO taxshare.unit (code, name, kind, created_at)
SELECT format('SU%s', lpad(u::text, 3, '0')), format('考核基准单位%s', u),
       CASE WHEN u % 25 = 0 THEN 'related' WHEN u = 1 THEN 'tax' ELSE 'department' END, '2022-01-01'
  FROM generate_series(1, :units) u;
INSERT INTO taxshare.unit_contact (unit_code, role, name, changed_on, filed_at)
SELECT u.code, r, u.code || r, '2022-01-03', '2022-01-03 10:00+08'
  FROM taxshare.unit u, unnest(ARRAY['leader', 'liaison']) r
 WHERE u.code LIKE 'SU%' AND (r = 'leader' OR random() > 0.02);
-- contact changes, 1 in 10 filed late
INSERT INTO taxshare.unit_contact (unit_code, role, name, changed_on, filed_at)
SELECT u.code, 'liaison', u.code || ' new ' || y, make_date(y, 6, 2),
       make_date(y, 6, 2) + CASE WHEN random() < 0.1 THEN 12 ELSE 2 END + time '10:00'
  FROM taxshare.unit u, generate_series(2023, 2025) y WHERE u.code LIKE 'SU%' AND random() < 0.3;

-- reporting deductions: 300 items x 12 months, about 1 in 60 missed
INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date,
                                      reason, points, source, detail)
SELECT u.code, 'reporting', format('SI%s', lpad(i::text, 3, '0')), m, 1,
       (m + interval '1 month' + interval '16 days')::date, 'missing', -2, 'obligation', 'bench'
  FROM taxshare.unit u, generate_series(1, 300) i,
       generate_series(DATE '2022-12-01', DATE '2025-11-01', interval '1 month') m
 WHERE u.code LIKE 'SU%' AND random() < 1.0 / 60;
-- unanswered warnings: about 2 a unit a year
INSERT INTO taxshare.deduction_event (unit_code, part, period_start, event_date, reason, points, source, detail)
SELECT u.code, 'duty', m, (m + interval '2 months')::date, 'warning_unanswered', -2, 'warning', 'bench'
  FROM taxshare.unit u, generate_series(DATE '2022-11-01', DATE '2025-10-01', interval '1 month') m
 WHERE u.code LIKE 'SU%' AND random() < 2.0 / 12;

-- requests and meetings, then the sweep's deductions at the end of each year
INSERT INTO taxshare.office_request (unit_code, subject, sent_on, due_on, status, answered_on, answer, refused_reason)
SELECT u.code, 'bench', d::date, d::date + 7,
       CASE WHEN x < 0.03 THEN 'refused' ELSE 'answered' END,
       d::date + CASE WHEN x < 0.03 THEN 2 WHEN x < 0.125 THEN 9 ELSE 5 END,
       CASE WHEN x >= 0.03 THEN 'ok' END, CASE WHEN x < 0.03 THEN 'no' END
  FROM taxshare.unit u, generate_series(DATE '2023-01-05', DATE '2025-12-05', interval '15 days') d,
       LATERAL (SELECT random() + 0 * length(u.code) AS x) r
 WHERE u.code LIKE 'SU%';
INSERT INTO taxshare.meeting (held_on, subject)
SELECT d, 'bench' FROM generate_series(DATE '2023-01-10', DATE '2025-12-10', interval '1 month') d;
INSERT INTO taxshare.meeting_invite (meeting_id, unit_code, attendance, excuse)
SELECT m.id, u.code, CASE WHEN x < 0.05 THEN 'absent' WHEN x < 0.08 THEN 'excused' ELSE 'attended' END,
       CASE WHEN x >= 0.05 AND x < 0.08 THEN 'leave' END
  FROM taxshare.meeting m, taxshare.unit u, LATERAL (SELECT random() + 0 * m.id AS x) r
 WHERE u.code LIKE 'SU%';
SELECT taxshare.unit_score_sweep(d) FROM unnest(ARRAY[DATE '2023-12-31', DATE '2024-12-31', DATE '2025-12-31']) d \g /dev/null
-- serious incidents: a few
SELECT taxshare.incident_record(u.code, '2025-05-06', 'bench', true)
  FROM taxshare.unit u WHERE u.code LIKE 'SU%' AND random() < 0.01 \g /dev/null
-- disputes of 1 in 100, half cancelled
INSERT INTO taxshare.deduction_dispute (deduction_id, unit_code, reason)
SELECT e.id, e.unit_code, 'bench' FROM taxshare.deduction_event e WHERE random() < 0.01;
INSERT INTO taxshare.deduction_decision (dispute_id, decision, reason)
SELECT x.id, CASE WHEN random() < 0.5 THEN 'cancelled' ELSE 'upheld' END, 'bench' FROM taxshare.deduction_dispute x;
ANALYZE;

SELECT format('unit_score: facts: %s deductions over 3 years (%s in 2025), %s requests, %s meeting invitations, %s disputes',
              (SELECT count(*) FROM taxshare.deduction_event),
              (SELECT count(*) FROM taxshare.deduction_event WHERE event_date BETWEEN '2025-01-01' AND '2025-12-31'),
              (SELECT count(*) FROM taxshare.office_request), (SELECT count(*) FROM taxshare.meeting_invite),
              (SELECT count(*) FROM taxshare.deduction_dispute));

-- Timings, alternating, best of 7.  The baseline: a plain GROUP BY over the
-- same deduction rows (the year's, per unit and part), written likewise into
-- a table (logged, with a primary key, as unit_score).
CREATE TABLE baseline_out (unit_code text, part text, points bigint, n bigint, PRIMARY KEY (unit_code, part));
CREATE TEMP TABLE timing (what text, ms float8);
DO $$
DECLARE
  t0 timestamptz;
  i integer;
BEGIN
  FOR i IN 1 .. 7 LOOP
    t0 := clock_timestamp();
    DELETE FROM baseline_out;
    INSERT INTO baseline_out
    SELECT e.unit_code, e.part, sum(e.points), count(*)
      FROM taxshare.deduction_event e
     WHERE e.event_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'
     GROUP BY e.unit_code, e.part;
    INSERT INTO timing VALUES ('baseline', extract(epoch FROM clock_timestamp() - t0) * 1000);
    t0 := clock_timestamp();
    PERFORM taxshare.unit_score_compute('year', DATE '2025-01-01');
    INSERT INTO timing VALUES ('compute', extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
END
$$;
SELECT format('unit_score: baseline GROUP BY over the year''s deduction rows: %s ms (%s groups)',
              round(min(ms)::numeric, 2), (SELECT count(*) FROM baseline_out))
  FROM timing WHERE what = 'baseline';
SELECT format('unit_score: unit_score_compute(''year'', 2025): %s ms (%s units) ratio %s (target <= 1.5)',
              round(min(ms) FILTER (WHERE what = 'compute')::numeric, 2),
              (SELECT count(*) FROM taxshare.unit_score WHERE period_kind = 'year'),
              round((min(ms) FILTER (WHERE what = 'compute') / min(ms) FILTER (WHERE what = 'baseline'))::numeric, 2))
  FROM timing;
SELECT format('unit_score: the stored year equals a recomputation from the evidence: %s',
              NOT EXISTS (SELECT 1 FROM taxshare.unit_score_verify('year', DATE '2025-01-01')));

-- Reading the year's ranking (what the notice and BI read), best of 5.
SET client_min_messages = notice;
DO $$
DECLARE
  t0 timestamptz;
  best float8 := 'infinity';
  n bigint;
  i integer;
BEGIN
  FOR i IN 1 .. 5 LOOP
    t0 := clock_timestamp();
    SELECT count(*) INTO n FROM (
      SELECT s.unit_kind, s.rank, u.name, s.organisation, s.reporting, s.duty, s.confidentiality, s.total, s.change
        FROM taxshare.unit_score s JOIN taxshare.unit u ON u.code = s.unit_code
       WHERE s.period_kind = 'year' AND s.period_start = DATE '2025-01-01'
       ORDER BY s.listed_apart, s.unit_kind, s.rank, u.name) r;
    best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
  RAISE NOTICE 'unit_score: reading the year''s ranking (% rows): % ms (target < 20 ms)', n, round(best::numeric, 2);
END
$$;
DO $$
DECLARE
  t0 timestamptz := clock_timestamp();
  html text;
BEGIN
  html := taxshare.unit_score_report(2025);
  RAISE NOTICE 'unit_score: the notice of 2025: % kB in % ms', length(html) / 1024,
    round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1);
END
$$;
