-- pgTAP tests of the similarity module (docs/matching.md).  The test runner
-- has created pgtap and taxshare in this database.
--
-- The expected values come from independent formulations written below in
-- SQL and plpgsql (Jaro-Winkler after Winkler 1990, bigram Dice as a
-- multiset intersection, the blend of docs/matching.md), applied to
-- thousands of names generated with a fixed seed.
BEGIN;
SELECT plan(34);

-- The SQL surface: names, signatures, IMMUTABLE STRICT PARALLEL SAFE, comments.
SELECT has_function('taxshare', 'jaro_winkler', ARRAY['text', 'text'], 'jaro_winkler(text, text) exists');
SELECT has_function('taxshare', 'bigram_similarity', ARRAY['text', 'text'], 'bigram_similarity(text, text) exists');
SELECT has_function('taxshare', 'name_similarity', ARRAY['text', 'text'], 'name_similarity(text, text) exists');
SELECT has_function('taxshare', 'company_name_parts', ARRAY['text'], 'company_name_parts(text) exists');
SELECT has_function('taxshare', 'company_name_key', ARRAY['text'], 'company_name_key(text) exists');
SELECT has_function('taxshare', 'company_name_compare', ARRAY['text', 'text'], 'company_name_compare(text, text) exists');
SELECT function_returns('taxshare', 'name_similarity', ARRAY['text', 'text'], 'double precision',
                        'name_similarity returns float8');
SELECT results_eq(
  $$SELECT p.proname::text COLLATE "default", p.provolatile::text, p.proisstrict, p.proparallel::text,
           obj_description(p.oid, 'pg_proc') LIKE '%/%'
      FROM pg_proc p
     WHERE p.pronamespace = 'taxshare'::regnamespace
       AND p.proname IN ('jaro_winkler', 'bigram_similarity', 'name_similarity',
                         'company_name_parts', 'company_name_key', 'company_name_compare')
     ORDER BY 1$$,
  $$VALUES ('bigram_similarity', 'i', true, 's', true), ('company_name_compare', 'i', true, 's', true),
           ('company_name_key', 'i', true, 's', true), ('company_name_parts', 'i', true, 's', true),
           ('jaro_winkler', 'i', true, 's', true), ('name_similarity', 'i', true, 's', true)$$,
  'all six are IMMUTABLE STRICT PARALLEL SAFE with a Chinese / English comment');
SELECT is(
  (SELECT array_to_string(proargnames, ',') FROM pg_proc
    WHERE oid = 'taxshare.company_name_parts(text)'::regprocedure),
  'name,region,trade_name,industry,industry_class,form,branch,is_branch,is_group,is_china,is_company',
  'company_name_parts: its columns');

-- Independent reference implementations.
CREATE SCHEMA sim_ref;

