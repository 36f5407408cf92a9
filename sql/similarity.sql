-- similarity: name similarity on code points and the parts of company names
-- (docs/matching.md).  Values are rounded to 4 decimals for reading.

-- Jaro-Winkler: the literature's examples (Winkler 1990), then Chinese
-- names, counted in characters, not bytes.
SELECT a, b, round(taxshare.jaro_winkler(a, b)::numeric, 4) AS jaro_winkler
  FROM (VALUES ('MARTHA', 'MARHTA'), ('DIXON', 'DICKSONX'), ('DWAYNE', 'DUANE'),
               ('张伟', '张玮'), ('王小明', '王晓明'), ('华湘置业', '湘华置业'),
               ('华湘', '长沙'), ('', ''), ('', '华湘')) AS t(a, b);

-- Bigram Dice: adjacent pairs of characters.  A one-character string is
-- compared by characters; bigrams are counted with repetition.
SELECT a, b, round(taxshare.bigram_similarity(a, b)::numeric, 4) AS bigram
  FROM (VALUES ('华湘置业', '华湘物业'), ('衡阳华湘置业', '华湘置业'), ('张', '张伟'),
               ('张伟', '张玮'), ('哈哈哈', '哈哈')) AS t(a, b);

-- Both are symmetric and give 1 for equal strings.
SELECT taxshare.jaro_winkler('华湘置业', '湘华置业') = taxshare.jaro_winkler('湘华置业', '华湘置业') AS jw_symmetric,
       taxshare.bigram_similarity('张', '张伟') = taxshare.bigram_similarity('张伟', '张') AS dice_symmetric,
       taxshare.jaro_winkler('华湘置业', '华湘置业') = 1 AND taxshare.bigram_similarity('华湘置业', '华湘置业') = 1 AS equal_is_one;

-- The parts of company names (decree 734 art. 6): region, 字号, industry,
-- form; a region before the 字号 or in brackets after it; 有限责任公司 is
-- 有限公司 after normalisation; branches keep their own part.
SELECT name, p.region, p.trade_name, p.industry, p.industry_class, p.form, p.branch,
       p.is_branch, p.is_group, p.is_china, p.is_company
  FROM (VALUES ('衡阳市华湘置业有限公司'), ('华湘置业（衡阳）有限公司'),
               ('湖南省衡阳市雁峰区华湘置业有限责任公司'), ('华湘物业管理有限公司'),
               ('华湘置业有限公司衡阳分公司'), ('华湘（集团）有限公司'),
               ('可口可乐（中国）饮料有限公司'), ('衡阳华湘投资合伙企业（有限合伙）'),
               ('华湘市政工程有限公司'), ('衡阳置业有限公司'), ('张伟'), ('')) AS t(name),
       LATERAL taxshare.company_name_parts(name) AS p;

-- The same company written three ways: one key, one region, similarity 1.
SELECT name, taxshare.company_name_key(name) AS key,
       (taxshare.company_name_parts(name)).region,
       round(taxshare.name_similarity(name, '衡阳市华湘置业有限公司')::numeric, 4) AS similarity
  FROM (VALUES ('衡阳市华湘置业有限公司'), ('华湘置业（衡阳）有限公司'),
               ('湖南衡阳华湘置业有限责任公司')) AS t(name);

-- The trap: 华湘置业 and 华湘物业 share the 字号 (one block) but not the
-- industry, so they are different companies; the strings alone look alike.
SELECT a, b, round(taxshare.jaro_winkler(a, b)::numeric, 4) AS jaro_winkler,
       round(taxshare.name_similarity(a, b)::numeric, 4) AS name_similarity,
       (taxshare.company_name_parts(a)).industry_class AS industry_a,
       (taxshare.company_name_parts(b)).industry_class AS industry_b
  FROM (VALUES ('华湘置业', '华湘物业'), ('华湘置业有限公司', '华湘物业有限公司')) AS t(a, b);

-- Other pairs: a typo in the 字号, a form left out, another city, a county
-- of the same name, a district of the city, a branch and its head office,
-- two branches, (中国), a group, person names.
SELECT a, b, round(taxshare.name_similarity(a, b)::numeric, 4) AS name_similarity
  FROM (VALUES ('衡阳市华湘置业有限公司', '华相置业（衡阳）有限公司'),
               ('华湘置业有限公司', '华湘置业'),
               ('衡阳市华湘置业有限公司', '长沙市华湘置业有限公司'),
               ('衡阳市华湘置业有限公司', '衡阳县华湘置业有限公司'),
               ('衡阳市雁峰区华湘置业有限公司', '雁峰区华湘置业有限公司'),
               ('华湘置业有限公司衡阳分公司', '华湘置业有限公司'),
               ('华湘置业有限公司衡阳分公司', '华湘置业有限公司长沙分公司'),
               ('可口可乐（中国）饮料有限公司', '可口可乐饮料有限公司'),
               ('华湘集团有限公司', '华湘有限公司'),
               ('张伟', '张玮'), ('张伟', '张 伟')) AS t(a, b);

-- Part by part, for a Fellegi-Sunter model that scores fields separately.
SELECT a, b, round(c.name_similarity::numeric, 4) AS name_similarity, c.region, c.industry,
       c.same_kind, round(c.branch_similarity::numeric, 4) AS branch_similarity
  FROM (VALUES ('衡阳市华湘置业有限公司', '华湘置业（衡阳）有限公司'),
               ('华湘置业有限公司', '华湘物业有限公司'),
               ('衡阳市华湘置业有限公司', '长沙市华湘置业有限公司'),
               ('华湘置业有限公司衡阳分公司', '华湘置业有限公司长沙分公司'),
               ('张伟', '张玮')) AS t(a, b),
       LATERAL taxshare.company_name_compare(a, b) AS c;

-- NULL in, NULL out; an empty name has no key.
SELECT taxshare.name_similarity(NULL, 'x') IS NULL AS strict_similarity,
       taxshare.company_name_key(NULL) IS NULL AS strict_key,
       taxshare.company_name_key('') IS NULL AS empty_key,
       taxshare.name_similarity('', '') AS empty_pair;

-- Blocking: names grouped by key; 华湘置业 and 华湘物业 share a block, the
-- branch joins its head office's block, 长沙 华湘 too (the parts decide).
SELECT taxshare.company_name_key(name) AS key, count(*) AS names,
       string_agg(name, ' / ' ORDER BY name COLLATE "C") AS members
  FROM (VALUES ('衡阳市华湘置业有限公司'), ('华湘置业（衡阳）有限公司'),
               ('华湘物业管理有限公司'), ('华湘置业有限公司衡阳分公司'),
               ('长沙市华湘置业有限公司'), ('衡阳市雁城建设工程有限公司'),
               ('雁城建设工程（衡阳）有限公司')) AS t(name)
 GROUP BY 1 ORDER BY taxshare.company_name_key(name) COLLATE "C";
