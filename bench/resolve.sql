-- Benchmark: entity resolution with known truth (docs/matching.md, "Benchmark").
--
-- Generates :enterprises enterprises in five Hunan cities with names built
-- the way decree 734 builds them (region + 字号 + industry + form), many of
-- them near namesakes of each other (the same 字号 in another industry or
-- city, 字号 one character apart), and about two records per enterprise from
-- three departments:
--   registry (市场监管)  40% of the enterprises: valid USCC, the registered
--                        name, division, address, phone;
--   housing (住建)       50%: a USCC in 60% of the records, else the name only;
--   tax (税务)           70%, 1.4 declarations each: the taxpayer ID as typed:
--                        a USCC (55%), a legacy 15-character ID (10%), a USCC
--                        with one character mistyped (15%), nothing (20%);
--                        an address in half of them, a phone in 40%.
-- Names outside the registry carry the noise departments really send:
-- 有限责任公司 for 有限公司 and back (25%), the region in brackets after the
-- 字号 (15%, half of them full-width), the region left out (3%), 市 added
-- (10%), one character of the 字号 mistyped (5%).
--
-- Then resolve_entities() runs, and the same resolution with contrib pg_trgm
-- as the baseline: the same deterministic keys, then for a party without one
-- the entity of the same kind whose normalised name is most similar by
-- pg_trgm's similarity() through a GIN trigram index, linked at or above
-- :trgm_threshold, else a new entity, one party at a time in record order.
-- Both are scored by pairwise precision and recall over the parties
-- (two parties of the same enterprise in the same entity is a true pair).
-- resolve_entities() runs first with the built-in parameters, then with m
-- and u estimated by match_estimate() on the same data.  Finally,
-- resolve_entities() from scratch over growing prefixes of the parties shows
-- how time grows.  Usage:
--   psql -X -v ON_ERROR_STOP=1 [-v enterprises=100000] [-v trgm_threshold=0.5] [-v baseline_parties=20000] -f bench/resolve.sql
-- For quicker iterations: -v baseline_parties=0 skips the pg_trgm baseline,
-- -v em=0 the EM run, -v growth=0 the growth line, and -v misses=1 adds the
-- diagnosis of bench/resolve_misses.sql after the built-in run (that file
-- can also be run alone on the database the benchmark leaves behind).
-- Prints:
--   data: E enterprises, R records (registry a, housing b, tax c), P parties
--   taxshare, built-in parameters: T s, precision p, recall r, F1 f, N left for review
--   blocking: C comparisons for P parties (c per party); all pairs would be A
--   taxshare, EM parameters (match_estimate: ...): T s, precision p, recall r, F1 f
--   first n parties: taxshare T s, precision, recall, F1
--   first n parties: pg_trgm T s, precision, recall, F1
--   ratio: pg_trgm / taxshare time = x (goal >= 3 at equal or better F1: met)
--   growth: n parties T s (t ms per 1000), ...
\set QUIET on
\set ON_ERROR_STOP on
\if :{?enterprises}
\else
\set enterprises 100000
\endif
\if :{?trgm_threshold}
\else
\set trgm_threshold 0.5
\endif
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
\pset tuples_only on
\pset format unaligned
SELECT setseed(0.42) \g /dev/null
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ---------------------------------------------------------------- identifiers
CREATE FUNCTION pg_temp.org_check(s8 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
    FROM (SELECT 11 - sum((CASE WHEN ch ~ '[0-9]' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END) * w) % 11 AS c
            FROM unnest(string_to_array(s8, NULL), ARRAY[3, 7, 9, 10, 5, 8, 4, 2]) AS u(ch, w)) x
$$;
CREATE FUNCTION pg_temp.uscc_make(division text, org9 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT s || substr(a, (31 - (sum((strpos(a, ch) - 1) * w) % 31)::int) % 31 + 1, 1)
    FROM (SELECT '91' || division || org9 AS s, '0123456789ABCDEFGHJKLMNPQRTUWXY' AS a) v,
         unnest(string_to_array('91' || division || org9, NULL),
                ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]) AS u(ch, w)
   GROUP BY s, a
$$;

-- ---------------------------------------------------------------- enterprises
CREATE TEMP TABLE city (city text, districts text[], area text);
INSERT INTO city VALUES
  ('衡阳', '{430405,430406,430407,430408,430412}', '0734'),
  ('长沙', '{430102,430103,430104,430105}', '0731'),
  ('株洲', '{430202,430203,430204}', '0731'),
  ('湘潭', '{430302,430304}', '0731'),
  ('岳阳', '{430602,430603}', '0730');
CREATE TEMP TABLE pool AS
  SELECT string_to_array('华湘鑫源宏达兴盛博瑞恒通泰丰安康富利金隆旺顺昌嘉新远宇天龙凯德信诚和欣明辉永乐祥福海东南中广大正美方佳益汇众合力创腾飞骏豪云星光晟鼎峰岳雁蒸耒珠晖石鼓江润泽锦绣华夏亿万',
                         NULL) AS chars,
         ARRAY['置业', '物业', '房地产开发', '建设', '建筑', '建材', '贸易', '商贸', '科技', '投资', '餐饮',
               '物流', '运输', '医药', '农业', '能源', '电力', '机械', '汽车销售', '咨询', '劳务', '工程',
               '装饰', '文化传媒', '电子', '食品', '服装', '印务', '环保', '教育咨询'] AS industries,
         ARRAY['路', '街', '大道'] AS roads;

-- Candidate enterprises, then one per (city, 字号, industry): names are unique
-- in their registration area, as the law requires.
CREATE TEMP TABLE ent AS
WITH raw AS (
  SELECT g AS n,
         (ARRAY['衡阳', '衡阳', '衡阳', '长沙', '长沙', '株洲', '湘潭', '岳阳'])[1 + floor(random() * 8)::int] AS city,
         p.chars[1 + floor(random() * cardinality(p.chars))::int] ||
         p.chars[1 + floor(random() * cardinality(p.chars))::int] ||
         CASE WHEN random() < 0.2 THEN p.chars[1 + floor(random() * cardinality(p.chars))::int] ELSE '' END AS brand,
         p.industries[1 + floor(random() * cardinality(p.industries))::int] AS industry,
         CASE WHEN random() < 0.8 THEN '有限公司' ELSE '股份有限公司' END AS form,
         random() AS r
    FROM generate_series(1, (:enterprises * 1.15)::int) g, pool p
)
SELECT row_number() OVER (ORDER BY min(n))::int AS id, city, brand, industry, min(form) AS form
  FROM raw GROUP BY city, brand, industry
 ORDER BY min(n) LIMIT :enterprises;
ALTER TABLE ent ADD COLUMN division text, ADD COLUMN uscc text, ADD COLUMN legacy text, ADD COLUMN name text,
  ADD COLUMN address text, ADD COLUMN phone text;
UPDATE ent e SET division = c.districts[1 + (e.id % cardinality(c.districts))],
                 phone = c.area || '-' || (8000000 + (e.id * 7919) % 1000000)::text,
                 address = e.city || '市' || (ARRAY['雁峰区', '蒸湘区', '岳麓区', '芙蓉区', '荷塘区'])[1 + e.id % 5] ||
                           (SELECT chars[1 + e.id % 40] || chars[1 + (e.id / 40) % 40] FROM pool) ||
                           (SELECT roads[1 + e.id % 3] FROM pool) || (1 + e.id % 300)::text || '号'
  FROM city c WHERE c.city = e.city;
UPDATE ent SET uscc = pg_temp.uscc_make(division, o || pg_temp.org_check(o)),
               legacy = division || o || pg_temp.org_check(o),
               name = (CASE WHEN id % 10 = 0 THEN city || '市' WHEN id % 10 = 1 THEN '湖南' ELSE city END)
                      || brand || industry || form
  FROM (SELECT id AS oid, lpad((((id::bigint * 7919) % 90000000) + 10000000)::text, 8, '0') AS o FROM ent) x
 WHERE x.oid = ent.id;

-- ---------------------------------------------------------------- records
-- A name as a department writes it (registry: as registered).
CREATE FUNCTION pg_temp.noisy(e ent) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  r float8 := random();
  b text := e.brand;
  n text;
  f text := e.form;
  p text[] := (SELECT chars FROM pool);
BEGIN
  IF random() < 0.05 THEN     -- one character of the 字号 mistyped
    b := overlay(b PLACING p[1 + floor(random() * cardinality(p))::int]
                 FROM 1 + floor(random() * char_length(b))::int FOR 1);
  END IF;
  IF random() < 0.25 THEN
    f := replace(replace(f, '有限公司', '有限责任公司'), '股份有限责任公司', '股份公司');
  END IF;
  IF r < 0.15 THEN            -- region in brackets after the 字号
    n := b || e.industry || CASE WHEN random() < 0.5 THEN '(' || e.city || ')' ELSE '（' || e.city || '）' END || f;
  ELSIF r < 0.18 THEN         -- region left out
    n := b || e.industry || f;
  ELSIF r < 0.28 THEN         -- 市 added
    n := e.city || '市' || b || e.industry || f;
  ELSE
    n := e.city || b || e.industry || f;
  END IF;
  RETURN n;
END
$$;

-- One character of a USCC mistyped: the check catches it, the text is still evidence.
CREATE FUNCTION pg_temp.mistype(s text) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT overlay(s PLACING CASE substr(s, k, 1) WHEN '8' THEN '3' ELSE '8' END FROM k FOR 1)
    FROM (SELECT 3 + floor(random() * 15)::int AS k) x
$$;

CREATE TEMP TABLE rec (seq serial, dept text, truth int, row jsonb);
INSERT INTO rec (dept, truth, row)
SELECT 'registry', e.id, jsonb_build_object('uscc', e.uscc, 'name', e.name, 'region', e.division,
                                          'address', e.address, 'phone', e.phone, 'truth', e.id)
  FROM ent e WHERE random() < 0.40;
INSERT INTO rec (dept, truth, row)
SELECT 'housing', e.id, jsonb_strip_nulls(jsonb_build_object(
         'uscc', CASE WHEN random() < 0.6 THEN e.uscc END, 'name', pg_temp.noisy(e),
         'price', (100000 + floor(random() * 9000000))::text, 'truth', e.id))
  FROM ent e WHERE random() < 0.50;
-- (a materialised CTE: a filter on random() alone would be pushed down to
-- generate_series and drawn once for all enterprises)
INSERT INTO rec (dept, truth, row)
WITH x AS MATERIALIZED (SELECT e, k, random() AS keep, random() AS r FROM ent e CROSS JOIN generate_series(1, 2) k)
SELECT 'tax', (e).id, jsonb_strip_nulls(jsonb_build_object(
         'tpid', CASE WHEN r < 0.55 THEN (e).uscc WHEN r < 0.65 THEN (e).legacy
                      WHEN r < 0.80 THEN pg_temp.mistype((e).uscc) END,
         'name', pg_temp.noisy(e),
         'address', CASE WHEN random() < 0.5 THEN CASE WHEN random() < 0.3 THEN replace((e).address, '号', '')
                                                       ELSE (e).address END END,
         'phone', CASE WHEN random() < 0.4 THEN (e).phone END,
         'tax', (1000 + floor(random() * 90000))::text, 'truth', (e).id))
  FROM x WHERE (k = 1 AND keep < 0.70) OR (k = 2 AND keep < 0.28);
-- departments report in no particular order of enterprise
CREATE TEMP TABLE rec_order AS SELECT seq, dept, truth, row FROM rec ORDER BY random();

-- ---------------------------------------------------------------- intake
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('BR_SCJG', '基准: 市场监管', 'department'), ('BR_ZJ', '基准: 住建', 'department'), ('BR_SW', '基准: 税务', 'tax');
SELECT taxshare.catalog_define($${"code": "BR-REG", "title": "基准: 企业登记", "provider": "BR_SCJG", "frequency": "monthly",
  "schema": {"fields": [{"name": "uscc", "type": "uscc"}, {"name": "name", "type": "string"},
    {"name": "region", "type": "division"}, {"name": "address", "type": "string"}, {"name": "phone", "type": "string"},
    {"name": "truth", "type": "integer"}]},
  "parties": [{"role": "enterprise", "uscc": "uscc", "name": "name"}]}$$) \g /dev/null
SELECT taxshare.catalog_define($${"code": "BR-HOUSE", "title": "基准: 网签", "provider": "BR_ZJ", "frequency": "monthly",
  "schema": {"fields": [{"name": "uscc", "type": "uscc"}, {"name": "name", "type": "string"},
    {"name": "price", "type": "amount"}, {"name": "truth", "type": "integer"}]},
  "parties": [{"role": "seller", "uscc": "uscc", "name": "name"}]}$$) \g /dev/null
SELECT taxshare.catalog_define($${"code": "BR-TAX", "title": "基准: 申报", "provider": "BR_SW", "frequency": "monthly",
  "schema": {"fields": [{"name": "tpid", "type": "string"}, {"name": "name", "type": "string"},
    {"name": "address", "type": "string"}, {"name": "phone", "type": "string"},
    {"name": "tax", "type": "amount"}, {"name": "truth", "type": "integer"}]},
  "parties": [{"role": "taxpayer", "name": "name"}]}$$) \g /dev/null
SELECT taxshare.party_evidence_set('BR-REG', 'enterprise', 'enterprise', region => 'region', address => 'address',
                                   phone => 'phone') \g /dev/null
SELECT taxshare.party_evidence_set('BR-TAX', 'taxpayer', 'enterprise', taxpayer_id => 'tpid', address => 'address',
                                   phone => 'phone') \g /dev/null

-- Submitted in chunks of 5 000 rows in their random order, the departments'
-- chunks interleaved, so that any prefix of the records is a sample of the
-- whole; a chunk is one period of one department (months from 2000 on).
SELECT count(*) FROM (
  SELECT taxshare.submit(CASE dept WHEN 'registry' THEN 'BR-REG' WHEN 'housing' THEN 'BR-HOUSE' ELSE 'BR-TAX' END,
                         CASE dept WHEN 'registry' THEN 'BR_SCJG' WHEN 'housing' THEN 'BR_ZJ' ELSE 'BR_SW' END,
                         (date '2000-01-01' + make_interval(months => chunk::int))::date, rows)
    FROM (SELECT dept, chunk, jsonb_agg(row ORDER BY n) AS rows
            FROM (SELECT dept, row, row_number() OVER (ORDER BY random()) AS n FROM rec_order) x,
                 LATERAL (SELECT (n - 1) / 15000 AS chunk) c
           GROUP BY dept, chunk) b
   ORDER BY chunk, dept) z \g /dev/null
VACUUM ANALYZE taxshare.record;
VACUUM ANALYZE taxshare.submission;

SELECT format('data: %s enterprises, %s records (registry %s, housing %s, tax %s), %s parties; rejected rows: %s',
              (SELECT count(*) FROM ent), count(*), count(*) FILTER (WHERE dept = 'registry'),
              count(*) FILTER (WHERE dept = 'housing'), count(*) FILTER (WHERE dept = 'tax'),
              (SELECT count(*) FROM taxshare.record_party_source),
              (SELECT count(*) FROM taxshare.record WHERE status = 'rejected'))
  FROM rec;

-- Truth per party: the enterprise the record was generated from.
CREATE TEMP TABLE truth AS
  SELECT s.record_id, s.role, (c.payload ->> 'truth')::int AS enterprise
    FROM taxshare.record_party_source s JOIN taxshare.current_record c ON c.id = s.record_id;
CREATE UNIQUE INDEX ON truth (record_id, role);
ANALYZE truth;

-- Pairwise precision and recall of a linking (record_id, role, entity).
CREATE FUNCTION pg_temp.score(links regclass, OUT prec numeric, OUT recl numeric, OUT f1 numeric)
LANGUAGE plpgsql AS $$
DECLARE
  tp numeric;
  predicted numeric;
  actual numeric;
BEGIN
  EXECUTE format($q$
    WITH j AS (SELECT l.entity, t.enterprise FROM %s l JOIN truth t USING (record_id, role))
    SELECT (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*)::numeric n FROM j GROUP BY entity, enterprise) a),
           (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*)::numeric n FROM j GROUP BY entity) b),
           (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*)::numeric n FROM j GROUP BY enterprise) c)$q$, links)
    INTO tp, predicted, actual;
  prec := round(tp / nullif(predicted, 0), 4);
  recl := round(tp / nullif(actual, 0), 4);
  f1 := round(2 * prec * recl / nullif(prec + recl, 0), 4);
