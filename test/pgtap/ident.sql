-- pgTAP tests of the ident module.  The test runner has created pgtap and
-- taxshare in this database.
--
-- The expected answers come from an independent formulation of each standard
-- written below in SQL/plpgsql (weights computed as powers, the check
-- character solved from the standard's congruence, dates judged by
-- make_date), applied to thousands of generated codes with a fixed seed.
BEGIN;
SELECT plan(103);

CREATE SCHEMA ident_ref;

-- GB 32100-2015: sum(C_i * 3^(i-1) mod 31) + C_18 = 0 (mod 31)
CREATE FUNCTION ident_ref.uscc_check(body text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  w int := 1;
  s int := 0;
  v int;
BEGIN
  IF length(body) <> 17 THEN RETURN NULL; END IF;
  FOR i IN 1..17 LOOP
    v := strpos(alphabet, substr(body, i, 1)) - 1;
    IF v < 0 THEN RETURN NULL; END IF;
    s := s + v * w;
    w := (w * 3) % 31;
  END LOOP;
  RETURN substr(alphabet, (31 - s % 31) % 31 + 1, 1);
END $$;

CREATE FUNCTION ident_ref.uscc_valid(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT length(code) = 18 AND right(code, 1) = ident_ref.uscc_check(left(code, 17))
$$;

-- ISO 7064 MOD 11-2: sum(a_i * 2^(18-i) mod 11) over all 18 positions = 1 (mod 11), X = 10
CREATE FUNCTION ident_ref.idcard_check(body text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  s bigint := 0;
  c int;
BEGIN
  IF body !~ '^[0-9]{17}$' THEN RETURN NULL; END IF;
  FOR i IN 1..17 LOOP
    s := s + substr(body, i, 1)::int * (power(2, 18 - i)::bigint % 11);
  END LOOP;
  c := (12 - s % 11) % 11;
  RETURN CASE WHEN c = 10 THEN 'X' ELSE c::text END;
END $$;

-- GB 11643-1999 and the plausibility rules: province, real date 1800..2100
CREATE FUNCTION ident_ref.birthdate(y text, m text, d text) RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN make_date(y::int, m::int, d::int);
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

CREATE FUNCTION ident_ref.province_ok(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT p::int = ANY (ARRAY[11,12,13,14,15, 21,22,23, 31,32,33,34,35,36,37,
                             41,42,43,44,45,46, 50,51,52,53,54, 61,62,63,64,65,
                             71, 81, 82])
$$;

CREATE FUNCTION ident_ref.idcard_valid(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT code ~ '^[0-9]{17}[0-9X]$'
     AND ident_ref.province_ok(left(code, 2))
     AND coalesce(ident_ref.birthdate(substr(code, 7, 4), substr(code, 11, 2), substr(code, 13, 2))
                  BETWEEN date '1800-01-01' AND date '2100-12-31', false)
     AND right(code, 1) = ident_ref.idcard_check(left(code, 17))
$$;

-- GB 11714-1997: sum(v_i * 2^(9-i) mod 11) + C_9 = 0 (mod 11), X = 10
CREATE FUNCTION ident_ref.orgcode_check(body text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  s int := 0;
  v int;
  c int;
BEGIN
  IF length(body) <> 8 THEN RETURN NULL; END IF;
  FOR i IN 1..8 LOOP
    v := strpos(alphabet, substr(body, i, 1)) - 1;
    IF v < 0 THEN RETURN NULL; END IF;
    s := s + v * (power(2, 9 - i)::int % 11);
  END LOOP;
  c := (11 - s % 11) % 11;
  RETURN CASE WHEN c = 10 THEN 'X' ELSE c::text END;
END $$;

-- How many of the statements raise SQLSTATE 22023.
CREATE FUNCTION ident_ref.count_22023(stmts text[]) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  n int := 0;
  q text;
BEGIN
  FOREACH q IN ARRAY stmts LOOP
    BEGIN
      EXECUTE q;
    EXCEPTION WHEN invalid_parameter_value THEN
      n := n + 1;
    END;
  END LOOP;
  RETURN n;
END $$;

SELECT setseed(0.20151001);

------------------------------------------------------------------------------
-- Functions: declared IMMUTABLE STRICT PARALLEL SAFE, in C, commented.
------------------------------------------------------------------------------
CREATE TEMP TABLE fn (name text, returns text);
INSERT INTO fn VALUES
  ('uscc_valid', 'boolean'), ('idcard_valid', 'boolean'), ('orgcode_valid', 'boolean'),
  ('uscc_orgcode', 'text'), ('idcard_upgrade', 'text'), ('idcard_birthdate', 'date'),
  ('idcard_sex', 'text'), ('idcard_region', 'text'),
  ('normalize_ident', 'text'), ('normalize_name', 'text');

SELECT is((SELECT count(*) FROM fn
             WHERE to_regprocedure('taxshare.' || name || '(text)') IS NOT NULL),
          10::bigint, 'all 10 identifier functions exist with a text argument');
SELECT function_returns('taxshare'::name, name::name, ARRAY['text']::name[], returns) FROM fn ORDER BY name;
SELECT volatility_is('taxshare'::name, name::name, ARRAY['text']::name[], 'immutable') FROM fn ORDER BY name;
SELECT is_strict('taxshare'::name, name::name, ARRAY['text']::name[]) FROM fn ORDER BY name;
SELECT is(
  (SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p JOIN fn ON fn.name = p.proname
    WHERE p.pronamespace = 'taxshare'::regnamespace AND p.proparallel <> 's'),
  NULL::text[], 'all are PARALLEL SAFE');
SELECT is(
  (SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p JOIN fn ON fn.name = p.proname
    WHERE p.pronamespace = 'taxshare'::regnamespace
      AND (p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'c')
           OR coalesce(obj_description(p.oid, 'pg_proc'), '') !~ '^[^ ].*[一-龥].* / [A-Za-z0-9]')),
  NULL::text[], 'all are C functions with a "中文 / English" comment');

------------------------------------------------------------------------------
-- Published examples
------------------------------------------------------------------------------
SELECT ok(taxshare.uscc_valid('91350100M000100Y43'), 'GB 32100 example 91350100M000100Y43 is valid');
SELECT ok(taxshare.idcard_valid('11010519491231002X'), 'GB 11643 example 11010519491231002X is valid');
SELECT ok(taxshare.idcard_valid('440524188001010014'), 'GB 11643 example 440524188001010014 is valid');
SELECT is(taxshare.uscc_orgcode('91350100M000100Y43'), 'M000100Y4', 'uscc_orgcode of the example');
SELECT ok(taxshare.orgcode_valid('M000100Y4'), 'the example''s organization code is valid');
SELECT is(ident_ref.uscc_check('91350100M000100Y4'), '3', 'reference agrees with the GB 32100 example');
SELECT is(ident_ref.idcard_check('11010519491231002'), 'X', 'reference agrees with the GB 11643 example');
SELECT is(ident_ref.orgcode_check('M000100Y'), '4', 'reference agrees with the organization code example');

------------------------------------------------------------------------------
-- USCC: generated codes, mutations, random strings
------------------------------------------------------------------------------
CREATE TEMP TABLE uscc_gen AS
SELECT g AS id, b || ident_ref.uscc_check(b) AS code
  FROM generate_series(1, 3000) g,
       LATERAL (SELECT string_agg(substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + floor(random() * 31)::int, 1), '') AS b
                  FROM generate_series(1, 17) WHERE g > 0) body;

SELECT is((SELECT count(DISTINCT code) FROM uscc_gen), 3000::bigint, '3000 distinct generated USCCs');
SELECT is_empty($$ SELECT code FROM uscc_gen WHERE NOT taxshare.uscc_valid(code) $$,
                'every generated USCC is valid');
SELECT is_empty($$ SELECT code FROM uscc_gen WHERE taxshare.uscc_orgcode(code) <> substr(code, 9, 9) $$,
                'uscc_orgcode returns characters 9-17 of every generated USCC');
SELECT is_empty($$ SELECT code FROM uscc_gen WHERE taxshare.uscc_valid(lower(code)) AND code ~ '[A-Z]' $$,
                'lower-case forms are rejected');

CREATE TEMP TABLE uscc_mut AS
SELECT u.code AS original, overlay(u.code PLACING a.ch FROM p FOR 1) AS code, 'substitution' AS kind
  FROM (SELECT code FROM uscc_gen WHERE id <= 100) u,
       generate_series(1, 18) p,
       LATERAL (SELECT substr('0123456789ABCDEFGHJKLMNPQRTUWXY', k, 1) AS ch FROM generate_series(1, 31) k) a
 WHERE a.ch <> substr(u.code, p, 1)
UNION ALL
SELECT u.code, overlay(u.code PLACING substr(u.code, p + 1, 1) || substr(u.code, p, 1) FROM p FOR 2), 'transposition'
  FROM (SELECT code FROM uscc_gen WHERE id <= 100) u, generate_series(1, 17) p
 WHERE substr(u.code, p, 1) <> substr(u.code, p + 1, 1);

SELECT is((SELECT count(*) FROM uscc_mut WHERE kind = 'substitution'), 54000::bigint,
          '54000 single substitutions of 100 USCCs');
SELECT cmp_ok((SELECT count(*) FROM uscc_mut WHERE kind = 'transposition'), '>', 1500::bigint,
              'over 1500 adjacent transpositions of the same USCCs');
SELECT is_empty($$ SELECT code FROM uscc_mut WHERE taxshare.uscc_valid(code) $$,
                'every single substitution and adjacent transposition of a USCC is rejected');

CREATE TEMP TABLE uscc_rand AS
SELECT string_agg(substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + floor(random() * 31)::int, 1), '') AS code
  FROM generate_series(1, 6000) g, generate_series(1, 18) k
 GROUP BY g;
SELECT is_empty($$ SELECT code FROM uscc_rand WHERE taxshare.uscc_valid(code) IS DISTINCT FROM ident_ref.uscc_valid(code) $$,
                'uscc_valid agrees with the reference on 6000 random 18-character strings');
SELECT cmp_ok((SELECT count(*) FROM uscc_rand WHERE ident_ref.uscc_valid(code)), '>', 100::bigint,
              'about 1 in 31 random strings is valid (the comparison is not vacuous)');

SELECT is(
  ARRAY(SELECT taxshare.uscc_valid(c) FROM unnest(ARRAY[
    '', '91350100M000100Y4', '91350100M000100Y433', ' 91350100M000100Y43', '91350100M000100Y43 ',
    '91350100M00010-Y43', '91350100MI00100Y43', '91350100MO00100Y43', '91350100MZ00100Y43',
    '91350100MS00100Y43', '91350100MV00100Y43', '91350100M000100Y4３', 'é1350100M000100Y4',
    '91350100m000100Y43']) c),
  ARRAY[false, false, false, false, false, false, false, false, false, false, false, false, false, false],
  'uscc_valid: false (no error) for wrong length, spaces, hyphen, I O Z S V, full-width, non-ASCII, lower case');

------------------------------------------------------------------------------
-- Resident identity numbers
------------------------------------------------------------------------------
CREATE TEMP TABLE idcard_gen AS
SELECT g AS id, body || ident_ref.idcard_check(body) AS code, birth
  FROM generate_series(1, 3000) g,
       LATERAL (SELECT (ARRAY['11','12','13','14','15','21','22','23','31','32','33','34','35','36','37',
                              '41','42','43','44','45','46','50','51','52','53','54','61','62','63','64','65',
                              '71','81','82'])[1 + floor(random() * 34)::int] AS province,
                       lpad(floor(random() * 10000)::int::text, 4, '0') AS county,
                       date '1800-01-01' + floor(random() * (date '2100-12-31' - date '1800-01-01' + 1))::int AS birth,
                       lpad(floor(random() * 1000)::int::text, 3, '0') AS seq
                 WHERE g > 0) r,
       LATERAL (SELECT province || county || to_char(birth, 'YYYYMMDD') || seq AS body) b;

SELECT is((SELECT count(DISTINCT code) FROM idcard_gen), 3000::bigint, '3000 distinct generated ID numbers');
SELECT is_empty($$ SELECT code FROM idcard_gen WHERE NOT taxshare.idcard_valid(code) $$,
                'every generated ID number is valid');
SELECT is_empty($$ SELECT code FROM idcard_gen WHERE taxshare.idcard_birthdate(code) <> birth $$,
                'idcard_birthdate returns the generated birth date');
SELECT is_empty($$ SELECT code FROM idcard_gen
                   WHERE taxshare.idcard_sex(code) <> CASE WHEN substr(code, 17, 1)::int % 2 = 1 THEN 'M' ELSE 'F' END $$,
                'idcard_sex: M for an odd 17th digit, F for an even one');
SELECT is_empty($$ SELECT code FROM idcard_gen WHERE taxshare.idcard_region(code) <> left(code, 6) $$,
                'idcard_region returns the first six digits');
SELECT is_empty($$ SELECT code FROM idcard_gen WHERE taxshare.idcard_upgrade(code) <> code $$,
                'idcard_upgrade returns a valid 18-character number unchanged');
SELECT cmp_ok((SELECT count(*) FROM idcard_gen WHERE right(code, 1) = 'X'), '>', 100::bigint,
              'the generated set includes numbers ending in X');

CREATE TEMP TABLE idcard_mut AS
SELECT u.code AS original, overlay(u.code PLACING a.ch FROM p FOR 1) AS code, 'substitution' AS kind
  FROM (SELECT code FROM idcard_gen WHERE id <= 200) u,
       generate_series(1, 18) p,
       LATERAL (SELECT substr('0123456789X', k, 1) AS ch FROM generate_series(1, CASE WHEN p = 18 THEN 11 ELSE 10 END) k) a
 WHERE a.ch <> substr(u.code, p, 1)
UNION ALL
SELECT u.code, overlay(u.code PLACING substr(u.code, p + 1, 1) || substr(u.code, p, 1) FROM p FOR 2), 'transposition'
  FROM (SELECT code FROM idcard_gen WHERE id <= 200) u, generate_series(1, 17) p
 WHERE substr(u.code, p, 1) <> substr(u.code, p + 1, 1);

SELECT is((SELECT count(*) FROM idcard_mut WHERE kind = 'substitution'), (200 * (17 * 9 + 10))::bigint,
          '32600 single substitutions of 200 ID numbers');
SELECT cmp_ok((SELECT count(*) FROM idcard_mut WHERE kind = 'transposition'), '>', 2500::bigint,
              'over 2500 adjacent transpositions of the same ID numbers');
SELECT is_empty($$ SELECT code FROM idcard_mut WHERE taxshare.idcard_valid(code) $$,
                'every single substitution and adjacent transposition of an ID number is rejected');

-- Random numbers with any province, plausible-looking dates and any check
-- character: the function and the reference must agree everywhere.
CREATE TEMP TABLE idcard_rand AS
SELECT lpad(floor(random() * 100)::int::text, 2, '0')
       || lpad(floor(random() * 10000)::int::text, 4, '0')
       || lpad((1790 + floor(random() * 320))::int::text, 4, '0')
       || lpad(floor(random() * 14)::int::text, 2, '0')
       || lpad(floor(random() * 33)::int::text, 2, '0')
       || lpad(floor(random() * 1000)::int::text, 3, '0')
       || substr('0123456789X', 1 + floor(random() * 11)::int, 1) AS code
  FROM generate_series(1, 20000) g;
SELECT is_empty($$ SELECT code FROM idcard_rand WHERE taxshare.idcard_valid(code) IS DISTINCT FROM ident_ref.idcard_valid(code) $$,
                'idcard_valid agrees with the reference on 20000 random numbers');
SELECT cmp_ok((SELECT count(*) FROM idcard_rand WHERE ident_ref.idcard_valid(code)), '>', 200::bigint,
              'the random set has valid numbers too (the comparison is not vacuous)');

-- 29 February of every year 1800..2100, each with a correct check digit
CREATE TEMP TABLE leap AS
SELECT y, b || ident_ref.idcard_check(b) AS code
  FROM generate_series(1795, 2105) y,
       LATERAL (SELECT '430405' || y::text || '0229' || '123' AS b) x;
SELECT is_empty($$ SELECT code FROM leap
                   WHERE taxshare.idcard_valid(code) IS DISTINCT FROM
                         (ident_ref.birthdate(y::text, '02', '29') IS NOT NULL AND y BETWEEN 1800 AND 2100) $$,
                '29 February accepted exactly in the leap years 1800..2100');
SELECT is((SELECT count(*) FROM leap WHERE taxshare.idcard_valid(code)), 73::bigint,
          '73 leap years in 1800..2100 (1800 and 1900 and 2100 are not, 2000 is)');

SELECT is(
  ARRAY(SELECT taxshare.idcard_valid(c) FROM unnest(ARRAY[
    '', '11010519491231002', '11010519491231002XX', '11010519491231002x', ' 11010519491231002X',
    '110105-19491231002X', '11010519491231002Ｘ', '110105491231002', '99010519491231002X']) c),
  ARRAY[false, false, false, false, false, false, false, false, false],
  'idcard_valid: false (no error) for wrong length, lower-case x, spaces, full-width, 15 digits');

-- Legacy 15-digit numbers
CREATE TEMP TABLE idcard15 AS
SELECT (ARRAY['11','32','43','44','65','81'])[1 + floor(random() * 6)::int]
       || lpad(floor(random() * 10000)::int::text, 4, '0')
       || to_char(d, 'YYMMDD')
       || lpad(floor(random() * 1000)::int::text, 3, '0') AS code,
       d AS birth
  FROM generate_series(1, 2000) g,
       LATERAL (SELECT date '1900-01-01' + floor(random() * (date '1999-12-31' - date '1900-01-01' + 1))::int AS d
                 WHERE g > 0) r;
SELECT is_empty($$ SELECT code FROM idcard15
                   WHERE taxshare.idcard_upgrade(code) IS DISTINCT FROM
                         left(code, 6) || '19' || substr(code, 7) || ident_ref.idcard_check(left(code, 6) || '19' || substr(code, 7)) $$,
                'idcard_upgrade of 2000 legacy numbers: "19" inserted, ISO 7064 check appended');
SELECT is_empty($$ SELECT code FROM idcard15 WHERE NOT taxshare.idcard_valid(taxshare.idcard_upgrade(code)) $$,
                'every upgraded number is valid');
SELECT is_empty($$ SELECT code FROM idcard15
                   WHERE taxshare.idcard_birthdate(code) <> birth
                      OR taxshare.idcard_region(code) <> left(code, 6)
                      OR taxshare.idcard_sex(code) <> CASE WHEN right(code, 1)::int % 2 = 1 THEN 'M' ELSE 'F' END $$,
                'the decoders read legacy numbers: birth date, region, sex from the last digit');
SELECT is((SELECT count(*) FROM idcard15 WHERE taxshare.idcard_valid(code)), 0::bigint,
          'a 15-digit number is not a valid 18-character number');
SELECT is(ident_ref.count_22023(ARRAY(
            SELECT format('SELECT taxshare.idcard_upgrade(%L)', '110105' || lpad((y % 100)::text, 2, '0') || '0229' || '001')
              FROM generate_series(1900, 1999) y WHERE ident_ref.birthdate(y::text, '02', '29') IS NULL)),
          76, 'idcard_upgrade raises 22023 for 29 February of each of the 76 common years 1900..1999');

------------------------------------------------------------------------------
-- Organization codes
------------------------------------------------------------------------------
CREATE TEMP TABLE org_gen AS
SELECT b || ident_ref.orgcode_check(b) AS code
  FROM generate_series(1, 3000) g,
       LATERAL (SELECT string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1 + floor(random() * 36)::int, 1), '') AS b
                  FROM generate_series(1, 8) WHERE g > 0) body;
SELECT is_empty($$ SELECT code FROM org_gen WHERE NOT taxshare.orgcode_valid(code) $$,
                'every generated organization code is valid');
SELECT is_empty($$ SELECT o.code || c FROM org_gen o, unnest(string_to_array('0123456789X', NULL)) c
                   WHERE c <> right(o.code, 1) AND taxshare.orgcode_valid(left(o.code, 8) || c) $$,
                'every wrong check character of an organization code is rejected');
CREATE TEMP TABLE org_rand AS
SELECT string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1 + floor(random() * 36)::int, 1), '')
       || substr('0123456789X', 1 + floor(random() * 11)::int, 1) AS code
  FROM generate_series(1, 5000) g, generate_series(1, 8) k
 GROUP BY g;
