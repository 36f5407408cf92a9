-- Benchmark: taxshare.uscc_valid() over 5 million codes against the cheapest
-- possible check of the same column, length(code) = 18, measured in the same
-- run.  Usage (taxshare installed in the database):
--   psql -X -v ON_ERROR_STOP=1 -f bench/uscc_valid.sql
-- Prints one line:
--   uscc_valid: 5000000 codes, baseline B s, uscc_valid F s, ratio F/B (goal <= 1.5)
\set QUIET on
\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- Per-row cost is what we compare: keep the table in local memory (temp
-- tables are never scanned in parallel, and temp_buffers only takes effect
-- before the session's first temp table).
SET temp_buffers = '1GB';
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.5) \g /dev/null

-- 100 000 valid codes; the check character is computed here in SQL
-- (GB 32100-2015: weights 3^(i-1) mod 31, check = (31 - sum mod 31) mod 31).
CREATE TEMP TABLE bench_uscc_pool AS
WITH alphabet AS (SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY'::text AS a),
     bodies AS (
       SELECT g, array_agg(floor(random() * 31)::int ORDER BY k) AS v
         FROM generate_series(1, 100000) g, generate_series(1, 17) k
        GROUP BY g)
SELECT g AS id,
       (SELECT string_agg(substr(a, v[k] + 1, 1), '' ORDER BY k) FROM generate_series(1, 17) k)
       || substr(a, (31 - (SELECT sum(v[k] * (power(3, k - 1)::bigint % 31)) FROM generate_series(1, 17) k)::int % 31) % 31 + 1, 1)
         AS code
  FROM bodies, alphabet;

-- 5 000 000 rows: 50% valid, 40% one character changed to another code
-- character, 5% one character short, 5% lower-cased.
CREATE TEMP TABLE bench_uscc AS
SELECT CASE
         WHEN i % 20 = 0 THEN left(p.code, 17)
         WHEN i % 20 = 1 THEN lower(p.code)
         WHEN i % 20 < 10 THEN
           overlay(p.code PLACING
                   substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                          strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(p.code, i % 18 + 1, 1)) % 31 + 1, 1)
                   FROM i % 18 + 1 FOR 1)
         ELSE p.code
       END AS code
  FROM generate_series(0, 4999999) i
  JOIN bench_uscc_pool p ON p.id = (i::bigint * 7919) % 100000 + 1;

CREATE FUNCTION pg_temp.bench_uscc_valid() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  total bigint;
  n bigint;
  valid bigint;
  t0 timestamptz;
  best_base float8 := 'Infinity';
  best_fn float8 := 'Infinity';
BEGIN
  SELECT count(*) INTO total FROM bench_uscc;	-- warm the buffers
  FOR run IN 1..3 LOOP
    t0 := clock_timestamp();
    SELECT count(*) FILTER (WHERE length(code) = 18) INTO n FROM bench_uscc;
    best_base := least(best_base, extract(epoch FROM clock_timestamp() - t0)::float8);

    t0 := clock_timestamp();
    SELECT count(*) FILTER (WHERE taxshare.uscc_valid(code)) INTO valid FROM bench_uscc;
    best_fn := least(best_fn, extract(epoch FROM clock_timestamp() - t0)::float8);
  END LOOP;

  -- the mix is known: half the rows valid (plus lower-cased all-digit codes)
  IF valid < total * 0.49 OR valid > total * 0.55 THEN
    RAISE EXCEPTION 'uscc_valid counted % valid codes of %, expected about half', valid, total;
  END IF;

  RETURN format('uscc_valid: %s codes, baseline %s s, uscc_valid %s s, ratio %s (goal <= 1.5)',
                total, to_char(best_base, 'FM990.000'), to_char(best_fn, 'FM990.000'),
                to_char(best_fn / best_base, 'FM990.00'));
END $$;

\pset tuples_only on
\pset format unaligned
SELECT pg_temp.bench_uscc_valid();

DROP TABLE bench_uscc;
DROP TABLE bench_uscc_pool;
