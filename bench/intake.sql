-- Benchmark: validated intake of a 20-field catalog item (identifiers, amounts,
-- dates, enums, a pattern, two cross-field rules, a primary key) through
-- taxshare.submit() and through COPY into taxshare.inbox, against inserting the
-- same rows as plain jsonb into an unchecked table in the same run; then the
-- backend's peak memory for two batch sizes.  Usage (taxshare installed):
--   psql -X -v ON_ERROR_STOP=1 [-v rows=100000] -f bench/intake.sql
-- Prints:
--   submit: N rows of a 20-field item (K batches), baseline (plain jsonb insert) B s, submit() F s, ratio R (goal <= 2)
--   inbox: N rows of a 20-field item by COPY, baseline (COPY into a plain jsonb table) B s, COPY into inbox F s, ratio R (goal <= 2)
--   rounds (baseline / taxshare, s): ...   (every round; the lines above take each side's best of three)
--   memory: ...
-- Needs superuser (CHECKPOINT, reading /proc/<pid>/status) and a scratch database: each round
-- empties taxshare.record, record_error and objection.  Writes /tmp/taxshare_bench_intake*.tsv.
\set QUIET on
\set ON_ERROR_STOP on
\if :{?rows}
\else
\set rows 1000000
\endif
\set batch 100000
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
\pset tuples_only on
\pset format unaligned
SELECT setseed(0.25) \g /dev/null

INSERT INTO taxshare.unit (code, name, kind) VALUES ('BENCH', '基准测试单位', 'department');
\set item_code BENCH-20F
\set item_title '基准: 商品房网签备案 (20 个字段)'
\set item_unit BENCH
\ir include/item_20f.psql


-- Pools of valid identifiers (check characters computed in SQL from the standards).
\ir include/identifier_pools.psql

-- The rows, as departments write them: dates and amounts in several notations,
-- lower-case identifiers; about 6% carry a mistake (bad check character,
-- missing signing date, amounts that do not add up).
CREATE UNLOGGED TABLE bench_rows AS
SELECT i, (i - 1) / :batch AS b, (date '2020-01-01' + make_interval(months => ((i - 1) / :batch)::int))::date AS period,
       jsonb_build_object(
         'contract_no', 'HT' || i,
         'seller_uscc', CASE WHEN i % 20 = 0 THEN left(u.code, 17) || CASE right(u.code, 1) WHEN '0' THEN '1' ELSE '0' END
                             WHEN i % 7 = 0 THEN lower(u.code) ELSE u.code END,
         'seller_name', CASE WHEN i % 5 = 0 THEN ' 衡阳华湘置业有限公司 ' ELSE '衡阳华湘置业有限公司' END,
         'buyer_idcard', CASE WHEN i % 9 = 0 THEN lower(d.code) ELSE d.code END,
         'buyer_name', '张三',
         'price', CASE WHEN i % 100 = 2 THEN to_char(tax + net + 100, 'FM999,999,990.00')
                       WHEN i % 3 = 0 THEN to_char(tax + net, 'FM999,999,990.00') ELSE to_jsonb(tax + net)::text END,
         'tax', tax, 'net', net,
         'sign_date', CASE WHEN i % 50 = 1 THEN ''
                           WHEN i % 4 = 0 THEN to_char(sd, 'YYYY/FMMM/FMDD')
                           WHEN i % 4 = 1 THEN to_char(sd, 'YYYYMMDD')
                           WHEN i % 4 = 2 THEN to_char(sd, 'YYYY"年"FMMM"月"FMDD"日"')
                           ELSE to_char(sd, 'YYYY-MM-DD') END,
         'record_date', to_char(sd + 3, 'YYYY-MM-DD'),
         'use', (ARRAY['住宅', '商业', '办公', '车位'])[i % 4 + 1],
         'district', (ARRAY['430405', '430406', '430407', '430408', '430421', '430422'])[i % 6 + 1],
         'area', round((50 + random() * 150)::numeric, 2),
         'floor', i % 33 + 1,
         'address', '衡阳市蒸湘区解放大道' || (i % 500) || '号' || (i % 30 + 1) || '栋',
         'phone', CASE WHEN i % 2 = 0 THEN '138' || lpad((i % 100000000)::text, 8, '0') ELSE '0734-' || (8000000 + i % 1000000) END,
         'first_home', i % 3 <> 0,
         'built_year', 2000 + i % 24,
         'agent_orgcode', o.code,
         'pay_month', to_char(sd, 'YYYY-MM')) AS row
  FROM (SELECT i, round((random() * 1e6)::numeric, 2) AS net, round((random() * 3e4)::numeric, 2) AS tax,
               date '2020-01-01' + (i % 1400) AS sd
          FROM generate_series(1, :rows) i) g
  JOIN bench_uscc u ON u.id = i % 1000
  JOIN bench_idcard d ON d.id = (i * 7) % 1000
  JOIN bench_orgcode o ON o.id = (i * 13) % 1000;
CREATE UNLOGGED TABLE bench_batch AS
SELECT b, period, jsonb_agg(row ORDER BY i) AS doc FROM bench_rows GROUP BY b, period;
-- Vacuumed now, and not again: autovacuum reading these inputs (the batches'
-- half a gigabyte of TOAST) would otherwise land inside a measurement.
ALTER TABLE bench_rows SET (autovacuum_enabled = false, toast.autovacuum_enabled = false);
ALTER TABLE bench_batch SET (autovacuum_enabled = false, toast.autovacuum_enabled = false);
VACUUM ANALYZE bench_rows, bench_batch;
SELECT count(*) AS batches FROM bench_batch \gset
\copy (SELECT 'BENCH-20F', 'BENCH', period, row FROM bench_rows ORDER BY i) TO '/tmp/taxshare_bench_intake.tsv'
\copy (SELECT 'BENCH-20F', 'BENCH', date '2031-01-01', row FROM bench_rows WHERE i <= 10000 ORDER BY i) TO '/tmp/taxshare_bench_intake_10k.tsv'
\copy (SELECT 'BENCH-20F', 'BENCH', date '2032-01-01', row FROM bench_rows WHERE i <= 100000 ORDER BY i) TO '/tmp/taxshare_bench_intake_100k.tsv'

CREATE TABLE bench_plain (id bigserial PRIMARY KEY, payload jsonb);
CREATE TABLE bench_plain_copy (item text, unit text, period_start date, payload jsonb);
-- No autovacuum on the tables either side writes: a vacuum of the million rows
-- one measurement wrote otherwise lands in the next, on the other core, which
-- the intake's parallel worker uses (taxshare.parallel_intake_min_rows).
ALTER TABLE bench_plain SET (autovacuum_enabled = false);
ALTER TABLE bench_plain_copy SET (autovacuum_enabled = false);
ALTER TABLE taxshare.record SET (autovacuum_enabled = false);
ALTER TABLE taxshare.record_error SET (autovacuum_enabled = false);

-- Three rounds (bench/include/intake_round.psql): submit(), one call per
-- batch of :batch rows, against the same arrays expanded into the plain
-- table; COPY of the same rows, one line each, into the inbox against COPY
-- into a plain table.  Each side's best round counts: single runs on a shared
-- machine moved by a third.
CREATE TEMP TABLE bench_round (round int, base_submit float8, fn_submit float8, base_copy float8, fn_copy float8);
\set round 1
\ir include/intake_round.psql
\ir include/intake_round.psql
\ir include/intake_round.psql
SELECT min(base_submit) AS base_submit, min(fn_submit) AS fn_submit, min(base_copy) AS base_copy,
       min(fn_copy) AS fn_copy FROM bench_round \gset
SELECT format('submit: %s rows of a 20-field item (%s batches, %s%% rejected), baseline (plain jsonb insert) %s s, submit() %s s, ratio %s (goal <= 2)',
              :rows, :batches,
              (SELECT round(100.0 * sum(rows_rejected) / sum(rows_total), 1) FROM taxshare.submission
                WHERE channel = 'api'),
              round(:base_submit, 1), round(:fn_submit, 1), round(:fn_submit / :base_submit, 2));
SELECT format('inbox: %s rows of a 20-field item by COPY, baseline (COPY into a plain jsonb table) %s s, COPY into inbox %s s, ratio %s (goal <= 2)',
              -- the last round's COPY is the current submission of each period
              (SELECT sum(rows_total) FROM taxshare.submission WHERE channel = 'inbox' AND superseded_by IS NULL),
              round(:base_copy, 1), round(:fn_copy, 1), round(:fn_copy / :base_copy, 2));
SELECT format('rounds (baseline / taxshare, s): submit %s; COPY %s',
              string_agg(format('%s / %s', round(base_submit::numeric, 1), round(fn_submit::numeric, 1)), ', ' ORDER BY round),
              string_agg(format('%s / %s', round(base_copy::numeric, 1), round(fn_copy::numeric, 1)), ', ' ORDER BY round))
  FROM bench_round;

ALTER TABLE taxshare.record RESET (autovacuum_enabled);
ALTER TABLE taxshare.record_error RESET (autovacuum_enabled);

-- Memory: peak private memory of a fresh backend (VmHWM minus the shared
-- buffers and files it mapped) after one load of 10 000 and of 100 000 rows.
-- COPY never holds the batch; submit() holds its argument, the whole array,
-- which is the "rows themselves" (its size is printed beside it).
CREATE FUNCTION bench_private_kb() RETURNS bigint LANGUAGE sql AS $$
  SELECT (regexp_match(s, 'VmHWM:\s*(\d+)'))[1]::bigint - (regexp_match(s, 'RssShmem:\s*(\d+)'))[1]::bigint
         - (regexp_match(s, 'RssFile:\s*(\d+)'))[1]::bigint
    FROM pg_read_file('/proc/' || pg_backend_pid() || '/status') s
$$;
CREATE TABLE bench_mem (path text, rows int, kb bigint, input_kb bigint);
CREATE TABLE bench_mem_doc AS
SELECT n, jsonb_agg(row ORDER BY i) AS doc FROM bench_rows, (VALUES (10000), (100000)) v(n) WHERE i <= n GROUP BY n;
\c
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
INSERT INTO bench_mem SELECT 'fresh', 0, bench_private_kb(), 0;
\c
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
\copy taxshare.inbox (item, unit, period_start, payload) FROM '/tmp/taxshare_bench_intake_10k.tsv'
INSERT INTO bench_mem SELECT 'copy', 10000, bench_private_kb(), 0;
\c
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
\copy taxshare.inbox (item, unit, period_start, payload) FROM '/tmp/taxshare_bench_intake_100k.tsv'
INSERT INTO bench_mem SELECT 'copy', 100000, bench_private_kb(), 0;
\c
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
SELECT taxshare.submit('BENCH-20F', 'BENCH', '2033-01-01', doc) FROM bench_mem_doc WHERE n = 10000 \g /dev/null
INSERT INTO bench_mem SELECT 'submit', 10000, bench_private_kb(), (SELECT pg_column_size(doc || '[]'::jsonb) / 1024 FROM bench_mem_doc WHERE n = 10000);
\c
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
SELECT taxshare.submit('BENCH-20F', 'BENCH', '2034-01-01', doc) FROM bench_mem_doc WHERE n = 100000 \g /dev/null
INSERT INTO bench_mem SELECT 'submit', 100000, bench_private_kb(), (SELECT pg_column_size(doc || '[]'::jsonb) / 1024 FROM bench_mem_doc WHERE n = 100000);
-- What the primaryKey set must hold for 100 000 rows: 16-byte slots (a power
-- of two, at most 70% full) and each key with its 4-byte length.
SELECT round(((2 ^ ceil(log(2, 100000 / 0.7)))::bigint * 16
              + (SELECT sum(octet_length('HT' || i) + 4) FROM generate_series(1, 100000) i)) / 1048576.0, 1)
       AS pk_set_mb \gset
SELECT format('memory: peak private backend memory, fresh backend %s MB; COPY into inbox 10k rows %s MB, 100k rows %s MB (the primaryKey set of 100k keys is %s MB of it); submit() 10k rows %s MB (argument %s MB), 100k rows %s MB (argument %s MB)',
              round(max(kb) FILTER (WHERE path = 'fresh') / 1024.0, 1),
              round(max(kb) FILTER (WHERE path = 'copy' AND rows = 10000) / 1024.0, 1),
              round(max(kb) FILTER (WHERE path = 'copy' AND rows = 100000) / 1024.0, 1), :pk_set_mb,
              round(max(kb) FILTER (WHERE path = 'submit' AND rows = 10000) / 1024.0, 1),
              round(max(input_kb) FILTER (WHERE path = 'submit' AND rows = 10000) / 1024.0, 1),
              round(max(kb) FILTER (WHERE path = 'submit' AND rows = 100000) / 1024.0, 1),
              round(max(input_kb) FILTER (WHERE path = 'submit' AND rows = 100000) / 1024.0, 1))
  FROM bench_mem;
\! rm -f /tmp/taxshare_bench_intake.tsv /tmp/taxshare_bench_intake_10k.tsv /tmp/taxshare_bench_intake_100k.tsv
