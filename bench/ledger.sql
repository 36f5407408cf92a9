-- Benchmark: the ledger's cost on taxshare.submit().  The same 100 000-row
-- batch of a 20-field item is submitted with the ledger hooks on submission
-- disabled (ALTER TABLE ... DISABLE TRIGGER ledger_submission, ledger_supersede)
-- and enabled, alternately, five times each in the same run; the best time of
-- each side is compared.  With the hooks, the load hashes each record as it
-- writes it, finishing the submission takes the Merkle root of those hashes
-- (submission_digest) and appends one ledger entry.  Usage (taxshare installed):
--   psql -X -v ON_ERROR_STOP=1 [-v rows=100000] -f bench/ledger.sql
-- Prints (best of five runs per side; wall time, then the backend's CPU time):
--   ledger: submit 100000 rows, without ledger X s, with ledger Y s, overhead Z% (goal <= 10%)
--   ledger: backend CPU time of the same runs, without ledger X s, with ledger Y s, overhead Z%
--   ledger: every run, wall/CPU s: without ...; with ...
--   ledger: submission_digest() of 100000 records D s (best of 5), P% of the best submit without the ledger; ledger_verify() ...
-- Needs superuser (CHECKPOINT, ALTER TABLE on the extension's table, reading
-- /proc/<pid>/stat) and getconf.
\set QUIET on
\set ON_ERROR_STOP on
\if :{?rows}
\else
\set rows 100000
\endif
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
\pset tuples_only on
\pset format unaligned
SELECT setseed(0.5) \g /dev/null

INSERT INTO taxshare.unit (code, name, kind) VALUES ('BENCH-LG', '台账基准测试单位', 'department');
\set item_code BENCH-LG-20F
\set item_title '台账基准: 商品房网签备案 (20 个字段)'
\set item_unit BENCH-LG
\ir include/item_20f.psql


-- Pools of valid identifiers (check characters computed in SQL from the standards).
\ir include/identifier_pools.psql

-- One batch; about 6% of the rows carry a mistake, so rejected rows (with raw
-- values) are part of the digest too.
CREATE TEMP TABLE bench_doc AS
SELECT jsonb_agg(jsonb_build_object(
         'contract_no', 'HT' || i,
         'seller_uscc', CASE WHEN i % 20 = 0 THEN left(u.code, 17) || CASE right(u.code, 1) WHEN '0' THEN '1' ELSE '0' END
                             ELSE u.code END,
         'seller_name', '衡阳华湘置业有限公司',
         'buyer_idcard', d.code,
         'buyer_name', '张三',
         'price', CASE WHEN i % 100 = 2 THEN tax + net + 100 ELSE tax + net END,
         'tax', tax, 'net', net,
         'sign_date', CASE WHEN i % 50 = 1 THEN '' ELSE to_char(sd, 'YYYY-MM-DD') END,
         'record_date', to_char(sd + 3, 'YYYY-MM-DD'),
         'use', (ARRAY['住宅', '商业', '办公', '车位'])[i % 4 + 1],
         'district', (ARRAY['430405', '430406', '430407', '430408', '430421', '430422'])[i % 6 + 1],
         'area', round((50 + random() * 150)::numeric, 2),
         'floor', i % 33 + 1,
         'address', '衡阳市蒸湘区解放大道' || (i % 500) || '号' || (i % 30 + 1) || '栋',
         'phone', '138' || lpad((i % 100000000)::text, 8, '0'),
         'first_home', i % 3 <> 0,
         'built_year', 2000 + i % 24,
         'agent_orgcode', o.code,
         'pay_month', to_char(sd, 'YYYY-MM')) ORDER BY i) AS doc
  FROM (SELECT i, round((random() * 1e6)::numeric, 2) AS net, round((random() * 3e4)::numeric, 2) AS tax,
               date '2020-01-01' + (i % 1400) AS sd
          FROM generate_series(1, :rows) i) g
  JOIN bench_uscc u ON u.id = i % 1000
  JOIN bench_idcard d ON d.id = (i * 7) % 1000
  JOIN bench_orgcode o ON o.id = (i * 13) % 1000;

CREATE TEMP TABLE bench_time (run int, hooks boolean, secs float8, cpu float8, submission bigint);

-- The backend's own CPU time (user + system) from /proc, in seconds: less
-- disturbed than wall time when the machine is shared.
\set clk_tck `getconf CLK_TCK`
SET bench.clk_tck = :clk_tck;
CREATE FUNCTION pg_temp.backend_cpu() RETURNS float8 LANGUAGE sql AS $$
  SELECT (split_part(s, ' ', 12)::bigint + split_part(s, ' ', 13)::bigint)::float8
         / current_setting('bench.clk_tck')::float8
    FROM (SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ') ', 2) AS s) x
$$;