SELECT is_empty($$ SELECT code FROM org_rand
                   WHERE taxshare.orgcode_valid(code) IS DISTINCT FROM (right(code, 1) = ident_ref.orgcode_check(left(code, 8))) $$,
                'orgcode_valid agrees with the reference on 5000 random codes');
SELECT ok(taxshare.orgcode_valid('M000C00Y4'),
          'known weakness of GB 11714: 1 and C (value 12) collide mod 11 (M000100Y4 -> M000C00Y4)');
SELECT is(
  ARRAY(SELECT taxshare.orgcode_valid(c) FROM unnest(ARRAY['', 'M000100Y', 'M000100Y4 ', 'M000100-Y4', 'm000100y4', 'M000100Y44']) c),
  ARRAY[false, false, false, false, false, false],
  'orgcode_valid: false (no error) for wrong length, spaces, hyphen, lower case');

------------------------------------------------------------------------------
-- Normalisation
------------------------------------------------------------------------------
-- Reference for normalize_ident on strings over a known alphabet:
-- full-width to ASCII, then drop spaces and dashes, then upper-case ASCII.
CREATE TEMP TABLE fw AS
SELECT string_agg(chr(cp), '' ORDER BY cp) AS full, string_agg(chr(cp - 65248), '' ORDER BY cp) AS half
  FROM generate_series(65281, 65374) cp;
