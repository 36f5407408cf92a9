-- Benchmark: entity resolution on an independent case (issue 16; docs/matching.md,
-- "Benchmark").  Written apart from bench/resolve.sql, from the list of variant
-- classes real data has, with its own seed, its own name stock and its own mix,
-- so that the matcher is not only measured on data made by the hands that tuned it.
--
-- The case: :companies companies registered in Hengyang (衡阳市 and its twelve
-- county-level divisions) from a registry item with typed USCCs and division codes,
-- and :sales property sales naming the seller by name and a free-text taxpayer_id,
-- 8 % of them by sellers the registry does not hold.  Among the registered
-- companies are look-alikes: a sibling whose 字号 differs in one character, a
-- sibling in another industry, a branch (分公司), a (中国) or 集团 form, and the same
-- 字号 and industry registered in a second county.
--
-- Every sale carries one name class and one identifier class (truth per class):
--   name:  exact (as registered), region_suffix (衡阳 / 衡阳市 / 湖南省衡阳市),
--          region_bracket (the region in brackets after the 字号), region_omitted,
--          county_short (珠晖区 -> 珠晖, 耒阳市 -> 耒阳, first or in brackets),
--          form_swap (有限责任公司 <-> 有限公司, 股份有限公司 <-> 股份公司),
--          width_space (full-/half-width brackets, spaces inside), typo (one
--          character), homophone (湘/相), shape (similar-looking character),
--          traditional (繁体);
--   taxpayer_id: exact, lower (lower case), one_wrong, swapped (two adjacent),
--          legacy15 (15-character taxpayer ID), orgcode9 (organization code), empty.
--
-- Prints, for the default run of resolve_entities() (built-in parameters):
--   data: ...
--   total: precision p, recall r, review x %, duplicates d %, blocking b %
--   by name class / by identifier class / by company class: the same figures
--   goals: ... met / NOT met
-- Measures (over the sales parties):
--   recall: the party is linked to its company's entity (the one the registry
--     record of that company is linked to) and not waiting for review;
--   precision: of the parties linked outside review to an entity holding a
--     registry record, the share linked to their own company's;
--   review: the parties with a pending match_review;
--   duplicates: parties of a registered company linked to an entity that holds
--     no registry record (a new entity made although the company existed);
--   blocking: parties of a registered company whose entity was among the
--     candidates (linked by key, or the best or runner-up candidate, or a review
--     candidate) — a lower bound of blocking pair completeness.
-- Usage: psql -X -v ON_ERROR_STOP=1 [-v companies=5000] [-v sales=20000] -f bench/resolve_independent.sql
\set QUIET on
\set ON_ERROR_STOP on
\if :{?companies}
\else
\set companies 5000
\endif
\if :{?sales}
\else
\set sales 20000
\endif
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
\pset tuples_only on
\pset format unaligned
SELECT setseed(-0.2718) \g /dev/null

-- ---------------------------------------------------------------- stock
-- Hengyang's county-level divisions: code, full name, short name, kind
-- (d: a district of the city, c: a county or county-level city).
CREATE TEMP TABLE ix_div (code text, full_name text, short_name text, kind text);
INSERT INTO ix_div VALUES
  ('430405', '珠晖区', '珠晖', 'd'), ('430406', '雁峰区', '雁峰', 'd'), ('430407', '石鼓区', '石鼓', 'd'),
  ('430408', '蒸湘区', '蒸湘', 'd'), ('430412', '南岳区', '南岳', 'd'), ('430421', '衡阳县', '衡阳', 'c'),
  ('430422', '衡南县', '衡南', 'c'), ('430423', '衡山县', '衡山', 'c'), ('430424', '衡东县', '衡东', 'c'),
  ('430426', '祁东县', '祁东', 'c'), ('430481', '耒阳市', '耒阳', 'c'), ('430482', '常宁市', '常宁', 'c');
-- 衡阳县's short name is the city's: a county that shares its city's name is
-- never written short (衡阳华湘 means the city), so the generator writes it in full.
UPDATE ix_div SET short_name = NULL WHERE code = '430421';