-- One timed submit() of the batch for month `run` of 2021 (nothing is
-- superseded), with the ledger hooks on submission enabled or disabled.
CREATE FUNCTION pg_temp.bench_submit(run int, hooks boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  c0 float8;
  sid bigint;
BEGIN
  IF hooks THEN
    ALTER TABLE taxshare.submission ENABLE TRIGGER ledger_submission, ENABLE TRIGGER ledger_supersede;
  ELSE
    ALTER TABLE taxshare.submission DISABLE TRIGGER ledger_submission, DISABLE TRIGGER ledger_supersede;
  END IF;
  c0 := pg_temp.backend_cpu();
  t0 := clock_timestamp();
  sid := taxshare.submit('BENCH-LG-20F', 'BENCH-LG', make_date(2021, run, 1), (SELECT doc FROM bench_doc));
  INSERT INTO bench_time VALUES (run, hooks, extract(epoch FROM clock_timestamp() - t0), pg_temp.backend_cpu() - c0, sid);
END
$$;

-- Alternating, so that drift (autovacuum, a neighbour's load) hits both sides;
-- five runs per side, the best of each compared.
CHECKPOINT;
SELECT pg_temp.bench_submit(1, false) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(2, true) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(3, false) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(4, true) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(5, false) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(6, true) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(7, false) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(8, true) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(9, false) \g /dev/null
CHECKPOINT;
SELECT pg_temp.bench_submit(10, true) \g /dev/null
ALTER TABLE taxshare.submission ENABLE TRIGGER ledger_submission, ENABLE TRIGGER ledger_supersede;

-- The hooked runs are in the ledger, the others are not.
SELECT count(*) FILTER (WHERE b.hooks) AS hooked_entries, count(*) FILTER (WHERE NOT b.hooks) AS unhooked_entries
  FROM taxshare.ledger l
  JOIN bench_time b ON b.submission = substring(l.object FROM '^submission ([0-9]+):')::bigint
 WHERE l.action = 'submission' \gset
SELECT :hooked_entries = 5 AND :unhooked_entries = 0 AS entries_ok \gset
\if :entries_ok
\else
\echo 'ledger: the hooked submissions were not all recorded (or unhooked ones were): benchmark void'
\quit
\endif

SELECT min(secs) FILTER (WHERE NOT hooks) AS t_off, min(secs) FILTER (WHERE hooks) AS t_on,
       min(cpu) FILTER (WHERE NOT hooks) AS c_off, min(cpu) FILTER (WHERE hooks) AS c_on FROM bench_time \gset
SELECT format('ledger: submit %s rows, without ledger %s s, with ledger %s s, overhead %s%% (goal <= 10%%)',
              :rows, round(:t_off::numeric, 2), round(:t_on::numeric, 2),
              round(100 * (:t_on - :t_off)::numeric / :t_off::numeric, 1));
SELECT format('ledger: backend CPU time of the same runs, without ledger %s s, with ledger %s s, overhead %s%%',
              round(:c_off::numeric, 2), round(:c_on::numeric, 2),
              round(100 * (:c_on - :c_off)::numeric / nullif(:c_off, 0)::numeric, 1));

SELECT format('ledger: every run, wall/CPU s: without %s; with %s',
              string_agg(format('%s/%s', round(secs::numeric, 2), round(cpu::numeric, 2)), ' ' ORDER BY run) FILTER (WHERE NOT hooks),
              string_agg(format('%s/%s', round(secs::numeric, 2), round(cpu::numeric, 2)), ' ' ORDER BY run) FILTER (WHERE hooks))
  FROM bench_time;

-- The two pieces on their own: the digest of each hooked submission again
-- (the extra work of a hooked submit, nearly all of it), best of five, against
-- the best submit without the ledger; and a full verification, which
-- recomputes the digest of every recorded submission.
CREATE TEMP TABLE bench_digest (submission bigint, secs float8);
CREATE FUNCTION pg_temp.bench_digest(sid bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  PERFORM taxshare.submission_digest(sid);
  INSERT INTO bench_digest VALUES (sid, extract(epoch FROM clock_timestamp() - t0));
END
$$;
SELECT pg_temp.bench_digest(submission) FROM bench_time WHERE hooks ORDER BY run \g /dev/null
SELECT min(secs) AS t_digest FROM bench_digest \gset
SELECT clock_timestamp() AS t0 \gset
SELECT ok AS verify_ok, verified FROM taxshare.ledger_verify() \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS t_verify \gset
SELECT format('ledger: submission_digest() of %s records %s s (best of 5), %s%% of the best submit without the ledger; ledger_verify() of %s entries %s s (ok: %s)',
              :rows, round(:t_digest::numeric, 3), round(100 * :t_digest::numeric / :t_off::numeric, 1),
              :verified, round(:t_verify::numeric, 2), :'verify_ok');
