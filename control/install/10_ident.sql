-- ident: Chinese identifiers (GB 32100-2015, GB 11643-1999, GB 11714-1997)
-- and the canonical forms of identifiers and names.  C: src/ident/ident_fmgr.c.

-- Validators: canonical form only; false, never an error, for anything else.
CREATE FUNCTION taxshare.uscc_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_uscc_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.uscc_valid(text) IS
  '统一社会信用代码校验 (GB 32100-2015: 18 位、字符集、模 31 校验码)，仅认规范形式 / '
  'is this a valid unified social credit code (GB 32100-2015: 18 characters, alphabet, mod-31 check)? canonical form only';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'uscc_valid(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.idcard_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_idcard_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_valid(text) IS
  '18 位公民身份号码校验 (GB 11643-1999: 省级代码、出生日期、MOD 11-2 校验码，X 须大写) / '
  'is this a valid 18-character resident identity number (GB 11643-1999: province code, birth date, MOD 11-2 check, upper-case X)?';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'idcard_valid(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.orgcode_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_orgcode_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.orgcode_valid(text) IS
  '9 位组织机构代码校验 (GB 11714-1997: 模 11 校验码)，不含连字符 / '
  'is this a valid 9-character organization code (GB 11714-1997: mod-11 check), without the hyphen?';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'orgcode_valid(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Decoders: raise 22023 naming the value for anything that is not valid.
CREATE FUNCTION taxshare.uscc_orgcode(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_uscc_orgcode'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.uscc_orgcode(text) IS
  '统一社会信用代码第 9-17 位，即组织机构代码；代码无效时报错 / '
  'characters 9-17 of a unified social credit code, the organization code; error if the code is not valid';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'uscc_orgcode(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.idcard_upgrade(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_idcard_upgrade'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_upgrade(text) IS
  '15 位旧身份号码升为 18 位 (年份前补 19，末位补校验码)；有效的 18 位号码原样返回；其他报错 / '
  'upgrades a 15-digit legacy resident identity number to 18 characters ("19" before the year, check character appended); a valid 18-character number is returned unchanged; error otherwise';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'idcard_upgrade(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.idcard_birthdate(text) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_idcard_birthdate'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_birthdate(text) IS
  '身份号码 (18 位或 15 位) 中的出生日期；号码无效时报错 / '
  'birth date in a resident identity number (18 or 15 characters); error if the number is not valid';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'idcard_birthdate(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.idcard_sex(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_idcard_sex'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_sex(text) IS
  '身份号码中的性别：顺序码奇数为 M (男)，偶数为 F (女)；号码无效时报错 / '
  'sex in a resident identity number: M if the sequence code is odd, F if even; error if the number is not valid';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'idcard_sex(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.idcard_region(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_idcard_region'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_region(text) IS
  '身份号码前 6 位行政区划代码 (GB/T 2260，签发时的代码)；号码无效时报错 / '
  '6-digit administrative division code (GB/T 2260, as at issue) of a resident identity number; error if the number is not valid';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'idcard_region(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Canonical forms.
CREATE FUNCTION taxshare.normalize_ident(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_normalize_ident'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.normalize_ident(text) IS
  '代码规范化：去空白 (含全角空格) 和连字符，全角转半角，字母转大写 / '
  'canonical form of an identifier: white space (including U+3000) and hyphens removed, full-width ASCII to half-width, letters upper-cased';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'normalize_ident(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.normalize_name(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_normalize_name'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.normalize_name(text) IS
  '企业和个人名称规范化：全角转半角 (含括号)，去空白，间隔号统一，有限责任公司→有限公司、股份有限公司→股份公司 / '
  'canonical form of a company or person name: full-width to half-width (brackets too), white space removed, middle dots unified, 有限责任公司 -> 有限公司 and 股份有限公司 -> 股份公司';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'normalize_name(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Domains: the canonical, valid form only (normalize_ident() first).
CREATE DOMAIN taxshare.uscc AS text
  CONSTRAINT uscc_check CHECK (taxshare.uscc_valid(VALUE));
COMMENT ON DOMAIN taxshare.uscc IS
  '统一社会信用代码 (规范形式且校验通过) / unified social credit code (canonical form, valid)';

CREATE DOMAIN taxshare.idcard AS text
  CONSTRAINT idcard_check CHECK (taxshare.idcard_valid(VALUE));
COMMENT ON DOMAIN taxshare.idcard IS
  '18 位公民身份号码 (规范形式且校验通过；15 位号码先用 idcard_upgrade 升位) / '
  '18-character resident identity number (canonical form, valid; upgrade 15-digit numbers with idcard_upgrade first)';

CREATE DOMAIN taxshare.orgcode AS text
  CONSTRAINT orgcode_check CHECK (taxshare.orgcode_valid(VALUE));
COMMENT ON DOMAIN taxshare.orgcode IS
  '9 位组织机构代码 (规范形式，无连字符，校验通过) / 9-character organization code (canonical form, no hyphen, valid)';