CREATE TEMP TABLE typed AS
SELECT g, string_agg(piece, '') AS s
  FROM generate_series(1, 3000) g,
       LATERAL (SELECT (ARRAY[' ', E'\t', chr(12288), chr(160), '-', chr(65293), chr(8208), chr(8212),
                              'a', 'x', 'X', '0', '9', chr(65313), chr(65370), chr(65296), chr(65288),
                              '中', 'é', '有限责任公司', '股份有限公司', '（', '）'])[1 + floor(random() * 23)::int] AS piece
                  FROM generate_series(1, 1 + (g % 12)) WHERE g > 0) p
 GROUP BY g;
SELECT is_empty($$
  SELECT s FROM typed, fw
   WHERE taxshare.normalize_ident(s) IS DISTINCT FROM
         translate(regexp_replace(translate(s, fw.full, fw.half),
                                  '[ \t' || chr(12288) || chr(160) || '\-' || chr(8208) || chr(8212) || ']', '', 'g'),
                   'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') $$,
  'normalize_ident agrees with a regexp/translate reference on 3000 typed strings');
SELECT is_empty($$ SELECT s FROM typed WHERE taxshare.normalize_ident(taxshare.normalize_ident(s)) <> taxshare.normalize_ident(s)
                                           OR taxshare.normalize_name(taxshare.normalize_name(s)) <> taxshare.normalize_name(s) $$,
                'both normalisers are idempotent on 3000 typed strings');