CREATE FUNCTION sim_ref.jaro(a text, b text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  n int := length(a);
  m int := length(b);
  win int;
  am boolean[];
  bm boolean[];
  matches int := 0;
  half int := 0;
  k int := 1;
BEGIN
  IF n = 0 AND m = 0 THEN RETURN 1; END IF;
  IF n = 0 OR m = 0 THEN RETURN 0; END IF;
  win := greatest(greatest(n, m) / 2 - 1, 0);
  am := array_fill(false, ARRAY[n]);
  bm := array_fill(false, ARRAY[m]);
  FOR i IN 1..n LOOP
    FOR j IN greatest(1, i - win)..least(m, i + win) LOOP
      IF NOT bm[j] AND substr(a, i, 1) = substr(b, j, 1) THEN
        am[i] := true; bm[j] := true; matches := matches + 1;
        EXIT;
      END IF;
    END LOOP;
  END LOOP;
  IF matches = 0 THEN RETURN 0; END IF;
  FOR i IN 1..n LOOP
    IF am[i] THEN
      WHILE NOT bm[k] LOOP k := k + 1; END LOOP;
      IF substr(a, i, 1) <> substr(b, k, 1) THEN half := half + 1; END IF;
      k := k + 1;
    END IF;
  END LOOP;
  RETURN (matches::float8 / n + matches::float8 / m + (matches - half / 2.0) / matches) / 3;
END $$;

-- Scan the shorter string (then the smaller in code point order), as documented.
CREATE FUNCTION sim_ref.jw(a text, b text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  j float8;
  l int := 0;
  t text;
BEGIN
  IF length(a) > length(b) OR (length(a) = length(b) AND a COLLATE "C" > b COLLATE "C") THEN
    t := a; a := b; b := t;
  END IF;
  j := sim_ref.jaro(a, b);
  WHILE l < 4 AND l < length(a) AND l < length(b) AND substr(a, l + 1, 1) = substr(b, l + 1, 1) LOOP
    l := l + 1;
  END LOOP;
  RETURN j + l * 0.1 * (1 - j);
END $$;

CREATE FUNCTION sim_ref.dice(a text, b text) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT AS $$
  WITH g AS (SELECT CASE WHEN least(length(a), length(b)) < 2 THEN 1 ELSE 2 END AS n),
       ga AS (SELECT substr(a, i, g.n) AS x FROM g, generate_series(1, length(a) - g.n + 1) i),
       gb AS (SELECT substr(b, i, g.n) AS x FROM g, generate_series(1, length(b) - g.n + 1) i),
       ca AS (SELECT x, count(*) AS c FROM ga GROUP BY x),
       cb AS (SELECT x, count(*) AS c FROM gb GROUP BY x)
  SELECT CASE WHEN a = b THEN 1
              WHEN a = '' OR b = '' THEN 0
              ELSE 2.0 * (SELECT coalesce(sum(least(ca.c, cb.c)), 0) FROM ca JOIN cb USING (x))
                   / ((SELECT count(*) FROM ga) + (SELECT count(*) FROM gb)) END::float8
$$;

-- The blend: lambda = 0.5 * min(1, (n - 1) / 3), n the shorter length.
CREATE FUNCTION sim_ref.name(a text, b text) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN a = b THEN 1
              WHEN least(length(a), length(b)) <= 1 THEN sim_ref.jw(a, b)
              ELSE (1 - 0.5 * least(1, (least(length(a), length(b)) - 1) / 3.0)) * sim_ref.jw(a, b)
                   + 0.5 * least(1, (least(length(a), length(b)) - 1) / 3.0) * sim_ref.dice(a, b) END
$$;

SELECT setseed(0.4242);

-- Random strings over a small alphabet (so characters repeat), 0 to 8 long.
CREATE TEMP TABLE pairs AS
SELECT i,
       (SELECT string_agg(substr('华湘置业物张伟玮ab', 1 + floor(random() * 10)::int, 1), '')
          FROM generate_series(1, floor(random() * 9)::int + (i * 0)) k) AS a,
       (SELECT string_agg(substr('华湘置业物张伟玮ab', 1 + floor(random() * 10)::int, 1), '')
          FROM generate_series(1, floor(random() * 9)::int + (i * 0)) k) AS b
  FROM generate_series(1, 3000) i;
UPDATE pairs SET a = coalesce(a, ''), b = coalesce(b, '');

SELECT ok((SELECT count(DISTINCT (a, b)) FROM pairs) > 2500, 'the generated pairs are varied');

SELECT is((SELECT count(*) FROM pairs
            WHERE abs(taxshare.jaro_winkler(a, b) - sim_ref.jw(a, b)) > 1e-12),
          0::bigint, 'jaro_winkler agrees with the reference on 3000 random pairs');
SELECT is((SELECT count(*) FROM pairs
            WHERE abs(taxshare.bigram_similarity(a, b) - sim_ref.dice(a, b)) > 1e-12),
          0::bigint, 'bigram_similarity agrees with the multiset reference');
SELECT is((SELECT count(*) FROM pairs
            WHERE taxshare.jaro_winkler(a, b) <> taxshare.jaro_winkler(b, a)
               OR taxshare.bigram_similarity(a, b) <> taxshare.bigram_similarity(b, a)
               OR taxshare.name_similarity(a, b) <> taxshare.name_similarity(b, a)),
          0::bigint, 'all three are symmetric');
SELECT is((SELECT count(*) FROM pairs
            WHERE NOT (taxshare.name_similarity(a, b) BETWEEN 0 AND 1)
               OR NOT (taxshare.jaro_winkler(a, b) BETWEEN 0 AND 1)
               OR NOT (taxshare.bigram_similarity(a, b) BETWEEN 0 AND 1)),
          0::bigint, 'all within [0, 1]');
SELECT is((SELECT count(*) FROM pairs
            WHERE taxshare.name_similarity(a, a) <> 1 OR taxshare.jaro_winkler(b, b) <> 1
               OR taxshare.bigram_similarity(a, a) <> 1),
          0::bigint, 'every string scores 1 against itself');

-- Person names (no company words in them): name_similarity is the blend.
CREATE TEMP TABLE people AS
SELECT substr('王李张刘陈杨赵黄周吴', 1 + floor(random() * 10)::int, 1)
       || (SELECT string_agg(substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', 1 + floor(random() * 20)::int, 1), '')
             FROM generate_series(1, 1 + floor(random() * 2)::int + (i * 0)) k) AS a,
       substr('王李张刘陈杨赵黄周吴', 1 + floor(random() * 10)::int, 1)
       || (SELECT string_agg(substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', 1 + floor(random() * 20)::int, 1), '')
             FROM generate_series(1, 1 + floor(random() * 2)::int + (i * 0)) k) AS b
  FROM generate_series(1, 2000) i;
SELECT is((SELECT count(*) FROM people WHERE (taxshare.company_name_parts(a)).is_company), 0::bigint,
          'generated person names are not company-like');
SELECT is((SELECT count(*) FROM people WHERE abs(taxshare.name_similarity(a, b) - sim_ref.name(a, b)) > 1e-12),
          0::bigint, 'name_similarity of person names is the documented blend of the references');

-- Normalisation happens inside: full-width, spaces, 有限责任公司 change nothing.
SELECT is((SELECT count(*) FROM people
            WHERE taxshare.name_similarity(' ' || a || '　', b) <> taxshare.name_similarity(a, b)),
          0::bigint, 'name_similarity normalises (white space)');
SELECT is(taxshare.name_similarity('华湘置业（衡阳）有限责任公司', '衡阳华湘置业有限公司'), 1::float8,
          'full-width brackets and 有限责任公司 are normalised');

-- Generated companies: 字号 from a pool, an industry, a region; the same
-- company written three ways, and its neighbour in another industry.
CREATE TEMP TABLE firms AS
SELECT i,
       substr('瑞祥鑫隆泰宏盛丰源诚', 1 + (i % 10), 1) || substr('瑞祥鑫隆泰宏盛丰源诚', 1 + (i / 10) % 10, 1)
         || substr('嘉安恒通', 1 + (i / 100) % 4, 1) AS zihao,
       (ARRAY['置业', '建设', '贸易', '科技', '餐饮'])[1 + i % 5] AS industry,
       (ARRAY['物业', '建材', '物流', '投资', '医药'])[1 + i % 5] AS other,
       (ARRAY['衡阳', '长沙', '株洲', '湘潭'])[1 + (i / 7) % 4] AS region
  FROM generate_series(0, 399) i;
SELECT is((SELECT count(*) FROM firms
            WHERE taxshare.company_name_key(region || '市' || zihao || industry || '有限公司') <> zihao
               OR taxshare.company_name_key(zihao || industry || '（' || region || '）有限责任公司') <> zihao
               OR taxshare.company_name_key(zihao || industry || '有限公司') <> zihao),
          0::bigint, 'the key is the 字号 however the name is written (400 companies)');
SELECT is((SELECT count(*) FROM firms
            WHERE taxshare.name_similarity(region || '市' || zihao || industry || '有限公司',
                                           zihao || industry || '（' || region || '）有限责任公司') <> 1
               OR taxshare.name_similarity(region || zihao || industry || '有限公司',
                                           zihao || industry || '有限公司') <> 1),
          0::bigint, 'a region moved or left out: similarity 1');
SELECT is((SELECT count(*) FROM firms
            WHERE taxshare.name_similarity(zihao || industry || '有限公司', zihao || other || '有限公司') > 0.5),
          0::bigint, 'the same 字号 in another industry: at most 0.5');
SELECT is((SELECT count(*) FROM firms
            WHERE taxshare.name_similarity(region || '市' || zihao || industry || '有限公司',
                                           (CASE region WHEN '衡阳' THEN '长沙' ELSE '衡阳' END)
                                           || '市' || zihao || industry || '有限公司') > 0.5),
          0::bigint, 'the same 字号 and industry in another city: at most 0.5');
SELECT is((SELECT count(*) FROM firms
            WHERE taxshare.name_similarity(zihao || industry || '有限公司',
                                           zihao || industry || '有限公司' || region || '分公司') > 0.5),
          0::bigint, 'a branch is not its head office');
SELECT is((SELECT count(*) FROM firms f
            WHERE (SELECT c.region FROM taxshare.company_name_compare(
                     region || '市' || zihao || industry || '有限公司',
                     zihao || industry || '（' || region || '）有限公司') c) IS DISTINCT FROM 'same'),
          0::bigint, 'company_name_compare: a moved region is the same region');

-- Parts of a few names, read off by hand.
SELECT results_eq(
  $$SELECT region, trade_name, industry, industry_class, form, branch, is_branch
      FROM taxshare.company_name_parts('湖南省衡阳市华湘置业有限公司衡阳分公司')$$,
  $$VALUES ('湖南省衡阳市'::text, '华湘'::text, '置业'::text, 'real_estate'::text, '有限公司'::text,
            '衡阳分公司'::text, true)$$,
  'parts of a branch name');
SELECT results_eq(
  $$SELECT region, trade_name, industry, form, is_china FROM taxshare.company_name_parts('可口可乐（中国）饮料有限公司')$$,
  $$VALUES (NULL::text, '可口可乐'::text, '饮料'::text, '有限公司'::text, true)$$,
  '(中国) is a flag, not a region');
SELECT results_eq(
  $$SELECT region, trade_name, is_company FROM taxshare.company_name_parts('阿依古丽·买买提')$$,
  $$VALUES (NULL::text, '阿依古丽·买买提'::text, false)$$,
  'a person''s name is not a company name');

-- NULL handling (STRICT), empty names.
SELECT ok(taxshare.name_similarity(NULL, '华湘') IS NULL AND taxshare.jaro_winkler('华湘', NULL) IS NULL
          AND taxshare.bigram_similarity(NULL, NULL) IS NULL, 'NULL in, NULL out');
SELECT is(taxshare.company_name_key(''), NULL, 'an empty name has no key');
SELECT is(taxshare.name_similarity('', '华湘'), 0::float8, 'empty against non-empty: 0');

-- Long input: scored on the first 256 characters, never an error.
SELECT is(taxshare.jaro_winkler(repeat('华', 256) || '湘', repeat('华', 256) || '业'), 1::float8,
          'characters after the 256th do not count');
SELECT ok(taxshare.name_similarity(repeat('华湘置业有限公司', 300), repeat('华湘物业有限公司', 300)) BETWEEN 0 AND 1,
          'very long names are compared as plain strings');

-- Random pairs that are not company-like follow the blend too.
SELECT is((SELECT count(*) FROM pairs
            WHERE NOT (taxshare.company_name_parts(a)).is_company
              AND NOT (taxshare.company_name_parts(b)).is_company
              AND abs(taxshare.name_similarity(a, b) - sim_ref.name(a, b)) > 1e-12),
          0::bigint, 'name_similarity of non-company strings is the blend');

SELECT * FROM finish();
ROLLBACK;