END
$$;

-- ---------------------------------------------------------------- taxshare
-- resolve_entities() from scratch over the first n parties (in record order);
-- the others are linked to a placeholder first so that the run skips them.
CREATE FUNCTION pg_temp.fresh_run(n bigint) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
BEGIN
  TRUNCATE taxshare.record_party, taxshare.match_review, taxshare.entity_attribute, taxshare.party_link,
           taxshare.entity CASCADE;
  INSERT INTO taxshare.entity (id, kind, name) VALUES (0, 'enterprise', 'placeholder');
  INSERT INTO taxshare.record_party (record_id, role, entity_id, method)
  SELECT record_id, role, 0, 'manual'
    FROM (SELECT record_id, role, row_number() OVER (ORDER BY record_id, role) AS k
            FROM taxshare.record_party_source) x
   WHERE k > n;
  CHECKPOINT;
  t0 := clock_timestamp();
  PERFORM taxshare.resolve_entities();
  RETURN extract(epoch FROM clock_timestamp() - t0);
END
$$;
CREATE TEMP VIEW ts_links AS
  SELECT record_id, role, entity_id AS entity FROM taxshare.record_party WHERE entity_id <> 0;

SELECT count(*) AS all_parties FROM taxshare.record_party_source \gset
SELECT pg_temp.fresh_run(:all_parties) AS ts_secs \gset
SELECT count(*) FILTER (WHERE status = 'pending') AS ts_review FROM taxshare.match_review \gset
SELECT prec, recl, f1 FROM pg_temp.score('ts_links') \gset ts_
SELECT format('taxshare, built-in parameters: %s s (%s ms per 1000 parties), precision %s, recall %s, F1 %s, %s left for review',
              round(:ts_secs, 2), round(:ts_secs * 1e6 / :all_parties, 1), :'ts_prec', :'ts_recl', :'ts_f1', :ts_review);