SELECT is_empty($$ SELECT s FROM typed WHERE octet_length(taxshare.normalize_name(s)) > octet_length(s)
                                           OR octet_length(taxshare.normalize_ident(s)) > octet_length(s) $$,
                'normalisation never lengthens');
SELECT is_empty($$ SELECT s FROM typed, LATERAL (SELECT taxshare.normalize_name(s) AS n) x
                   WHERE n ~ ('[ \t' || chr(12288) || chr(160) || chr(65288) || chr(65289) || ']')
                      OR strpos(n, '有限责任公司') > 0 OR strpos(n, '股份有限公司') > 0 $$,
                'normalize_name leaves no white space, full-width brackets or long legal forms');
SELECT is_empty($$ SELECT s FROM typed
                   WHERE length(replace(replace(s, '有限责任公司', ''), '股份有限公司', '')) = length(s)
                     AND s !~ ('[' || chr(65281) || '-' || chr(65374) || ' \t' || chr(12288) || chr(160) || ']')
                     AND taxshare.normalize_name(s) <> s $$,
                'normalize_name changes nothing else (hyphens, case, other characters kept)');

SELECT is(taxshare.normalize_ident(' 9135 0100－ｍ000100y43　'), '91350100M000100Y43', 'normalize_ident of a typed USCC');
SELECT is(taxshare.normalize_ident('110105-19491231-002x'), '11010519491231002X', 'normalize_ident of a typed ID number');
SELECT is(taxshare.normalize_name('  衡阳 华湘置业（衡阳）有限责任公司 '), '衡阳华湘置业(衡阳)有限公司',
          'normalize_name: spaces, brackets, 有限责任公司');