-- Characters for 字号, each with a homophone and a look-alike where one is common.
CREATE TEMP TABLE ix_char (ch text PRIMARY KEY, homophone text, shape text, trad text);
INSERT INTO ix_char VALUES
  ('湘', '相', '缃', NULL), ('鑫', '欣', '鍂', NULL), ('瑞', '睿', '端', NULL), ('恒', '衡', '桓', NULL),
  ('盛', '胜', '晟', NULL), ('达', '大', '迭', '達'), ('源', '元', '原', NULL), ('诚', '成', '城', '誠'),
  ('丰', '峰', '手', '豐'), ('泰', '太', '秦', NULL), ('隆', '龙', '降', NULL), ('宏', '洪', '宠', NULL),
  ('凯', '恺', '剀', '凱'), ('博', '搏', '傅', NULL), ('锦', '金', '绵', '錦'), ('旺', '望', '汪', NULL),
  ('昌', '长', '冒', NULL), ('德', '得', '徳', NULL), ('信', '新', '言', NULL), ('华', '化', '毕', '華'),
  ('鹏', '朋', '鸭', '鵬'), ('辉', '晖', '挥', '輝'), ('兴', '星', '举', '興'), ('浩', '昊', '皓', NULL),
  ('嘉', '佳', '喜', NULL), ('天', '添', '夭', NULL), ('润', '闰', '涧', '潤'), ('弘', '红', '引', NULL),
  ('振', '镇', '娠', NULL), ('远', '园', '运', '遠'), ('新', '心', '亲', NULL), ('卓', '桌', '桌', NULL),
  ('航', '杭', '舫', NULL), ('顺', '舜', '须', '順'), ('和', '禾', '积', NULL), ('安', '按', '女', NULL),
  ('腾', '滕', '誊', '騰'), ('富', '福', '副', NULL), ('永', '勇', '水', NULL), ('力', '立', '办', NULL),
  ('蓝', '兰', '篮', '藍'), ('海', '还', '悔', NULL), ('峰', '锋', '蜂', NULL), ('雅', '亚', '鸦', NULL),
  ('康', '抗', '慷', NULL), ('汇', '惠', '江', '匯'), ('百', '柏', '白', NULL), ('金', '今', '全', NULL),
  ('荣', '容', '营', '榮'), ('聚', '巨', '娶', NULL);
-- Industries as written in names (word, traditional spelling).
CREATE TEMP TABLE ix_ind (n serial, word text, trad text);
INSERT INTO ix_ind (word, trad) VALUES
  ('商贸', '商貿'), ('物业管理', '物業管理'), ('置业', '置業'), ('建筑工程', '建築工程'), ('装饰工程', '裝飾工程'),
  ('汽车销售', '汽車銷售'), ('餐饮管理', '餐飲管理'), ('医药', '醫藥'), ('物流', NULL), ('电子科技', '電子科技'),
  ('农业开发', '農業開發'), ('广告传媒', '廣告傳媒'), ('劳务', '勞務'), ('酒店管理', NULL), ('机械设备', '機械設備'),
  ('建材', NULL), ('食品', NULL), ('教育咨询', '教育諮詢'), ('环保科技', '環保科技'), ('房地产开发', '房地產開發');

CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text LANGUAGE sql VOLATILE AS
$$ SELECT a[1 + floor(random() * cardinality(a))::int] $$;