SELECT format('goal precision >= 0.995 and recall >= 0.97 (built-in parameters): %s',
              CASE WHEN :ts_prec >= 0.995 AND :ts_recl >= 0.97 THEN 'met' ELSE 'NOT met' END);

\if :{?misses}
\ir resolve_misses.sql
\endif

-- The blocking: comparisons made against all pairs of parties
SELECT parties, comparisons FROM taxshare.resolve_entities(rebuild => true) \gset rb_
SELECT format('blocking: %s comparisons for %s parties (%s per party); all pairs would be %s',
              :rb_comparisons, :rb_parties, round(:rb_comparisons::numeric / :rb_parties, 1),
              (:rb_parties::numeric * (:rb_parties - 1) / 2)::bigint);

-- m and u estimated by EM on this data, then resolution again from scratch
\if :{?em}
\else
\set em 1
\endif
\if :em
SELECT clock_timestamp() AS t0 \gset
SELECT taxshare.match_estimate(20000) -> 'enterprise' ->> 'pairs' AS em_pairs \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS em_secs \gset
SELECT pg_temp.fresh_run(:all_parties) AS em_run_secs \gset
SELECT count(*) FILTER (WHERE status = 'pending') AS em_review FROM taxshare.match_review \gset
SELECT prec, recl, f1 FROM pg_temp.score('ts_links') \gset em_
SELECT format('taxshare, EM parameters (match_estimate: %s pairs, %s s): %s s, precision %s, recall %s, F1 %s, %s left for review',
              :em_pairs, round(:em_secs, 2), round(:em_run_secs, 2), :'em_prec', :'em_recl', :'em_f1', :em_review);