SELECT is(taxshare.normalize_name('中国平安保险（集团）股份有限公司'), '中国平安保险(集团)股份公司',
          'normalize_name: 股份有限公司 -> 股份公司');
SELECT is(taxshare.normalize_name('衡阳某某建设有限责任公司雁峰分公司'), '衡阳某某建设有限公司雁峰分公司',
          'normalize_name keeps 分公司');
SELECT is(taxshare.normalize_name('某某（中国）有限公司'), '某某(中国)有限公司', 'normalize_name keeps (中国)');
SELECT is(taxshare.normalize_name('某某投资合伙企业（有限合伙）'), '某某投资合伙企业(有限合伙)',
          'normalize_name keeps (有限合伙)');
SELECT is(taxshare.normalize_name('阿依古丽・买买提'), '阿依古丽·买买提', 'normalize_name unifies the middle dot');
SELECT isnt(taxshare.normalize_name('某某有限公司'), taxshare.normalize_name('某某股份公司'),
            'a limited company and a joint-stock company stay apart');

------------------------------------------------------------------------------
-- Domains
------------------------------------------------------------------------------
SELECT has_domain('taxshare'::name, 'uscc'::name);
SELECT has_domain('taxshare'::name, 'idcard'::name);
SELECT has_domain('taxshare'::name, 'orgcode'::name);
SELECT lives_ok($$ SELECT '91350100M000100Y43'::taxshare.uscc, '11010519491231002X'::taxshare.idcard,
                          'M000100Y4'::taxshare.orgcode $$, 'domains accept valid canonical codes');
