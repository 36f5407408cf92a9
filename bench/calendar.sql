-- bench/calendar.sql: the working-day calendar against baselines measured in the same run.
--
--   psql -X -q -d DB -f bench/calendar.sql
--
-- 1. add_working_days(day, n) over 1M (date, n) pairs vs plain day + n over the
--    same rows (goal: at most 3x);
-- 2. add_working_days vs the same answer computed in plain SQL over the
--    holiday table (generate_series + LEFT JOIN holiday), on fewer dates
--    because it is slow, compared per date.
-- Each query runs three times and the fastest run counts.  Parallel query and
-- JIT are off so that both sides do the same single-process work.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS taxshare;
SET client_min_messages = notice;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET taxshare.calendar_missing_year = error;

DO $$ BEGIN PERFORM setseed(0.42); END $$;
CREATE TEMP TABLE bench_dates AS
SELECT DATE '2018-03-01' + (random() * 3000)::int AS day, (random() * 60)::int - 30 AS n
  FROM generate_series(1, 1000000);
ANALYZE bench_dates;

-- add_working_days in plain SQL: the n-th working day after (before) day, a
-- working day being a 'workday' row, or Monday to Friday without a row.
CREATE FUNCTION pg_temp.sql_add_working_days(d date, n integer) RETURNS date
  LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN n > 0 THEN (SELECT g::date FROM generate_series(d + 1, d + 2 * n + 20, interval '1 day') g
                       LEFT JOIN taxshare.holiday h ON h.day = g::date
                      WHERE coalesce(h.kind = 'workday', extract(isodow FROM g) < 6)
                      ORDER BY g OFFSET n - 1 LIMIT 1)
    WHEN n < 0 THEN (SELECT g::date FROM generate_series(d - 1, d + 2 * n - 20, interval '-1 day') g
                       LEFT JOIN taxshare.holiday h ON h.day = g::date
                      WHERE coalesce(h.kind = 'workday', extract(isodow FROM g) < 6)
                      ORDER BY g DESC OFFSET -n - 1 LIMIT 1)
    ELSE (SELECT g::date FROM generate_series(d, d + 20, interval '1 day') g
            LEFT JOIN taxshare.holiday h ON h.day = g::date
           WHERE coalesce(h.kind = 'workday', extract(isodow FROM g) < 6)
           ORDER BY g LIMIT 1)
  END
$$;

CREATE FUNCTION pg_temp.best_of_3(query text) RETURNS double precision
  LANGUAGE plpgsql AS $$
DECLARE
  best double precision;
  t0 timestamptz;
  secs double precision;
BEGIN
  FOR i IN 1..3 LOOP
    t0 := clock_timestamp();
    EXECUTE query;
    secs := extract(epoch FROM clock_timestamp() - t0);
    best := least(best, secs);
  END LOOP;
  RETURN best;
END
$$;

DO $$
DECLARE
  rows bigint := (SELECT count(*) FROM bench_dates);
  sql_rows bigint := 20000;
  base double precision;
  awd double precision;
  awd_small double precision;
  sql_small double precision;
  mismatches bigint;
BEGIN
  -- the SQL version must give the same answers, or the comparison means nothing
  SELECT count(*) INTO mismatches
    FROM (SELECT * FROM bench_dates LIMIT 2000) s
   WHERE taxshare.add_working_days(s.day, s.n) <> pg_temp.sql_add_working_days(s.day, s.n);
  IF mismatches <> 0 THEN
    RAISE EXCEPTION 'the SQL implementation disagrees with add_working_days on % of 2000 dates', mismatches;
  END IF;

  base := pg_temp.best_of_3('SELECT sum((day + n) - DATE ''2000-01-01'') FROM bench_dates');
  awd := pg_temp.best_of_3('SELECT sum(taxshare.add_working_days(day, n) - DATE ''2000-01-01'') FROM bench_dates');
  RAISE NOTICE 'add_working_days: % dates, baseline (date + n) % s, add_working_days % s, ratio % (goal <= 3)',
    rows, round(base::numeric, 3), round(awd::numeric, 3), round((awd / base)::numeric, 2);

  awd_small := pg_temp.best_of_3(format(
    'SELECT sum(taxshare.add_working_days(day, n) - DATE ''2000-01-01'') FROM (SELECT * FROM bench_dates LIMIT %s) s', sql_rows));
  sql_small := pg_temp.best_of_3(format(
    'SELECT sum(pg_temp.sql_add_working_days(day, n) - DATE ''2000-01-01'') FROM (SELECT * FROM bench_dates LIMIT %s) s', sql_rows));
  RAISE NOTICE 'add_working_days vs SQL over holiday: ratio %x (% dates: SQL % s, add_working_days % s; per date % us vs % us)',
    round((sql_small / awd_small)::numeric), sql_rows, round(sql_small::numeric, 3), round(awd_small::numeric, 4),
    round((sql_small / sql_rows * 1e6)::numeric, 2), round((awd_small / sql_rows * 1e6)::numeric, 3);
  RAISE NOTICE 'add_working_days per date over the 1M run: % us (baseline % us)',
    round((awd / rows * 1e6)::numeric, 3), round((base / rows * 1e6)::numeric, 3);
END
$$;

DROP TABLE bench_dates;
