-- Benchmark: refresh_obligations() for 100 units x 200 catalog items each x 5
-- years (2021-2025), items of a realistic mix of frequencies (mostly monthly
-- and quarterly, a few semiannual, annual and weekly, and some realtime/adhoc
-- items that owe no periods), with a submission history: most periods
-- reported on time, some late, some rejected and put right, some rejected and
-- left, some never reported.  Then the same refresh again (nothing to do:
-- idempotent) and a daily_sweep one day later.  Usage (taxshare installed, in
-- an empty database):
--   psql -X -v ON_ERROR_STOP=1 [-v units=100 -v items=200] -f bench/obligations.sql
-- Prints:
--   refresh_obligations: first run U units x I items x 5 years: N obligations created (S submissions), D deductions, W windows open in T s
--   refresh_obligations: second run (idempotent): created 0, evaluated 0 in T s
--   refresh_obligations: daily_sweep one day later: evaluated E in T s
-- The submissions are written straight into taxshare.submission (the intake
-- is measured by bench/intake.sql); only the refreshes are timed.
\set QUIET on
\set ON_ERROR_STOP on
\if :{?units}
\else
\set units 100
\endif
\if :{?items}
\else
\set items 200
\endif
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
SET TimeZone = 'Asia/Shanghai';
\pset tuples_only on
\pset format unaligned
SELECT setseed(0.5) \g /dev/null

INSERT INTO taxshare.unit (code, name, kind)
SELECT format('BU%s', lpad(u::text, 3, '0')), format('基准单位%s', u), 'department'
  FROM generate_series(1, :units) u;

-- Per unit: 56% monthly, 32% quarterly, 4% semiannual, 4% annual, 1% weekly,
-- 3% realtime or adhoc (the shares of a city's sharing catalog).
INSERT INTO taxshare.catalog_item (code, version, title, provider, frequency, sharing,
                                   classification, valid_from, definition)
SELECT format('BI%s-%s', lpad(u::text, 3, '0'), lpad(i::text, 3, '0')), 1,
       format('基准条目 %s/%s', u, i), format('BU%s', lpad(u::text, 3, '0')),
       CASE WHEN k < 56 THEN 'monthly' WHEN k < 88 THEN 'quarterly' WHEN k < 92 THEN 'semiannual'
            WHEN k < 96 THEN 'annual' WHEN k < 97 THEN 'weekly' WHEN k < 99 THEN 'realtime'
            ELSE 'adhoc' END,
       'conditional', 'internal', DATE '2021-01-01', '{}'::jsonb
  FROM generate_series(1, :units) u, generate_series(1, :items) i,
       LATERAL (SELECT (i * 100 / :items) % 100 AS k) m;

-- The submission history of every period up to 2025-12-31.
CREATE TEMP TABLE bench_period AS
SELECT ci.code, ci.provider, ci.frequency, p.period_start, p.period_end, p.due_date,
       random() AS r
  FROM taxshare.catalog_item ci,
       LATERAL taxshare._obligation_periods(ci.frequency, ci.valid_from, DATE '2025-12-31') p;

-- 88% accepted by the due date (a third of them through the exchange, two days
-- before reaching the platform), 4% accepted 1-3 days late, 3% rejected on the
-- due date and put right two days later, 2% with errors and never put right,
-- 3% never reported.
CREATE TEMP TABLE bench_sub AS
SELECT nextval('taxshare.submission_id_seq') AS id, code, provider, period_start, period_end,
       (due_date - 1 + time '10:00')::timestamptz AS received_at,
       CASE WHEN r < 0.3 THEN (due_date - 3 + time '09:00')::timestamptz END AS received_at_exchange,
       'accepted' AS status, 0 AS rejected, NULL::bigint AS superseded_by
  FROM bench_period WHERE r < 0.88 AND due_date < DATE '2025-12-31'
UNION ALL
SELECT nextval('taxshare.submission_id_seq'), code, provider, period_start, period_end,
       (due_date + 1 + (r * 1000)::integer % 3 + time '10:00')::timestamptz, NULL,
       'accepted', 0, NULL
  FROM bench_period WHERE r >= 0.88 AND r < 0.92 AND due_date < DATE '2025-12-20'
UNION ALL
SELECT nextval('taxshare.submission_id_seq'), code, provider, period_start, period_end,
       (due_date + 2 + time '10:00')::timestamptz, NULL, 'accepted', 0, NULL
  FROM bench_period WHERE r >= 0.92 AND r < 0.95 AND due_date < DATE '2025-12-20'
UNION ALL
SELECT nextval('taxshare.submission_id_seq'), code, provider, period_start, period_end,
       (due_date + time '10:00')::timestamptz, NULL, 'accepted_with_errors', 10, NULL
  FROM bench_period WHERE r >= 0.95 AND r < 0.97 AND due_date < DATE '2025-12-20';
-- the rejected first attempts of the periods put right two days later
INSERT INTO bench_sub
SELECT nextval('taxshare.submission_id_seq'), b.code, b.provider, b.period_start, b.period_end,
       b.received_at - interval '2 days', NULL, 'rejected', 100, b.id
  FROM bench_sub b JOIN bench_period p USING (code, period_start)
 WHERE p.r >= 0.92 AND p.r < 0.95;
INSERT INTO taxshare.submission (id, item_code, item_version, unit_code, period_start, period_end,
                                 channel, received_at, received_at_exchange, language, status,
                                 superseded_by, rows_total, rows_accepted, rows_rejected, errors)
SELECT id, code, 1, provider, period_start, period_end, 'api', received_at, received_at_exchange,
       'zh', status, superseded_by, 100, 100 - rejected, rejected, rejected
  FROM bench_sub ORDER BY superseded_by NULLS FIRST, id;
ANALYZE taxshare.submission;
ANALYZE taxshare.catalog_item;
CHECKPOINT;

SELECT clock_timestamp() AS t0 \gset
SELECT created, open_windows, deductions FROM taxshare.refresh_obligations('2025-12-31') \gset r1_
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS t1 \gset
SELECT format('refresh_obligations: first run %s units x %s items x 5 years: %s obligations created (%s submissions), %s deductions, %s windows open in %s s',
              :units, :items, :r1_created, (SELECT count(*) FROM taxshare.submission),
              :r1_deductions, :r1_open_windows, round(:t1::numeric, 2));

ANALYZE taxshare.obligation;
SELECT clock_timestamp() AS t0 \gset
SELECT created, evaluated, deductions FROM taxshare.refresh_obligations('2025-12-31') \gset r2_
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS t2 \gset
SELECT format('refresh_obligations: second run (idempotent): created %s, evaluated %s, deductions %s in %s s',
              :r2_created, :r2_evaluated, :r2_deductions, round(:t2::numeric, 2));

SELECT clock_timestamp() AS t0 \gset
SELECT taxshare.daily_sweep('2026-01-01') AS sweep \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS t3 \gset
SELECT format('refresh_obligations: daily_sweep one day later: created %s, evaluated %s, deductions %s in %s s',
              (:'sweep'::jsonb) ->> 'obligations_created', (:'sweep'::jsonb) ->> 'evaluated',
              (:'sweep'::jsonb) ->> 'deductions_created', round(:t3::numeric, 2));
