-- Benchmark: taxshare.name_similarity() over 1 million pairs of company
-- names against contrib pg_trgm's similarity() on the same pairs, measured
-- in the same run.  Usage (taxshare installed in the database, pg_trgm
-- available from postgresql-contrib):
--   psql -X -v ON_ERROR_STOP=1 -f bench/similarity.sql
-- Prints two lines:
--   name_similarity: 1000000 pairs, pg_trgm similarity() X s, name_similarity Y s, ratio R
--   name_similarity: best F1 on 100000 labelled pairs, pg_trgm A at t, name_similarity B at t
-- The ratio is name_similarity's time over similarity()'s (below 1: faster).
-- The second line says how well each measure alone tells the same company
-- from a different one, at its own best threshold (pg_trgm on normalize_name()
-- of both names, so that it is not penalised for full-width brackets).
\set QUIET on
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET temp_buffers = '1GB';
SET max_parallel_workers_per_gather = 0;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SELECT setseed(0.31) \g /dev/null

-- 20 000 companies: region + 字号 + industry + 有限公司.
CREATE TEMP TABLE bench_firm AS
WITH pool AS (SELECT '华湘瑞祥鑫隆泰宏盛丰源诚嘉安恒通达信德昌兴旺富康明光天金银龙凤新宇中南北东利和美力'::text AS z)
SELECT i AS id,
       (ARRAY['衡阳', '长沙', '株洲', '湘潭', '邵阳', '岳阳', '常德', '郴州', '永州', '娄底'])[1 + floor(random() * 10)::int] AS region,
       substr(z, 1 + floor(random() * length(z))::int, 1)
         || substr(z, 1 + floor(random() * length(z))::int, 1) AS zihao,
       (ARRAY['置业', '物业', '建设', '建材', '贸易', '商贸', '科技', '投资', '实业', '餐饮',
              '物流', '运输', '医药', '农业', '能源', '机械', '咨询', '劳务', '装饰', '文化传媒'])
         [1 + floor(random() * 20)::int] AS industry
  FROM generate_series(1, 20000) i, pool;

-- 1 000 000 pairs, half the same company written differently, half a
-- different company chosen to look alike.
CREATE TEMP TABLE bench_pair AS
WITH p AS (
  SELECT i, f.*, floor(random() * 10)::int AS kind,
         substr(z, 1 + floor(random() * length(z))::int, 1) AS c,
         1 + floor(random() * 2)::int AS pos,
         g.region || '市' || g.zihao || g.industry || '有限公司' AS other
    FROM generate_series(0, 999999) i
    CROSS JOIN (SELECT '华湘瑞祥鑫隆泰宏盛丰源诚嘉安恒通达信德昌兴旺富康明光天金银龙凤新宇中南北东利和美力'::text AS z) pool
    JOIN bench_firm f ON f.id = (i::bigint * 7919) % 20000 + 1
    JOIN bench_firm g ON g.id = (i::bigint * 104729 + 17) % 20000 + 1),
-- the 字号 with one character (first or second) replaced by another: as a
-- typo of the same company or as another company's 字号, the strings alike
q AS (
  SELECT p.*, overlay(zihao PLACING CASE WHEN c = substr(zihao, pos, 1) THEN '鹏' ELSE c END
                      FROM pos FOR 1) AS changed
    FROM p)
SELECT i,
       region || '市' || zihao || industry || '有限公司' AS a,
       CASE kind
         -- the same company
         WHEN 0 THEN zihao || industry || '（' || region || '）有限责任公司'
         WHEN 1 THEN zihao || industry || '有限公司'
         WHEN 2 THEN region || zihao || industry || '有限公司'
         WHEN 3 THEN region || '市' || changed || industry || '有限公司'	-- a typo in the 字号
         WHEN 4 THEN region || ' 市 ' || zihao || industry || '有限责任公司'
         -- different companies
         WHEN 5 THEN region || '市' || zihao ||
                     CASE WHEN industry = '物业' THEN '置业' ELSE '物业' END || '有限公司'	-- another industry
         WHEN 6 THEN CASE WHEN region = '长沙' THEN '衡阳' ELSE '长沙' END || '市' || zihao || industry || '有限公司'
         WHEN 7 THEN region || '市' || zihao || industry || '有限公司' || region || '分公司'
         WHEN 8 THEN region || '市' || changed || industry || '有限公司'	-- another 字号 one character apart
         ELSE other	-- another company altogether
       END AS b,
       kind < 5 AS same
  FROM q;