SELECT throws_ok($$ SELECT '91350100m000100y43'::taxshare.uscc $$, '23514', NULL, 'uscc rejects lower case');
SELECT throws_ok($$ SELECT '110105491231002'::taxshare.idcard $$, '23514', NULL, 'idcard rejects a 15-digit number');
SELECT throws_ok($$ SELECT '71526726-X'::taxshare.orgcode $$, '23514', NULL, 'orgcode rejects the hyphenated form');

------------------------------------------------------------------------------
-- Errors: 22023 with the value in the message
------------------------------------------------------------------------------
SELECT throws_ok($$ SELECT taxshare.idcard_sex('1234') $$, '22023',
                 'invalid resident identity number: "1234"', 'idcard_sex: wrong length');
SELECT throws_ok($$ SELECT taxshare.idcard_birthdate('110105194912310021') $$, '22023',
                 'invalid resident identity number: "110105194912310021"', 'idcard_birthdate: wrong check digit');
SELECT throws_ok($$ SELECT taxshare.idcard_region('11010519491231002x') $$, '22023',
                 'invalid resident identity number: "11010519491231002x"', 'idcard_region: lower-case x');
SELECT throws_ok($$ SELECT taxshare.idcard_upgrade('110105490229002') $$, '22023',
                 'invalid resident identity number: "110105490229002"', 'idcard_upgrade: 1949-02-29');
SELECT throws_ok($$ SELECT taxshare.uscc_orgcode('91350100M000100Y44') $$, '22023',
                 'invalid unified social credit code: "91350100M000100Y44"', 'uscc_orgcode: wrong check character');
SELECT is(ident_ref.count_22023(ARRAY(SELECT format('SELECT taxshare.%s(%L)', f, code)
                                        FROM idcard_mut, unnest(ARRAY['idcard_birthdate', 'idcard_sex', 'idcard_region', 'idcard_upgrade']) f
                                       WHERE original IN (SELECT code FROM idcard_gen WHERE id <= 3))),
          (SELECT 4 * count(*)::int FROM idcard_mut WHERE original IN (SELECT code FROM idcard_gen WHERE id <= 3)),
          'every decoder raises 22023 for every mutation of three ID numbers');

SELECT * FROM finish();
ROLLBACK;