-- ---------------------------------------------------------------- identifiers
-- Organization code (GB 11714): 8 characters and a check character.
CREATE FUNCTION pg_temp.ix_org(base8 text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  w int[] := ARRAY[3, 7, 9, 10, 5, 8, 4, 2];
  s int := 0;
  c int;
  ch text;
BEGIN
  FOR i IN 1..8 LOOP
    ch := substr(base8, i, 1);
    s := s + w[i] * (CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END);
  END LOOP;
  c := 11 - s % 11;
  RETURN base8 || CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END;
END
$$;
-- USCC (GB 32100): 17 characters and a check character over 31 symbols.
CREATE FUNCTION pg_temp.ix_uscc(body17 text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  alpha text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  s int := 0;
  w int := 1;
BEGIN
  FOR i IN 1..17 LOOP
    s := s + (strpos(alpha, substr(body17, i, 1)) - 1) * w;
    w := (w * 3) % 31;
  END LOOP;
  RETURN body17 || substr(alpha, (31 - s % 31) % 31 + 1, 1);
END
$$;

-- ---------------------------------------------------------------- companies
-- kind: plain, or the look-alike it was made as (of the company `of`).
CREATE TEMP TABLE ix_co (id int PRIMARY KEY, registered boolean, cls text, of int,
                         trade text, ind int, division text, reglevel text, form text,
                         branch text, flag text, uscc text, name text);

CREATE FUNCTION pg_temp.ix_trade() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  r float8 := random();
  t text := '';
BEGIN
  FOR k IN 1..CASE WHEN r < 0.65 THEN 2 WHEN r < 0.93 THEN 3 ELSE 4 END LOOP
    t := t || (SELECT ch FROM ix_char ORDER BY random() LIMIT 1);
  END LOOP;
  RETURN t;
END
$$;

-- The name as registered: region + 字号 + industry + form (+ branch part).
CREATE FUNCTION pg_temp.ix_regname(c ix_co) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  d ix_div := (SELECT x FROM ix_div x WHERE code = c.division);
  body text := c.trade || CASE c.flag WHEN 'china' THEN '(中国)' ELSE '' END
               || (SELECT word FROM ix_ind WHERE n = c.ind);
  form text := CASE c.flag WHEN 'group' THEN '集团' ELSE '' END || c.form;
BEGIN
  RETURN CASE c.reglevel
           WHEN 'city' THEN '衡阳' || body || form
           WHEN 'city_bracket' THEN c.trade || '(衡阳)' || (SELECT word FROM ix_ind WHERE n = c.ind) || form
           WHEN 'county' THEN d.full_name || body || form
           ELSE '衡阳市' || d.full_name || body || form
         END || coalesce(c.branch, '');
END
$$;

SELECT set_config('ix.companies', :'companies', false) \g /dev/null
DO $$
DECLARE
  n int := current_setting('ix.companies')::int;
  i int := 0;
  r float8;
  base ix_co;
  c ix_co;
  dcode text;
  lvl text;
BEGIN
  WHILE i < n LOOP
    r := random();
    dcode := (SELECT code FROM ix_div ORDER BY random() LIMIT 1);
    lvl := CASE WHEN (SELECT kind FROM ix_div WHERE code = dcode) = 'c' THEN 'county'
                WHEN random() < 0.55 THEN 'city' WHEN random() < 0.6 THEN 'district' ELSE 'city_bracket' END;
    i := i + 1;
    c := ROW(i, true, 'plain', NULL, pg_temp.ix_trade(), 1 + floor(random() * 20)::int, dcode, lvl,
             CASE WHEN random() < 0.85 THEN '有限公司' ELSE '股份有限公司' END, NULL, NULL, NULL, NULL);
    INSERT INTO ix_co VALUES (c.*);
    -- look-alikes of this company, registered too (about a third of the stock)
    IF r < 0.34 AND i < n THEN
      base := c;
      i := i + 1;
      c.id := i;
      c.of := base.id;
      IF r < 0.08 THEN        -- 字号 one character different, same industry and region
        c.cls := 'sibling_trade';
        c.trade := overlay(base.trade PLACING (SELECT ch FROM ix_char ORDER BY random() LIMIT 1)
                           FROM char_length(base.trade) FOR 1);
      ELSIF r < 0.16 THEN     -- same 字号, another industry
        c.cls := 'sibling_industry';
        c.ind := 1 + (base.ind + floor(random() * 19)::int) % 20;
      ELSIF r < 0.21 THEN     -- a branch of it in a county
        c.cls := 'branch';
        c.reglevel := 'city';
        c.division := (SELECT code FROM ix_div WHERE kind = 'c' ORDER BY random() LIMIT 1);
        c.branch := (SELECT coalesce(short_name, '衡阳县') FROM ix_div WHERE code = c.division) || '分公司';
      ELSIF r < 0.26 THEN     -- the (中国) or 集团 form
        c.cls := 'china_group';
        c.flag := CASE WHEN random() < 0.5 THEN 'china' ELSE 'group' END;
      ELSE                    -- the same 字号 and industry registered in another county
        c.cls := 'two_counties';
        c.division := (SELECT code FROM ix_div WHERE kind = 'c' AND code <> base.division ORDER BY random() LIMIT 1);
        c.reglevel := 'county';
      END IF;
      INSERT INTO ix_co VALUES (c.*);
    END IF;
  END LOOP;
END
$$;
-- Names are unique in their registration area: drop a look-alike that came
-- out as another company's exact name.
DELETE FROM ix_co c USING ix_co o WHERE pg_temp.ix_regname(o) = pg_temp.ix_regname(c) AND o.id < c.id;
UPDATE ix_co c SET name = pg_temp.ix_regname(c);
UPDATE ix_co SET uscc = pg_temp.ix_uscc('91' || division || pg_temp.ix_org(lpad(((id::bigint * 48271) % 89999999 + 10000000)::text, 8, '0')));
-- Sellers the registry does not hold (unregistered companies): plain companies of their own.
INSERT INTO ix_co
SELECT 1000000 + g, false, 'unregistered', NULL, pg_temp.ix_trade(), 1 + floor(random() * 20)::int, d.code,
       CASE WHEN d.kind = 'c' THEN 'county' ELSE 'city' END, '有限公司', NULL, NULL, NULL, NULL
  FROM generate_series(1, (:companies * 0.06)::int) g,
       LATERAL (SELECT code, kind FROM ix_div ORDER BY random() + g * 0 LIMIT 1) d;
DELETE FROM ix_co c USING ix_co o WHERE NOT c.registered AND pg_temp.ix_regname(o) = pg_temp.ix_regname(c) AND o.id < c.id;
UPDATE ix_co c SET name = pg_temp.ix_regname(c),
                   uscc = pg_temp.ix_uscc('91' || division || pg_temp.ix_org(lpad(((id::bigint * 69621) % 89999999 + 10000000)::text, 8, '0')))
 WHERE NOT registered;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM ix_co WHERE NOT taxshare.uscc_valid(uscc)) THEN
    RAISE EXCEPTION 'generator: an invalid USCC';
  END IF;
END $$;

-- ---------------------------------------------------------------- how clerks write
-- A name from its parts: region text and where it stands (first, in brackets
-- after the 字号, in brackets after the industry, none).
CREATE FUNCTION pg_temp.ix_compose(c ix_co, region text, pos text, trade text, ind text, form text,
                                   lb text DEFAULT '(', rb text DEFAULT ')') RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN pos = 'first' THEN region ELSE '' END || trade
         || CASE WHEN pos = 'bracket_trade' THEN lb || region || rb ELSE '' END
         || CASE c.flag WHEN 'china' THEN lb || '中国' || rb ELSE '' END || ind
         || CASE WHEN pos = 'bracket_ind' THEN lb || region || rb ELSE '' END
         || CASE c.flag WHEN 'group' THEN '集团' ELSE '' END || form || coalesce(c.branch, '')
$$;

-- The ways a region is written: forms that name the same division.
CREATE FUNCTION pg_temp.ix_region_forms(c ix_co, short_ok boolean) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN c.reglevel IN ('city', 'city_bracket') THEN ARRAY['衡阳', '衡阳市', '湖南省衡阳市', '湖南衡阳']
              WHEN short_ok AND d.short_name IS NOT NULL THEN ARRAY[d.short_name]
              ELSE ARRAY[d.full_name, '衡阳市' || d.full_name, '湖南省' || d.full_name]
         END
    FROM ix_div d WHERE d.code = c.division
$$;

-- One character of the 字号 replaced: by any stock character, its homophone or its look-alike.
CREATE FUNCTION pg_temp.ix_mutate(trade text, how text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k int := 1 + floor(random() * char_length(trade))::int;
  old text := substr(trade, k, 1);
  rep text;
BEGIN
  rep := CASE how WHEN 'homophone' THEN (SELECT homophone FROM ix_char WHERE ch = old)
                  WHEN 'shape' THEN (SELECT shape FROM ix_char WHERE ch = old)
                  ELSE (SELECT ch FROM ix_char WHERE ch <> old ORDER BY random() LIMIT 1) END;
  RETURN overlay(trade PLACING coalesce(rep, '者') FROM k FOR 1);
END
$$;

-- A name as a clerk writes it, for a name class; returns the class actually applied.
CREATE FUNCTION pg_temp.ix_write(c ix_co, cls text, OUT name text, OUT applied text) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  ind text := (SELECT word FROM ix_ind WHERE n = c.ind);
  form text := c.form;
  reg text[];
  pos text := CASE WHEN c.reglevel = 'city_bracket' THEN 'bracket_trade' ELSE 'first' END;
  regtext text;
  d ix_div := (SELECT x FROM ix_div x WHERE code = c.division);
BEGIN
  regtext := CASE c.reglevel WHEN 'city' THEN '衡阳' WHEN 'city_bracket' THEN '衡阳' WHEN 'county' THEN d.full_name
                             ELSE '衡阳市' || d.full_name END;
  applied := cls;
  IF cls = 'county_short' AND (c.reglevel IN ('city', 'city_bracket') OR d.short_name IS NULL) THEN
    applied := 'region_suffix';
  END IF;
  CASE applied
    WHEN 'exact' THEN
      name := c.name;
    WHEN 'region_suffix' THEN
      reg := array_remove(pg_temp.ix_region_forms(c, false), regtext);
      name := pg_temp.ix_compose(c, pg_temp.pick(reg), 'first', c.trade, ind, form);
    WHEN 'region_bracket' THEN
      name := pg_temp.ix_compose(c, pg_temp.pick((pg_temp.ix_region_forms(c, false))[1:2]),
                                 CASE WHEN random() < 0.6 THEN 'bracket_trade' ELSE 'bracket_ind' END, c.trade, ind, form);
    WHEN 'region_omitted' THEN
      name := pg_temp.ix_compose(c, NULL, 'none', c.trade, ind, form);
    WHEN 'county_short' THEN
      name := pg_temp.ix_compose(c, d.short_name, CASE WHEN random() < 0.6 THEN 'first' ELSE 'bracket_trade' END,
                                 c.trade, ind, form);
    WHEN 'form_swap' THEN
      form := CASE form WHEN '有限公司' THEN '有限责任公司' ELSE '股份公司' END;
      name := pg_temp.ix_compose(c, regtext, pos, c.trade, ind, form);
    WHEN 'width_space' THEN
      name := pg_temp.ix_compose(c, regtext || ' ', CASE WHEN pos = 'first' AND random() < 0.5 THEN 'bracket_trade' ELSE pos END,
                                 c.trade, ind || ' ', form, '（', '）');
      name := replace(name, '衡阳 （', '（');
    WHEN 'typo', 'homophone', 'shape' THEN
      name := pg_temp.ix_compose(c, regtext, pos, pg_temp.ix_mutate(c.trade, applied), ind, form);
    WHEN 'traditional' THEN
      name := pg_temp.ix_compose(c, regtext, pos,
                                 (SELECT string_agg(coalesce(x.trad, t.ch), '' ORDER BY t.k)
                                    FROM unnest(string_to_array(c.trade, NULL)) WITH ORDINALITY t(ch, k)
                                    LEFT JOIN ix_char x ON x.ch = t.ch),
                                 coalesce((SELECT trad FROM ix_ind WHERE n = c.ind), ind), form);
      IF name = c.name THEN
        applied := 'exact';
      END IF;
  END CASE;
END
$$;

-- A taxpayer ID as typed, for an identifier class.
CREATE FUNCTION pg_temp.ix_tpid(c ix_co, cls text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  u text := c.uscc;
  k int := 3 + floor(random() * 16)::int;
  alpha text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  rep text;
BEGIN
  CASE cls
    WHEN 'exact' THEN RETURN u;
    WHEN 'lower' THEN RETURN lower(u);
    WHEN 'one_wrong' THEN
      LOOP
        rep := substr(alpha, 1 + floor(random() * 31)::int, 1);
        EXIT WHEN rep <> substr(u, k, 1);
      END LOOP;
      RETURN overlay(u PLACING rep FROM k FOR 1);
    WHEN 'swapped' THEN
      k := 3 + floor(random() * 15)::int;
      WHILE k < 18 AND substr(u, k, 1) = substr(u, k + 1, 1) LOOP
        k := k + 1;
      END LOOP;
      RETURN overlay(u PLACING substr(u, k + 1, 1) || substr(u, k, 1) FROM k FOR 2);
    WHEN 'legacy15' THEN RETURN substr(u, 3, 15);
    WHEN 'orgcode9' THEN
      RETURN CASE WHEN random() < 0.5 THEN substr(u, 9, 9) ELSE substr(u, 9, 8) || '-' || substr(u, 17, 1) END;
    ELSE RETURN NULL;
  END CASE;
END
$$;

CREATE TEMP TABLE ix_mix (kind text, cls text, lo float8, hi float8);
INSERT INTO ix_mix
SELECT kind, cls, coalesce(sum(w) OVER (PARTITION BY kind ORDER BY o ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
       sum(w) OVER (PARTITION BY kind ORDER BY o)
  FROM (VALUES ('name', 1, 'exact', 0.24), ('name', 2, 'region_suffix', 0.10), ('name', 3, 'region_bracket', 0.10),
               ('name', 4, 'region_omitted', 0.07), ('name', 5, 'county_short', 0.12), ('name', 6, 'form_swap', 0.09),
               ('name', 7, 'width_space', 0.08), ('name', 8, 'typo', 0.05), ('name', 9, 'homophone', 0.05),
               ('name', 10, 'shape', 0.04), ('name', 11, 'traditional', 0.06),
               ('id', 1, 'exact', 0.30), ('id', 2, 'lower', 0.06), ('id', 3, 'one_wrong', 0.10), ('id', 4, 'swapped', 0.06),
               ('id', 5, 'legacy15', 0.08), ('id', 6, 'orgcode9', 0.06), ('id', 7, 'empty', 0.34)) v(kind, o, cls, w);

SELECT set_config('ix.sales', :'sales', false) \g /dev/null
CREATE TEMP TABLE ix_sale (seq int PRIMARY KEY, truth int, name_class text, id_class text, name text, tpid text);
DO $$
DECLARE
  n int := current_setting('ix.sales')::int;
  nreg int := (SELECT count(*) FROM ix_co WHERE registered);
  nun int := (SELECT count(*) FROM ix_co WHERE NOT registered);
  c ix_co;
  nc text;
  ic text;
  w record;
BEGIN
  FOR i IN 1..n LOOP
    IF random() < 0.92 THEN
      SELECT * INTO c FROM ix_co WHERE registered ORDER BY id OFFSET floor(random() * nreg)::int LIMIT 1;
    ELSE
      SELECT * INTO c FROM ix_co WHERE NOT registered ORDER BY id OFFSET floor(random() * nun)::int LIMIT 1;
    END IF;
    nc := (SELECT cls FROM ix_mix, (SELECT random() AS r) x WHERE kind = 'name' AND r >= lo AND r < hi);
    ic := (SELECT cls FROM ix_mix, (SELECT random() AS r) x WHERE kind = 'id' AND r >= lo AND r < hi);
    w := pg_temp.ix_write(c, coalesce(nc, 'exact'));
    INSERT INTO ix_sale VALUES (i, c.id, w.applied, coalesce(ic, 'empty'), w.name, pg_temp.ix_tpid(c, coalesce(ic, 'empty')));
  END LOOP;
END
$$;

-- ---------------------------------------------------------------- intake and resolution
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('IX_SCJG', '独立基准: 市场监管', 'department'), ('IX_ZJ', '独立基准: 住建', 'department');
SELECT taxshare.catalog_define($${"code": "IX-REG", "title": "独立基准: 企业登记", "provider": "IX_SCJG", "frequency": "monthly",
  "schema": {"fields": [{"name": "uscc", "type": "uscc"}, {"name": "name", "type": "string"},
    {"name": "region", "type": "division"}, {"name": "truth", "type": "integer"}]},
  "parties": [{"role": "company", "uscc": "uscc", "name": "name"}]}$$) \g /dev/null
SELECT taxshare.catalog_define($${"code": "IX-SALE", "title": "独立基准: 存量房交易", "provider": "IX_ZJ", "frequency": "monthly",
  "schema": {"fields": [{"name": "seller_name", "type": "string"}, {"name": "taxpayer_id", "type": "string"},
    {"name": "price", "type": "amount"}, {"name": "seq", "type": "integer"}, {"name": "truth", "type": "integer"}]},
  "parties": [{"role": "seller", "name": "seller_name"}]}$$) \g /dev/null
SELECT taxshare.party_evidence_set('IX-REG', 'company', NULL, region => 'region') \g /dev/null
SELECT taxshare.party_evidence_set('IX-SALE', 'seller', NULL, taxpayer_id => 'taxpayer_id') \g /dev/null

-- The registry first, resolved; then the sales month by month, each month resolved
-- (so that a wrong decision of one month can attract the next month's records).
SELECT taxshare.submit('IX-REG', 'IX_SCJG', date '2024-01-01',
                       (SELECT jsonb_agg(jsonb_build_object('uscc', uscc, 'name', name, 'region', division, 'truth', id) ORDER BY random())
                          FROM ix_co WHERE registered)) \g /dev/null
SELECT clock_timestamp() AS t0 \gset
SELECT taxshare.resolve_entities() \g /dev/null
SELECT taxshare.submit('IX-SALE', 'IX_ZJ', (date '2024-02-01' + make_interval(months => m))::date,
                       (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('seller_name', name, 'taxpayer_id', tpid,
                                                                             'price', (200000 + seq * 37 % 900000)::text, 'seq', seq, 'truth', truth))
                                         ORDER BY seq)
                          FROM ix_sale WHERE seq % 4 = m)),
       taxshare.resolve_entities()
  FROM generate_series(0, 3) m \g /dev/null
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS ix_secs \gset

SELECT format('data: %s companies registered (%s look-alikes), %s unregistered sellers; %s sales; rejected rows %s; resolution %s s',
              count(*) FILTER (WHERE registered), count(*) FILTER (WHERE registered AND cls <> 'plain'),
              count(*) FILTER (WHERE NOT registered), (SELECT count(*) FROM ix_sale),
              (SELECT count(*) FROM taxshare.record WHERE status = 'rejected'), round(:ix_secs, 1))
  FROM ix_co;

-- ---------------------------------------------------------------- scoring
-- The entity of each registered company: the one its registry record is linked to.
CREATE TEMP TABLE ix_home AS
  SELECT (c.payload ->> 'truth')::int AS company, rp.entity_id
    FROM taxshare.current_record c JOIN taxshare.record_party rp ON rp.record_id = c.id
   WHERE c.item_code = 'IX-REG';
CREATE TEMP TABLE ix_party AS
  SELECT s.seq, s.truth, s.name_class, s.id_class, co.cls AS company_class, co.registered,
         rp.entity_id, rp.method, rp.explanation,
         EXISTS (SELECT 1 FROM taxshare.match_review r
                  WHERE r.record_id = rp.record_id AND r.role = rp.role AND r.status = 'pending') AS in_review,
         (SELECT array_agg(r.candidate_entity_id) FROM taxshare.match_review r
           WHERE r.record_id = rp.record_id AND r.role = rp.role) AS review_candidates,
         h.entity_id AS home,
         rp.entity_id IN (SELECT entity_id FROM ix_home) AS to_registered
    FROM taxshare.current_record c
    JOIN taxshare.record_party rp ON rp.record_id = c.id
    JOIN ix_sale s ON s.seq = (c.payload ->> 'seq')::int
    JOIN ix_co co ON co.id = s.truth
    LEFT JOIN ix_home h ON h.company = s.truth
   WHERE c.item_code = 'IX-SALE';
-- An unregistered company's entity: the one most of its parties went to.
CREATE TEMP TABLE ix_main AS
  SELECT DISTINCT ON (truth) truth, entity_id FROM ix_party WHERE NOT registered
   GROUP BY truth, entity_id ORDER BY truth, count(*) DESC, entity_id;
UPDATE ix_party p SET home = m.entity_id FROM ix_main m WHERE m.truth = p.truth AND NOT p.registered AND NOT p.to_registered;

CREATE TEMP VIEW ix_judged AS
  SELECT *, (entity_id = home AND NOT in_review) AS linked_right,
         (registered AND NOT to_registered) AS duplicate,
         (registered AND (method <> 'probabilistic' AND entity_id = home
                          OR (explanation -> 'best' ->> 'entity')::bigint = home
                          OR (explanation -> 'runner_up' ->> 'entity')::bigint = home
                          OR home = ANY (review_candidates))) AS blocked
    FROM ix_party;

CREATE FUNCTION pg_temp.ix_line(label text, q text, filter text DEFAULT 'true') RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
  RETURN QUERY EXECUTE format($q$
    SELECT format('%%-28s %%6s parties  precision %%s  recall %%s  review %%s %%%%  duplicates %%s %%%%  blocking %%s %%%%',
                  %L || ' ' || g, n, prec, recl, rev, dup, blk)
      FROM (SELECT %s AS g, count(*) AS n,
                   coalesce(round(count(*) FILTER (WHERE linked_right AND to_registered)::numeric
                                  / nullif(count(*) FILTER (WHERE to_registered AND NOT in_review), 0), 4)::text, '-') AS prec,
                   coalesce(round(count(*) FILTER (WHERE linked_right)::numeric / nullif(count(*), 0), 4)::text, '-') AS recl,
                   round(100.0 * count(*) FILTER (WHERE in_review) / count(*), 2) AS rev,
                   round(100.0 * count(*) FILTER (WHERE duplicate) / count(*), 2) AS dup,
                   coalesce(round(100.0 * count(*) FILTER (WHERE blocked) / nullif(count(*) FILTER (WHERE registered), 0), 2)::text, '-') AS blk
              FROM ix_judged WHERE %s GROUP BY 1 ORDER BY 1) x$q$, label, q, filter);
END
$f$;
SELECT pg_temp.ix_line('all', '''sellers''');
SELECT pg_temp.ix_line('registered', '''sellers''', 'registered');
SELECT pg_temp.ix_line('name:', 'name_class');
SELECT pg_temp.ix_line('id:', 'id_class');
SELECT pg_temp.ix_line('company:', 'company_class');

-- Pairwise figures over all parties (the registry records included), as bench/resolve.sql counts them.
WITH j AS (
  SELECT rp.entity_id, (c.payload ->> 'truth')::int AS company
    FROM taxshare.current_record c JOIN taxshare.record_party rp ON rp.record_id = c.id
   WHERE c.item_code IN ('IX-REG', 'IX-SALE')),
p AS (SELECT (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*)::numeric n FROM j GROUP BY entity_id, company) a) AS tp,
             (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*)::numeric n FROM j GROUP BY entity_id) b) AS pred,
             (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*)::numeric n FROM j GROUP BY company) c) AS act)