SELECT format('goal precision >= 0.995 and recall >= 0.97 (EM parameters): %s',
              CASE WHEN :em_prec >= 0.995 AND :em_recl >= 0.97 THEN 'met' ELSE 'NOT met' END);
DELETE FROM taxshare.match_parameter;
\endif

-- ---------------------------------------------------------------- pg_trgm baseline
-- The same keys (USCC, organization code inside a USCC or a legacy ID,
-- through btree indexes), then trigram similarity through a GIN index over
-- the normalised name without its legal form (有限公司 in every name would
-- make every entity a candidate).  It works one party at a time in PL/pgSQL,
-- so it runs over the first :baseline_parties parties only; taxshare is
-- timed again on the same prefix.
\if :{?baseline_parties}
\else
\set baseline_parties 20000
\endif
CREATE TEMP TABLE bl_entity (id serial PRIMARY KEY, uscc text UNIQUE, orgcode text UNIQUE, name text);
CREATE INDEX ON bl_entity USING gin (name gin_trgm_ops);
CREATE TEMP TABLE bl_links (record_id bigint, role text, entity int);
CREATE FUNCTION pg_temp.bl_name(n text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(taxshare.normalize_name(n), '(股份|有限)*公司$', '')
$$;
CREATE FUNCTION pg_temp.baseline(threshold float4, n bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  p record;
  k text;
  o text;
  e int;
  nm text;
BEGIN
  PERFORM set_config('pg_trgm.similarity_threshold', threshold::text, true);
  FOR p IN SELECT record_id, role, uscc, taxpayer_id, name FROM taxshare.record_party_source
            ORDER BY record_id, role LIMIT n LOOP
    e := NULL;
    k := taxshare.normalize_ident(coalesce(p.uscc, p.taxpayer_id));
    o := NULL;
    nm := pg_temp.bl_name(p.name);
    IF taxshare.uscc_valid(k) THEN
      o := substr(k, 9, 9);
    ELSIF length(k) = 15 AND taxshare.orgcode_valid(substr(k, 7)) THEN
      o := substr(k, 7);
      k := NULL;
    ELSE
      k := NULL;
    END IF;
    IF k IS NOT NULL THEN
      SELECT id INTO e FROM bl_entity WHERE uscc = k;
    END IF;
    IF e IS NULL AND o IS NOT NULL THEN
      SELECT id INTO e FROM bl_entity WHERE orgcode = o;
      IF e IS NOT NULL AND k IS NOT NULL THEN
        UPDATE bl_entity SET uscc = k WHERE id = e AND uscc IS NULL;
      END IF;
    END IF;
    IF e IS NULL THEN
      -- the most similar name among entities without a conflicting key
      SELECT id INTO e FROM bl_entity
       WHERE name % nm AND (k IS NULL OR uscc IS NULL) AND (o IS NULL OR orgcode IS NULL)
       ORDER BY similarity(name, nm) DESC, id LIMIT 1;
      IF e IS NOT NULL AND (k IS NOT NULL OR o IS NOT NULL) THEN
        UPDATE bl_entity SET uscc = coalesce(uscc, k), orgcode = coalesce(orgcode, o) WHERE id = e;
      END IF;
    END IF;
    IF e IS NULL THEN
      INSERT INTO bl_entity (uscc, orgcode, name) VALUES (k, o, nm) RETURNING id INTO e;
    END IF;
    INSERT INTO bl_links VALUES (p.record_id, p.role, e);
  END LOOP;
END
$$;
SELECT least(:baseline_parties, :all_parties) AS bl_n \gset
SELECT :bl_n > 0 AS bl_run \gset
\if :bl_run
SELECT clock_timestamp() AS t0 \gset
SELECT pg_temp.baseline(:trgm_threshold, :bl_n) \g /dev/null
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS bl_secs \gset
SELECT prec, recl, f1 FROM pg_temp.score('bl_links') \gset bl_
SELECT pg_temp.fresh_run(:bl_n) AS tsp_secs \gset
SELECT prec, recl, f1 FROM pg_temp.score('ts_links') \gset tsp_
SELECT format('first %s parties: taxshare %s s, precision %s, recall %s, F1 %s', :bl_n, round(:tsp_secs, 2),
              :'tsp_prec', :'tsp_recl', :'tsp_f1');
SELECT format('first %s parties: pg_trgm (similarity >= %s) %s s, precision %s, recall %s, F1 %s',
              :bl_n, :trgm_threshold, round(:bl_secs, 2), :'bl_prec', :'bl_recl', :'bl_f1');
SELECT format('ratio: pg_trgm / taxshare time = %s (goal >= 3 at equal or better F1: %s)',
              round(:bl_secs / :tsp_secs, 1),
              CASE WHEN :tsp_f1 >= :bl_f1 AND :bl_secs / :tsp_secs >= 3 THEN 'met' ELSE 'NOT met' END);
\endif

-- ---------------------------------------------------------------- growth
\if :{?growth}
\else
\set growth 1
\endif
\if :growth
CREATE TEMP TABLE growth (parties bigint, secs numeric);
INSERT INTO growth
SELECT n, pg_temp.fresh_run(n)
  FROM unnest(ARRAY[10000, 20000, 50000, 100000, 200000, 500000, 1000000]::bigint[]) n
 WHERE n < :all_parties
UNION ALL SELECT :all_parties, :ts_secs;
SELECT format('growth: %s', string_agg(format('%s parties %s s (%s ms per 1000)', parties, round(secs, 2),
                                              round(secs * 1e6 / parties, 1)), ', ' ORDER BY parties))
  FROM growth;
\endif
