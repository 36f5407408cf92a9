-- similarity: string similarity on Unicode code points and the parts of
-- company names, the building blocks of cross-source matching
-- (docs/matching.md).  C: src/match/similarity_fmgr.c over the pure cores
-- src/match/similarity.c and src/match/company_name.c.

-- Plain string measures: the strings as given, no normalisation.
CREATE FUNCTION taxshare.jaro_winkler(text, text) RETURNS float8
  AS 'MODULE_PATHNAME', 'taxshare_jaro_winkler'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.jaro_winkler(text, text) IS
  'Jaro-Winkler 相似度 (按 Unicode 字符计，前缀系数 0.1，最长前缀 4)，0 到 1，不做规范化 / '
  'Jaro-Winkler similarity on Unicode code points (prefix scale 0.1, longest prefix 4), 0 to 1, strings compared as given';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'jaro_winkler(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.bigram_similarity(text, text) RETURNS float8
  AS 'MODULE_PATHNAME', 'taxshare_bigram_similarity'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.bigram_similarity(text, text) IS
  '相邻二字 (bigram) 的 Dice 系数，按 Unicode 字符计，单字串按字比较，0 到 1，不做规范化 / '
  'Dice coefficient of character bigrams on Unicode code points (a one-character string is compared by characters), 0 to 1, strings compared as given';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'bigram_similarity(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Names: normalised inside (normalize_name), company names compared part by part.
CREATE FUNCTION taxshare.name_similarity(text, text) RETURNS float8
  AS 'MODULE_PATHNAME', 'taxshare_name_similarity'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.name_similarity(text, text) IS
  '名称相似度，0 到 1：先规范化，再按 Jaro-Winkler 与二字 Dice 的组合计算；企业名称去掉可变部分 (行政区划位置、省略的组织形式) 比较，行政区划、行业、分支机构等冲突时至多 0.5 / '
  'name similarity, 0 to 1: normalised first, then a blend of Jaro-Winkler and bigram Dice; company names are compared without the parts that may vary (where the region is written, a form left out), and score at most 0.5 when region, industry or branch status conflict';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'name_similarity(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.company_name_parts(
    name text,
    OUT region text, OUT trade_name text, OUT industry text, OUT industry_class text,
    OUT form text, OUT branch text, OUT is_branch boolean, OUT is_group boolean,
    OUT is_china boolean, OUT is_company boolean)
  RETURNS record
  AS 'MODULE_PATHNAME', 'taxshare_company_name_parts'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.company_name_parts(text) IS
  '企业名称的组成 (《企业名称登记管理规定》第六条)：行政区划、字号、行业或经营特点及其类别、组织形式、分支机构自身部分，以及分支机构、集团、(中国) 标志；先规范化；缺少的部分为 NULL / '
  'parts of a company name (decree 734 art. 6): region, trade name (字号), industry and its class, organisation form, the branch''s own part, and the branch, group and (中国) flags; normalised first; absent parts are NULL';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'company_name_parts(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.company_name_key(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_company_name_key'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.company_name_key(text) IS
  '分块键：规范化后的字号 (分支机构取其总公司的字号)；无字号时为整个名称；空名称为 NULL / '
  'blocking key: the trade name (字号) after normalisation (a branch gets its head office''s); the whole name when there is no trade name; NULL for an empty name';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'company_name_key(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.company_name_compare(
    a text, b text,
    OUT name_similarity float8, OUT region text, OUT industry text,
    OUT same_kind boolean, OUT branch_similarity float8)
  RETURNS record
  AS 'MODULE_PATHNAME', 'taxshare_company_name_compare'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.company_name_compare(text, text) IS
  '逐部分比较两个名称，供 Fellegi-Sunter 模型分字段计分：去掉行政区划后的名称相似度，行政区划与行业 (same / different，缺少时 NULL)，是否同类 (分支机构、集团、(中国))，两个分支机构自身部分的相似度 / '
  'two names compared part by part, for a Fellegi-Sunter model that scores fields separately: similarity of the names without region, region and industry (same / different, NULL when missing), whether both are the same kind (branch, group, (中国)), and the similarity of two branches'' own parts';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'company_name_compare(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');