SELECT format('pairwise: precision %s, recall %s', round(tp / pred, 4), round(tp / act, 4)) FROM p;

SELECT format('goals (registered sellers): precision %s >= 0.995, recall %s >= 0.97, review %s %% <= 3, duplicates %s %% <= 0.5, blocking %s %% >= 99.5: %s',
              prec, recl, rev, dup, blk,
              CASE WHEN prec >= 0.995 AND recl >= 0.97 AND rev <= 3 AND dup <= 0.5 AND blk >= 99.5 THEN 'met' ELSE 'NOT met' END)
  FROM (SELECT round(count(*) FILTER (WHERE linked_right AND to_registered)::numeric
                     / nullif(count(*) FILTER (WHERE to_registered AND NOT in_review), 0), 4) AS prec,
               round(count(*) FILTER (WHERE linked_right)::numeric / count(*), 4) AS recl,
               round(100.0 * count(*) FILTER (WHERE in_review) / (SELECT count(*) FROM ix_judged), 2) AS rev,
               round(100.0 * count(*) FILTER (WHERE duplicate) / (SELECT count(*) FROM ix_judged), 2) AS dup,
               round(100.0 * count(*) FILTER (WHERE blocked) / count(*), 2) AS blk
          FROM ix_judged WHERE registered) x;