CREATE FUNCTION pg_temp.bench_similarity() RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  total bigint;
  s float8;
  t0 timestamptz;
  best_trgm float8 := 'Infinity';
  best_name float8 := 'Infinity';
  f1_trgm float8;
  f1_name float8;
  th_trgm float8;
  th_name float8;
BEGIN
  SELECT count(*) INTO total FROM bench_pair;	-- warm the buffers
  FOR run IN 1..3 LOOP
    t0 := clock_timestamp();
    SELECT sum(similarity(a, b)) INTO s FROM bench_pair;
    best_trgm := least(best_trgm, extract(epoch FROM clock_timestamp() - t0)::float8);

    t0 := clock_timestamp();
    SELECT sum(taxshare.name_similarity(a, b)) INTO s FROM bench_pair;
    best_name := least(best_name, extract(epoch FROM clock_timestamp() - t0)::float8);
  END LOOP;

  RETURN NEXT format('name_similarity: %s pairs, pg_trgm similarity() %s s, name_similarity %s s, ratio %s',
                     total, to_char(best_trgm, 'FM990.000'), to_char(best_name, 'FM990.000'),
                     to_char(best_name / best_trgm, 'FM990.00'));

  -- Best F1 of each measure as a lone classifier, over every threshold;
  -- pg_trgm gets the names normalised, as name_similarity normalises them.
  CREATE TEMP TABLE bench_score AS
  SELECT same, similarity(taxshare.normalize_name(a), taxshare.normalize_name(b))::float8 AS trgm,
         taxshare.name_similarity(a, b) AS name
    FROM bench_pair WHERE i % 10 = 0;
  SELECT f1, th INTO f1_trgm, th_trgm FROM (
    SELECT 2.0 * tp / (tp + fp + (SELECT count(*) FROM bench_score WHERE same)) AS f1, th
      FROM (SELECT trgm AS th,
                   count(*) FILTER (WHERE same) OVER w AS tp,
                   count(*) FILTER (WHERE NOT same) OVER w AS fp
              FROM bench_score
            WINDOW w AS (ORDER BY trgm DESC RANGE UNBOUNDED PRECEDING)) x) y
   ORDER BY f1 DESC, th DESC LIMIT 1;
  SELECT f1, th INTO f1_name, th_name FROM (
    SELECT 2.0 * tp / (tp + fp + (SELECT count(*) FROM bench_score WHERE same)) AS f1, th
      FROM (SELECT name AS th,
                   count(*) FILTER (WHERE same) OVER w AS tp,
                   count(*) FILTER (WHERE NOT same) OVER w AS fp
              FROM bench_score
            WINDOW w AS (ORDER BY name DESC RANGE UNBOUNDED PRECEDING)) x) y
   ORDER BY f1 DESC, th DESC LIMIT 1;
  RETURN NEXT format('name_similarity: best F1 on %s labelled pairs, pg_trgm %s at %s, name_similarity %s at %s',
                     (SELECT count(*) FROM bench_score),
                     to_char(f1_trgm, 'FM0.0000'), to_char(th_trgm, 'FM0.000'),
                     to_char(f1_name, 'FM0.0000'), to_char(th_name, 'FM0.000'));
  DROP TABLE bench_score;
END $$;

\pset tuples_only on
\pset format unaligned
SELECT pg_temp.bench_similarity();

DROP TABLE bench_pair;
DROP TABLE bench_firm;
