-- taxshare install script, assembled by the Makefile from control/install/*.sql.
\echo Use "CREATE EXTENSION taxshare" to load this file. \quit

-- The schema is created by CREATE EXTENSION (control file: schema = taxshare).
COMMENT ON SCHEMA taxshare IS
  '财税综合信息平台核心 / core of the tax-related information sharing platform';

CREATE FUNCTION taxshare.taxshare_version() RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_version'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.taxshare_version() IS
  '已加载的共享库版本 / version of the loaded shared library';
-- ident: Chinese identifiers (GB 32100-2015, GB 11643-1999, GB 11714-1997)
-- and the canonical forms of identifiers and names.  C: src/ident_fmgr.c.

-- Validators: canonical form only; false, never an error, for anything else.
CREATE FUNCTION taxshare.uscc_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_uscc_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.uscc_valid(text) IS
  '统一社会信用代码校验 (GB 32100-2015: 18 位、字符集、模 31 校验码)，仅认规范形式 / '
  'is this a valid unified social credit code (GB 32100-2015: 18 characters, alphabet, mod-31 check)? canonical form only';

CREATE FUNCTION taxshare.idcard_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_idcard_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_valid(text) IS
  '18 位公民身份号码校验 (GB 11643-1999: 省级代码、出生日期、MOD 11-2 校验码，X 须大写) / '
  'is this a valid 18-character resident identity number (GB 11643-1999: province code, birth date, MOD 11-2 check, upper-case X)?';

CREATE FUNCTION taxshare.orgcode_valid(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_orgcode_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.orgcode_valid(text) IS
  '9 位组织机构代码校验 (GB 11714-1997: 模 11 校验码)，不含连字符 / '
  'is this a valid 9-character organization code (GB 11714-1997: mod-11 check), without the hyphen?';

-- Decoders: raise 22023 naming the value for anything that is not valid.
CREATE FUNCTION taxshare.uscc_orgcode(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_uscc_orgcode'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.uscc_orgcode(text) IS
  '统一社会信用代码第 9-17 位，即组织机构代码；代码无效时报错 / '
  'characters 9-17 of a unified social credit code, the organization code; error if the code is not valid';

CREATE FUNCTION taxshare.idcard_upgrade(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_idcard_upgrade'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_upgrade(text) IS
  '15 位旧身份号码升为 18 位 (年份前补 19，末位补校验码)；有效的 18 位号码原样返回；其他报错 / '
  'upgrades a 15-digit legacy resident identity number to 18 characters ("19" before the year, check character appended); a valid 18-character number is returned unchanged; error otherwise';

CREATE FUNCTION taxshare.idcard_birthdate(text) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_idcard_birthdate'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_birthdate(text) IS
  '身份号码 (18 位或 15 位) 中的出生日期；号码无效时报错 / '
  'birth date in a resident identity number (18 or 15 characters); error if the number is not valid';

CREATE FUNCTION taxshare.idcard_sex(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_idcard_sex'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_sex(text) IS
  '身份号码中的性别：顺序码奇数为 M (男)，偶数为 F (女)；号码无效时报错 / '
  'sex in a resident identity number: M if the sequence code is odd, F if even; error if the number is not valid';

CREATE FUNCTION taxshare.idcard_region(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_idcard_region'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.idcard_region(text) IS
  '身份号码前 6 位行政区划代码 (GB/T 2260，签发时的代码)；号码无效时报错 / '
  '6-digit administrative division code (GB/T 2260, as at issue) of a resident identity number; error if the number is not valid';

-- Canonical forms.
CREATE FUNCTION taxshare.normalize_ident(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_normalize_ident'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.normalize_ident(text) IS
  '代码规范化：去空白 (含全角空格) 和连字符，全角转半角，字母转大写 / '
  'canonical form of an identifier: white space (including U+3000) and hyphens removed, full-width ASCII to half-width, letters upper-cased';

CREATE FUNCTION taxshare.normalize_name(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_normalize_name'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.normalize_name(text) IS
  '企业和个人名称规范化：全角转半角 (含括号)，去空白，间隔号统一，有限责任公司→有限公司、股份有限公司→股份公司 / '
  'canonical form of a company or person name: full-width to half-width (brackets too), white space removed, middle dots unified, 有限责任公司 -> 有限公司 and 股份有限公司 -> 股份公司';

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
-- division: administrative division codes (GB/T 2260), the code list that
-- values of catalog type "division" are checked against (the syntax and the
-- province part are checked in C, src/value.c; membership in this list by the
-- validation glue).
--
-- Shipped: the 34 province-level divisions, and the whole of Hunan province
-- (430000) down to county level as coded in 2023: 14 prefecture-level
-- divisions and their 122 districts, counties and county-level cities,
-- including the changes of 2017-2021 (宁乡市 430182, 渌口区 430212,
-- 邵东市 430582, 祁阳市 431181).  A DBA adds other provinces with INSERT or
-- COPY; those rows (shipped = false) are kept by pg_dump.  Shipped rows are
-- recreated by CREATE EXTENSION and are not dumped, so an edit to a shipped
-- row does not survive dump and restore: add a corrected row instead, or
-- report the correction upstream.

CREATE TABLE taxshare.division (
  code     text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name     text NOT NULL CHECK (btrim(name) <> ''),
  -- no foreign key to code: a self-reference makes every pg_dump warn about
  -- circular constraints; the regression test checks the shipped parents
  parent   text CONSTRAINT division_parent_check
             CHECK (parent ~ '^[0-9]{6}$' AND parent <> code),
  shipped  boolean NOT NULL DEFAULT false
);
CREATE INDEX division_parent ON taxshare.division (parent);
COMMENT ON TABLE taxshare.division IS
  '行政区划代码表 (GB/T 2260): 全国省级及湖南省全部地、县级区划 / '
  'administrative division codes (GB/T 2260): all province-level divisions and all of Hunan province down to county level';
COMMENT ON COLUMN taxshare.division.code IS
  '6 位行政区划代码 / 6-digit division code';
COMMENT ON COLUMN taxshare.division.name IS
  '区划名称 / name of the division';
COMMENT ON COLUMN taxshare.division.parent IS
  '上级区划代码 (省级为空) / code of the enclosing division (null for a province)';
COMMENT ON COLUMN taxshare.division.shipped IS
  '随扩展安装的行 (不由 pg_dump 导出) / row installed with the extension (not dumped by pg_dump)';
-- Only rows added by the DBA are dumped: the shipped ones come back with
-- CREATE EXTENSION, and dumping them too would make the restore fail on the
-- primary key.
SELECT pg_catalog.pg_extension_config_dump('taxshare.division', 'WHERE NOT shipped');

INSERT INTO taxshare.division (code, name, parent, shipped) VALUES
  ('110000', '北京市', NULL, true),
  ('120000', '天津市', NULL, true),
  ('130000', '河北省', NULL, true),
  ('140000', '山西省', NULL, true),
  ('150000', '内蒙古自治区', NULL, true),
  ('210000', '辽宁省', NULL, true),
  ('220000', '吉林省', NULL, true),
  ('230000', '黑龙江省', NULL, true),
  ('310000', '上海市', NULL, true),
  ('320000', '江苏省', NULL, true),
  ('330000', '浙江省', NULL, true),
  ('340000', '安徽省', NULL, true),
  ('350000', '福建省', NULL, true),
  ('360000', '江西省', NULL, true),
  ('370000', '山东省', NULL, true),
  ('410000', '河南省', NULL, true),
  ('420000', '湖北省', NULL, true),
  ('430000', '湖南省', NULL, true),
  ('440000', '广东省', NULL, true),
  ('450000', '广西壮族自治区', NULL, true),
  ('460000', '海南省', NULL, true),
  ('500000', '重庆市', NULL, true),
  ('510000', '四川省', NULL, true),
  ('520000', '贵州省', NULL, true),
  ('530000', '云南省', NULL, true),
  ('540000', '西藏自治区', NULL, true),
  ('610000', '陕西省', NULL, true),
  ('620000', '甘肃省', NULL, true),
  ('630000', '青海省', NULL, true),
  ('640000', '宁夏回族自治区', NULL, true),
  ('650000', '新疆维吾尔自治区', NULL, true),
  ('710000', '台湾省', NULL, true),
  ('810000', '香港特别行政区', NULL, true),
  ('820000', '澳门特别行政区', NULL, true);

-- Hunan: prefecture level.
INSERT INTO taxshare.division (code, name, parent, shipped) VALUES
  ('430100', '长沙市', '430000', true),
  ('430200', '株洲市', '430000', true),
  ('430300', '湘潭市', '430000', true),
  ('430400', '衡阳市', '430000', true),
  ('430500', '邵阳市', '430000', true),
  ('430600', '岳阳市', '430000', true),
  ('430700', '常德市', '430000', true),
  ('430800', '张家界市', '430000', true),
  ('430900', '益阳市', '430000', true),
  ('431000', '郴州市', '430000', true),
  ('431100', '永州市', '430000', true),
  ('431200', '怀化市', '430000', true),
  ('431300', '娄底市', '430000', true),
  ('433100', '湘西土家族苗族自治州', '430000', true);

-- Hunan: county level.
INSERT INTO taxshare.division (code, name, parent, shipped) VALUES
  -- 长沙市
  ('430102', '芙蓉区', '430100', true),
  ('430103', '天心区', '430100', true),
  ('430104', '岳麓区', '430100', true),
  ('430105', '开福区', '430100', true),
  ('430111', '雨花区', '430100', true),
  ('430112', '望城区', '430100', true),
  ('430121', '长沙县', '430100', true),
  ('430181', '浏阳市', '430100', true),
  ('430182', '宁乡市', '430100', true),
  -- 株洲市
  ('430202', '荷塘区', '430200', true),
  ('430203', '芦淞区', '430200', true),
  ('430204', '石峰区', '430200', true),
  ('430211', '天元区', '430200', true),
  ('430212', '渌口区', '430200', true),
  ('430223', '攸县', '430200', true),
  ('430224', '茶陵县', '430200', true),
  ('430225', '炎陵县', '430200', true),
  ('430281', '醴陵市', '430200', true),
  -- 湘潭市
  ('430302', '雨湖区', '430300', true),
  ('430304', '岳塘区', '430300', true),
  ('430321', '湘潭县', '430300', true),
  ('430381', '湘乡市', '430300', true),
  ('430382', '韶山市', '430300', true),
  -- 衡阳市
  ('430405', '珠晖区', '430400', true),
  ('430406', '雁峰区', '430400', true),
  ('430407', '石鼓区', '430400', true),
  ('430408', '蒸湘区', '430400', true),
  ('430412', '南岳区', '430400', true),
  ('430421', '衡阳县', '430400', true),
  ('430422', '衡南县', '430400', true),
  ('430423', '衡山县', '430400', true),
  ('430424', '衡东县', '430400', true),
  ('430426', '祁东县', '430400', true),
  ('430481', '耒阳市', '430400', true),
  ('430482', '常宁市', '430400', true),
  -- 邵阳市
  ('430502', '双清区', '430500', true),
  ('430503', '大祥区', '430500', true),
  ('430511', '北塔区', '430500', true),
  ('430522', '新邵县', '430500', true),
  ('430523', '邵阳县', '430500', true),
  ('430524', '隆回县', '430500', true),
  ('430525', '洞口县', '430500', true),
  ('430527', '绥宁县', '430500', true),
  ('430528', '新宁县', '430500', true),
  ('430529', '城步苗族自治县', '430500', true),
  ('430581', '武冈市', '430500', true),
  ('430582', '邵东市', '430500', true),
  -- 岳阳市
  ('430602', '岳阳楼区', '430600', true),
  ('430603', '云溪区', '430600', true),
  ('430611', '君山区', '430600', true),
  ('430621', '岳阳县', '430600', true),
  ('430623', '华容县', '430600', true),
  ('430624', '湘阴县', '430600', true),
  ('430626', '平江县', '430600', true),
  ('430681', '汨罗市', '430600', true),
  ('430682', '临湘市', '430600', true),
  -- 常德市
  ('430702', '武陵区', '430700', true),
  ('430703', '鼎城区', '430700', true),
  ('430721', '安乡县', '430700', true),
  ('430722', '汉寿县', '430700', true),
  ('430723', '澧县', '430700', true),
  ('430724', '临澧县', '430700', true),
  ('430725', '桃源县', '430700', true),
  ('430726', '石门县', '430700', true),
  ('430781', '津市市', '430700', true),
  -- 张家界市
  ('430802', '永定区', '430800', true),
  ('430811', '武陵源区', '430800', true),
  ('430821', '慈利县', '430800', true),
  ('430822', '桑植县', '430800', true),
  -- 益阳市
  ('430902', '资阳区', '430900', true),
  ('430903', '赫山区', '430900', true),
  ('430921', '南县', '430900', true),
  ('430922', '桃江县', '430900', true),
  ('430923', '安化县', '430900', true),
  ('430981', '沅江市', '430900', true),
  -- 郴州市
  ('431002', '北湖区', '431000', true),
  ('431003', '苏仙区', '431000', true),
  ('431021', '桂阳县', '431000', true),
  ('431022', '宜章县', '431000', true),
  ('431023', '永兴县', '431000', true),
  ('431024', '嘉禾县', '431000', true),
  ('431025', '临武县', '431000', true),
  ('431026', '汝城县', '431000', true),
  ('431027', '桂东县', '431000', true),
  ('431028', '安仁县', '431000', true),
  ('431081', '资兴市', '431000', true),
  -- 永州市
  ('431102', '零陵区', '431100', true),
  ('431103', '冷水滩区', '431100', true),
  ('431122', '东安县', '431100', true),
  ('431123', '双牌县', '431100', true),
  ('431124', '道县', '431100', true),
  ('431125', '江永县', '431100', true),
  ('431126', '宁远县', '431100', true),
  ('431127', '蓝山县', '431100', true),
  ('431128', '新田县', '431100', true),
  ('431129', '江华瑶族自治县', '431100', true),
  ('431181', '祁阳市', '431100', true),
  -- 怀化市
  ('431202', '鹤城区', '431200', true),
  ('431221', '中方县', '431200', true),
  ('431222', '沅陵县', '431200', true),
  ('431223', '辰溪县', '431200', true),
  ('431224', '溆浦县', '431200', true),
  ('431225', '会同县', '431200', true),
  ('431226', '麻阳苗族自治县', '431200', true),
  ('431227', '新晃侗族自治县', '431200', true),
  ('431228', '芷江侗族自治县', '431200', true),
  ('431229', '靖州苗族侗族自治县', '431200', true),
  ('431230', '通道侗族自治县', '431200', true),
  ('431281', '洪江市', '431200', true),
  -- 娄底市
  ('431302', '娄星区', '431300', true),
  ('431321', '双峰县', '431300', true),
  ('431322', '新化县', '431300', true),
  ('431381', '冷水江市', '431300', true),
  ('431382', '涟源市', '431300', true),
  -- 湘西土家族苗族自治州
  ('433101', '吉首市', '433100', true),
  ('433122', '泸溪县', '433100', true),
  ('433123', '凤凰县', '433100', true),
  ('433124', '花垣县', '433100', true),
  ('433125', '保靖县', '433100', true),
  ('433126', '古丈县', '433100', true),
  ('433127', '永顺县', '433100', true),
  ('433130', '龙山县', '433100', true);
-- Units: the departments and related bodies that share data, the tax bureau and
-- the platform office, with the leader in charge and the liaison each must name
-- (DOMAIN.md "Who is involved"; scoring: 000 art. 31 deducts for a change not
-- filed in time, so every change is kept with the day it was filed).

CREATE TABLE taxshare.unit (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_.-]{1,32}$'),
  name        text NOT NULL CHECK (btrim(name) <> ''),
  kind        text NOT NULL CHECK (kind IN ('department', 'related', 'tax', 'office')),
  division    text CHECK (division ~ '^[0-9]{6}$'),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.unit IS
  '共享单位、税务部门与市财源办 / sharing units, the tax bureau and the platform office';
COMMENT ON COLUMN taxshare.unit.kind IS
  '类别: department 共享单位, related 税费共治关联单位, tax 税务部门, office 市财源办 / kind';
COMMENT ON COLUMN taxshare.unit.division IS
  '所在行政区划代码 (GB/T 2260) / administrative division code of the unit';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit', '');

-- One row per filed change: the current contact of a role is the latest row.
CREATE TABLE taxshare.unit_contact (
  id          bigserial PRIMARY KEY,
  unit_code   text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  role        text NOT NULL CHECK (role IN ('leader', 'liaison')),
  name        text NOT NULL CHECK (btrim(name) <> ''),
  position    text,
  phone       text,
  email       text,
  changed_on  date NOT NULL,
  filed_at    timestamptz NOT NULL DEFAULT now(),
  filed_by    text NOT NULL DEFAULT session_user
);
CREATE INDEX unit_contact_unit_role ON taxshare.unit_contact (unit_code, role, filed_at);
COMMENT ON TABLE taxshare.unit_contact IS
  '分管领导与信息联络员的变更记录 (每次变更一行, 含报备时间) / history of leaders in charge and liaisons, one row per filed change';
COMMENT ON COLUMN taxshare.unit_contact.changed_on IS
  '人员实际变更日期 / day the person actually changed';
COMMENT ON COLUMN taxshare.unit_contact.filed_at IS
  '向市财源办报备的时间 / when the change was filed with the office';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_contact', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_contact_id_seq', '');

CREATE VIEW taxshare.unit_contact_current AS
  SELECT DISTINCT ON (c.unit_code, c.role)
         c.unit_code, c.role, c.name, c.position, c.phone, c.email,
         c.changed_on, c.filed_at
    FROM taxshare.unit_contact c
   ORDER BY c.unit_code, c.role, c.filed_at DESC, c.id DESC;
COMMENT ON VIEW taxshare.unit_contact_current IS
  '各单位现任分管领导与信息联络员 / current leader in charge and liaison of each unit';

CREATE FUNCTION taxshare.unit_contact_set(unit text, role text, name text,
                                          phone text DEFAULT NULL,
                                          email text DEFAULT NULL,
                                          "position" text DEFAULT NULL,
                                          changed_on date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = unit_contact_set.unit) THEN
    RAISE EXCEPTION 'unknown unit "%"', unit_contact_set.unit
      USING ERRCODE = '22023',
            HINT = 'Register the unit in taxshare.unit first.';
  END IF;
  IF unit_contact_set.role IS NULL OR unit_contact_set.role NOT IN ('leader', 'liaison') THEN
    RAISE EXCEPTION 'invalid contact role "%"', unit_contact_set.role
      USING ERRCODE = '22023',
            HINT = 'The role is "leader" (分管领导) or "liaison" (信息联络员).';
  END IF;
  IF unit_contact_set.name IS NULL OR btrim(unit_contact_set.name) = '' THEN
    RAISE EXCEPTION 'contact name must not be empty'
      USING ERRCODE = '22023',
            HINT = 'Give the name of the person now in charge.';
  END IF;
  INSERT INTO taxshare.unit_contact (unit_code, role, name, position, phone, email, changed_on)
  VALUES (unit_contact_set.unit, unit_contact_set.role, btrim(unit_contact_set.name),
          unit_contact_set."position", unit_contact_set.phone, unit_contact_set.email,
          coalesce(unit_contact_set.changed_on, current_date))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.unit_contact_set(text, text, text, text, text, text, date) IS
  '报备单位分管领导或信息联络员的变更, 保留历史 / file a change of a unit''s leader in charge or liaison, keeping history';
-- The sharing catalog (共享目录, DOMAIN.md "The sharing catalog"; 000 art. 5-7,
-- 002 art. 8): items, their fields, cross-field rules and parties, versioned.
-- A version is never changed once written: submissions keep the version they
-- were checked against (submission.item_version), and a revision is a new row.

CREATE TABLE taxshare.catalog_item (
  code            text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  version         integer NOT NULL CHECK (version > 0),
  title           text NOT NULL,
  description     text,
  provider        text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  frequency       text NOT NULL CHECK (frequency IN ('realtime', 'daily', 'weekly', 'monthly',
                                                     'quarterly', 'semiannual', 'annual', 'adhoc')),
  sharing         text NOT NULL CHECK (sharing IN ('unconditional', 'conditional', 'none')),
  classification  text NOT NULL CHECK (classification IN ('public', 'internal', 'sensitive')),
  users           text[] NOT NULL DEFAULT '{}',
  scope           text,
  valid_from      date NOT NULL,
  valid_to        date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  missing_values  text[] NOT NULL DEFAULT '{""}',
  primary_key     text[] NOT NULL DEFAULT '{}',
  definition      jsonb NOT NULL,
  defined_at      timestamptz NOT NULL DEFAULT now(),
  defined_by      text NOT NULL DEFAULT session_user,
  PRIMARY KEY (code, version)
);
COMMENT ON TABLE taxshare.catalog_item IS
  '共享目录条目, 每次修订一个版本 / sharing catalog items, one row per version';
COMMENT ON COLUMN taxshare.catalog_item.sharing IS
  '共享类型: unconditional 无条件共享, conditional 有条件共享, none 不予共享 / sharing type';
COMMENT ON COLUMN taxshare.catalog_item.classification IS
  '分级: public 公开, internal 内部, sensitive 敏感 / classification level';
COMMENT ON COLUMN taxshare.catalog_item.users IS
  '有条件共享时允许使用的单位 / units allowed to use conditionally shared data';
COMMENT ON COLUMN taxshare.catalog_item.scope IS
  '使用范围 / scope of use';
COMMENT ON COLUMN taxshare.catalog_item.definition IS
  '定义该版本的 JSON 文档 / the JSON document that defined this version';
SELECT pg_catalog.pg_extension_config_dump('taxshare.catalog_item', '');

CREATE TABLE taxshare.catalog_field (
  item_code     text NOT NULL,
  item_version  integer NOT NULL,
  position      integer NOT NULL CHECK (position > 0),
  name          text NOT NULL CHECK (name <> '' AND octet_length(name) < 64),
  title         text NOT NULL,
  description   text,
  type          text NOT NULL,
  required      boolean NOT NULL DEFAULT false,
  is_unique     boolean NOT NULL DEFAULT false,
  min_length    integer CHECK (min_length >= 0),
  max_length    integer CHECK (max_length >= 0),
  minimum       text,
  maximum       text,
  pattern       text,
  enum          text[],
  PRIMARY KEY (item_code, item_version, name),
  UNIQUE (item_code, item_version, position),
  FOREIGN KEY (item_code, item_version) REFERENCES taxshare.catalog_item (code, version)
);
COMMENT ON TABLE taxshare.catalog_field IS
  '目录条目的字段及约束 / fields of a catalog item version and their constraints';
COMMENT ON COLUMN taxshare.catalog_field.minimum IS
  '最小值 (按字段类型的规范形式) / minimum in the canonical form of the field type';
COMMENT ON COLUMN taxshare.catalog_field.pattern IS
  '正则表达式 (PostgreSQL ARE, 整体匹配规范值) / regular expression that the whole canonical value must match';
COMMENT ON COLUMN taxshare.catalog_field.enum IS
  '允许值 (规范形式) / allowed values in canonical form';
SELECT pg_catalog.pg_extension_config_dump('taxshare.catalog_field', '');

CREATE TABLE taxshare.catalog_rule (
  item_code     text NOT NULL,
  item_version  integer NOT NULL,
  position      integer NOT NULL CHECK (position > 0),
  rule          text NOT NULL CHECK (rule IN ('lte', 'lt', 'idcard_birthdate', 'sum', 'required_if')),
  fields        text[] NOT NULL,
  total         text,
  tolerance     numeric NOT NULL DEFAULT 0 CHECK (tolerance >= 0),
  when_field    text,
  when_in       text[],
  PRIMARY KEY (item_code, item_version, position),
  FOREIGN KEY (item_code, item_version) REFERENCES taxshare.catalog_item (code, version)
);
COMMENT ON TABLE taxshare.catalog_rule IS
  '目录条目的跨字段校验规则 / cross-field rules of a catalog item version';
SELECT pg_catalog.pg_extension_config_dump('taxshare.catalog_rule', '');

CREATE TABLE taxshare.catalog_party (
  item_code      text NOT NULL,
  item_version   integer NOT NULL,
  role           text NOT NULL CHECK (role <> ''),
  uscc_field     text,
  idcard_field   text,
  orgcode_field  text,
  name_field     text,
  kind               text CHECK (kind IN ('enterprise', 'person')),
  taxpayer_id_field  text,
  region_field       text,
  address_field      text,
  phone_field        text,
  PRIMARY KEY (item_code, item_version, role),
  FOREIGN KEY (item_code, item_version) REFERENCES taxshare.catalog_item (code, version)
);
COMMENT ON TABLE taxshare.catalog_party IS
  '记录中各当事方 (出卖人、买受人…) 由哪些字段标识, 供比对使用 / which fields identify which party of a record, for the matcher';
COMMENT ON COLUMN taxshare.catalog_party.kind IS
  '主体类别 enterprise 或 person; 为空时按标识和名称判断 / kind of the party; NULL: judged from its identifiers and name';
COMMENT ON COLUMN taxshare.catalog_party.taxpayer_id_field IS
  '纳税人识别号文本字段 (任意时期格式) / a text field holding a taxpayer ID of any era';
COMMENT ON COLUMN taxshare.catalog_party.region_field IS
  '行政区划字段 / the field of the party''s division code';
COMMENT ON COLUMN taxshare.catalog_party.address_field IS
  '地址字段 / the field of the party''s address';
COMMENT ON COLUMN taxshare.catalog_party.phone_field IS
  '电话字段 / the field of the party''s phone number';
SELECT pg_catalog.pg_extension_config_dump('taxshare.catalog_party', '');

CREATE VIEW taxshare.catalog_item_current AS
  SELECT DISTINCT ON (i.code) i.*
    FROM taxshare.catalog_item i
   ORDER BY i.code, i.version DESC;
COMMENT ON VIEW taxshare.catalog_item_current IS
  '各目录条目的最新版本 / latest version of each catalog item';

-- C helpers shared by catalog_define() and the intake.
CREATE FUNCTION taxshare.catalog_types() RETURNS text[]
  AS 'MODULE_PATHNAME', 'catalog_types'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.catalog_types() IS
  '目录字段可用的类型 / the field types a catalog definition may use';

CREATE FUNCTION taxshare.catalog_canonical(type text, value text) RETURNS text
  AS 'MODULE_PATHNAME', 'catalog_canonical'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.catalog_canonical(text, text) IS
  '按字段类型规范化一个值, 无效时返回 NULL / canonical form of a value of a field type, NULL when invalid';

-- Compiled specs are cached per backend; any change to the catalog tables
-- sends a relcache invalidation of catalog_item that flushes every cache.
CREATE FUNCTION taxshare.catalog_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'catalog_invalidate'
  LANGUAGE C;
COMMENT ON FUNCTION taxshare.catalog_invalidate() IS
  '目录变更时使各会话的编译缓存失效 / flush the compiled catalog caches of every session after a catalog change';

CREATE TRIGGER catalog_item_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_item FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
CREATE TRIGGER catalog_field_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_field FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
CREATE TRIGGER catalog_rule_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_rule FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
CREATE TRIGGER catalog_party_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_party FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
-- Helpers of catalog_define(): each refuses a wrong part of a definition with
-- the JSON path of the offending part (docs/catalog.md, "Definition errors").

CREATE FUNCTION taxshare._catalog_fail(path text, problem text, hint text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'invalid catalog definition at %: %', path, problem
    USING ERRCODE = '22023',
          HINT = coalesce(hint, 'See docs/catalog.md for the definition format.');
END
$$;
COMMENT ON FUNCTION taxshare._catalog_fail(text, text, text) IS
  '内部: 报告目录定义错误及其 JSON 路径 / internal: raise a catalog definition error at a JSON path';

-- Refuse keys that the format does not know: a misspelt "contraints" must not
-- silently drop the constraints.
CREATE FUNCTION taxshare._catalog_keys(obj jsonb, allowed text[], path text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text;
BEGIN
  IF jsonb_typeof(obj) <> 'object' THEN
    PERFORM taxshare._catalog_fail(path, format('expected a JSON object, found %s', jsonb_typeof(obj)));
  END IF;
  FOR k IN SELECT jsonb_object_keys(obj) LOOP
    IF NOT k = ANY (allowed) THEN
      PERFORM taxshare._catalog_fail(path || '.' || k, format('unknown key "%s"', k),
                                     'Allowed keys here: ' || array_to_string(allowed, ', ') || '.');
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_keys(jsonb, text[], text) IS
  '内部: 拒绝目录定义中的未知键 / internal: refuse unknown keys of a catalog definition object';

-- A string member, or NULL when absent; anything but a string is refused.
CREATE FUNCTION taxshare._catalog_string(obj jsonb, key text, path text, required boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v jsonb := obj -> key;
BEGIN
  IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
    IF required THEN
      PERFORM taxshare._catalog_fail(path || '.' || key, 'required key is missing');
    END IF;
    RETURN NULL;
  END IF;
  IF jsonb_typeof(v) <> 'string' THEN
    PERFORM taxshare._catalog_fail(path || '.' || key, format('expected a string, found %s', jsonb_typeof(v)));
  END IF;
  IF required AND btrim(v #>> '{}') = '' THEN
    PERFORM taxshare._catalog_fail(path || '.' || key, 'must not be empty');
  END IF;
  RETURN v #>> '{}';
END
$$;
COMMENT ON FUNCTION taxshare._catalog_string(jsonb, text, text, boolean) IS
  '内部: 读取目录定义中的字符串成员 / internal: read a string member of a catalog definition';

-- A field name member naming an existing field of the version being defined.
CREATE FUNCTION taxshare._catalog_field_ref(v jsonb, path text, item text, ver integer,
                                            types text[] DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n text;
  t text;
BEGIN
  IF v IS NULL OR jsonb_typeof(v) <> 'string' THEN
    PERFORM taxshare._catalog_fail(path, 'expected a field name (a string)');
  END IF;
  n := v #>> '{}';
  SELECT f.type INTO t FROM taxshare.catalog_field f
   WHERE f.item_code = item AND f.item_version = ver AND f.name = n;
  IF NOT FOUND THEN
    PERFORM taxshare._catalog_fail(path, format('no field named "%s"', n),
                                   'Name a field declared in $.schema.fields.');
  END IF;
  IF types IS NOT NULL AND NOT t = ANY (types) THEN
    PERFORM taxshare._catalog_fail(path, format('field "%s" has type %s, expected %s', n, t,
                                                array_to_string(types, ' or ')));
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_field_ref(jsonb, text, text, integer, text[]) IS
  '内部: 校验目录定义中对字段的引用 / internal: check a reference to a field in a catalog definition';

-- The canonical form of a constraint value given as a JSON string or number.
CREATE FUNCTION taxshare._catalog_value(v jsonb, type text, path text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c text;
BEGIN
  IF v IS NULL OR jsonb_typeof(v) NOT IN ('string', 'number', 'boolean') THEN
    PERFORM taxshare._catalog_fail(path, 'expected a string, number or boolean value');
  END IF;
  c := taxshare.catalog_canonical(type, v #>> '{}');
  IF c IS NULL THEN
    PERFORM taxshare._catalog_fail(path, format('"%s" is not a valid %s value', v #>> '{}', type));
  END IF;
  RETURN c;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_value(jsonb, text, text) IS
  '内部: 规范化目录定义中的约束值 / internal: canonical form of a constraint value in a catalog definition';

-- Compare two canonical values of one ordered type.
CREATE FUNCTION taxshare._catalog_less(a text, b text, type text)
RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN type IN ('number', 'integer', 'amount', 'year')
              THEN a::numeric < b::numeric
              ELSE a COLLATE "C" < b COLLATE "C" END
$$;
COMMENT ON FUNCTION taxshare._catalog_less(text, text, text) IS
  '内部: 比较同一有序类型的两个规范值 / internal: order of two canonical values of one ordered type';
-- The parts of a catalog definition: one field, one cross-field rule, one
-- party.  Each checks its part and writes it for the version being defined.

CREATE FUNCTION taxshare._catalog_define_field(item text, ver integer, pos integer,
                                               f jsonb, path text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n text;
  t text;
  c jsonb;
  k text;
  v jsonb;
  req boolean := false;
  uniq boolean := false;
  minlen integer;
  maxlen integer;
  mn text;
  mx text;
  pat text;
  en text[];
  e jsonb;
  ei bigint;
  ordered CONSTANT text[] := ARRAY['number', 'integer', 'amount', 'year', 'date', 'datetime', 'yearmonth'];
BEGIN
  PERFORM taxshare._catalog_keys(f, ARRAY['name', 'title', 'description', 'type', 'constraints', 'example'], path);
  n := taxshare._catalog_string(f, 'name', path, true);
  IF octet_length(n) > 63 THEN
    PERFORM taxshare._catalog_fail(path || '.name', format('field name "%s" is longer than 63 bytes', n),
                                   'Field names become column names of the typed view; shorten it.');
  END IF;
  IF EXISTS (SELECT 1 FROM taxshare.catalog_field x
              WHERE x.item_code = item AND x.item_version = ver AND x.name = n) THEN
    PERFORM taxshare._catalog_fail(path || '.name', format('duplicate field "%s"', n),
                                   'Each field name may appear once in $.schema.fields.');
  END IF;
  t := taxshare._catalog_string(f, 'type', path, true);
  IF NOT t = ANY (taxshare.catalog_types()) THEN
    PERFORM taxshare._catalog_fail(path || '.type', format('unknown type "%s"', t),
                                   'Valid types: ' || array_to_string(taxshare.catalog_types(), ', ') || '.');
  END IF;

  c := f -> 'constraints';
  IF c IS NOT NULL THEN
    PERFORM taxshare._catalog_keys(c, ARRAY['required', 'unique', 'minLength', 'maxLength', 'minimum',
                                            'maximum', 'pattern', 'enum'], path || '.constraints');
    FOR k IN SELECT unnest(ARRAY['required', 'unique']) LOOP
      v := c -> k;
      IF v IS NOT NULL AND jsonb_typeof(v) <> 'boolean' THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.' || k, 'expected true or false');
      END IF;
    END LOOP;
    req := coalesce((c ->> 'required')::boolean, false);
    uniq := coalesce((c ->> 'unique')::boolean, false);
    FOR k IN SELECT unnest(ARRAY['minLength', 'maxLength']) LOOP
      v := c -> k;
      IF v IS NOT NULL THEN
        IF jsonb_typeof(v) <> 'number' THEN
          PERFORM taxshare._catalog_fail(path || '.constraints.' || k, 'expected a non-negative integer');
        END IF;
        IF (v #>> '{}')::numeric < 0 OR (v #>> '{}')::numeric <> trunc((v #>> '{}')::numeric)
           OR (v #>> '{}')::numeric > 2147483647 THEN
          PERFORM taxshare._catalog_fail(path || '.constraints.' || k, 'expected a non-negative integer');
        END IF;
      END IF;
    END LOOP;
    minlen := (c ->> 'minLength')::integer;
    maxlen := (c ->> 'maxLength')::integer;
    IF minlen > maxlen THEN
      PERFORM taxshare._catalog_fail(path || '.constraints.minLength',
                                     format('minLength %s is greater than maxLength %s', minlen, maxlen));
    END IF;
    FOR k IN SELECT unnest(ARRAY['minimum', 'maximum']) LOOP
      IF c ? k AND NOT t = ANY (ordered) THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.' || k, format('type %s has no order', t),
                                       'minimum and maximum apply to ' || array_to_string(ordered, ', ') || '.');
      END IF;
    END LOOP;
    IF c ? 'minimum' THEN
      mn := taxshare._catalog_value(c -> 'minimum', t, path || '.constraints.minimum');
    END IF;
    IF c ? 'maximum' THEN
      mx := taxshare._catalog_value(c -> 'maximum', t, path || '.constraints.maximum');
    END IF;
    IF mn IS NOT NULL AND mx IS NOT NULL AND taxshare._catalog_less(mx, mn, t) THEN
      PERFORM taxshare._catalog_fail(path || '.constraints.minimum',
                                     format('minimum %s is greater than maximum %s', mn, mx));
    END IF;
    IF c ? 'pattern' THEN
      pat := taxshare._catalog_string(c, 'pattern', path || '.constraints', true);
      BEGIN
        PERFORM '' ~ ('^(?:' || pat || ')$');
      EXCEPTION WHEN invalid_regular_expression THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.pattern',
                                       format('bad pattern "%s": %s', pat, SQLERRM),
                                       'Patterns are PostgreSQL regular expressions (ARE).');
      END;
    END IF;
    IF c ? 'enum' THEN
      IF jsonb_typeof(c -> 'enum') <> 'array' OR jsonb_array_length(c -> 'enum') = 0 THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.enum', 'expected a non-empty array of values');
      END IF;
      en := '{}';
      FOR e, ei IN SELECT x, o - 1 FROM jsonb_array_elements(c -> 'enum') WITH ORDINALITY AS a(x, o) LOOP
        en := en || taxshare._catalog_value(e, t, format('%s.constraints.enum[%s]', path, ei));
      END LOOP;
    END IF;
  END IF;

  INSERT INTO taxshare.catalog_field (item_code, item_version, position, name, title, description, type,
                                      required, is_unique, min_length, max_length, minimum, maximum,
                                      pattern, enum)
  VALUES (item, ver, pos, n, coalesce(taxshare._catalog_string(f, 'title', path), n),
          taxshare._catalog_string(f, 'description', path), t, req, uniq, minlen, maxlen, mn, mx, pat, en);
END
$$;
COMMENT ON FUNCTION taxshare._catalog_define_field(text, integer, integer, jsonb, text) IS
  '内部: 校验并写入目录定义的一个字段 / internal: check and store one field of a catalog definition';

CREATE FUNCTION taxshare._catalog_define_rule(item text, ver integer, pos integer, r jsonb, path text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  kind text;
  fs text[] := '{}';
  e jsonb;
  ei bigint;
  numeric_types CONSTANT text[] := ARRAY['number', 'integer', 'amount', 'year'];
  time_types CONSTANT text[] := ARRAY['date', 'datetime', 'yearmonth'];
  t1 text;
  t2 text;
  tot text;
  tol numeric := 0;
  wf text;
  wt text;
  wi text[];
  arity_ok boolean;
BEGIN
  kind := taxshare._catalog_string(r, 'rule', path, true);
  IF NOT kind = ANY (ARRAY['lte', 'lt', 'idcard_birthdate', 'sum', 'required_if']) THEN
    PERFORM taxshare._catalog_fail(path || '.rule', format('unknown rule "%s"', kind),
                                   'Valid rules: lte, lt, idcard_birthdate, sum, required_if.');
  END IF;
  PERFORM taxshare._catalog_keys(r, CASE kind
                                      WHEN 'sum' THEN ARRAY['rule', 'fields', 'total', 'tolerance', 'description']
                                      WHEN 'required_if' THEN ARRAY['rule', 'fields', 'when', 'in', 'description']
                                      ELSE ARRAY['rule', 'fields', 'description'] END, path);
  IF jsonb_typeof(r -> 'fields') IS DISTINCT FROM 'array' THEN
    PERFORM taxshare._catalog_fail(path || '.fields', 'expected an array of field names');
  END IF;
  FOR e, ei IN SELECT x, o - 1 FROM jsonb_array_elements(r -> 'fields') WITH ORDINALITY AS a(x, o) LOOP
    fs := fs || taxshare._catalog_field_ref(e, format('%s.fields[%s]', path, ei), item, ver,
                                            CASE kind WHEN 'sum' THEN numeric_types
                                                      WHEN 'lte' THEN numeric_types || time_types
                                                      WHEN 'lt' THEN numeric_types || time_types
                                                      WHEN 'idcard_birthdate' THEN
                                                        CASE ei WHEN 0 THEN ARRAY['idcard'] ELSE ARRAY['date'] END
                                                      ELSE NULL END);
  END LOOP;
  arity_ok := CASE WHEN kind IN ('lte', 'lt', 'idcard_birthdate') THEN cardinality(fs) = 2
                   ELSE cardinality(fs) >= 1 END;
  IF NOT arity_ok THEN
    PERFORM taxshare._catalog_fail(path || '.fields',
                                   format('rule %s takes %s, found %s', kind,
                                          CASE WHEN kind IN ('lte', 'lt', 'idcard_birthdate')
                                               THEN 'exactly 2 fields' ELSE 'at least 1 field' END,
                                          cardinality(fs)));
  END IF;
  IF kind IN ('lte', 'lt') THEN
    SELECT f.type INTO t1 FROM taxshare.catalog_field f
     WHERE f.item_code = item AND f.item_version = ver AND f.name = fs[1];
    SELECT f.type INTO t2 FROM taxshare.catalog_field f
     WHERE f.item_code = item AND f.item_version = ver AND f.name = fs[2];
    IF (t1 = ANY (numeric_types)) <> (t2 = ANY (numeric_types)) THEN
      PERFORM taxshare._catalog_fail(path || '.fields',
                                     format('cannot compare %s (%s) with %s (%s)', fs[1], t1, fs[2], t2),
                                     'Compare numbers with numbers and dates with dates.');
    END IF;
  ELSIF kind = 'sum' THEN
    tot := taxshare._catalog_field_ref(r -> 'total', path || '.total', item, ver, numeric_types);
    IF r ? 'tolerance' THEN
      IF jsonb_typeof(r -> 'tolerance') <> 'number' OR (r ->> 'tolerance')::numeric < 0 THEN
        PERFORM taxshare._catalog_fail(path || '.tolerance', 'expected a non-negative number');
      END IF;
      tol := (r ->> 'tolerance')::numeric;
    END IF;
  ELSIF kind = 'required_if' THEN
    wf := taxshare._catalog_field_ref(r -> 'when', path || '.when', item, ver);
    IF r ? 'in' THEN
      SELECT f.type INTO wt FROM taxshare.catalog_field f
       WHERE f.item_code = item AND f.item_version = ver AND f.name = wf;
      IF jsonb_typeof(r -> 'in') <> 'array' OR jsonb_array_length(r -> 'in') = 0 THEN
        PERFORM taxshare._catalog_fail(path || '.in', 'expected a non-empty array of values');
      END IF;
      wi := '{}';
      FOR e, ei IN SELECT x, o - 1 FROM jsonb_array_elements(r -> 'in') WITH ORDINALITY AS a(x, o) LOOP
        wi := wi || taxshare._catalog_value(e, wt, format('%s.in[%s]', path, ei));
      END LOOP;
    END IF;
  END IF;
  INSERT INTO taxshare.catalog_rule (item_code, item_version, position, rule, fields, total, tolerance,
                                     when_field, when_in)
  VALUES (item, ver, pos, kind, fs, tot, tol, wf, wi);
END
$$;
COMMENT ON FUNCTION taxshare._catalog_define_rule(text, integer, integer, jsonb, text) IS
  '内部: 校验并写入目录定义的一条跨字段规则 / internal: check and store one cross-field rule of a catalog definition';

CREATE FUNCTION taxshare._catalog_define_party(item text, ver integer, p jsonb, path text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r text;
  k text;
  -- the fields a party may name, and the types each may have
  keys constant text[] := ARRAY['uscc', 'idcard', 'orgcode', 'taxpayer_id', 'name', 'region', 'address', 'phone'];
  types constant text[] := ARRAY['uscc', 'idcard', 'orgcode', 'string', 'string', 'division,string', 'string',
                                 'phone,string'];
  f text[] := ARRAY[NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL];
  j integer;
BEGIN
  PERFORM taxshare._catalog_keys(p, ARRAY['role', 'kind'] || keys, path);
  r := taxshare._catalog_string(p, 'role', path, true);
  IF EXISTS (SELECT 1 FROM taxshare.catalog_party x
              WHERE x.item_code = item AND x.item_version = ver AND x.role = r) THEN
    PERFORM taxshare._catalog_fail(path || '.role', format('duplicate party role "%s"', r));
  END IF;
  k := taxshare._catalog_string(p, 'kind', path);
  IF k IS NOT NULL AND k NOT IN ('enterprise', 'person') THEN
    PERFORM taxshare._catalog_fail(path || '.kind', format('unknown party kind "%s"', k),
                                   'The kind is "enterprise" or "person"; leave it out to judge each party from its identifiers and name.');
  END IF;
  FOR j IN 1..cardinality(keys) LOOP
    IF p ? keys[j] THEN
      f[j] := taxshare._catalog_field_ref(p -> keys[j], path || '.' || keys[j], item, ver,
                                          string_to_array(types[j], ','));
    END IF;
  END LOOP;
  -- what identifies a party: an identifier or a name; the rest only helps compare
  IF f[1] IS NULL AND f[2] IS NULL AND f[3] IS NULL AND f[4] IS NULL AND f[5] IS NULL THEN
    PERFORM taxshare._catalog_fail(path, format('party "%s" names no identifying field', r),
                                   'Give at least one of uscc, idcard, orgcode, taxpayer_id, name.');
  END IF;
  INSERT INTO taxshare.catalog_party (item_code, item_version, role, uscc_field, idcard_field,
                                      orgcode_field, taxpayer_id_field, name_field, region_field,
                                      address_field, phone_field, kind)
  VALUES (item, ver, r, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], k);
END
$$;
COMMENT ON FUNCTION taxshare._catalog_define_party(text, integer, jsonb, text) IS
  '内部: 校验并写入目录定义的一个当事方 / internal: check and store one party of a catalog definition';
-- catalog_define(jsonb): create or revise a catalog item from one JSON document
-- (docs/catalog.md).  Returns the version: a new one when the document differs
-- from the latest version's, the latest one when it is identical (idempotent).

CREATE FUNCTION taxshare.catalog_define(definition jsonb)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d jsonb := definition;
  v_code text;
  v_provider text;
  v_frequency text;
  v_sharing text;
  v_class text;
  v_from date;
  v_to date;
  v_users text[] := '{}';
  v_missing text[] := ARRAY[''];
  v_pk text[] := '{}';
  latest record;
  ver integer;
  s jsonb;
  e jsonb;
  ei bigint;
BEGIN
  IF d IS NULL THEN
    PERFORM taxshare._catalog_fail('$', 'the definition is NULL');
  END IF;
  PERFORM taxshare._catalog_keys(d, ARRAY['code', 'title', 'description', 'provider', 'frequency',
                                          'sharing', 'classification', 'users', 'scope', 'validFrom',
                                          'validTo', 'schema', 'parties', 'rules'], '$');
  v_code := taxshare._catalog_string(d, 'code', '$', true);
  IF v_code !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' THEN
    PERFORM taxshare._catalog_fail('$.code', format('bad item code "%s"', v_code),
                                   'Use letters, digits, "-", "_" and "." (at most 64), e.g. "ZJ-SPF-001".');
  END IF;
  PERFORM taxshare._catalog_string(d, 'title', '$', true);
  PERFORM taxshare._catalog_string(d, 'description', '$');
  PERFORM taxshare._catalog_string(d, 'scope', '$');

  v_provider := taxshare._catalog_string(d, 'provider', '$', true);
  IF NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = v_provider) THEN
    PERFORM taxshare._catalog_fail('$.provider', format('unknown unit "%s"', v_provider),
                                   'Register the unit in taxshare.unit first.');
  END IF;
  v_frequency := taxshare._catalog_string(d, 'frequency', '$', true);
  IF NOT v_frequency = ANY (ARRAY['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual',
                                  'annual', 'adhoc']) THEN
    PERFORM taxshare._catalog_fail('$.frequency', format('unknown frequency "%s"', v_frequency),
                                   'Valid frequencies: realtime, daily, weekly, monthly, quarterly, semiannual, annual, adhoc.');
  END IF;
  v_sharing := coalesce(taxshare._catalog_string(d, 'sharing', '$'), 'conditional');
  IF NOT v_sharing = ANY (ARRAY['unconditional', 'conditional', 'none']) THEN
    PERFORM taxshare._catalog_fail('$.sharing', format('unknown sharing type "%s"', v_sharing),
                                   'Valid sharing types: unconditional, conditional, none.');
  END IF;
  v_class := coalesce(taxshare._catalog_string(d, 'classification', '$'), 'internal');
  IF NOT v_class = ANY (ARRAY['public', 'internal', 'sensitive']) THEN
    PERFORM taxshare._catalog_fail('$.classification', format('unknown classification "%s"', v_class),
                                   'Valid classifications: public, internal, sensitive.');
  END IF;
  IF d ? 'users' THEN
    IF jsonb_typeof(d -> 'users') <> 'array' THEN
      PERFORM taxshare._catalog_fail('$.users', 'expected an array of unit codes');
    END IF;
    FOR e, ei IN SELECT u, o - 1 FROM jsonb_array_elements(d -> 'users') WITH ORDINALITY AS a(u, o) LOOP
      IF jsonb_typeof(e) <> 'string'
         OR NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = e #>> '{}') THEN
        PERFORM taxshare._catalog_fail(format('$.users[%s]', ei), format('unknown unit %s', e),
                                       'Register the unit in taxshare.unit first.');
      END IF;
      v_users := v_users || (e #>> '{}');
    END LOOP;
  END IF;
  v_from := current_date;
  IF d ? 'validFrom' THEN
    v_from := taxshare._catalog_value(d -> 'validFrom', 'date', '$.validFrom')::date;
  END IF;
  IF d ? 'validTo' THEN
    v_to := taxshare._catalog_value(d -> 'validTo', 'date', '$.validTo')::date;
    IF v_to < v_from THEN
      PERFORM taxshare._catalog_fail('$.validTo', format('validTo %s is before validFrom %s', v_to, v_from));
    END IF;
  END IF;

  s := d -> 'schema';
  IF s IS NULL THEN
    PERFORM taxshare._catalog_fail('$.schema', 'required key is missing');
  END IF;
  PERFORM taxshare._catalog_keys(s, ARRAY['fields', 'primaryKey', 'missingValues'], '$.schema');
  IF jsonb_typeof(s -> 'fields') IS DISTINCT FROM 'array' OR jsonb_array_length(s -> 'fields') = 0 THEN
    PERFORM taxshare._catalog_fail('$.schema.fields', 'expected a non-empty array of fields');
  END IF;
  IF s ? 'missingValues' THEN
    IF jsonb_typeof(s -> 'missingValues') <> 'array' THEN
      PERFORM taxshare._catalog_fail('$.schema.missingValues', 'expected an array of strings');
    END IF;
    v_missing := '{}';
    FOR e, ei IN SELECT m, o - 1 FROM jsonb_array_elements(s -> 'missingValues') WITH ORDINALITY AS a(m, o) LOOP
      IF jsonb_typeof(e) <> 'string' THEN
        PERFORM taxshare._catalog_fail(format('$.schema.missingValues[%s]', ei), 'expected a string');
      END IF;
      v_missing := v_missing || (e #>> '{}');
    END LOOP;
  END IF;
  IF d ? 'parties' AND jsonb_typeof(d -> 'parties') <> 'array' THEN
    PERFORM taxshare._catalog_fail('$.parties', 'expected an array of parties');
  END IF;
  IF d ? 'rules' AND jsonb_typeof(d -> 'rules') <> 'array' THEN
    PERFORM taxshare._catalog_fail('$.rules', 'expected an array of rules');
  END IF;

  -- One definer of an item at a time; versions are numbered without gaps.
  PERFORM pg_advisory_xact_lock(hashtext('taxshare.catalog_define'), hashtext(v_code));
  SELECT i.version, i.definition INTO latest
    FROM taxshare.catalog_item i WHERE i.code = v_code ORDER BY i.version DESC LIMIT 1;
  IF FOUND AND latest.definition = d THEN
    RETURN latest.version;
  END IF;
  ver := coalesce(latest.version, 0) + 1;

  -- The item row first so that the parts can reference it; the parts check
  -- themselves and any error undoes the whole definition.
  INSERT INTO taxshare.catalog_item (code, version, title, description, provider, frequency, sharing,
                                     classification, users, scope, valid_from, valid_to,
                                     missing_values, primary_key, definition)
  VALUES (v_code, ver, d ->> 'title', d ->> 'description', v_provider, v_frequency, v_sharing,
          v_class, v_users, d ->> 'scope', v_from, v_to, v_missing, '{}', d);

  FOR e, ei IN SELECT f, o FROM jsonb_array_elements(s -> 'fields') WITH ORDINALITY AS a(f, o) LOOP
    PERFORM taxshare._catalog_define_field(v_code, ver, ei::integer, e,
                                           format('$.schema.fields[%s]', ei - 1));
  END LOOP;

  IF s ? 'primaryKey' THEN
    e := s -> 'primaryKey';
    IF jsonb_typeof(e) = 'string' THEN
      e := jsonb_build_array(e);
    ELSIF jsonb_typeof(e) <> 'array' OR jsonb_array_length(e) = 0 THEN
      PERFORM taxshare._catalog_fail('$.schema.primaryKey', 'expected a field name or an array of field names');
    END IF;
    SELECT array_agg(taxshare._catalog_field_ref(k, CASE WHEN jsonb_typeof(s -> 'primaryKey') = 'string'
                                                          THEN '$.schema.primaryKey'
                                                          ELSE format('$.schema.primaryKey[%s]', o - 1) END,
                                                 v_code, ver) ORDER BY o)
      INTO v_pk
      FROM jsonb_array_elements(e) WITH ORDINALITY AS a(k, o);
    IF cardinality(v_pk) <> (SELECT count(DISTINCT p) FROM unnest(v_pk) p) THEN
      PERFORM taxshare._catalog_fail('$.schema.primaryKey', 'a field appears twice in the primary key');
    END IF;
    UPDATE taxshare.catalog_item SET primary_key = v_pk WHERE code = v_code AND version = ver;
  END IF;

  FOR e, ei IN SELECT p, o - 1 FROM jsonb_array_elements(coalesce(d -> 'parties', '[]')) WITH ORDINALITY AS a(p, o) LOOP
    PERFORM taxshare._catalog_define_party(v_code, ver, e, format('$.parties[%s]', ei));
  END LOOP;
  FOR e, ei IN SELECT r, o FROM jsonb_array_elements(coalesce(d -> 'rules', '[]')) WITH ORDINALITY AS a(r, o) LOOP
    PERFORM taxshare._catalog_define_rule(v_code, ver, ei::integer, e, format('$.rules[%s]', ei - 1));
  END LOOP;
  RETURN ver;
END
$$;
COMMENT ON FUNCTION taxshare.catalog_define(jsonb) IS
  '由一个 JSON 文档新建或修订目录条目, 返回版本号; 相同文档不产生新版本 / create or revise a catalog item from one JSON document and return its version; an identical document returns the current version';
-- Intake: submissions, their records and record errors, submit() and the inbox
-- (docs/intake.md).  The C code in src/intake_*.c writes these tables.

CREATE TABLE taxshare.submission (
  id                    bigserial PRIMARY KEY,
  item_code             text NOT NULL,
  item_version          integer NOT NULL,
  unit_code             text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  period_start          date NOT NULL,
  period_end            date NOT NULL,
  channel               text NOT NULL CHECK (channel IN ('api', 'inbox', 'xlsx', 'xml', 'csv')),
  received_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  received_at_exchange  timestamptz,
  finished_at           timestamptz,
  submitted_by          text NOT NULL DEFAULT session_user,
  language              text NOT NULL CHECK (language IN ('zh', 'en')),
  status                text NOT NULL DEFAULT 'loading'
                        CHECK (status IN ('loading', 'accepted', 'accepted_with_errors', 'rejected')),
  additive              boolean NOT NULL DEFAULT false,
  superseded_by         bigint REFERENCES taxshare.submission (id),
  rows_total            bigint NOT NULL DEFAULT 0,
  rows_accepted         bigint NOT NULL DEFAULT 0,
  rows_rejected         bigint NOT NULL DEFAULT 0,
  errors                bigint NOT NULL DEFAULT 0,
  unknown_fields        jsonb NOT NULL DEFAULT '{}',
  FOREIGN KEY (item_code, item_version) REFERENCES taxshare.catalog_item (code, version)
);
CREATE INDEX submission_key ON taxshare.submission (item_code, unit_code, period_start);
-- At most one current submission per item, unit and period (additive items excepted).
CREATE UNIQUE INDEX submission_current ON taxshare.submission (item_code, unit_code, period_start)
  WHERE superseded_by IS NULL AND status <> 'loading' AND NOT additive;
COMMENT ON TABLE taxshare.submission IS
  '报送批次: 一次 submit() 调用或一条 COPY/INSERT 语句 / submissions: one submit() call or one COPY/INSERT statement into the inbox';
COMMENT ON COLUMN taxshare.submission.item_version IS
  '校验所用的目录版本 / catalog item version the rows were checked against';
COMMENT ON COLUMN taxshare.submission.period_start IS
  '报送期起始日 / first day of the reporting period';
COMMENT ON COLUMN taxshare.submission.received_at IS
  '平台接收时间 / when the platform received the batch';
COMMENT ON COLUMN taxshare.submission.received_at_exchange IS
  '交换平台接收时间 (如有) / when the exchange platform received it, if given';
COMMENT ON COLUMN taxshare.submission.submitted_by IS
  '报送人: 调用 submit() 或写入收件箱的角色 (会话用户, 或 SET ROLE 切换后的角色) / who submitted: the role that called submit() or wrote to the inbox (the session user, or the role set with SET ROLE)';
COMMENT ON COLUMN taxshare.submission.status IS
  'accepted 全部通过, accepted_with_errors 部分退回, rejected 全部退回 / outcome of the validation';
COMMENT ON COLUMN taxshare.submission.additive IS
  '实时、临时条目的批次相互补充而不替代 / realtime and adhoc submissions add up instead of replacing each other';
COMMENT ON COLUMN taxshare.submission.superseded_by IS
  '替代本批次的后续报送 (整改重报) / the later submission that replaced this one (rectification)';
COMMENT ON COLUMN taxshare.submission.unknown_fields IS
  '目录中没有的键及其出现次数 (已忽略) / keys that are not fields of the item, with counts (ignored)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.submission', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.submission_id_seq', '');

-- id = (submission_id << 32) + row_no: no sequence per row, and the primary key
-- alone finds a record and the records of a submission (an id range).  No
-- foreign key to submission: the C intake writes both, and a per-row foreign-key
-- check would cost as much as the validation (docs/performance.md).
CREATE TABLE taxshare.record (
  id             bigint PRIMARY KEY CHECK (id = (submission_id << 32) + row_no),
  submission_id  bigint NOT NULL,
  row_no         integer NOT NULL,
  status         text NOT NULL CHECK (status IN ('accepted', 'rejected')),
  payload        jsonb,
  raw            jsonb,
  uscc           text[],
  idcard         text[],
  orgcode        text[]
);
-- One GIN index over the three identifier arrays: "records about this
-- taxpayer" (uscc @> ARRAY[...]) is an index scan; half the cost of three.
-- Partial: rejected rows and rows of items without identifier fields have no
-- arrays, and a multicolumn GIN index would still insert a NULL entry per
-- column for each of them.  @> and && imply the predicate (they are strict),
-- so the planner uses the index for them as before.
CREATE INDEX record_idents ON taxshare.record USING gin (uscc, idcard, orgcode)
  WHERE uscc IS NOT NULL OR idcard IS NOT NULL OR orgcode IS NOT NULL;
COMMENT ON TABLE taxshare.record IS
  '报送的每一行, 含被退回的行 / every reported row, rejected ones included';
COMMENT ON COLUMN taxshare.record.id IS
  '记录编号 = 批次号 × 2^32 + 行号 / record id = submission id * 2^32 + row number';
COMMENT ON COLUMN taxshare.record.row_no IS
  '在批次中的位置 (从 1 起) / 1-based position in the batch';
COMMENT ON COLUMN taxshare.record.payload IS
  '规范化后的类型化值 / normalised, typed values of the fields that parsed';
COMMENT ON COLUMN taxshare.record.raw IS
  '被退回行的原始内容 / the row as sent, kept for rejected rows only';
COMMENT ON COLUMN taxshare.record.uscc IS
  '本行的统一社会信用代码 (已通过行) / unified social credit codes of the row (accepted rows)';
COMMENT ON COLUMN taxshare.record.idcard IS
  '本行的居民身份证号码 (18 位) / resident identity numbers of the row, 18-character form';
COMMENT ON COLUMN taxshare.record.orgcode IS
  '本行的组织机构代码 / organization codes of the row';
SELECT pg_catalog.pg_extension_config_dump('taxshare.record', '');

CREATE TABLE taxshare.record_error (
  submission_id  bigint NOT NULL,
  row_no         integer NOT NULL,
  field          text,
  code           text NOT NULL,
  message        text NOT NULL
);
CREATE INDEX record_error_submission ON taxshare.record_error (submission_id, row_no);
COMMENT ON TABLE taxshare.record_error IS
  '被退回行的错误 / errors of the rejected rows';
COMMENT ON COLUMN taxshare.record_error.field IS
  '字段名, 跨字段规则为空 / field name, NULL for a row-level rule';
COMMENT ON COLUMN taxshare.record_error.code IS
  '稳定的错误代码, 见 docs/catalog.md / stable error code word, see docs/catalog.md';
COMMENT ON COLUMN taxshare.record_error.message IS
  '按 taxshare.language 的中文或英文说明 / message in Chinese or English per taxshare.language';
SELECT pg_catalog.pg_extension_config_dump('taxshare.record_error', '');

-- submit() and the inbox statement trigger are SECURITY DEFINER, and the inbox
-- row trigger switches to its owner for every step that touches a table (see
-- inbox_row below): they write submission, record and record_error as the
-- extension owner, which no row-level security policy applies to, so records
-- always take the table_multi_insert path (the policies' per-row checks cost
-- more than the validation).  In exchange the C code checks the caller once
-- per load (taxshare._may_submit_for() of 95_security.sql: the outer user --
-- session user or SET ROLE -- must be a member of the unit, the office or the
-- exchange platform; else 42501) and records that caller as submitted_by.  No
-- role may write the three tables directly (97_privileges.sql), so validation
-- cannot be bypassed.
CREATE FUNCTION taxshare.submit(item text, unit text, period_start date, rows jsonb,
                                received_at_exchange timestamptz DEFAULT NULL,
                                channel text DEFAULT 'api')
RETURNS bigint
AS 'MODULE_PATHNAME', 'submit'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.submit(text, text, date, jsonb, timestamptz, text) IS
  '按共享目录校验并接收一批数据 (JSON 对象数组), 返回报送批次号; 调用者须为该单位成员、市财源办或交换平台 / validate a batch (a JSON array of objects) against the catalog and record it; returns the submission id; the caller must be a member of the unit, the office or the exchange platform';

-- The inbox keeps nothing: its trigger validates each row into a submission.
CREATE TABLE taxshare.inbox (
  item                  text,
  unit                  text,
  period_start          date,
  payload               jsonb,
  received_at_exchange  timestamptz,
  channel               text DEFAULT 'inbox'
);
COMMENT ON TABLE taxshare.inbox IS
  '批量接收入口: COPY/INSERT 到此表的行经触发器校验后写入 submission/record, 本表始终为空 / bulk intake: rows COPYed or INSERTed here are validated by a trigger into submission/record; the table stays empty';

-- The row trigger is not SECURITY DEFINER: a definer function with a SET clause
-- saves and restores search_path on every call, some 8 % of a COPY.  Per row it
-- only reads the row and validates it in memory (no SQL, no table) as the
-- caller; the C code becomes the function's owner with search_path pinned to
-- pg_catalog, taxshare, pg_temp for each step that runs SQL or touches a table:
-- opening a load (the caller check), writing each chunk of 128 records, and
-- finishing (src/intake_owner.c, docs/security.md).
CREATE FUNCTION taxshare.inbox_row() RETURNS trigger
  AS 'MODULE_PATHNAME', 'inbox_row' LANGUAGE C;
COMMENT ON FUNCTION taxshare.inbox_row() IS
  '收件箱逐行校验触发器 / inbox trigger validating each row';
CREATE FUNCTION taxshare.inbox_finish() RETURNS trigger
  AS 'MODULE_PATHNAME', 'inbox_finish' LANGUAGE C SECURITY DEFINER
  SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.inbox_finish() IS
  '收件箱语句结束触发器, 完成本语句的报送批次 / inbox statement trigger closing the submissions of the statement';

CREATE TRIGGER inbox_validate BEFORE INSERT ON taxshare.inbox
  FOR EACH ROW EXECUTE FUNCTION taxshare.inbox_row();
CREATE TRIGGER inbox_finish AFTER INSERT ON taxshare.inbox
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare.inbox_finish();
-- What later modules and the units' liaisons read of the intake: the current
-- accepted records, the parties of each record, and a report per submission.

CREATE VIEW taxshare.current_record AS
  SELECT r.id, r.submission_id, r.row_no, s.item_code, s.item_version, s.unit_code,
         s.period_start, s.period_end, r.payload, r.uscc, r.idcard, r.orgcode
    FROM taxshare.record r
    JOIN taxshare.submission s
      ON s.id = r.submission_id
     AND r.id >= s.id << 32 AND r.id < (s.id + 1) << 32	-- lets the planner use record's key
   WHERE r.status = 'accepted'
     AND s.superseded_by IS NULL
     AND s.status <> 'loading';
COMMENT ON VIEW taxshare.current_record IS
  '现行有效的已通过记录 (未被整改重报替代) / accepted records of current submissions (not superseded by a resubmission)';

-- One row per party of each current record, as the catalog's "parties" name them.
CREATE VIEW taxshare.record_party_key AS
  SELECT c.id AS record_id, c.item_code, c.unit_code, c.period_start, p.role,
         c.payload ->> p.uscc_field AS uscc,
         c.payload ->> p.idcard_field AS idcard,
         c.payload ->> p.orgcode_field AS orgcode,
         c.payload ->> p.name_field AS name,
         taxshare.normalize_name(c.payload ->> p.name_field) AS name_normalized
    FROM taxshare.current_record c
    JOIN taxshare.catalog_party p ON p.item_code = c.item_code AND p.item_version = c.item_version
   WHERE c.payload ?| ARRAY[p.uscc_field, p.idcard_field, p.orgcode_field, p.name_field];
COMMENT ON VIEW taxshare.record_party_key IS
  '现行记录中的各当事方及其标识, 供比对使用 / the parties of current records with their identifiers, for the matcher';

CREATE VIEW taxshare.submission_report AS
  SELECT s.id AS submission_id, s.item_code, s.item_version, s.unit_code, s.period_start,
         s.channel, s.received_at, s.status, s.superseded_by IS NULL AS current,
         s.rows_total, s.rows_accepted, s.rows_rejected,
         e.severity, e.code, e.field, e.rows, e.first_rows, e.example
    FROM taxshare.submission s
    LEFT JOIN LATERAL (
      SELECT 'error'::text AS severity, re.code, re.field, count(DISTINCT re.row_no) AS rows,
             (array_agg(DISTINCT re.row_no ORDER BY re.row_no))[1:10] AS first_rows,
             (array_agg(re.message ORDER BY re.row_no))[1] AS example
        FROM taxshare.record_error re
       WHERE re.submission_id = s.id
       GROUP BY re.code, re.field
      UNION ALL
      SELECT 'ignored', 'unknown_field', u.key, u.value::bigint, NULL::integer[],
             NULL::text
        FROM jsonb_each_text(s.unknown_fields) u
    ) e ON true;
COMMENT ON VIEW taxshare.submission_report IS
  '报送批次问题汇总: 按错误代码和字段计数, 供信息联络员整改 / per submission: rows by error code and field, for the unit''s liaison to correct';
COMMENT ON COLUMN taxshare.submission_report.severity IS
  'error 行被退回; ignored 目录外的键被忽略 / error: rows rejected; ignored: keys outside the catalog were dropped';
COMMENT ON COLUMN taxshare.submission_report.rows IS
  '涉及行数 / number of rows with this problem';
COMMENT ON COLUMN taxshare.submission_report.first_rows IS
  '前 10 个行号 (从 1 起) / the first ten row numbers (1-based)';
COMMENT ON COLUMN taxshare.submission_report.example IS
  '第一条错误说明 / message of the first such error';
-- Data objections (异议, DOMAIN.md "Data objections"; 002 art. 12, 004 art. 22):
-- a user who finds a shared record wrong files an objection, the provider
-- explains or corrects it, and the result is kept with timestamps.

CREATE TABLE taxshare.objection (
  id           bigserial PRIMARY KEY,
  record_id    bigint NOT NULL REFERENCES taxshare.record (id),
  filed_by     text NOT NULL DEFAULT session_user,
  filed_at     timestamptz NOT NULL DEFAULT now(),
  reason       text NOT NULL CHECK (btrim(reason) <> ''),
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  outcome      text CHECK (outcome IN ('explained', 'corrected')),
  note         text,
  resolved_at  timestamptz,
  resolved_by  text,
  CHECK ((status = 'open') = (outcome IS NULL AND resolved_at IS NULL AND resolved_by IS NULL))
);
CREATE INDEX objection_record ON taxshare.objection (record_id);
CREATE INDEX objection_open ON taxshare.objection (filed_at) WHERE status = 'open';
COMMENT ON TABLE taxshare.objection IS
  '数据异议: 使用方对共享记录提出, 提供方解释或更正 / data objections: raised by a user against a shared record, explained or corrected by the provider';
COMMENT ON COLUMN taxshare.objection.outcome IS
  'explained 已解释, corrected 已更正 / how the provider resolved it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.objection', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.objection_id_seq', '');

CREATE FUNCTION taxshare.objection_file(record_id bigint, reason text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  st text;
  new_id bigint;
BEGIN
  SELECT r.status INTO st FROM taxshare.record r WHERE r.id = objection_file.record_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown record %', coalesce(objection_file.record_id::text, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'Give the id of a record in taxshare.current_record.';
  END IF;
  IF st <> 'accepted' THEN
    RAISE EXCEPTION 'record % was rejected at intake and is not shared', objection_file.record_id
      USING ERRCODE = '22023',
            HINT = 'Objections concern shared (accepted) records; rejected rows are listed in taxshare.submission_report.';
  END IF;
  IF objection_file.reason IS NULL OR btrim(objection_file.reason) = '' THEN
    RAISE EXCEPTION 'the reason of an objection must not be empty'
      USING ERRCODE = '22023',
            HINT = 'Say what is wrong with the record.';
  END IF;
  INSERT INTO taxshare.objection (record_id, reason)
  VALUES (objection_file.record_id, btrim(objection_file.reason))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.objection_file(bigint, text) IS
  '对一条共享记录提出异议, 返回异议编号 / file an objection against a shared record; returns the objection id';

CREATE FUNCTION taxshare.objection_resolve(objection_id bigint, outcome text, note text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o record;
BEGIN
  IF objection_resolve.outcome IS NULL OR objection_resolve.outcome NOT IN ('explained', 'corrected') THEN
    RAISE EXCEPTION 'unknown objection outcome "%"', coalesce(objection_resolve.outcome, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'The outcome is "explained" (已解释) or "corrected" (已更正).';
  END IF;
  SELECT * INTO o FROM taxshare.objection x WHERE x.id = objection_resolve.objection_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown objection %', coalesce(objection_resolve.objection_id::text, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'Give the id returned by taxshare.objection_file().';
  END IF;
  IF o.status = 'resolved' THEN
    RAISE EXCEPTION 'objection % was already resolved on %', o.id, o.resolved_at
      USING ERRCODE = '55000',
            DETAIL = format('Outcome: %s.', o.outcome),
            HINT = 'File a new objection if the answer is disputed.';
  END IF;
  UPDATE taxshare.objection x
     SET status = 'resolved', outcome = objection_resolve.outcome, note = objection_resolve.note,
         resolved_at = now(), resolved_by = session_user
   WHERE x.id = o.id;
END
$$;
COMMENT ON FUNCTION taxshare.objection_resolve(bigint, text, text) IS
  '答复异议: explained 解释或 corrected 更正, 附书面说明 / resolve an objection as explained or corrected, with a written note';

CREATE VIEW taxshare.objection_status AS
  SELECT o.id AS objection_id, o.record_id, s.item_code, s.unit_code AS provider, s.period_start,
         o.filed_by, o.filed_at, o.reason, o.status, o.outcome, o.note, o.resolved_at, o.resolved_by,
         coalesce(o.resolved_at, now()) - o.filed_at AS age
    FROM taxshare.objection o
    JOIN taxshare.record r ON r.id = o.record_id
    JOIN taxshare.submission s ON s.id = r.submission_id;
COMMENT ON VIEW taxshare.objection_status IS
  '异议办理情况, 含提供单位与办理时长 / objections with the providing unit and how long they took or have been open';
-- Typed views per catalog item for BI tools: one column per field, typed, with
-- the field title as the column comment, over the current accepted records.
-- They run with the caller's rights (security_invoker, PostgreSQL 15+), so the
-- row-level security of record and submission applies to whoever reads them,
-- and are granted to the roles that may read current_record (the office,
-- analysts, the tax bureau).  PostgreSQL 13-14 have no security_invoker: there
-- a view reads as its owner and would bypass every policy, so the view is
-- created ungranted and the DBA grants it only to roles that may read every
-- record of the item (docs/security.md).

CREATE TABLE taxshare.catalog_view (
  item_code     text PRIMARY KEY,
  view_name     text NOT NULL UNIQUE,
  item_version  integer NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.catalog_view IS
  '为目录条目生成的类型化视图 / typed views generated for catalog items';
SELECT pg_catalog.pg_extension_config_dump('taxshare.catalog_view', '');

-- The SQL type of a catalog field type in the typed views.
CREATE FUNCTION taxshare.catalog_sql_type(type text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE type
           WHEN 'number' THEN 'numeric'
           WHEN 'integer' THEN 'bigint'
           WHEN 'amount' THEN 'numeric(18,2)'
           WHEN 'boolean' THEN 'boolean'
           WHEN 'date' THEN 'date'
           WHEN 'datetime' THEN 'timestamp without time zone'
           WHEN 'year' THEN 'integer'
           ELSE 'text' END
$$;
COMMENT ON FUNCTION taxshare.catalog_sql_type(text) IS
  '目录字段类型对应的 SQL 类型 / SQL type of a catalog field type in typed views';

CREATE FUNCTION taxshare.catalog_view_create(item text)
RETURNS regclass
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  it record;
  f record;
  vname text;
  owner text;
  cols text := '';
  excluded integer[];
  invoker boolean;
BEGIN
  SELECT * INTO it FROM taxshare.catalog_item_current c WHERE c.code = catalog_view_create.item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', catalog_view_create.item
      USING ERRCODE = '22023',
            HINT = 'Define the item with taxshare.catalog_define() first.';
  END IF;
  vname := 'item_' || lower(regexp_replace(it.code, '[^A-Za-z0-9]+', '_', 'g'));
  SELECT v.item_code INTO owner FROM taxshare.catalog_view v WHERE v.view_name = vname;
  IF FOUND AND owner <> it.code THEN
    RAISE EXCEPTION 'view name "%" of item "%" is already used by item "%"', vname, it.code, owner
      USING ERRCODE = '42P07',
            HINT = 'Item codes that differ only in punctuation or case share a view name; drop the other view first.';
  END IF;

  FOR f IN SELECT cf.name, cf.title, cf.type FROM taxshare.catalog_field cf
            WHERE cf.item_code = it.code AND cf.item_version = it.version ORDER BY cf.position LOOP
    IF f.name IN ('_record_id', '_submission_id', '_unit_code', '_period_start') THEN
      RAISE EXCEPTION 'field "%" of item "%" clashes with a column of the typed view', f.name, it.code
        USING ERRCODE = '42701',
              HINT = 'Rename the field; the typed view has the columns _record_id, _submission_id, _unit_code and _period_start.';
    END IF;
    cols := cols || format(', (r.payload ->> %L)::%s AS %I', f.name, taxshare.catalog_sql_type(f.type), f.name);
  END LOOP;

  -- Records checked against a version that gave a field another type would not
  -- cast; they stay out of the view.
  SELECT coalesce(array_agg(DISTINCT old.item_version), '{}') INTO excluded
    FROM taxshare.catalog_field old
    JOIN taxshare.catalog_field cur
      ON cur.item_code = old.item_code AND cur.item_version = it.version AND cur.name = old.name
   WHERE old.item_code = it.code
     AND taxshare.catalog_sql_type(old.type) <> taxshare.catalog_sql_type(cur.type);

  invoker := pg_catalog.current_setting('server_version_num')::integer >= 150000;
  EXECUTE format('DROP VIEW IF EXISTS taxshare.%I', vname);
  EXECUTE format('CREATE VIEW taxshare.%I%s AS SELECT r.id AS _record_id, r.submission_id AS _submission_id,'
                 ' r.unit_code AS _unit_code, r.period_start AS _period_start%s'
                 ' FROM taxshare.current_record r WHERE r.item_code = %L AND r.item_version <> ALL (%L::integer[])',
                 vname, CASE WHEN invoker THEN ' WITH (security_invoker = true)' ELSE '' END,
                 cols, it.code, excluded);
  IF invoker THEN
    EXECUTE format('GRANT SELECT ON taxshare.%I TO taxshare_admin, taxshare_analyst, taxshare_tax', vname);
  END IF;
  EXECUTE format('COMMENT ON VIEW taxshare.%I IS %L', vname,
                 format('%s (%s) / typed view of catalog item %s', it.title, it.code, it.code));
  FOR f IN SELECT cf.name, cf.title FROM taxshare.catalog_field cf
            WHERE cf.item_code = it.code AND cf.item_version = it.version LOOP
    EXECUTE format('COMMENT ON COLUMN taxshare.%I.%I IS %L', vname, f.name, f.title);
  END LOOP;
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._record_id IS %L', vname, '记录编号 / record id');
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._submission_id IS %L', vname, '报送批次号 / submission id');
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._unit_code IS %L', vname, '报送单位 / reporting unit');
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._period_start IS %L', vname, '报送期起始日 / period start');

  INSERT INTO taxshare.catalog_view (item_code, view_name, item_version)
  VALUES (it.code, vname, it.version)
  ON CONFLICT (item_code) DO UPDATE SET view_name = EXCLUDED.view_name,
                                        item_version = EXCLUDED.item_version, created_at = now();
  RETURN format('taxshare.%I', vname)::regclass;
END
$$;
COMMENT ON FUNCTION taxshare.catalog_view_create(text) IS
  '为目录条目生成类型化视图 (列名为字段名, 列注释为字段标题), 供 BI 工具使用; 修订条目后重新调用; 视图以读取者的权限执行 (security_invoker), 行级安全照常生效 / create the typed view of a catalog item for BI tools (columns named by field, commented with the title); call again after revising the item; the view runs with the reader''s rights (security_invoker), so row-level security applies';
-- calendar: the statutory working-day calendar and reporting due dates
-- (DOMAIN.md "Reporting deadlines"; seeds/000 art. 8, seeds/002 art. 9).
-- C: src/calendar.c (pure core), src/calendar_fmgr.c (SQL glue, cache, GUCs).
-- Data: 51_holiday_data.sql.  Guide: docs/calendar.md.

CREATE TABLE taxshare.holiday (
  day   date PRIMARY KEY,
  kind  text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name  text NOT NULL CHECK (name <> ''),
  CONSTRAINT holiday_day_range
    CHECK (day >= DATE '1950-01-01' AND day < DATE '2200-01-01'),
  CONSTRAINT holiday_workday_is_weekend
    CHECK (kind <> 'workday' OR extract(isodow FROM day) IN (6, 7))
);
COMMENT ON TABLE taxshare.holiday IS
  '法定节假日与调休上班日 (国务院办公厅每年的部分节假日安排通知); 未列出的日子周一至周五上班、周六周日休息 / '
  'statutory holidays and make-up working days from the State Council General Office''s yearly notices; '
  'days not listed are working days Monday to Friday and days off at weekends';
COMMENT ON COLUMN taxshare.holiday.day IS '日期 / the day';
COMMENT ON COLUMN taxshare.holiday.kind IS
  'holiday: 放假日 (含假期内的周六周日); workday: 调休上班的周六或周日 / '
  'holiday: a day off, including the weekend days inside a holiday period; workday: a Saturday or Sunday made a working day';
COMMENT ON COLUMN taxshare.holiday.name IS
  '节日名称, 按通知原文 (如 春节, 国庆节、中秋节) / name of the holiday as the notice writes it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.holiday', '');

-- Inserting a day that is already there replaces its kind and name.  This is
-- what makes the table dumpable with all its rows: pg_dump writes every row
-- (shipped or added), and on restore CREATE EXTENSION has already inserted the
-- shipped ones, so the restored copies must replace them rather than fail on
-- the primary key.  It also lets a corrected or supplementary notice simply be
-- inserted again.
CREATE FUNCTION taxshare.holiday_replace_day() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  UPDATE taxshare.holiday SET kind = NEW.kind, name = NEW.name WHERE day = NEW.day;
  IF FOUND THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.holiday_replace_day() IS
  '触发器: 插入已有日期时改为更新该行 (pg_dump 恢复与补充通知不会主键冲突) / '
  'trigger: inserting a day that already exists updates that row instead (so a pg_dump restore or a supplementary notice never fails on the primary key)';
CREATE TRIGGER holiday_replace_day BEFORE INSERT ON taxshare.holiday
  FOR EACH ROW EXECUTE FUNCTION taxshare.holiday_replace_day();
COMMENT ON TRIGGER holiday_replace_day ON taxshare.holiday IS
  '插入已有日期即替换 / inserting an existing day replaces it';

CREATE FUNCTION taxshare.holiday_changed() RETURNS trigger
  AS 'MODULE_PATHNAME', 'taxshare_holiday_changed'
  LANGUAGE C;
COMMENT ON FUNCTION taxshare.holiday_changed() IS
  '触发器: holiday 变更后使各会话缓存的工作日历失效 / '
  'trigger: after any change to holiday, every session''s cached working-day calendar is dropped';
CREATE TRIGGER holiday_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON taxshare.holiday
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare.holiday_changed();
COMMENT ON TRIGGER holiday_changed ON taxshare.holiday IS
  '通知所有会话重建工作日历缓存 / tells every session to rebuild its cached calendar';

-- The arithmetic.  STABLE: they read holiday (through the cache) and the GUCs.
CREATE FUNCTION taxshare.is_working_day(day date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_is_working_day'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.is_working_day(date) IS
  '是否工作日 (法定节假日休息, 调休的周末上班) / is this day a working day (statutory holidays off, make-up weekend days on)?';

CREATE FUNCTION taxshare.add_working_days(day date, n integer) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_add_working_days'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.add_working_days(date, integer) IS
  '该日之后第 n 个工作日 (n 为负则之前第 |n| 个; n = 0 时为当日或其后第一个工作日) / '
  'the n-th working day after the day (before it for negative n; for n = 0 the day itself if it is a working day, else the next working day)';

CREATE FUNCTION taxshare.working_days_between(a date, b date) RETURNS integer
  AS 'MODULE_PATHNAME', 'taxshare_working_days_between'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.working_days_between(date, date) IS
  '满足 a < d <= b 的工作日 d 的个数; b < a 时为负 / '
  'number of working days d with a < d <= b; when b < a, minus the number with b < d <= a';

CREATE FUNCTION taxshare.next_working_day(day date) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_next_working_day'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.next_working_day(date) IS
  '该日之后 (不含当日) 的第一个工作日 / the first working day strictly after the day';

-- Periods and due dates.
CREATE FUNCTION taxshare.period_end(frequency text, period_start date) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_period_end'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.period_end(text, date) IS
  '报送周期的最后一天 (周期须从周一、月初、季初、半年初或年初开始) / '
  'last day of the reporting period that starts at period_start (a Monday, the 1st of a month, quarter, half-year or year)';

CREATE FUNCTION taxshare.due_date(frequency text, period_start date) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_due_date'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.due_date(text, date) IS
  '按当前时限方案 (taxshare.deadline_profile, 默认衡阳) 计算报送截止日, 遇休息日顺延 / '
  'reporting due date of the period under the active profile (taxshare.deadline_profile, Hengyang by default), moved to the next working day if it falls on a day off';

CREATE FUNCTION taxshare.due_date(frequency text, period_start date, profile text) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_due_date_profile'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.due_date(text, date, text) IS
  '按指定时限方案 (hengyang 衡阳 | zhengzhou 郑州) 计算报送截止日 / '
  'reporting due date of the period under the named profile (hengyang | zhengzhou)';

CREATE FUNCTION taxshare.due_date_rule(period_end date, offset_days integer, unit text)
  RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_due_date_rule'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.due_date_rule(date, integer, text) IS
  '目录条目自定时限: 周期末之后 offset_days 个自然日 (calendar, 遇休息日顺延) 或工作日 (working) / '
  'a catalog item''s own deadline: offset_days calendar days (calendar, then moved to a working day) or working days (working) after the period end';

-- Administration.
CREATE FUNCTION taxshare.holiday_add_year(year integer, days jsonb) RETURNS integer
  LANGUAGE plpgsql
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  item        jsonb;
  period_name text;
  first_day   date;
  last_day    date;
  work        jsonb;
  d           date;
  off_days    date[] := '{}';
  work_days   date[] := '{}';
  written     integer := 0;
  lo          date;
  hi          date;
BEGIN
  IF year IS NULL OR year < 1950 OR year > 2199 THEN
    RAISE EXCEPTION 'holiday year % is out of range', year
      USING ERRCODE = '22023', HINT = 'Pass the year of the notice, between 1950 and 2199.';
  END IF;
  lo := make_date(year - 1, 12, 1);
  hi := make_date(year, 12, 31);
  IF jsonb_typeof(days) IS DISTINCT FROM 'array' OR jsonb_array_length(days) = 0 THEN
    RAISE EXCEPTION 'holiday periods must be a non-empty JSON array, not %', days
      USING ERRCODE = '22023',
            HINT = 'Pass one object per holiday of the notice: [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03", "workdays": ["2027-01-04"]}, ...].';
  END IF;

  FOR item IN SELECT value FROM jsonb_array_elements(days) LOOP
    IF jsonb_typeof(item) IS DISTINCT FROM 'object'
       OR jsonb_typeof(item -> 'name') IS DISTINCT FROM 'string' OR item ->> 'name' = ''
       OR jsonb_typeof(item -> 'from') IS DISTINCT FROM 'string'
       OR (item ? 'to' AND jsonb_typeof(item -> 'to') IS DISTINCT FROM 'string')
       OR (item ? 'workdays' AND jsonb_typeof(item -> 'workdays') IS DISTINCT FROM 'array')
       OR EXISTS (SELECT FROM jsonb_object_keys(item) k WHERE k NOT IN ('name', 'from', 'to', 'workdays')) THEN
      RAISE EXCEPTION 'holiday period % is not of the expected form', item
        USING ERRCODE = '22023',
              HINT = 'Each period is {"name": text, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" (optional, default "from"), "workdays": ["YYYY-MM-DD", ...] (optional)}.';
    END IF;
    period_name := item ->> 'name';
    first_day := (item ->> 'from')::date;
    last_day := coalesce((item ->> 'to')::date, first_day);
    IF last_day < first_day OR last_day - first_day > 14 THEN
      RAISE EXCEPTION 'holiday period "%" from % to % is not a holiday period', period_name, first_day, last_day
        USING ERRCODE = '22023', HINT = '"to" must be on or after "from", and a period is at most 15 days.';
    END IF;
    IF first_day < lo OR last_day > hi THEN
      RAISE EXCEPTION 'holiday period "%" from % to % is outside the notice for %', period_name, first_day, last_day, year
        USING ERRCODE = '22023', HINT = format('The notice for %s covers days from %s to %s.', year, lo, hi);
    END IF;
    FOR d IN SELECT g::date FROM generate_series(first_day, last_day, interval '1 day') g LOOP
      IF d = ANY (off_days) THEN
        RAISE EXCEPTION 'day % is listed twice', d USING ERRCODE = '22023', HINT = 'List each day off in one period only.';
      END IF;
      off_days := off_days || d;
      INSERT INTO taxshare.holiday (day, kind, name) VALUES (d, 'holiday', period_name);
      written := written + 1;
    END LOOP;
    FOR work IN SELECT value FROM jsonb_array_elements(coalesce(item -> 'workdays', '[]')) LOOP
      IF jsonb_typeof(work) IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'make-up working day % of "%" is not a date string', work, period_name
          USING ERRCODE = '22023', HINT = 'Write each make-up working day as "YYYY-MM-DD".';
      END IF;
      d := (work #>> '{}')::date;
      IF extract(isodow FROM d) < 6 THEN
        RAISE EXCEPTION 'make-up working day % of "%" is not a Saturday or Sunday', d, period_name
          USING ERRCODE = '22023', HINT = 'Only weekend days are made working days (调休上班); check the date against the notice.';
      END IF;
      IF d < lo OR d > hi THEN
        RAISE EXCEPTION 'make-up working day % of "%" is outside the notice for %', d, period_name, year
          USING ERRCODE = '22023', HINT = format('The notice for %s covers days from %s to %s.', year, lo, hi);
      END IF;
      IF d = ANY (off_days) OR d = ANY (work_days) THEN
        RAISE EXCEPTION 'day % is listed twice', d USING ERRCODE = '22023', HINT = 'A day is either off or a make-up working day, once.';
      END IF;
      work_days := work_days || d;
      INSERT INTO taxshare.holiday (day, kind, name) VALUES (d, 'workday', period_name);
      written := written + 1;
    END LOOP;
  END LOOP;
  IF EXISTS (SELECT FROM unnest(work_days) w WHERE w = ANY (off_days)) THEN
    RAISE EXCEPTION 'a day is both off and a make-up working day'
      USING ERRCODE = '22023', HINT = 'Check the notice: each day is one or the other.';
  END IF;
  RETURN written;
END
$$;
COMMENT ON FUNCTION taxshare.holiday_add_year(integer, jsonb) IS
  '录入某年的国务院办公厅节假日安排通知 (每个节日: name, from, to, workdays); 已有的日期被替换; 返回写入行数 / '
  'records a year''s State Council General Office holiday notice (per holiday: name, from, to, workdays); days already present are replaced; returns the number of rows written';

CREATE VIEW taxshare.holiday_year AS
SELECT extract(year FROM day)::integer AS year,
       count(*) FILTER (WHERE kind = 'holiday') AS days_off,
       count(*) FILTER (WHERE kind = 'workday') AS make_up_workdays,
       taxshare.working_days_between(make_date(extract(year FROM day)::integer - 1, 12, 31),
                                     make_date(extract(year FROM day)::integer, 12, 31)) AS working_days
  FROM taxshare.holiday
 GROUP BY extract(year FROM day)::integer;
COMMENT ON VIEW taxshare.holiday_year IS
  '已录入节假日数据的年份: 放假天数、调休上班天数、全年工作日数 / '
  'years with holiday data: days off, make-up working days, working days in the year';
-- calendar data: the State Council General Office's yearly holiday notices
-- (国务院办公厅关于XXXX年部分节假日安排的通知), 2018 to 2026, one INSERT per notice.
--
-- Every day off of each holiday period is listed as 'holiday', including the
-- Saturdays and Sundays inside the period (the notice counts them in "共N天"),
-- and every Saturday or Sunday made a working day (调休上班) as 'workday'; the
-- name is the holiday's as the notice writes it.  A period that begins in
-- December of the year before is listed with the notice that declares it
-- (2018-12-29..31 with 2019).  The 2018 notice's New Year period also covers
-- 2017-12-30/31, both weekend days: they are left out, because a row in 2017
-- would make 2017 count as a year with data (see docs/calendar.md).
-- Supplementary notices that changed a year are applied (2019 Labour Day,
-- 2020 Spring Festival) and named in the comment of that year.
-- The comment after each row is the weekday (周一 .. 周日).
-- Checked against the notices day by day for 2024 in test/pgtap/calendar.sql.


-- 2018: 国务院办公厅关于2018年部分节假日安排的通知（国办发明电〔2017〕12号，2017年11月30日）
--   元旦：1月1日放假，与周末连休（2017年12月30日、31日属2017年，不收录）。
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2018-01-01', 'holiday', '元旦'),             -- 周一
  ('2018-02-11', 'workday', '春节'),             -- 周日
  ('2018-02-15', 'holiday', '春节'),             -- 周四
  ('2018-02-16', 'holiday', '春节'),             -- 周五
  ('2018-02-17', 'holiday', '春节'),             -- 周六
  ('2018-02-18', 'holiday', '春节'),             -- 周日
  ('2018-02-19', 'holiday', '春节'),             -- 周一
  ('2018-02-20', 'holiday', '春节'),             -- 周二
  ('2018-02-21', 'holiday', '春节'),             -- 周三
  ('2018-02-24', 'workday', '春节'),             -- 周六
  ('2018-04-05', 'holiday', '清明节'),            -- 周四
  ('2018-04-06', 'holiday', '清明节'),            -- 周五
  ('2018-04-07', 'holiday', '清明节'),            -- 周六
  ('2018-04-08', 'workday', '清明节'),            -- 周日
  ('2018-04-28', 'workday', '劳动节'),            -- 周六
  ('2018-04-29', 'holiday', '劳动节'),            -- 周日
  ('2018-04-30', 'holiday', '劳动节'),            -- 周一
  ('2018-05-01', 'holiday', '劳动节'),            -- 周二
  ('2018-06-16', 'holiday', '端午节'),            -- 周六
  ('2018-06-17', 'holiday', '端午节'),            -- 周日
  ('2018-06-18', 'holiday', '端午节'),            -- 周一
  ('2018-09-22', 'holiday', '中秋节'),            -- 周六
  ('2018-09-23', 'holiday', '中秋节'),            -- 周日
  ('2018-09-24', 'holiday', '中秋节'),            -- 周一
  ('2018-09-29', 'workday', '国庆节'),            -- 周六
  ('2018-09-30', 'workday', '国庆节'),            -- 周日
  ('2018-10-01', 'holiday', '国庆节'),            -- 周一
  ('2018-10-02', 'holiday', '国庆节'),            -- 周二
  ('2018-10-03', 'holiday', '国庆节'),            -- 周三
  ('2018-10-04', 'holiday', '国庆节'),            -- 周四
  ('2018-10-05', 'holiday', '国庆节'),            -- 周五
  ('2018-10-06', 'holiday', '国庆节'),            -- 周六
  ('2018-10-07', 'holiday', '国庆节');            -- 周日

-- 2019: 国务院办公厅关于2019年部分节假日安排的通知（国办发明电〔2018〕15号，2018年12月4日）
--   劳动节按国务院办公厅关于调整2019年劳动节假期安排的通知（2019年3月22日）：5月1日至4日放假调休，共4天，4月28日（星期日）、5月5日（星期日）上班；原通知为5月1日放假1天。
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2018-12-29', 'workday', '元旦'),             -- 周六
  ('2018-12-30', 'holiday', '元旦'),             -- 周日
  ('2018-12-31', 'holiday', '元旦'),             -- 周一
  ('2019-01-01', 'holiday', '元旦'),             -- 周二
  ('2019-02-02', 'workday', '春节'),             -- 周六
  ('2019-02-03', 'workday', '春节'),             -- 周日
  ('2019-02-04', 'holiday', '春节'),             -- 周一
  ('2019-02-05', 'holiday', '春节'),             -- 周二
  ('2019-02-06', 'holiday', '春节'),             -- 周三
  ('2019-02-07', 'holiday', '春节'),             -- 周四
  ('2019-02-08', 'holiday', '春节'),             -- 周五
  ('2019-02-09', 'holiday', '春节'),             -- 周六
  ('2019-02-10', 'holiday', '春节'),             -- 周日
  ('2019-04-05', 'holiday', '清明节'),            -- 周五
  ('2019-04-06', 'holiday', '清明节'),            -- 周六
  ('2019-04-07', 'holiday', '清明节'),            -- 周日
  ('2019-04-28', 'workday', '劳动节'),            -- 周日
  ('2019-05-01', 'holiday', '劳动节'),            -- 周三
  ('2019-05-02', 'holiday', '劳动节'),            -- 周四
  ('2019-05-03', 'holiday', '劳动节'),            -- 周五
  ('2019-05-04', 'holiday', '劳动节'),            -- 周六
  ('2019-05-05', 'workday', '劳动节'),            -- 周日
  ('2019-06-07', 'holiday', '端午节'),            -- 周五
  ('2019-06-08', 'holiday', '端午节'),            -- 周六
  ('2019-06-09', 'holiday', '端午节'),            -- 周日
  ('2019-09-13', 'holiday', '中秋节'),            -- 周五
  ('2019-09-14', 'holiday', '中秋节'),            -- 周六
  ('2019-09-15', 'holiday', '中秋节'),            -- 周日
  ('2019-09-29', 'workday', '国庆节'),            -- 周日
  ('2019-10-01', 'holiday', '国庆节'),            -- 周二
  ('2019-10-02', 'holiday', '国庆节'),            -- 周三
  ('2019-10-03', 'holiday', '国庆节'),            -- 周四
  ('2019-10-04', 'holiday', '国庆节'),            -- 周五
  ('2019-10-05', 'holiday', '国庆节'),            -- 周六
  ('2019-10-06', 'holiday', '国庆节'),            -- 周日
  ('2019-10-07', 'holiday', '国庆节'),            -- 周一
  ('2019-10-12', 'workday', '国庆节');            -- 周六

-- 2020: 国务院办公厅关于2020年部分节假日安排的通知（国办发明电〔2019〕16号，2019年11月21日）
--   春节按国务院办公厅关于延长2020年春节假期的通知（国办发明电〔2020〕1号，2020年1月26日）：假期延长至2月2日（星期日），2月3日起正常上班；原定2月1日（星期六）上班因此取消，1月19日（星期日）仍上班。
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2020-01-01', 'holiday', '元旦'),             -- 周三
  ('2020-01-19', 'workday', '春节'),             -- 周日
  ('2020-01-24', 'holiday', '春节'),             -- 周五
  ('2020-01-25', 'holiday', '春节'),             -- 周六
  ('2020-01-26', 'holiday', '春节'),             -- 周日
  ('2020-01-27', 'holiday', '春节'),             -- 周一
  ('2020-01-28', 'holiday', '春节'),             -- 周二
  ('2020-01-29', 'holiday', '春节'),             -- 周三
  ('2020-01-30', 'holiday', '春节'),             -- 周四
  ('2020-01-31', 'holiday', '春节'),             -- 周五
  ('2020-02-01', 'holiday', '春节'),             -- 周六
  ('2020-02-02', 'holiday', '春节'),             -- 周日
  ('2020-04-04', 'holiday', '清明节'),            -- 周六
  ('2020-04-05', 'holiday', '清明节'),            -- 周日
  ('2020-04-06', 'holiday', '清明节'),            -- 周一
  ('2020-04-26', 'workday', '劳动节'),            -- 周日
  ('2020-05-01', 'holiday', '劳动节'),            -- 周五
  ('2020-05-02', 'holiday', '劳动节'),            -- 周六
  ('2020-05-03', 'holiday', '劳动节'),            -- 周日
  ('2020-05-04', 'holiday', '劳动节'),            -- 周一
  ('2020-05-05', 'holiday', '劳动节'),            -- 周二
  ('2020-05-09', 'workday', '劳动节'),            -- 周六
  ('2020-06-25', 'holiday', '端午节'),            -- 周四
  ('2020-06-26', 'holiday', '端午节'),            -- 周五
  ('2020-06-27', 'holiday', '端午节'),            -- 周六
  ('2020-06-28', 'workday', '端午节'),            -- 周日
  ('2020-09-27', 'workday', '国庆节、中秋节'),        -- 周日
  ('2020-10-01', 'holiday', '国庆节、中秋节'),        -- 周四
  ('2020-10-02', 'holiday', '国庆节、中秋节'),        -- 周五
  ('2020-10-03', 'holiday', '国庆节、中秋节'),        -- 周六
  ('2020-10-04', 'holiday', '国庆节、中秋节'),        -- 周日
  ('2020-10-05', 'holiday', '国庆节、中秋节'),        -- 周一
  ('2020-10-06', 'holiday', '国庆节、中秋节'),        -- 周二
  ('2020-10-07', 'holiday', '国庆节、中秋节'),        -- 周三
  ('2020-10-08', 'holiday', '国庆节、中秋节'),        -- 周四
  ('2020-10-10', 'workday', '国庆节、中秋节');        -- 周六

-- 2021: 国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号，2020年11月25日）
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2021-01-01', 'holiday', '元旦'),             -- 周五
  ('2021-01-02', 'holiday', '元旦'),             -- 周六
  ('2021-01-03', 'holiday', '元旦'),             -- 周日
  ('2021-02-07', 'workday', '春节'),             -- 周日
  ('2021-02-11', 'holiday', '春节'),             -- 周四
  ('2021-02-12', 'holiday', '春节'),             -- 周五
  ('2021-02-13', 'holiday', '春节'),             -- 周六
  ('2021-02-14', 'holiday', '春节'),             -- 周日
  ('2021-02-15', 'holiday', '春节'),             -- 周一
  ('2021-02-16', 'holiday', '春节'),             -- 周二
  ('2021-02-17', 'holiday', '春节'),             -- 周三
  ('2021-02-20', 'workday', '春节'),             -- 周六
  ('2021-04-03', 'holiday', '清明节'),            -- 周六
  ('2021-04-04', 'holiday', '清明节'),            -- 周日
  ('2021-04-05', 'holiday', '清明节'),            -- 周一
  ('2021-04-25', 'workday', '劳动节'),            -- 周日
  ('2021-05-01', 'holiday', '劳动节'),            -- 周六
  ('2021-05-02', 'holiday', '劳动节'),            -- 周日
  ('2021-05-03', 'holiday', '劳动节'),            -- 周一
  ('2021-05-04', 'holiday', '劳动节'),            -- 周二
  ('2021-05-05', 'holiday', '劳动节'),            -- 周三
  ('2021-05-08', 'workday', '劳动节'),            -- 周六
  ('2021-06-12', 'holiday', '端午节'),            -- 周六
  ('2021-06-13', 'holiday', '端午节'),            -- 周日
  ('2021-06-14', 'holiday', '端午节'),            -- 周一
  ('2021-09-18', 'workday', '中秋节'),            -- 周六
  ('2021-09-19', 'holiday', '中秋节'),            -- 周日
  ('2021-09-20', 'holiday', '中秋节'),            -- 周一
  ('2021-09-21', 'holiday', '中秋节'),            -- 周二
  ('2021-09-26', 'workday', '国庆节'),            -- 周日
  ('2021-10-01', 'holiday', '国庆节'),            -- 周五
  ('2021-10-02', 'holiday', '国庆节'),            -- 周六
  ('2021-10-03', 'holiday', '国庆节'),            -- 周日
  ('2021-10-04', 'holiday', '国庆节'),            -- 周一
  ('2021-10-05', 'holiday', '国庆节'),            -- 周二
  ('2021-10-06', 'holiday', '国庆节'),            -- 周三
  ('2021-10-07', 'holiday', '国庆节'),            -- 周四
  ('2021-10-09', 'workday', '国庆节');            -- 周六

-- 2022: 国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号，2021年10月25日）
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2022-01-01', 'holiday', '元旦'),             -- 周六
  ('2022-01-02', 'holiday', '元旦'),             -- 周日
  ('2022-01-03', 'holiday', '元旦'),             -- 周一
  ('2022-01-29', 'workday', '春节'),             -- 周六
  ('2022-01-30', 'workday', '春节'),             -- 周日
  ('2022-01-31', 'holiday', '春节'),             -- 周一
  ('2022-02-01', 'holiday', '春节'),             -- 周二
  ('2022-02-02', 'holiday', '春节'),             -- 周三
  ('2022-02-03', 'holiday', '春节'),             -- 周四
  ('2022-02-04', 'holiday', '春节'),             -- 周五
  ('2022-02-05', 'holiday', '春节'),             -- 周六
  ('2022-02-06', 'holiday', '春节'),             -- 周日
  ('2022-04-02', 'workday', '清明节'),            -- 周六
  ('2022-04-03', 'holiday', '清明节'),            -- 周日
  ('2022-04-04', 'holiday', '清明节'),            -- 周一
  ('2022-04-05', 'holiday', '清明节'),            -- 周二
  ('2022-04-24', 'workday', '劳动节'),            -- 周日
  ('2022-04-30', 'holiday', '劳动节'),            -- 周六
  ('2022-05-01', 'holiday', '劳动节'),            -- 周日
  ('2022-05-02', 'holiday', '劳动节'),            -- 周一
  ('2022-05-03', 'holiday', '劳动节'),            -- 周二
  ('2022-05-04', 'holiday', '劳动节'),            -- 周三
  ('2022-05-07', 'workday', '劳动节'),            -- 周六
  ('2022-06-03', 'holiday', '端午节'),            -- 周五
  ('2022-06-04', 'holiday', '端午节'),            -- 周六
  ('2022-06-05', 'holiday', '端午节'),            -- 周日
  ('2022-09-10', 'holiday', '中秋节'),            -- 周六
  ('2022-09-11', 'holiday', '中秋节'),            -- 周日
  ('2022-09-12', 'holiday', '中秋节'),            -- 周一
  ('2022-10-01', 'holiday', '国庆节'),            -- 周六
  ('2022-10-02', 'holiday', '国庆节'),            -- 周日
  ('2022-10-03', 'holiday', '国庆节'),            -- 周一
  ('2022-10-04', 'holiday', '国庆节'),            -- 周二
  ('2022-10-05', 'holiday', '国庆节'),            -- 周三
  ('2022-10-06', 'holiday', '国庆节'),            -- 周四
  ('2022-10-07', 'holiday', '国庆节'),            -- 周五
  ('2022-10-08', 'workday', '国庆节'),            -- 周六
  ('2022-10-09', 'workday', '国庆节');            -- 周日

-- 2023: 国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号，2022年12月8日）
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2022-12-31', 'holiday', '元旦'),             -- 周六
  ('2023-01-01', 'holiday', '元旦'),             -- 周日
  ('2023-01-02', 'holiday', '元旦'),             -- 周一
  ('2023-01-21', 'holiday', '春节'),             -- 周六
  ('2023-01-22', 'holiday', '春节'),             -- 周日
  ('2023-01-23', 'holiday', '春节'),             -- 周一
  ('2023-01-24', 'holiday', '春节'),             -- 周二
  ('2023-01-25', 'holiday', '春节'),             -- 周三
  ('2023-01-26', 'holiday', '春节'),             -- 周四
  ('2023-01-27', 'holiday', '春节'),             -- 周五
  ('2023-01-28', 'workday', '春节'),             -- 周六
  ('2023-01-29', 'workday', '春节'),             -- 周日
  ('2023-04-05', 'holiday', '清明节'),            -- 周三
  ('2023-04-23', 'workday', '劳动节'),            -- 周日
  ('2023-04-29', 'holiday', '劳动节'),            -- 周六
  ('2023-04-30', 'holiday', '劳动节'),            -- 周日
  ('2023-05-01', 'holiday', '劳动节'),            -- 周一
  ('2023-05-02', 'holiday', '劳动节'),            -- 周二
  ('2023-05-03', 'holiday', '劳动节'),            -- 周三
  ('2023-05-06', 'workday', '劳动节'),            -- 周六
  ('2023-06-22', 'holiday', '端午节'),            -- 周四
  ('2023-06-23', 'holiday', '端午节'),            -- 周五
  ('2023-06-24', 'holiday', '端午节'),            -- 周六
  ('2023-06-25', 'workday', '端午节'),            -- 周日
  ('2023-09-29', 'holiday', '中秋节、国庆节'),        -- 周五
  ('2023-09-30', 'holiday', '中秋节、国庆节'),        -- 周六
  ('2023-10-01', 'holiday', '中秋节、国庆节'),        -- 周日
  ('2023-10-02', 'holiday', '中秋节、国庆节'),        -- 周一
  ('2023-10-03', 'holiday', '中秋节、国庆节'),        -- 周二
  ('2023-10-04', 'holiday', '中秋节、国庆节'),        -- 周三
  ('2023-10-05', 'holiday', '中秋节、国庆节'),        -- 周四
  ('2023-10-06', 'holiday', '中秋节、国庆节'),        -- 周五
  ('2023-10-07', 'workday', '中秋节、国庆节'),        -- 周六
  ('2023-10-08', 'workday', '中秋节、国庆节');        -- 周日

-- 2024: 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）
--   除夕（2月9日）通知仅鼓励安排休息，不是放假日，仍为工作日。
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2023-12-30', 'holiday', '元旦'),             -- 周六
  ('2023-12-31', 'holiday', '元旦'),             -- 周日
  ('2024-01-01', 'holiday', '元旦'),             -- 周一
  ('2024-02-04', 'workday', '春节'),             -- 周日
  ('2024-02-10', 'holiday', '春节'),             -- 周六
  ('2024-02-11', 'holiday', '春节'),             -- 周日
  ('2024-02-12', 'holiday', '春节'),             -- 周一
  ('2024-02-13', 'holiday', '春节'),             -- 周二
  ('2024-02-14', 'holiday', '春节'),             -- 周三
  ('2024-02-15', 'holiday', '春节'),             -- 周四
  ('2024-02-16', 'holiday', '春节'),             -- 周五
  ('2024-02-17', 'holiday', '春节'),             -- 周六
  ('2024-02-18', 'workday', '春节'),             -- 周日
  ('2024-04-04', 'holiday', '清明节'),            -- 周四
  ('2024-04-05', 'holiday', '清明节'),            -- 周五
  ('2024-04-06', 'holiday', '清明节'),            -- 周六
  ('2024-04-07', 'workday', '清明节'),            -- 周日
  ('2024-04-28', 'workday', '劳动节'),            -- 周日
  ('2024-05-01', 'holiday', '劳动节'),            -- 周三
  ('2024-05-02', 'holiday', '劳动节'),            -- 周四
  ('2024-05-03', 'holiday', '劳动节'),            -- 周五
  ('2024-05-04', 'holiday', '劳动节'),            -- 周六
  ('2024-05-05', 'holiday', '劳动节'),            -- 周日
  ('2024-05-11', 'workday', '劳动节'),            -- 周六
  ('2024-06-08', 'holiday', '端午节'),            -- 周六
  ('2024-06-09', 'holiday', '端午节'),            -- 周日
  ('2024-06-10', 'holiday', '端午节'),            -- 周一
  ('2024-09-14', 'workday', '中秋节'),            -- 周六
  ('2024-09-15', 'holiday', '中秋节'),            -- 周日
  ('2024-09-16', 'holiday', '中秋节'),            -- 周一
  ('2024-09-17', 'holiday', '中秋节'),            -- 周二
  ('2024-09-29', 'workday', '国庆节'),            -- 周日
  ('2024-10-01', 'holiday', '国庆节'),            -- 周二
  ('2024-10-02', 'holiday', '国庆节'),            -- 周三
  ('2024-10-03', 'holiday', '国庆节'),            -- 周四
  ('2024-10-04', 'holiday', '国庆节'),            -- 周五
  ('2024-10-05', 'holiday', '国庆节'),            -- 周六
  ('2024-10-06', 'holiday', '国庆节'),            -- 周日
  ('2024-10-07', 'holiday', '国庆节'),            -- 周一
  ('2024-10-12', 'workday', '国庆节');            -- 周六

-- 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）
--   依2024年11月修订的《全国年节及纪念日放假办法》（国务院令第798号），自2025年起春节、劳动节各增加1天：春节自除夕起放假调休8天，劳动节5天。
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2025-01-01', 'holiday', '元旦'),             -- 周三
  ('2025-01-26', 'workday', '春节'),             -- 周日
  ('2025-01-28', 'holiday', '春节'),             -- 周二
  ('2025-01-29', 'holiday', '春节'),             -- 周三
  ('2025-01-30', 'holiday', '春节'),             -- 周四
  ('2025-01-31', 'holiday', '春节'),             -- 周五
  ('2025-02-01', 'holiday', '春节'),             -- 周六
  ('2025-02-02', 'holiday', '春节'),             -- 周日
  ('2025-02-03', 'holiday', '春节'),             -- 周一
  ('2025-02-04', 'holiday', '春节'),             -- 周二
  ('2025-02-08', 'workday', '春节'),             -- 周六
  ('2025-04-04', 'holiday', '清明节'),            -- 周五
  ('2025-04-05', 'holiday', '清明节'),            -- 周六
  ('2025-04-06', 'holiday', '清明节'),            -- 周日
  ('2025-04-27', 'workday', '劳动节'),            -- 周日
  ('2025-05-01', 'holiday', '劳动节'),            -- 周四
  ('2025-05-02', 'holiday', '劳动节'),            -- 周五
  ('2025-05-03', 'holiday', '劳动节'),            -- 周六
  ('2025-05-04', 'holiday', '劳动节'),            -- 周日
  ('2025-05-05', 'holiday', '劳动节'),            -- 周一
  ('2025-05-31', 'holiday', '端午节'),            -- 周六
  ('2025-06-01', 'holiday', '端午节'),            -- 周日
  ('2025-06-02', 'holiday', '端午节'),            -- 周一
  ('2025-09-28', 'workday', '国庆节、中秋节'),        -- 周日
  ('2025-10-01', 'holiday', '国庆节、中秋节'),        -- 周三
  ('2025-10-02', 'holiday', '国庆节、中秋节'),        -- 周四
  ('2025-10-03', 'holiday', '国庆节、中秋节'),        -- 周五
  ('2025-10-04', 'holiday', '国庆节、中秋节'),        -- 周六
  ('2025-10-05', 'holiday', '国庆节、中秋节'),        -- 周日
  ('2025-10-06', 'holiday', '国庆节、中秋节'),        -- 周一
  ('2025-10-07', 'holiday', '国庆节、中秋节'),        -- 周二
  ('2025-10-08', 'holiday', '国庆节、中秋节'),        -- 周三
  ('2025-10-11', 'workday', '国庆节、中秋节');        -- 周六

-- 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日；文号未能核实，此处不列）
INSERT INTO taxshare.holiday (day, kind, name) VALUES
  ('2026-01-01', 'holiday', '元旦'),             -- 周四
  ('2026-01-02', 'holiday', '元旦'),             -- 周五
  ('2026-01-03', 'holiday', '元旦'),             -- 周六
  ('2026-01-04', 'workday', '元旦'),             -- 周日
  ('2026-02-14', 'workday', '春节'),             -- 周六
  ('2026-02-15', 'holiday', '春节'),             -- 周日
  ('2026-02-16', 'holiday', '春节'),             -- 周一
  ('2026-02-17', 'holiday', '春节'),             -- 周二
  ('2026-02-18', 'holiday', '春节'),             -- 周三
  ('2026-02-19', 'holiday', '春节'),             -- 周四
  ('2026-02-20', 'holiday', '春节'),             -- 周五
  ('2026-02-21', 'holiday', '春节'),             -- 周六
  ('2026-02-22', 'holiday', '春节'),             -- 周日
  ('2026-02-23', 'holiday', '春节'),             -- 周一
  ('2026-02-28', 'workday', '春节'),             -- 周六
  ('2026-04-04', 'holiday', '清明节'),            -- 周六
  ('2026-04-05', 'holiday', '清明节'),            -- 周日
  ('2026-04-06', 'holiday', '清明节'),            -- 周一
  ('2026-05-01', 'holiday', '劳动节'),            -- 周五
  ('2026-05-02', 'holiday', '劳动节'),            -- 周六
  ('2026-05-03', 'holiday', '劳动节'),            -- 周日
  ('2026-05-04', 'holiday', '劳动节'),            -- 周一
  ('2026-05-05', 'holiday', '劳动节'),            -- 周二
  ('2026-05-09', 'workday', '劳动节'),            -- 周六
  ('2026-06-19', 'holiday', '端午节'),            -- 周五
  ('2026-06-20', 'holiday', '端午节'),            -- 周六
  ('2026-06-21', 'holiday', '端午节'),            -- 周日
  ('2026-09-20', 'workday', '国庆节'),            -- 周日
  ('2026-09-25', 'holiday', '中秋节'),            -- 周五
  ('2026-09-26', 'holiday', '中秋节'),            -- 周六
  ('2026-09-27', 'holiday', '中秋节'),            -- 周日
  ('2026-10-01', 'holiday', '国庆节'),            -- 周四
  ('2026-10-02', 'holiday', '国庆节'),            -- 周五
  ('2026-10-03', 'holiday', '国庆节'),            -- 周六
  ('2026-10-04', 'holiday', '国庆节'),            -- 周日
  ('2026-10-05', 'holiday', '国庆节'),            -- 周一
  ('2026-10-06', 'holiday', '国庆节'),            -- 周二
  ('2026-10-07', 'holiday', '国庆节'),            -- 周三
  ('2026-10-10', 'workday', '国庆节');            -- 周六
-- Obligations: one row per catalog item x providing unit x reporting period,
-- with its due date and its state from the submissions, and the
-- rectification windows of each (DOMAIN.md "Reporting deadlines"; seeds/000
-- art. 8 deadlines, art. 31 (二) the 5-working-day window).  Written only by
-- refresh_obligations() (62_obligation_refresh.sql); rules in
-- docs/deadlines.md, pure C core in src/deadline.c.

-- An item's own deadline, where the catalog item states one (issue: "catalog
-- items may override the profile with their own rule").
CREATE TABLE taxshare.deadline_rule (
  item_code    text PRIMARY KEY CHECK (item_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  profile      text CHECK (profile IN ('hengyang', 'zhengzhou')),
  offset_days  integer CHECK (offset_days >= 0),
  offset_unit  text CHECK (offset_unit IN ('calendar', 'working')),
  note         text,
  CONSTRAINT deadline_rule_one_kind CHECK (
    (profile IS NOT NULL AND offset_days IS NULL AND offset_unit IS NULL)
    OR (profile IS NULL AND offset_days IS NOT NULL AND offset_unit IS NOT NULL))
);
COMMENT ON TABLE taxshare.deadline_rule IS
  '目录条目自定的报送时限: 指定时限方案, 或周期末后若干自然日/工作日; 未列出的条目按 taxshare.deadline_profile / '
  'a catalog item''s own deadline: a named profile, or a number of calendar or working days after the period end; items not listed follow taxshare.deadline_profile';
COMMENT ON COLUMN taxshare.deadline_rule.profile IS
  '时限方案 hengyang 衡阳 | zhengzhou 郑州 / built-in deadline profile for this item';
COMMENT ON COLUMN taxshare.deadline_rule.offset_days IS
  '周期末之后的天数 / days after the last day of the period';
COMMENT ON COLUMN taxshare.deadline_rule.offset_unit IS
  'calendar 自然日 (遇休息日按 taxshare.due_date_roll_forward 顺延) | working 工作日 / calendar days (rolled forward per taxshare.due_date_roll_forward) or working days';
SELECT pg_catalog.pg_extension_config_dump('taxshare.deadline_rule', '');

-- No foreign keys: the rows are generated from catalog_item and unit by
-- refresh_obligations(), and a per-row check would cost as much as the
-- generation itself (bench/obligations.sql).
CREATE TABLE taxshare.obligation (
  item_code                  text NOT NULL,
  unit_code                  text NOT NULL,
  period_start               date NOT NULL,
  period_end                 date NOT NULL,
  frequency                  text NOT NULL,
  item_version               integer NOT NULL,
  due_date                   date,
  due_missing_year           integer,
  status                     text NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'on_time', 'late', 'missing', 'rectified', 'defective')),
  submissions                integer NOT NULL DEFAULT 0,
  last_submission_id         bigint,
  first_submitted_on         date,
  current_submission_id      bigint,
  current_submission_status  text,
  days_late                  integer,
  working_days_late          integer,
  next_change_on             date,
  evaluated_as_of            date,
  -- the rectification windows, one array element per episode (view rectification_window)
  w_reason                   text[] NOT NULL DEFAULT '{}',
  w_opened                   date[] NOT NULL DEFAULT '{}',
  w_closes                   date[] NOT NULL DEFAULT '{}',
  w_state                    text[] NOT NULL DEFAULT '{}',
  w_rectified                date[] NOT NULL DEFAULT '{}',
  w_by                       bigint[] NOT NULL DEFAULT '{}',
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_code, unit_code, period_start),
  CHECK (period_end >= period_start),
  CHECK (due_date IS NOT NULL OR due_missing_year IS NOT NULL)
);
-- What a refresh looks for: rows to evaluate again (next_change_on,
-- evaluated_as_of), not yet due or with an unknown due date.
CREATE INDEX obligation_next_change ON taxshare.obligation (next_change_on)
  WHERE next_change_on IS NOT NULL;
CREATE INDEX obligation_evaluated ON taxshare.obligation (evaluated_as_of);
CREATE INDEX obligation_due ON taxshare.obligation (due_date);
CREATE INDEX obligation_due_unknown ON taxshare.obligation (due_missing_year)
  WHERE due_date IS NULL;
COMMENT ON TABLE taxshare.obligation IS
  '报送义务: 每个目录条目 x 提供单位 x 报送期一行, 含截止日与按报送情况得出的状态 (由 refresh_obligations() 维护) / '
  'reporting obligations: one row per catalog item x providing unit x period, with the due date and the state derived from the submissions (maintained by refresh_obligations())';
COMMENT ON COLUMN taxshare.obligation.item_version IS
  '产生该义务的目录版本 (该期开始时有效的版本) / catalog item version in force that made the period owed';
COMMENT ON COLUMN taxshare.obligation.due_date IS
  '报送截止日 (当日报送为按时); 为空表示所需年份尚无节假日数据 / due date (reporting on it is on time); NULL while the calendar lacks a year it needs';
COMMENT ON COLUMN taxshare.obligation.due_missing_year IS
  '截止日未定时缺少节假日数据的年份 / the year without holiday data that leaves the due date unknown';
COMMENT ON COLUMN taxshare.obligation.status IS
  'pending 未到期未报, on_time 按时, late 超过整改期限才报送或改正, missing 逾期未报, rectified 在 5 个工作日内整改到位, defective 当前报送被退回或有错误 / see docs/deadlines.md';
COMMENT ON COLUMN taxshare.obligation.submissions IS
  '评估时计入的报送批次数 (截至 evaluated_as_of 平台已接收) / submissions counted at the last evaluation (received by the platform by evaluated_as_of)';
COMMENT ON COLUMN taxshare.obligation.first_submitted_on IS
  '单位首次报送日 (交换平台接收日, 无则平台接收日); 迟报天数由此计算 / day the unit first reported (exchange receipt, else platform receipt); lateness counts from it';
COMMENT ON COLUMN taxshare.obligation.days_late IS
  '迟报自然日数 (未报时计至评估日) / calendar days late (up to the evaluation day while nothing is reported)';
COMMENT ON COLUMN taxshare.obligation.working_days_late IS
  '迟报工作日数 = working_days_between(due_date, 报送日) / working days late';
COMMENT ON COLUMN taxshare.obligation.next_change_on IS
  '状态仅因时间推移而变化的最早日期 (到期次日、整改期满次日); -infinity 表示报送或截止日已变、待重新评估 / earliest day on which time alone changes the state; -infinity: submissions or due date changed, to be evaluated again';
COMMENT ON COLUMN taxshare.obligation.evaluated_as_of IS
  '最近一次评估所依据的日期 / the as_of day of the last evaluation';
SELECT pg_catalog.pg_extension_config_dump('taxshare.obligation', '');

COMMENT ON COLUMN taxshare.obligation.w_reason IS
  '各整改期的原因 (见 rectification_window) / reason of each rectification window (see rectification_window)';

CREATE VIEW taxshare.rectification_window AS
  SELECT o.item_code, o.unit_code, o.period_start, w.episode::integer AS episode, w.reason,
         w.opened_on, w.closes_on, w.state, w.rectified_on, w.rectified_by
    FROM taxshare.obligation o
   CROSS JOIN LATERAL unnest(o.w_reason, o.w_opened, o.w_closes, o.w_state, o.w_rectified, o.w_by)
         WITH ORDINALITY AS w(reason, opened_on, closes_on, state, rectified_on, rectified_by, episode);
COMMENT ON VIEW taxshare.rectification_window IS
  '整改期: 逾期未报或报送被退回/有错误时开启, 5 个工作日内须整改 (衡阳办法第三十一条第(二)项) / '
  'rectification windows: opened when a due date passes with nothing reported or a submission is rejected or has errors; must be put right within 5 working days (seeds/000 art. 31 (二))';
COMMENT ON COLUMN taxshare.rectification_window.episode IS
  '同一义务的第几次需整改 / number of the defect episode within the obligation';
COMMENT ON COLUMN taxshare.rectification_window.reason IS
  'missing 逾期未报, rejected 报送被退回, accepted_with_errors 报送有错误 / what opened the window';
COMMENT ON COLUMN taxshare.rectification_window.opened_on IS
  '开启日: 逾期未报为截止日, 退回为平台接收日 / opening day: the due date when nothing was reported, the platform''s receipt day of a rejected or error-laden submission';
COMMENT ON COLUMN taxshare.rectification_window.closes_on IS
  '整改期最后一天 = add_working_days(opened_on, 5); 为空表示所需年份尚无节假日数据 / last day to put it right; NULL while the calendar lacks the year';
COMMENT ON COLUMN taxshare.rectification_window.state IS
  'open 整改中, met 按期整改, missed 未按期整改 (扣分) / open, met (put right in time), missed (a deduction)';
COMMENT ON COLUMN taxshare.rectification_window.rectified_on IS
  '整改到位日 (单位重新报送日) / day it was put right (the unit''s resubmission day)';
COMMENT ON COLUMN taxshare.rectification_window.rectified_by IS
  '整改到位的报送批次 / the accepted submission that put it right';

-- Which obligations' submissions changed since the last refresh.  Statement
-- triggers on taxshare.submission only append keys here (no lock on the
-- obligation, so the intake never waits for a running refresh);
-- refresh_obligations() deletes what it sees and evaluates those obligations
-- again.  Rows of transactions still in progress stay for the next refresh.
CREATE TABLE taxshare.obligation_change (
  item_code     text NOT NULL,
  unit_code     text NOT NULL,
  period_start  date NOT NULL
);
COMMENT ON TABLE taxshare.obligation_change IS
  '内部队列: 报送批次变更过的 (条目, 单位, 报送期), 由 refresh_obligations() 消费 / '
  'internal queue: the (item, unit, period) keys whose submissions changed, consumed by refresh_obligations()';

-- SECURITY DEFINER: whoever may submit may queue the key, without any right
-- on the queue itself.
CREATE FUNCTION taxshare._obligation_note_change() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT c.item_code, c.unit_code, c.period_start
      FROM (SELECT n.item_code, n.unit_code, n.period_start, n.additive FROM submission_new n
            UNION ALL
            SELECT o.item_code, o.unit_code, o.period_start, o.additive FROM submission_old o) c
     WHERE NOT c.additive;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT n.item_code, n.unit_code, n.period_start FROM submission_new n WHERE NOT n.additive;
  ELSE
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT o.item_code, o.unit_code, o.period_start FROM submission_old o WHERE NOT o.additive;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._obligation_note_change() IS
  '触发器: 记下报送批次变更涉及的报送义务, 供下次 refresh_obligations() 重新评估 / '
  'trigger: notes the obligations whose submissions changed, for the next refresh_obligations() to evaluate again';

CREATE TRIGGER submission_obligation_insert AFTER INSERT ON taxshare.submission
  REFERENCING NEW TABLE AS submission_new
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._obligation_note_change();
CREATE TRIGGER submission_obligation_update AFTER UPDATE ON taxshare.submission
  REFERENCING OLD TABLE AS submission_old NEW TABLE AS submission_new
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._obligation_note_change();
CREATE TRIGGER submission_obligation_delete AFTER DELETE ON taxshare.submission
  REFERENCING OLD TABLE AS submission_old
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._obligation_note_change();
-- Deduction events: the facts the unit scoring reads (seeds/000 art. 30-34;
-- DOMAIN.md "Scoring the units").  This module writes the reporting part
-- (信息报送, 40 points): one event per item and per time a defect was not put
-- right within 5 working days, -2 points (art. 31 (二)).  Scoring (floors,
-- monthly counting, quarterly evaluation) is not done here.  Events are never
-- updated or deleted by taxshare: they are history.

CREATE TABLE taxshare.deduction_event (
  id            bigserial PRIMARY KEY,
  unit_code     text NOT NULL,
  part          text NOT NULL CHECK (part IN ('organisation', 'reporting', 'duty', 'confidentiality')),
  item_code     text,
  period_start  date,
  episode       integer,
  event_date    date NOT NULL,
  reason        text NOT NULL,
  points        integer NOT NULL CHECK (points < 0),
  source        text NOT NULL,
  detail        text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- an obligation's episode gives at most one event, however often the sweep runs
  CONSTRAINT deduction_event_once UNIQUE (source, unit_code, item_code, period_start, episode)
);
CREATE INDEX deduction_event_unit_date ON taxshare.deduction_event (unit_code, event_date);
COMMENT ON TABLE taxshare.deduction_event IS
  '考核扣分事件 (供单位考核使用): 信息报送部分每项每次 5 个工作日内未整改到位扣 2 分 (衡阳办法第三十一条) / '
  'scoring deduction events for the unit scoring to read: in the reporting part, -2 per item and time not put right within 5 working days (seeds/000 art. 31)';
COMMENT ON COLUMN taxshare.deduction_event.part IS
  '考核部分: organisation 组织领导, reporting 信息报送, duty 履职尽责, confidentiality 保密管理 / part of the 100-point score';
COMMENT ON COLUMN taxshare.deduction_event.episode IS
  '该报送义务的第几次需整改 (rectification_window.episode) / defect episode of the obligation';
COMMENT ON COLUMN taxshare.deduction_event.event_date IS
  '扣分发生日: 整改期最后一天的次日 / day the deduction was incurred: the day after the window''s last day';
COMMENT ON COLUMN taxshare.deduction_event.reason IS
  '原因代码: missing 逾期未报, rejected 报送被退回, accepted_with_errors 报送有错误 / reason code';
COMMENT ON COLUMN taxshare.deduction_event.points IS
  '分值变化 (负数) / change to the score (negative)';
COMMENT ON COLUMN taxshare.deduction_event.source IS
  '产生事件的模块, 本模块为 obligation / module that recorded the event (obligation here)';
COMMENT ON COLUMN taxshare.deduction_event.detail IS
  '按 taxshare.language 的中文或英文说明 / explanation in Chinese or English per taxshare.language';
SELECT pg_catalog.pg_extension_config_dump('taxshare.deduction_event', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.deduction_event_id_seq', '');
-- refresh_obligations(as_of): creates the obligations owed up to as_of and
-- brings their state, rectification windows and deductions up to date
-- (docs/deadlines.md).  C helpers in src/deadline_fmgr.c, rules in
-- src/deadline.c.

CREATE FUNCTION taxshare._obligation_periods(frequency text, first_day date, last_day date,
                                             profile text DEFAULT NULL,
                                             offset_days integer DEFAULT NULL,
                                             offset_unit text DEFAULT NULL,
                                             as_of date DEFAULT NULL,
                                             have_min date DEFAULT NULL,
                                             have_max date DEFAULT NULL,
                                             have_count bigint DEFAULT NULL,
                                             item_code text DEFAULT NULL,
                                             unit_code text DEFAULT NULL)
RETURNS TABLE (period_start date, period_end date, due_date date, missing_year integer,
               is_new boolean, status text, submissions integer, last_submission_id bigint,
               first_submitted_on date, current_submission_id bigint,
               current_submission_status text, days_late integer, working_days_late integer,
               next_change_on date, w_reason text[], w_opened date[], w_closes date[],
               w_state text[], w_rectified date[], w_by bigint[])
AS 'MODULE_PATHNAME', 'taxshare_obligation_periods'
LANGUAGE C STABLE ROWS 60;
COMMENT ON FUNCTION taxshare._obligation_periods(text, date, date, text, integer, text, date, date, date, bigint, text, text) IS
  '内部: 某频度从含 first_day 的周期到含 last_day 的周期, 各期的期末与截止日 (缺节假日数据时截止日为空并给出年份); 刷新时只返回新周期 (附截至 as_of 的状态) 与截止日可能需重算的周期 / '
  'internal: the periods of a frequency from the one containing first_day to the one containing last_day, with end and due date (NULL due date and the year when the calendar lacks data); for a refresh, only the new periods (with their state as of as_of) and those whose due date may need recomputing';

CREATE FUNCTION taxshare._obligation_evaluate(as_of date)
RETURNS TABLE (item_code text, unit_code text, period_start date, old_status text, status text,
               submissions integer, last_submission_id bigint, first_submitted_on date,
               current_submission_id bigint, current_submission_status text,
               days_late integer, working_days_late integer, next_change_on date,
               w_reason text[], w_opened date[], w_closes date[],
               w_state text[], w_rectified date[], w_by bigint[])
AS 'MODULE_PATHNAME', 'taxshare_obligation_evaluate'
LANGUAGE C STABLE;
COMMENT ON FUNCTION taxshare._obligation_evaluate(date) IS
  '内部: 计算状态可能已变化的报送义务的新状态及整改期 / '
  'internal: the new state and rectification windows of the obligations whose state may have changed';

CREATE FUNCTION taxshare.refresh_obligations(as_of date DEFAULT current_date,
                                             OUT created bigint, OUT removed bigint,
                                             OUT due_changed bigint, OUT evaluated bigint,
                                             OUT status_changed bigint, OUT deductions bigint,
                                             OUT open_windows bigint, OUT due_unknown bigint)
RETURNS record
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  lang text := coalesce(nullif(current_setting('taxshare.language', true), ''), 'zh');
  first_unknown integer;
  new_changed bigint;
BEGIN
  IF as_of IS NULL OR NOT isfinite(as_of) THEN
    RAISE EXCEPTION 'as_of must be a finite date, not %', coalesce(as_of::text, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'Pass the day to bring the obligations up to, e.g. current_date.';
  END IF;
  -- One refresh at a time: two would evaluate the same rows.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('taxshare.refresh_obligations'));

  -- 0. Obligations whose submissions changed are evaluated again.
  WITH consumed AS (
    DELETE FROM taxshare.obligation_change RETURNING item_code, unit_code, period_start
  )
  UPDATE taxshare.obligation o SET next_change_on = '-infinity'
    FROM (SELECT DISTINCT c.item_code, c.unit_code, c.period_start FROM consumed c) c
   WHERE o.item_code = c.item_code AND o.unit_code = c.unit_code
     AND o.period_start = c.period_start AND o.next_change_on IS DISTINCT FROM '-infinity';

  -- 1. The plan: per catalog item version, the span of days it is in force
  -- (from its validFrom to the day before the next version's validFrom, or
  -- its validTo), and the periods of its frequency from the one containing
  -- that first day up to as_of, owed by its provider if the unit is active.
  -- Where versions overlap in a period, the later version owes it.  New
  -- obligations are written once, with their state; due dates not yet passed
  -- follow the calendar, the profile and the item's rule as they are now;
  -- periods no longer owed go while nothing was reported for them and they
  -- are not yet due.
  WITH v AS (
    SELECT i.code, i.version, i.provider, i.frequency, i.valid_from,
           least(i.valid_to, lead(i.valid_from) OVER w - 1) AS valid_until,
           count(*) OVER (PARTITION BY i.code) AS nversions
      FROM taxshare.catalog_item i
    WINDOW w AS (PARTITION BY i.code ORDER BY i.version)
  ), seg AS (
    SELECT v.*, r.profile, r.offset_days, r.offset_unit
      FROM v
      JOIN taxshare.unit u ON u.code = v.provider AND u.active
      LEFT JOIN taxshare.deadline_rule r ON r.item_code = v.code
     WHERE v.frequency NOT IN ('realtime', 'adhoc')
       AND v.valid_from <= refresh_obligations.as_of
       AND (v.valid_until IS NULL OR v.valid_until >= v.valid_from)
  ), have AS (
    SELECT o.item_code, o.unit_code, min(o.period_start) AS mn, max(o.period_start) AS mx,
           count(*) AS n
      FROM taxshare.obligation o
     GROUP BY o.item_code, o.unit_code
  ), plan AS MATERIALIZED (
    SELECT seg.code AS item_code, seg.provider AS unit_code, seg.version, seg.frequency, p.*
      FROM seg
      LEFT JOIN have h ON h.item_code = seg.code AND h.unit_code = seg.provider
     CROSS JOIN LATERAL taxshare._obligation_periods(seg.frequency, seg.valid_from,
                                                     least(seg.valid_until, refresh_obligations.as_of),
                                                     seg.profile, seg.offset_days, seg.offset_unit,
                                                     refresh_obligations.as_of, h.mn, h.mx, h.n,
                                                     seg.code, seg.provider) p
     WHERE seg.nversions = 1
    UNION ALL
    -- several versions: every period, the latest version in force owes it
    (SELECT DISTINCT ON (seg.code, p.period_start)
            seg.code, seg.provider, seg.version, seg.frequency, p.*
       FROM seg
      CROSS JOIN LATERAL taxshare._obligation_periods(seg.frequency, seg.valid_from,
                                                      least(seg.valid_until, refresh_obligations.as_of),
                                                      seg.profile, seg.offset_days, seg.offset_unit,
                                                      refresh_obligations.as_of, NULL, NULL, NULL,
                                                      seg.code, seg.provider) p
      WHERE seg.nversions > 1
      ORDER BY seg.code, p.period_start, seg.version DESC)
  ), ins AS (
    INSERT INTO taxshare.obligation AS o (item_code, unit_code, period_start, period_end, frequency,
                                          item_version, due_date, due_missing_year, status,
                                          submissions, last_submission_id, first_submitted_on,
                                          current_submission_id, current_submission_status,
                                          days_late, working_days_late, next_change_on,
                                          evaluated_as_of, w_reason, w_opened, w_closes, w_state,
                                          w_rectified, w_by)
    SELECT p.item_code, p.unit_code, p.period_start, p.period_end, p.frequency, p.version,
           p.due_date, p.missing_year, p.status, p.submissions, p.last_submission_id,
           p.first_submitted_on, p.current_submission_id, p.current_submission_status,
           p.days_late, p.working_days_late, p.next_change_on, refresh_obligations.as_of,
           p.w_reason, p.w_opened, p.w_closes, p.w_state, p.w_rectified, p.w_by
      FROM plan p
     WHERE p.is_new
    ON CONFLICT (item_code, unit_code, period_start) DO NOTHING
    RETURNING o.status
  ), upd AS (
    UPDATE taxshare.obligation o
       SET due_date = p.due_date, due_missing_year = p.missing_year, item_version = p.version,
           next_change_on = '-infinity', updated_at = now()
      FROM plan p
     WHERE o.item_code = p.item_code AND o.unit_code = p.unit_code AND o.period_start = p.period_start
       AND (o.due_date IS NULL
            OR (o.status = 'pending' AND o.due_date >= refresh_obligations.as_of))
       AND (o.due_date IS DISTINCT FROM p.due_date
            OR o.due_missing_year IS DISTINCT FROM p.missing_year)
    RETURNING 1
  ), del AS (
    DELETE FROM taxshare.obligation o
     WHERE o.status = 'pending' AND o.submissions = 0
       AND (o.due_date IS NULL OR o.due_date >= refresh_obligations.as_of)
       AND NOT EXISTS (SELECT 1 FROM seg
                        WHERE seg.code = o.item_code AND seg.provider = o.unit_code
                          AND seg.frequency = o.frequency
                          AND o.period_end >= seg.valid_from
                          AND o.period_start <= least(seg.valid_until, refresh_obligations.as_of))
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM ins WHERE ins.status <> 'pending'),
         (SELECT count(*) FROM del), (SELECT count(*) FROM upd)
    INTO created, new_changed, removed, due_changed;

  -- 2. The state of every other obligation that may have changed: never
  -- evaluated, its submissions or due date changed, evaluated as of a later
  -- day, or reaching a day when time alone changes it.
  WITH ev AS (
    SELECT * FROM taxshare._obligation_evaluate(refresh_obligations.as_of)
  ), upd AS (
    UPDATE taxshare.obligation o
       SET status = ev.status, submissions = ev.submissions,
           last_submission_id = ev.last_submission_id,
           first_submitted_on = ev.first_submitted_on,
           current_submission_id = ev.current_submission_id,
           current_submission_status = ev.current_submission_status,
           days_late = ev.days_late, working_days_late = ev.working_days_late,
           next_change_on = ev.next_change_on, evaluated_as_of = refresh_obligations.as_of,
           w_reason = ev.w_reason, w_opened = ev.w_opened, w_closes = ev.w_closes,
           w_state = ev.w_state, w_rectified = ev.w_rectified, w_by = ev.w_by,
           updated_at = now()
      FROM ev
     WHERE o.item_code = ev.item_code AND o.unit_code = ev.unit_code
       AND o.period_start = ev.period_start
    RETURNING ev.old_status IS DISTINCT FROM ev.status AS changed
  )
  SELECT count(*), count(*) FILTER (WHERE upd.changed) INTO evaluated, status_changed FROM upd;
  evaluated := evaluated + created;
  status_changed := status_changed + new_changed;

  -- 3. One deduction per missed window: the key is the obligation and the
  -- episode, so each gives one event however often this runs.  Only rows
  -- written by this transaction can have a window newly missed.
  WITH ded AS (
    INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode,
                                          event_date, reason, points, source, detail)
    SELECT w.unit_code, 'reporting', w.item_code, w.period_start, w.episode,
           w.closes_on + 1, w.reason, -2, 'obligation',
           CASE WHEN lang = 'en' THEN
             format('%s, period from %s: %s; not put right within 5 working days (%s to %s)',
                    w.item_code, w.period_start,
                    CASE w.reason WHEN 'missing' THEN 'nothing reported by the due date'
                                  WHEN 'rejected' THEN 'submission rejected'
                                  ELSE 'submission accepted with errors' END,
                    w.opened_on, w.closes_on)
           ELSE
             format('%s 报送期 %s 起: %s, 整改期 %s 至 %s 内未整改到位',
                    w.item_code, w.period_start,
                    CASE w.reason WHEN 'missing' THEN '逾期未报'
                                  WHEN 'rejected' THEN '报送被退回'
                                  ELSE '报送有错误' END,
                    w.opened_on, w.closes_on)
           END
      FROM taxshare.obligation o
     CROSS JOIN LATERAL (
       SELECT o.item_code, o.unit_code, o.period_start, x.episode::integer AS episode, x.reason,
              x.opened_on, x.closes_on, x.state
         FROM unnest(o.w_reason, o.w_opened, o.w_closes, o.w_state)
              WITH ORDINALITY AS x(reason, opened_on, closes_on, state, episode)) w
     WHERE o.evaluated_as_of = refresh_obligations.as_of AND o.updated_at = now()
       AND 'missed' = ANY (o.w_state) AND w.state = 'missed'
    ON CONFLICT ON CONSTRAINT deduction_event_once DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO deductions FROM ded;

  -- an open window always has a next_change_on
  SELECT count(*) INTO open_windows
    FROM taxshare.obligation o WHERE o.next_change_on IS NOT NULL AND 'open' = ANY (o.w_state);

  SELECT count(*), min(o.due_missing_year) INTO due_unknown, first_unknown
    FROM taxshare.obligation o WHERE o.due_date IS NULL;
  IF due_unknown > 0 THEN
    IF first_unknown <= extract(year FROM refresh_obligations.as_of) THEN
      RAISE WARNING 'no holiday data for year %: % obligations have no due date', first_unknown, due_unknown
        USING HINT = format('Add the State Council General Office''s holiday notice for %s with taxshare.holiday_add_year() (docs/calendar.md).', first_unknown);
    ELSE
      RAISE NOTICE '% obligations have no due date until the holiday notice for % is added', due_unknown, first_unknown
        USING HINT = format('Add it with taxshare.holiday_add_year(%s, ...) when it is published (docs/calendar.md).', first_unknown);
    END IF;
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare.refresh_obligations(date) IS
  '生成截至 as_of 应报的报送义务 (各有效目录条目 x 提供单位 x 已开始的报送期), 并按报送情况更新状态、整改期与扣分事件; 可重复执行 / '
  'creates the obligations owed up to as_of (each catalog item in force x its providing unit x each period started by as_of) and brings their status, rectification windows and deduction events up to date from the submissions; idempotent';
-- What the office, the units and BI tools read of the deadlines: the state of
-- each obligation, the exchange platform's forwarding delays, and the monthly
-- upload statistics (docs/deadlines.md).

-- seeds/000 art. 8: the exchange (市行政审批服务局) uploads what it receives to
-- the platform within 3 working days.
CREATE VIEW taxshare.forwarding_delay AS
  SELECT s.id AS submission_id, s.item_code, s.unit_code, s.period_start,
         s.received_at_exchange, s.received_at,
         taxshare.add_working_days(s.received_at_exchange::date, 3) AS forward_by,
         taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date)
           AS working_days,
         taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date) > 3
           AS late
    FROM taxshare.submission s
   WHERE s.received_at_exchange IS NOT NULL
     AND s.status <> 'loading';
COMMENT ON VIEW taxshare.forwarding_delay IS
  '交换平台转发时效: 交换平台接收后须在 3 个工作日内上传至本平台 (衡阳办法第八条), 超过者 late / '
  'forwarding by the exchange platform: what it receives must reach the platform within 3 working days (seeds/000 art. 8); later ones are late';
COMMENT ON COLUMN taxshare.forwarding_delay.forward_by IS
  '最迟应转达日 = add_working_days(交换平台接收日, 3) / last day allowed for forwarding';
COMMENT ON COLUMN taxshare.forwarding_delay.working_days IS
  '转发用时 (工作日): 交换平台接收日之后到平台接收日 (含) 的工作日数 / working days d with exchange day < d <= platform day';
COMMENT ON COLUMN taxshare.forwarding_delay.late IS
  '转发超过 3 个工作日 / forwarded later than 3 working days';

CREATE VIEW taxshare.obligation_status AS
  SELECT o.item_code, ci.title AS item_title, o.unit_code, u.name AS unit_name, o.frequency,
         o.period_start, o.period_end, o.due_date, o.status,
         o.first_submitted_on,
         coalesce(s.received_at_exchange, s.received_at) AS submitted_at,
         o.current_submission_id, o.current_submission_status, o.submissions,
         o.days_late, o.working_days_late,
         o.w_reason[cardinality(o.w_reason)] AS window_reason,
         o.w_opened[cardinality(o.w_opened)] AS window_opened_on,
         o.w_closes[cardinality(o.w_closes)] AS window_closes_on,
         o.w_state[cardinality(o.w_state)] AS window_state,
         coalesce(d.events, 0) AS deductions, coalesce(d.points, 0) AS points,
         s.received_at_exchange, s.received_at,
         CASE WHEN s.received_at_exchange IS NOT NULL
              THEN taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date) END
           AS forwarding_working_days,
         CASE WHEN s.received_at_exchange IS NOT NULL
              THEN taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date) > 3 END
           AS forwarded_late,
         o.due_missing_year, o.evaluated_as_of
    FROM taxshare.obligation o
    LEFT JOIN taxshare.unit u ON u.code = o.unit_code
    LEFT JOIN taxshare.catalog_item ci ON ci.code = o.item_code AND ci.version = o.item_version
    LEFT JOIN taxshare.submission s ON s.id = o.current_submission_id
    LEFT JOIN LATERAL (
      SELECT count(*) AS events, sum(de.points) AS points
        FROM taxshare.deduction_event de
       WHERE de.source = 'obligation' AND de.unit_code = o.unit_code
         AND de.item_code = o.item_code AND de.period_start = o.period_start) d ON true;
COMMENT ON VIEW taxshare.obligation_status IS
  '各报送义务的状态 (截至最近一次 refresh_obligations/daily_sweep): 截止日、状态、迟报天数、最近整改期、扣分、交换平台转发时效 / '
  'state of each obligation as of the last refresh_obligations/daily_sweep: due date, status, lateness, latest rectification window, deductions, exchange forwarding';
COMMENT ON COLUMN taxshare.obligation_status.submitted_at IS
  '当前报送批次的报送时间 (交换平台接收时间, 无则平台接收时间) / when the current submission was made (exchange receipt, else platform receipt)';
COMMENT ON COLUMN taxshare.obligation_status.window_state IS
  '最近一次整改期的状态 open | met | missed / state of the latest rectification window';
COMMENT ON COLUMN taxshare.obligation_status.deductions IS
  '该义务产生的扣分事件数 / deduction events of this obligation';
COMMENT ON COLUMN taxshare.obligation_status.forwarded_late IS
  '当前报送批次经交换平台转发超过 3 个工作日 / the current submission was forwarded later than 3 working days';

-- seeds/000 art. 8: by the 20th of each month the exchange sends the office
-- "上月信息上传统计表".  A month here is the month in which the items were due.
CREATE VIEW taxshare.monthly_upload_stats AS
  SELECT o.unit_code, u.name AS unit_name,
         date_trunc('month', o.due_date)::date AS month,
         count(*) AS items_due,
         count(*) FILTER (WHERE o.status = 'on_time') AS on_time,
         count(*) FILTER (WHERE o.status = 'rectified') AS rectified,
         count(*) FILTER (WHERE o.status = 'late') AS late,
         count(*) FILTER (WHERE o.status = 'missing') AS missing,
         count(*) FILTER (WHERE o.status = 'defective') AS defective,
         count(*) FILTER (WHERE o.status = 'pending') AS pending,
         count(*) FILTER (WHERE o.first_submitted_on > o.due_date) AS reported_after_due,
         coalesce(sum(sub.uploads), 0) AS uploads,
         coalesce(sum(sub.records), 0) AS records,
         coalesce(sum(sub.rejected_rows), 0) AS rejected_rows,
         round(coalesce(sum(sub.rejected_rows), 0)::numeric
               / nullif(sum(sub.records), 0), 4) AS error_rate,
         coalesce(sum(cur.rows_accepted), 0) AS records_current,
         coalesce(sum(sub.forwarded_late), 0) AS forwarded_late
    FROM taxshare.obligation o
    LEFT JOIN taxshare.unit u ON u.code = o.unit_code
    LEFT JOIN taxshare.submission cur ON cur.id = o.current_submission_id
    LEFT JOIN (
      SELECT s.item_code, s.unit_code, s.period_start,
             count(*) AS uploads, sum(s.rows_total) AS records, sum(s.rows_rejected) AS rejected_rows,
             count(*) FILTER (WHERE s.received_at_exchange IS NOT NULL
                                AND taxshare.working_days_between(s.received_at_exchange::date,
                                                                  s.received_at::date) > 3)
               AS forwarded_late
        FROM taxshare.submission s
       WHERE s.status <> 'loading' AND NOT s.additive
       GROUP BY s.item_code, s.unit_code, s.period_start) sub
      ON sub.item_code = o.item_code AND sub.unit_code = o.unit_code
     AND sub.period_start = o.period_start
   WHERE o.due_date IS NOT NULL
   GROUP BY o.unit_code, u.name, date_trunc('month', o.due_date)::date;
COMMENT ON VIEW taxshare.monthly_upload_stats IS
  '信息上传统计表: 每单位每月 (按截止日所在月) 应报条目、按时、整改、迟报、漏报、记录数、退回行数、差错率 (衡阳办法第八条, 每月 20 日前报市财源办) / '
  'monthly upload statistics per unit and month (the month the items were due): items due, on time, rectified, late, missing, records, rejected rows, error rate (seeds/000 art. 8: sent to the office by the 20th)';
COMMENT ON COLUMN taxshare.monthly_upload_stats.month IS
  '截止日所在月的第一天 / first day of the month in which the items were due';
COMMENT ON COLUMN taxshare.monthly_upload_stats.items_due IS
  '该月到期的报送义务数 / obligations due in the month';
COMMENT ON COLUMN taxshare.monthly_upload_stats.reported_after_due IS
  '首次报送晚于截止日的义务数 (含整改期内补报) / obligations first reported after the due date (in the window or not)';
COMMENT ON COLUMN taxshare.monthly_upload_stats.uploads IS
  '这些义务的全部报送批次数 (含整改重报) / all submissions for these obligations, resubmissions included';
COMMENT ON COLUMN taxshare.monthly_upload_stats.records IS
  '全部批次上传的行数 / rows uploaded in all those submissions';
COMMENT ON COLUMN taxshare.monthly_upload_stats.rejected_rows IS
  '全部批次中被退回的行数 / rows rejected in all those submissions';
COMMENT ON COLUMN taxshare.monthly_upload_stats.error_rate IS
  '差错率 = 退回行数 / 上传行数 / rejected rows / rows uploaded';
COMMENT ON COLUMN taxshare.monthly_upload_stats.records_current IS
  '当前有效批次中通过的行数 / accepted rows of the current submissions';
COMMENT ON COLUMN taxshare.monthly_upload_stats.forwarded_late IS
  '交换平台转发超过 3 个工作日的批次数 / submissions forwarded later than 3 working days';
-- daily_sweep(): everything time-driven in one idempotent call, for pg_cron or
-- a system crontab (docs/deadlines.md "Scheduling").

CREATE TABLE taxshare.sweep_log (
  id           bigserial PRIMARY KEY,
  as_of        date NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL,
  run_by       text NOT NULL DEFAULT session_user,
  summary      jsonb NOT NULL
);
CREATE INDEX sweep_log_as_of ON taxshare.sweep_log (as_of);
COMMENT ON TABLE taxshare.sweep_log IS
  '每日巡检 daily_sweep() 的运行记录 / one row per run of daily_sweep()';
SELECT pg_catalog.pg_extension_config_dump('taxshare.sweep_log', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.sweep_log_id_seq', '');

CREATE FUNCTION taxshare.daily_sweep(as_of date DEFAULT current_date)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  started timestamptz := clock_timestamp();
  r record;
  prev date;
  summary jsonb;
  warned integer;
BEGIN
  r := taxshare.refresh_obligations(daily_sweep.as_of);

  -- Warnings not answered by their feedback deadline become duty deductions
  -- (art. 31 (三)).  warning_sweep() is defined in 88_warning.sql, which is
  -- installed after this file: plpgsql resolves the call when it runs, not
  -- when the function is created, so the order of the files does not matter.
  -- Its deductions count in deductions_created with those of the obligations
  -- (both are rows of deduction_event).
  warned := taxshare.warning_sweep(daily_sweep.as_of);

  -- Forwarding delays of what reached the platform since the previous sweep.
  SELECT max(l.as_of) INTO prev FROM taxshare.sweep_log l WHERE l.as_of < daily_sweep.as_of;

  SELECT jsonb_build_object(
           'as_of', daily_sweep.as_of,
           'obligations_created', r.created,
           'obligations_removed', r.removed,
           'due_dates_changed', r.due_changed,
           'evaluated', r.evaluated,
           'status_changed', r.status_changed,
           'deductions_created', r.deductions + coalesce(warned, 0),
           'open_windows', r.open_windows,
           'due_unknown', r.due_unknown,
           'pending', count(*) FILTER (WHERE o.status = 'pending'),
           'missing', count(*) FILTER (WHERE o.status = 'missing'),
           'defective', count(*) FILTER (WHERE o.status = 'defective'),
           'forwarded_late', (SELECT count(*) FROM taxshare.forwarding_delay f
                               WHERE f.late AND f.received_at < (daily_sweep.as_of + 1)::timestamptz
                                 AND (prev IS NULL OR f.received_at >= (prev + 1)::timestamptz)))
    INTO summary
    FROM taxshare.obligation o
   WHERE o.status IN ('pending', 'missing', 'defective');

  INSERT INTO taxshare.sweep_log (as_of, started_at, finished_at, summary)
  VALUES (daily_sweep.as_of, started, clock_timestamp(), summary);
  RETURN summary;
END
$$;
COMMENT ON FUNCTION taxshare.daily_sweep(date) IS
  '每日巡检: 生成报送义务、更新状态、开启和关闭整改期、生成扣分事件 (含未按期反馈的预警)、统计交换平台转发超时; 可重复执行, 每次记入 sweep_log / '
  'the daily time-driven work: create obligations, update statuses, open and close rectification windows, record deductions (unanswered warnings included), count late forwarding by the exchange; idempotent, each run logged in sweep_log';
-- similarity: string similarity on Unicode code points and the parts of
-- company names, the building blocks of cross-source matching
-- (docs/matching.md).  C: src/similarity_fmgr.c over the pure cores
-- src/similarity.c and src/company_name.c.

-- Plain string measures: the strings as given, no normalisation.
CREATE FUNCTION taxshare.jaro_winkler(text, text) RETURNS float8
  AS 'MODULE_PATHNAME', 'taxshare_jaro_winkler'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.jaro_winkler(text, text) IS
  'Jaro-Winkler 相似度 (按 Unicode 字符计，前缀系数 0.1，最长前缀 4)，0 到 1，不做规范化 / '
  'Jaro-Winkler similarity on Unicode code points (prefix scale 0.1, longest prefix 4), 0 to 1, strings compared as given';

CREATE FUNCTION taxshare.bigram_similarity(text, text) RETURNS float8
  AS 'MODULE_PATHNAME', 'taxshare_bigram_similarity'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.bigram_similarity(text, text) IS
  '相邻二字 (bigram) 的 Dice 系数，按 Unicode 字符计，单字串按字比较，0 到 1，不做规范化 / '
  'Dice coefficient of character bigrams on Unicode code points (a one-character string is compared by characters), 0 to 1, strings compared as given';

-- Names: normalised inside (normalize_name), company names compared part by part.
CREATE FUNCTION taxshare.name_similarity(text, text) RETURNS float8
  AS 'MODULE_PATHNAME', 'taxshare_name_similarity'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.name_similarity(text, text) IS
  '名称相似度，0 到 1：先规范化，再按 Jaro-Winkler 与二字 Dice 的组合计算；企业名称去掉可变部分 (行政区划位置、省略的组织形式) 比较，行政区划、行业、分支机构等冲突时至多 0.5 / '
  'name similarity, 0 to 1: normalised first, then a blend of Jaro-Winkler and bigram Dice; company names are compared without the parts that may vary (where the region is written, a form left out), and score at most 0.5 when region, industry or branch status conflict';

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

CREATE FUNCTION taxshare.company_name_key(text) RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_company_name_key'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.company_name_key(text) IS
  '分块键：规范化后的字号 (分支机构取其总公司的字号)；无字号时为整个名称；空名称为 NULL / '
  'blocking key: the trade name (字号) after normalisation (a branch gets its head office''s); the whole name when there is no trade name; NULL for an empty name';

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
-- Entities: the enterprises and persons the records are about, which entity each
-- party of each record is (record_party), the review queue of uncertain links
-- and the parameters of the probabilistic model (docs/matching.md,
-- "Resolution").  resolve_entities() in src/resolve*.c fills these tables.

CREATE TABLE taxshare.entity (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('enterprise', 'person')),
  uscc             text,
  idcard           text,
  orgcode          text,
  taxpayer_id      text,
  name             text,
  name_normalized  text,
  region           text CHECK (region ~ '^[0-9]{6}$'),
  address          text,
  phone            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- A key names one entity: the resolver relies on it, the indexes enforce it.
CREATE UNIQUE INDEX entity_uscc ON taxshare.entity (uscc) WHERE uscc IS NOT NULL;
CREATE UNIQUE INDEX entity_idcard ON taxshare.entity (idcard) WHERE idcard IS NOT NULL;
CREATE UNIQUE INDEX entity_orgcode ON taxshare.entity (orgcode) WHERE orgcode IS NOT NULL;
CREATE INDEX entity_taxpayer_id ON taxshare.entity (taxpayer_id) WHERE taxpayer_id IS NOT NULL;
CREATE INDEX entity_name_normalized ON taxshare.entity (name_normalized);
COMMENT ON TABLE taxshare.entity IS
  '主体: 记录所涉及的企业和个人 / entities: the enterprises and persons that records are about';
COMMENT ON COLUMN taxshare.entity.kind IS
  'enterprise 企业 (含个体工商户以外的组织), person 个人 / enterprise or person';
COMMENT ON COLUMN taxshare.entity.uscc IS
  '统一社会信用代码 / unified social credit code';
COMMENT ON COLUMN taxshare.entity.idcard IS
  '居民身份证号码 (18 位) / resident identity number, 18-character form';
COMMENT ON COLUMN taxshare.entity.orgcode IS
  '组织机构代码 (统一社会信用代码第 9-17 位) / organization code (characters 9-17 of the USCC)';
COMMENT ON COLUMN taxshare.entity.taxpayer_id IS
  '旧纳税人识别号 (15/18/20 位), 如有 / legacy taxpayer identification number, if seen';
COMMENT ON COLUMN taxshare.entity.name_normalized IS
  '规范化名称 (normalize_name) / normalised name';
COMMENT ON COLUMN taxshare.entity.region IS
  '行政区划代码 (GB/T 2260), 来自报送字段或统一社会信用代码第 3-8 位 / division code, from a reported field or USCC characters 3-8';
SELECT pg_catalog.pg_extension_config_dump('taxshare.entity', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.entity_id_seq', '');

-- Everything seen of an entity across sources: every name, address and phone
-- under which a linked record reported it.  The probabilistic comparison
-- takes the best agreement over these.
CREATE TABLE taxshare.entity_attribute (
  entity_id   bigint NOT NULL REFERENCES taxshare.entity (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('name', 'address', 'phone', 'identifier')),
  value       text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity_id, kind, value)
);
COMMENT ON TABLE taxshare.entity_attribute IS
  '主体在各来源中出现过的名称、地址、电话及未通过校验的标识 (规范化后) / every normalised name, address, phone and unverified identifier (kind:text) under which sources reported an entity';
SELECT pg_catalog.pg_extension_config_dump('taxshare.entity_attribute', '');

-- Which entity each party of each record is.
CREATE TABLE taxshare.record_party (
  record_id    bigint NOT NULL,
  role         text NOT NULL,
  entity_id    bigint REFERENCES taxshare.entity (id),
  score        float8,
  method       text CHECK (method IN ('uscc', 'idcard', 'orgcode', 'taxpayer_id', 'probabilistic', 'manual')),
  explanation  jsonb,
  resolved_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, role)
);
CREATE INDEX record_party_entity ON taxshare.record_party (entity_id);
COMMENT ON TABLE taxshare.record_party IS
  '每条记录的每个当事方对应的主体, 及其置信度和方法 / the entity of each party of each record, with confidence and method';
COMMENT ON COLUMN taxshare.record_party.score IS
  '确定性标识为 1; 概率匹配为 Fellegi-Sunter 权重 (log2) / 1 for a deterministic key; the Fellegi-Sunter weight (log2) for a probabilistic link';
COMMENT ON COLUMN taxshare.record_party.method IS
  'uscc, idcard, orgcode, taxpayer_id: 确定性标识; probabilistic: 概率匹配; manual: 人工确认 / the key used, probabilistic, or manual';
COMMENT ON COLUMN taxshare.record_party.explanation IS
  '匹配依据: 所用标识, 或各比较项的权重 / why: the key used, or each comparison''s weight';
SELECT pg_catalog.pg_extension_config_dump('taxshare.record_party', '');

-- Pairs between the two thresholds wait here for a person to decide.  The
-- party is meanwhile linked to a provisional entity of its own (entity_id),
-- so downstream work always finds an entity; deciding "link" merges the
-- provisional entity into the candidate.
CREATE TABLE taxshare.match_review (
  id                   bigserial PRIMARY KEY,
  record_id            bigint NOT NULL,
  role                 text NOT NULL,
  candidate_entity_id  bigint NOT NULL REFERENCES taxshare.entity (id) ON DELETE CASCADE,
  entity_id            bigint REFERENCES taxshare.entity (id) ON DELETE SET NULL,
  weight               float8 NOT NULL,
  explanation          jsonb NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'linked', 'rejected')),
  decided_by           text,
  decided_at           timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (record_id, role, candidate_entity_id)
);
CREATE INDEX match_review_pending ON taxshare.match_review (created_at) WHERE status = 'pending';
COMMENT ON TABLE taxshare.match_review IS
  '待人工复核的匹配 (权重介于上下阈值之间) / uncertain links waiting for a person (weight between the two thresholds)';
COMMENT ON COLUMN taxshare.match_review.candidate_entity_id IS
  '可能相同的已有主体 / the existing entity the party may be';
COMMENT ON COLUMN taxshare.match_review.entity_id IS
  '复核前暂用的新主体 / the provisional entity the party is linked to until decided';
COMMENT ON COLUMN taxshare.match_review.status IS
  'pending 待复核, linked 确认为同一主体, rejected 确认为不同主体 / pending, linked (same entity) or rejected (different)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_review', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_review_id_seq', '');

-- A party's kind and evidence fields (a taxpayer ID of any era in a text
-- field, the division code, address and phone) set apart from the catalog:
-- for an item defined without them, or to correct them without a new
-- version.  A row here replaces what the item's parties say of them.
CREATE TABLE taxshare.party_evidence (
  item_code          text NOT NULL,
  role               text NOT NULL,
  kind               text CHECK (kind IN ('enterprise', 'person')),
  taxpayer_id_field  text,
  region_field       text,
  address_field      text,
  phone_field        text,
  PRIMARY KEY (item_code, role)
);
COMMENT ON TABLE taxshare.party_evidence IS
  '当事方的补充匹配字段: 主体类别、纳税人识别号 (任意时期格式)、行政区划、地址、电话; 设置后取代目录中的同类字段 / extra matching fields of a party: kind, taxpayer ID of any era, division, address, phone; a row replaces what the catalog says of them';
COMMENT ON COLUMN taxshare.party_evidence.kind IS
  '主体类别; 为空时按标识和名称判断 / kind of the party; NULL: judged from its identifiers and name';
COMMENT ON COLUMN taxshare.party_evidence.taxpayer_id_field IS
  '文本字段, 可含统一社会信用代码、15 位旧税号、身份证号 (+00) 等, 校验不通过的仅作证据 / a text field holding a USCC, a legacy 15-character ID, a resident ID (+00) ...; one that fails its check is evidence only';
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_evidence', '');

CREATE FUNCTION taxshare.party_evidence_set(item text, role text, kind text DEFAULT NULL,
                                            taxpayer_id text DEFAULT NULL,
                                            region text DEFAULT NULL,
                                            address text DEFAULT NULL,
                                            phone text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_version integer;
  f text;
BEGIN
  SELECT i.version INTO v_version FROM taxshare.catalog_item i
   WHERE i.code = party_evidence_set.item ORDER BY i.version DESC LIMIT 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', party_evidence_set.item
      USING ERRCODE = '22023', HINT = 'Define the item with taxshare.catalog_define() first.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_party p
                  WHERE p.item_code = party_evidence_set.item AND p.item_version = v_version
                    AND p.role = party_evidence_set.role) THEN
    RAISE EXCEPTION 'item "%" has no party "%"', party_evidence_set.item, party_evidence_set.role
      USING ERRCODE = '22023', HINT = 'Name one of the roles in the item''s "parties".';
  END IF;
  IF kind IS NOT NULL AND kind NOT IN ('enterprise', 'person') THEN
    RAISE EXCEPTION 'invalid party kind "%"', kind
      USING ERRCODE = '22023', HINT = 'The kind is "enterprise", "person" or NULL.';
  END IF;
  FOREACH f IN ARRAY ARRAY[taxpayer_id, region, address, phone] LOOP
    IF f IS NOT NULL AND NOT EXISTS (SELECT 1 FROM taxshare.catalog_field c
                                      WHERE c.item_code = party_evidence_set.item
                                        AND c.item_version = v_version AND c.name = f) THEN
      RAISE EXCEPTION 'item "%" has no field "%"', party_evidence_set.item, f
        USING ERRCODE = '22023', HINT = 'Name a field of the item''s latest version.';
    END IF;
  END LOOP;
  INSERT INTO taxshare.party_evidence AS e (item_code, role, kind, taxpayer_id_field, region_field,
                                            address_field, phone_field)
  VALUES (item, role, kind, taxpayer_id, region, address, phone)
  ON CONFLICT ON CONSTRAINT party_evidence_pkey DO UPDATE
     SET kind = excluded.kind, taxpayer_id_field = excluded.taxpayer_id_field,
         region_field = excluded.region_field, address_field = excluded.address_field,
         phone_field = excluded.phone_field;
END
$$;
COMMENT ON FUNCTION taxshare.party_evidence_set(text, text, text, text, text, text, text) IS
  '设置当事方的补充匹配字段 / set the extra matching fields of a party of a catalog item';

-- Every party of every current record with all it offers the matcher: the
-- fields the catalog's parties name (the typed identifiers, as in the
-- intake's record_party_key, and the evidence fields), except that a
-- party_evidence row, where one was set, replaces the catalog's kind and
-- evidence fields of that party.
CREATE VIEW taxshare.record_party_source AS
  SELECT c.id AS record_id, c.item_code, c.unit_code, c.period_start, p.role,
         x.kind,
         c.payload ->> p.uscc_field AS uscc,
         c.payload ->> p.idcard_field AS idcard,
         c.payload ->> p.orgcode_field AS orgcode,
         c.payload ->> x.taxpayer_id_field AS taxpayer_id,
         c.payload ->> p.name_field AS name,
         c.payload ->> x.region_field AS region,
         c.payload ->> x.address_field AS address,
         c.payload ->> x.phone_field AS phone
    FROM taxshare.current_record c
    JOIN taxshare.catalog_party p ON p.item_code = c.item_code AND p.item_version = c.item_version
    LEFT JOIN taxshare.party_evidence e ON e.item_code = c.item_code AND e.role = p.role
    CROSS JOIN LATERAL (
      SELECT CASE WHEN e.role IS NULL THEN p.kind ELSE e.kind END AS kind,
             CASE WHEN e.role IS NULL THEN p.taxpayer_id_field ELSE e.taxpayer_id_field END AS taxpayer_id_field,
             CASE WHEN e.role IS NULL THEN p.region_field ELSE e.region_field END AS region_field,
             CASE WHEN e.role IS NULL THEN p.address_field ELSE e.address_field END AS address_field,
             CASE WHEN e.role IS NULL THEN p.phone_field ELSE e.phone_field END AS phone_field) x
   WHERE c.payload ?| ARRAY[p.uscc_field, p.idcard_field, p.orgcode_field, p.name_field,
                            x.taxpayer_id_field];
COMMENT ON VIEW taxshare.record_party_source IS
  '现行记录的各当事方及全部匹配字段 (目录当事方所列字段; 设有 party_evidence 时以其为准) / parties of current records with every matching field (the catalog party''s fields; a party_evidence row replaces its kind and evidence fields)';

-- The model's m and u per field and level, and the prior, per entity kind.
-- Missing rows take the built-in defaults (docs/matching.md, "Parameters").
CREATE TABLE taxshare.match_parameter (
  kind        text NOT NULL CHECK (kind IN ('enterprise', 'person')),
  field       text NOT NULL,
  level       text NOT NULL,
  m           float8 NOT NULL CHECK (m > 0 AND m < 1),
  u           float8 NOT NULL CHECK (u > 0 AND u < 1),
  source      text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'em')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, field, level)
);
COMMENT ON TABLE taxshare.match_parameter IS
  'Fellegi-Sunter 模型参数 m、u (按主体类别、比较项、等级); field = ''prior'' 行的 m 为先验概率 / m and u per kind, field and level; the row with field ''prior'' holds the prior in m';
COMMENT ON COLUMN taxshare.match_parameter.source IS
  'manual 人工设定, em 由 match_estimate() 估计 / set by hand or estimated by match_estimate()';
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_parameter', '');

CREATE FUNCTION taxshare.match_model(kind text DEFAULT 'enterprise')
RETURNS TABLE (field text, level text, m float8, u float8, weight float8)
AS 'MODULE_PATHNAME', 'match_model'
LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION taxshare.match_model(text) IS
  '当前生效的匹配模型: 各比较项各等级的 m、u 和权重 log2(m/u) / the model in force: m, u and weight log2(m/u) of each level of each comparison';

CREATE FUNCTION taxshare.resolve_entities(rebuild boolean DEFAULT false,
                                          OUT parties bigint, OUT by_key bigint,
                                          OUT probabilistic bigint, OUT review bigint,
                                          OUT new_entities bigint, OUT comparisons bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'resolve_entities'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare.resolve_entities(boolean) IS
  '将记录的当事方关联到主体: 默认只处理尚未关联的记录, rebuild 重建全部非人工关联 / link the parties of records to entities: only unlinked records by default, all non-manual links with rebuild';

CREATE FUNCTION taxshare.match_compare(name_a text, name_b text, kind text DEFAULT 'enterprise',
                                       region_a text DEFAULT NULL, region_b text DEFAULT NULL,
                                       address_a text DEFAULT NULL, address_b text DEFAULT NULL,
                                       phone_a text DEFAULT NULL, phone_b text DEFAULT NULL,
                                       ident_a text DEFAULT NULL, ident_b text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'match_compare'
LANGUAGE C STABLE;
COMMENT ON FUNCTION taxshare.match_compare(text, text, text, text, text, text, text, text, text, text, text) IS
  '按当前模型比较两个当事方, 返回权重、判定和各比较项的贡献 / compare two parties with the model in force: weight, decision and what each comparison contributed';

CREATE FUNCTION taxshare.match_estimate(sample integer DEFAULT 20000, store boolean DEFAULT true)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'match_estimate'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare.match_estimate(integer, boolean) IS
  '用 EM 算法从候选记录对样本估计 m、u 并 (store 时) 写入 match_parameter / estimate m and u by EM over a sample of candidate record pairs and (with store) save them in match_parameter';

-- A person decides a pending review.
CREATE FUNCTION taxshare.match_review_decide(review_id bigint, decision text,
                                             decided_by text DEFAULT session_user)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r taxshare.match_review;
  target bigint;
BEGIN
  SELECT * INTO r FROM taxshare.match_review WHERE id = review_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'match review % does not exist', review_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.match_review where status = ''pending''.';
  END IF;
  IF r.status <> 'pending' THEN
    RAISE EXCEPTION 'match review % is already decided (%)', review_id, r.status
      USING ERRCODE = '55000', HINT = 'Only pending reviews can be decided.';
  END IF;
  IF decision IS NULL OR decision NOT IN ('link', 'reject') THEN
    RAISE EXCEPTION 'invalid review decision "%"', decision
      USING ERRCODE = '22023', HINT = 'Decide "link" (same entity) or "reject" (different entities).';
  END IF;
  IF decision = 'link' THEN
    target := r.candidate_entity_id;
    IF r.entity_id IS NOT NULL AND r.entity_id <> target THEN
      PERFORM taxshare.entity_merge(r.entity_id, target);
    END IF;
    UPDATE taxshare.record_party
       SET entity_id = target, method = 'manual',
           explanation = jsonb_build_object('method', 'manual', 'review', r.id, 'decided_by', decided_by,
                                            'probabilistic', r.explanation)
     WHERE record_id = r.record_id AND role = r.role;
  ELSE
    target := (SELECT rp.entity_id FROM taxshare.record_party rp
                WHERE rp.record_id = r.record_id AND rp.role = r.role);
    UPDATE taxshare.record_party
       SET method = 'manual',
           explanation = jsonb_build_object('method', 'manual', 'review', r.id, 'decided_by', decided_by,
                                            'rejected_candidate', r.candidate_entity_id,
                                            'probabilistic', r.explanation)
     WHERE record_id = r.record_id AND role = r.role;
  END IF;
  UPDATE taxshare.match_review
     SET status = CASE decision WHEN 'link' THEN 'linked' ELSE 'rejected' END,
         decided_by = match_review_decide.decided_by, decided_at = now()
   WHERE id = review_id;
  RETURN target;
END
$$;
COMMENT ON FUNCTION taxshare.match_review_decide(bigint, text, text) IS
  '复核决定: link 并入候选主体, reject 保留为不同主体; 返回该当事方的主体 / decide a review: link merges into the candidate, reject keeps them apart; returns the party''s entity';

-- Merge one entity into another: every reference moves, identifiers and
-- attributes the target lacks are kept, and the merged entity is removed if
-- nothing else refers to it.
CREATE FUNCTION taxshare.entity_merge(from_id bigint, into_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a taxshare.entity;
  b taxshare.entity;
BEGIN
  IF from_id = into_id THEN
    RETURN into_id;
  END IF;
  SELECT * INTO a FROM taxshare.entity WHERE id = from_id FOR UPDATE;
  SELECT * INTO b FROM taxshare.entity WHERE id = into_id FOR UPDATE;
  IF a.id IS NULL OR b.id IS NULL THEN
    RAISE EXCEPTION 'entity % does not exist', CASE WHEN a.id IS NULL THEN from_id ELSE into_id END
      USING ERRCODE = 'P0002', HINT = 'Pick ids from taxshare.entity.';
  END IF;
  IF a.kind <> b.kind THEN
    RAISE EXCEPTION 'cannot merge % entity % into % entity %', a.kind, from_id, b.kind, into_id
      USING ERRCODE = '22023', HINT = 'An enterprise and a person are never the same entity.';
  END IF;
  IF (a.uscc <> b.uscc) OR (a.idcard <> b.idcard) OR (a.orgcode <> b.orgcode) THEN
    RAISE EXCEPTION 'entities % and % have different identifiers', from_id, into_id
      USING ERRCODE = '22023',
            DETAIL = format('uscc %s / %s, idcard %s / %s, orgcode %s / %s', a.uscc, b.uscc, a.idcard,
                            b.idcard, a.orgcode, b.orgcode),
            HINT = 'Entities with different valid identifiers are different entities.';
  END IF;
  UPDATE taxshare.record_party SET entity_id = into_id WHERE entity_id = from_id;
  UPDATE taxshare.match_review SET entity_id = into_id WHERE entity_id = from_id;
  DELETE FROM taxshare.match_review WHERE candidate_entity_id = from_id AND status = 'pending'
     AND entity_id = into_id;
  UPDATE taxshare.match_review SET candidate_entity_id = into_id
   WHERE candidate_entity_id = from_id
     AND NOT EXISTS (SELECT 1 FROM taxshare.match_review x
                      WHERE x.record_id = match_review.record_id AND x.role = match_review.role
                        AND x.candidate_entity_id = into_id);
  INSERT INTO taxshare.entity_attribute (entity_id, kind, value, first_seen)
  SELECT into_id, kind, value, first_seen FROM taxshare.entity_attribute WHERE entity_id = from_id
  ON CONFLICT DO NOTHING;
  DELETE FROM taxshare.entity_attribute WHERE entity_id = from_id;
  IF to_regclass('taxshare.party_link') IS NOT NULL THEN
    UPDATE taxshare.party_link SET person_id = into_id WHERE person_id = from_id;
    UPDATE taxshare.party_link SET enterprise_id = into_id WHERE enterprise_id = from_id;
  END IF;
  IF to_regclass('taxshare.suspicion') IS NOT NULL THEN
    -- A point of the merged entity that the target already has for the same
    -- rule and period adds its evidence there; the others move.
    UPDATE taxshare.suspicion t
       SET evidence = ARRAY(SELECT DISTINCT x FROM unnest(t.evidence || s.evidence) x ORDER BY x),
           updated_at = now()
      FROM taxshare.suspicion s
     WHERE s.entity_id = from_id AND t.entity_id = into_id
       AND t.rule_code = s.rule_code AND t.period_start = s.period_start;
    DELETE FROM taxshare.suspicion s
     WHERE s.entity_id = from_id
       AND EXISTS (SELECT 1 FROM taxshare.suspicion t WHERE t.entity_id = into_id
                      AND t.rule_code = s.rule_code AND t.period_start = s.period_start);
    UPDATE taxshare.suspicion SET entity_id = into_id WHERE entity_id = from_id;
  END IF;
  -- Identifiers the target lacks move with the merged entity; the unique
  -- indexes need them gone from the merged one first.
  UPDATE taxshare.entity SET uscc = NULL, idcard = NULL, orgcode = NULL WHERE id = from_id;
  UPDATE taxshare.entity
     SET uscc = coalesce(b.uscc, a.uscc), idcard = coalesce(b.idcard, a.idcard),
         orgcode = coalesce(b.orgcode, a.orgcode), taxpayer_id = coalesce(b.taxpayer_id, a.taxpayer_id),
         name = coalesce(b.name, a.name), name_normalized = coalesce(b.name_normalized, a.name_normalized),
         region = coalesce(b.region, a.region), address = coalesce(b.address, a.address),
         phone = coalesce(b.phone, a.phone), updated_at = now()
   WHERE id = into_id;
  BEGIN
    DELETE FROM taxshare.entity WHERE id = from_id;
  EXCEPTION WHEN foreign_key_violation THEN
    -- Another module still refers to it: keep the empty shell.
    NULL;
  END;
  RETURN into_id;
END
$$;
COMMENT ON FUNCTION taxshare.entity_merge(bigint, bigint) IS
  '将一个主体并入另一个: 迁移所有引用并合并标识和属性 / merge one entity into another: move every reference and keep identifiers and attributes';

-- Records that say which entity a party is, by hand.
CREATE FUNCTION taxshare.record_party_set(record_id bigint, role text, entity_id bigint,
                                          note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taxshare.entity e WHERE e.id = record_party_set.entity_id) THEN
    RAISE EXCEPTION 'entity % does not exist', record_party_set.entity_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.entity.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.record_party_source s
                  WHERE s.record_id = record_party_set.record_id AND s.role = record_party_set.role) THEN
    RAISE EXCEPTION 'record % has no party "%"', record_party_set.record_id, record_party_set.role
      USING ERRCODE = '22023', HINT = 'Pick a record_id and role from taxshare.record_party_source.';
  END IF;
  INSERT INTO taxshare.record_party AS rp (record_id, role, entity_id, score, method, explanation)
  VALUES (record_id, role, entity_id, 1, 'manual',
          jsonb_build_object('method', 'manual', 'decided_by', session_user, 'note', note))
  ON CONFLICT ON CONSTRAINT record_party_pkey DO UPDATE
     SET entity_id = excluded.entity_id, score = 1, method = 'manual',
         explanation = excluded.explanation, resolved_at = now();
END
$$;
COMMENT ON FUNCTION taxshare.record_party_set(bigint, text, bigint, text) IS
  '人工指定某记录当事方的主体 (重建时保留) / say by hand which entity a party of a record is (kept by rebuilds)';

-- Entities nothing refers to any more (after a rebuild dropped the links):
-- every foreign key to taxshare.entity that neither cascades nor nulls is
-- checked, whichever module declared it.
CREATE FUNCTION taxshare._entity_prune()
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  refs text;
  n bigint;
BEGIN
  SELECT string_agg(format('NOT EXISTS (SELECT 1 FROM %s x WHERE x.%I = e.id)',
                           c.conrelid::regclass, a.attname), ' AND ' ORDER BY c.oid)
    INTO refs
    FROM pg_catalog.pg_constraint c
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
   WHERE c.contype = 'f' AND c.confrelid = 'taxshare.entity'::regclass
     AND cardinality(c.conkey) = 1 AND c.confdeltype NOT IN ('c', 'n');
  EXECUTE 'DELETE FROM taxshare.entity e WHERE ' || coalesce(refs, 'true');
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare._entity_prune() IS
  '内部: 删除不再被任何表引用的主体 / internal: delete the entities nothing refers to any more';
-- Persons behind enterprises (DOMAIN.md, Binzhou 003): the legal
-- representative, investors (with their shares), the finance head and the tax
-- handler of each enterprise, filled from registry-type catalog items after
-- resolve_entities() has linked their parties.

CREATE TABLE taxshare.party_link (
  id                bigserial PRIMARY KEY,
  person_id         bigint NOT NULL REFERENCES taxshare.entity (id),
  enterprise_id     bigint NOT NULL REFERENCES taxshare.entity (id),
  role              text NOT NULL CHECK (role IN ('legal_rep', 'investor', 'finance_head', 'tax_handler')),
  share             numeric CHECK (share IS NULL OR (share >= 0 AND share <= 100)),
  valid_from        date,
  valid_to          date CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from),
  source_record_id  bigint,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (person_id <> enterprise_id)
);
CREATE UNIQUE INDEX party_link_once ON taxshare.party_link
  (enterprise_id, person_id, role, coalesce(source_record_id, 0));
CREATE INDEX party_link_person ON taxshare.party_link (person_id);
COMMENT ON TABLE taxshare.party_link IS
  '企业的关键人员: 法定代表人、投资人 (出资比例)、财务负责人、办税人 / key persons of enterprises: legal representative, investors (share), finance head, tax handler';
COMMENT ON COLUMN taxshare.party_link.person_id IS
  '人员主体; 投资人也可以是企业 / the person entity; an investor may also be an enterprise';
COMMENT ON COLUMN taxshare.party_link.share IS
  '出资比例 (百分数) / share of the investment, in per cent';
COMMENT ON COLUMN taxshare.party_link.source_record_id IS
  '来源登记记录, 人工录入时为空 / the registry record it came from; NULL when entered by hand';
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_link', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_link_id_seq', '');

-- Which registry items say who holds which role: in item_code, the party
-- person_role holds link_role in the party enterprise_role of the same record.
CREATE TABLE taxshare.party_link_source (
  item_code         text NOT NULL,
  enterprise_role   text NOT NULL,
  person_role       text NOT NULL,
  link_role         text NOT NULL CHECK (link_role IN ('legal_rep', 'investor', 'finance_head', 'tax_handler')),
  share_field       text,
  valid_from_field  text,
  valid_to_field    text,
  PRIMARY KEY (item_code, person_role),
  CHECK (enterprise_role <> person_role)
);
COMMENT ON TABLE taxshare.party_link_source IS
  '登记类目录条目中哪个当事方担任哪个关键岗位 / which party of a registry item holds which key role in which other party';
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_link_source', '');

-- Links of the records resolved so far that are not yet in party_link.
CREATE FUNCTION taxshare.party_link_refresh(since timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n bigint;
BEGIN
  INSERT INTO taxshare.party_link AS l (person_id, enterprise_id, role, share, valid_from, valid_to,
                                        source_record_id)
  SELECT pp.entity_id, ep.entity_id, s.link_role,
         CASE WHEN s.share_field IS NOT NULL
                   AND (c.payload ->> s.share_field) ~ '^[0-9]+(\.[0-9]+)?$'
              THEN (c.payload ->> s.share_field)::numeric END,
         coalesce(CASE WHEN s.valid_from_field IS NOT NULL
                            AND (c.payload ->> s.valid_from_field) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                       THEN (c.payload ->> s.valid_from_field)::date END,
                  c.period_start),
         CASE WHEN s.valid_to_field IS NOT NULL
                   AND (c.payload ->> s.valid_to_field) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
              THEN (c.payload ->> s.valid_to_field)::date END,
         c.id
    FROM taxshare.party_link_source s
    JOIN taxshare.current_record c ON c.item_code = s.item_code
    JOIN taxshare.record_party ep ON ep.record_id = c.id AND ep.role = s.enterprise_role
    JOIN taxshare.record_party pp ON pp.record_id = c.id AND pp.role = s.person_role
   WHERE ep.entity_id IS NOT NULL AND pp.entity_id IS NOT NULL AND ep.entity_id <> pp.entity_id
     AND (since IS NULL OR ep.resolved_at >= since OR pp.resolved_at >= since)
  ON CONFLICT (enterprise_id, person_id, role, coalesce(source_record_id, 0)) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare.party_link_refresh(timestamptz) IS
  '由已关联的登记记录 (since 之后关联的) 补充企业关键人员关系, 返回新增条数 / add the key-person links of registry records resolved since the given time (all when NULL); returns how many were added';

-- The persons behind each enterprise as of today.
CREATE VIEW taxshare.enterprise_person AS
  SELECT l.enterprise_id, e.name AS enterprise_name, l.role, l.person_id, p.kind AS person_kind,
         p.name AS person_name, p.idcard, p.uscc AS person_uscc, l.share, l.valid_from, l.valid_to
    FROM taxshare.party_link l
    JOIN taxshare.entity e ON e.id = l.enterprise_id
    JOIN taxshare.entity p ON p.id = l.person_id
   WHERE l.valid_to IS NULL OR l.valid_to >= current_date;
COMMENT ON VIEW taxshare.enterprise_person IS
  '企业现任关键人员 / current key persons of each enterprise';
-- Cross-check rules (交叉比对): what a department reports against what was
-- declared to tax, the suspicious points (疑点) they find, and the tax
-- bureau's triage of them (DOMAIN.md "From data to risk", steps 1-2;
-- docs/matching.md "How to write a rule").

CREATE FUNCTION taxshare.rule_expr_sql(expr text, alias text DEFAULT 'c') RETURNS text
  AS 'MODULE_PATHNAME', 'rule_expr_sql'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.rule_expr_sql(text, text) IS
  '将应有金额表达式 (字段、数字、四则运算、min/max/round/abs/coalesce) 编译为 SQL / compile an expected-amount expression (fields, numbers, + - * /, min/max/round/abs/coalesce) into SQL over alias.payload';

CREATE FUNCTION taxshare.rule_expr_fields(expr text) RETURNS text[]
  AS 'MODULE_PATHNAME', 'rule_expr_fields'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.rule_expr_fields(text) IS
  '表达式引用的字段名 / the field names an expression refers to';

CREATE TABLE taxshare.match_rule (
  code                 text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  title                text NOT NULL CHECK (btrim(title) <> ''),
  description          text,
  source_item          text NOT NULL,
  target_item          text NOT NULL,
  party_role           text NOT NULL,
  target_role          text,
  check_kind           text NOT NULL CHECK (check_kind IN ('missing', 'amount_below', 'count_mismatch')),
  expected_expr        text,
  source_amount_field  text,
  target_amount_field  text,
  tolerance_abs        numeric CHECK (tolerance_abs >= 0 AND tolerance_abs <> 'NaN'),
  tolerance_rel        numeric CHECK (tolerance_rel >= 0 AND tolerance_rel <= 1),
  period_window        text NOT NULL DEFAULT 'same'
                       CHECK (period_window ~ '^(same|\+[0-9]{1,2} months?)$'),
  indicator_code       text,
  active               boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.match_rule IS
  '交叉比对规则: 部门数据 (来源) 与税务申报 (目标) 按当事方主体比对 / cross-check rules: a department''s item (source) against a tax item (target), joined on the entity of a party';
COMMENT ON COLUMN taxshare.match_rule.party_role IS
  '来源条目中用于关联的当事方 / the party of the source item to join on';
COMMENT ON COLUMN taxshare.match_rule.target_role IS
  '目标条目中的当事方, 为空时同 party_role / the party of the target item; NULL: the same role as party_role';
COMMENT ON COLUMN taxshare.match_rule.check_kind IS
  'missing 目标中无记录; amount_below 申报金额低于应有金额超过容差; count_mismatch 人数/笔数不符超过容差 / missing in target; amount below the expected by more than the tolerance; count mismatch beyond the tolerance';
COMMENT ON COLUMN taxshare.match_rule.expected_expr IS
  '应有金额, 来源字段的表达式, 如 price * 3% / expected amount: an expression over source fields, e.g. price * 3%';
COMMENT ON COLUMN taxshare.match_rule.source_amount_field IS
  '来源金额或人数字段 (无表达式时的应有金额; count_mismatch 的来源人数) / source amount or count field';
COMMENT ON COLUMN taxshare.match_rule.target_amount_field IS
  '目标申报金额或人数字段 / target declared amount or count field';
COMMENT ON COLUMN taxshare.match_rule.tolerance_abs IS
  '绝对容差: 差额须超过此值 / absolute tolerance: the gap must exceed it';
COMMENT ON COLUMN taxshare.match_rule.tolerance_rel IS
  '相对容差 (0-1): 差额须超过应有值的此比例 / relative tolerance (0-1): the gap must exceed this share of the expected value';
COMMENT ON COLUMN taxshare.match_rule.period_window IS
  'same 同月; +N months 目标所属期可延后 N 个月 / same month, or the target period may be up to N months later';
COMMENT ON COLUMN taxshare.match_rule.indicator_code IS
  '对应的风险指标 (taxshare.indicator) / the risk indicator the points count towards';
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_rule', '');

-- A rule is checked against the catalog when written, so that run_rules()
-- never meets an unknown item, party or field.
CREATE FUNCTION taxshare._match_rule_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  f text;
  item text;
  ver integer;
  numeric_types constant text[] := ARRAY['amount', 'number', 'integer'];
BEGIN
  FOREACH item IN ARRAY ARRAY[NEW.source_item, NEW.target_item] LOOP
    IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_item i WHERE i.code = item) THEN
      RAISE EXCEPTION 'rule "%": unknown catalog item "%"', NEW.code, item
        USING ERRCODE = '22023', HINT = 'Define the item with taxshare.catalog_define() first.';
    END IF;
  END LOOP;
  SELECT max(i.version) INTO ver FROM taxshare.catalog_item i WHERE i.code = NEW.source_item;
  IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_party p WHERE p.item_code = NEW.source_item
                    AND p.item_version = ver AND p.role = NEW.party_role) THEN
    RAISE EXCEPTION 'rule "%": item "%" has no party "%"', NEW.code, NEW.source_item, NEW.party_role
      USING ERRCODE = '22023', HINT = 'party_role names one of the "parties" of the source item.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_party p
                  WHERE p.item_code = NEW.target_item
                    AND p.item_version = (SELECT max(i.version) FROM taxshare.catalog_item i
                                           WHERE i.code = NEW.target_item)
                    AND p.role = coalesce(NEW.target_role, NEW.party_role)) THEN
    RAISE EXCEPTION 'rule "%": item "%" has no party "%"', NEW.code, NEW.target_item,
                    coalesce(NEW.target_role, NEW.party_role)
      USING ERRCODE = '22023', HINT = 'target_role names one of the "parties" of the target item.';
  END IF;
  IF NEW.check_kind = 'amount_below' AND (NEW.target_amount_field IS NULL
     OR (NEW.expected_expr IS NULL AND NEW.source_amount_field IS NULL)) THEN
    RAISE EXCEPTION 'rule "%": an amount_below check needs an expected amount and a target amount field', NEW.code
      USING ERRCODE = '22023',
            HINT = 'Set expected_expr (or source_amount_field) and target_amount_field.';
  END IF;
  -- every field named must exist in the item and hold a number
  FOR f, item IN
    SELECT x, NEW.source_item FROM unnest(taxshare.rule_expr_fields(NEW.expected_expr)) x
    UNION ALL SELECT NEW.source_amount_field, NEW.source_item WHERE NEW.source_amount_field IS NOT NULL
    UNION ALL SELECT NEW.target_amount_field, NEW.target_item WHERE NEW.target_amount_field IS NOT NULL
  LOOP
    IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_field c
                    WHERE c.item_code = item AND c.name = f
                      AND c.item_version = (SELECT max(i.version) FROM taxshare.catalog_item i WHERE i.code = item)
                      AND c.type = ANY (numeric_types)) THEN
      RAISE EXCEPTION 'rule "%": item "%" has no numeric field "%"', NEW.code, item, f
        USING ERRCODE = '22023', HINT = 'Name a field of type amount, number or integer of the item''s latest version.';
    END IF;
  END LOOP;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare._match_rule_check() IS
  '内部: 写入规则时按共享目录校验 / internal: check a rule against the catalog when it is written';
CREATE TRIGGER match_rule_check BEFORE INSERT OR UPDATE ON taxshare.match_rule
  FOR EACH ROW EXECUTE FUNCTION taxshare._match_rule_check();

CREATE TABLE taxshare.suspicion (
  id               bigserial PRIMARY KEY,
  rule_code        text NOT NULL REFERENCES taxshare.match_rule (code) ON UPDATE CASCADE,
  entity_id        bigint NOT NULL REFERENCES taxshare.entity (id),
  period_start     date NOT NULL,
  amount_involved  numeric(18, 2),
  evidence         bigint[],
  details          jsonb,
  status           text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'excluded')),
  reason           text,
  triaged_by       text,
  triaged_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT suspicion_once UNIQUE (rule_code, entity_id, period_start),
  CHECK (status <> 'excluded' OR btrim(coalesce(reason, '')) <> '')
);
CREATE INDEX suspicion_entity ON taxshare.suspicion (entity_id);
CREATE INDEX suspicion_period ON taxshare.suspicion (period_start, status);
COMMENT ON TABLE taxshare.suspicion IS
  '疑点: 规则在某期对某主体的发现及税务部门的核实结论 / suspicious points: what a rule found about an entity in a period, and the tax bureau''s triage';
COMMENT ON COLUMN taxshare.suspicion.amount_involved IS
  '涉及金额: 少报差额或应有金额 / amount involved: the shortfall or the expected amount';
COMMENT ON COLUMN taxshare.suspicion.evidence IS
  '证据记录编号 (来源与目标) / ids of the records (source and target) behind the point';
COMMENT ON COLUMN taxshare.suspicion.details IS
  '比对数值: 应有、申报、人数等 / the compared figures: expected, declared, counts';
COMMENT ON COLUMN taxshare.suspicion.status IS
  'new 新发现, confirmed 税务部门确认, excluded 排除 (须说明理由) / new, confirmed by the tax bureau, or excluded (with a reason)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.suspicion', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.suspicion_id_seq', '');

-- The SQL that finds the points of one rule in one month ($1): the source
-- records of the month, grouped by the entity of the party, against the
-- target records whose period overlaps the month and the window after it.
CREATE FUNCTION taxshare._match_rule_sql(r taxshare.match_rule)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  expected text;
  source_count text := '1::numeric';
  target_count text := '1::numeric';
  target_amount text := 'NULL::numeric';
  window_months integer := coalesce(substring(r.period_window FROM '^\+([0-9]+)')::integer, 0);
  found text;
  cond text;
  amount text;
  details text;
  evidence text;
BEGIN
  IF r.expected_expr IS NOT NULL THEN
    expected := taxshare.rule_expr_sql(r.expected_expr, 'c');
  ELSIF r.source_amount_field IS NOT NULL AND r.check_kind <> 'count_mismatch' THEN
    expected := format('((c.payload ->> %L)::numeric)', r.source_amount_field);
  ELSE
    expected := 'NULL::numeric';
  END IF;
  IF r.check_kind = 'count_mismatch' AND r.source_amount_field IS NOT NULL THEN
    source_count := format('((c.payload ->> %L)::numeric)', r.source_amount_field);
  END IF;
  IF r.target_amount_field IS NOT NULL THEN
    target_amount := format('((c.payload ->> %L)::numeric)', r.target_amount_field);
    IF r.check_kind = 'count_mismatch' THEN
      target_count := target_amount;
    END IF;
  END IF;

  found := format($f$
    WITH src AS (
      SELECT rp.entity_id, c.id AS record_id, %1$s AS expected, %2$s AS cnt
        FROM taxshare.current_record c
        JOIN taxshare.record_party rp ON rp.record_id = c.id AND rp.role = %3$L
       WHERE c.item_code = %4$L AND c.period_start >= $1 AND c.period_start < $1 + interval '1 month'
         AND rp.entity_id IS NOT NULL
    ), tgt AS (
      SELECT rp.entity_id, c.id AS record_id, %5$s AS amount, %6$s AS cnt
        FROM taxshare.current_record c
        JOIN taxshare.record_party rp ON rp.record_id = c.id AND rp.role = %7$L
       WHERE c.item_code = %8$L AND c.period_end >= $1
         AND c.period_start < $1 + make_interval(months => 1 + %9$s)
         AND rp.entity_id IN (SELECT entity_id FROM src)
    ), s AS (
      SELECT entity_id, sum(expected) AS expected, sum(cnt) AS cnt, count(*) AS records,
             array_agg(record_id ORDER BY record_id) AS evidence
        FROM src GROUP BY entity_id
    ), t AS (
      SELECT entity_id, sum(amount) AS amount, sum(cnt) AS cnt, count(*) AS records,
             array_agg(record_id ORDER BY record_id) AS evidence
        FROM tgt GROUP BY entity_id
    )$f$,
    expected, source_count, r.party_role, r.source_item,
    target_amount, target_count, coalesce(r.target_role, r.party_role), r.target_item, window_months);

  evidence := 's.evidence || coalesce(t.evidence, ''{}'')';
  IF r.check_kind = 'missing' THEN
    cond := 't.entity_id IS NULL';
    amount := 's.expected';
    evidence := 's.evidence';
    details := 'jsonb_build_object(''source_records'', s.records, ''expected'', round(s.expected, 2))';
  ELSIF r.check_kind = 'amount_below' THEN
    cond := format('s.expected - coalesce(t.amount, 0) > %L::numeric AND s.expected - coalesce(t.amount, 0) > %L::numeric * s.expected',
                   coalesce(r.tolerance_abs, 0), coalesce(r.tolerance_rel, 0));
    amount := 's.expected - coalesce(t.amount, 0)';
    details := 'jsonb_build_object(''expected'', round(s.expected, 2), ''declared'', round(coalesce(t.amount, 0), 2), '
               '''shortfall'', round(s.expected - coalesce(t.amount, 0), 2), ''source_records'', s.records, '
               '''target_records'', coalesce(t.records, 0))';
  ELSE
    cond := format('abs(s.cnt - coalesce(t.cnt, 0)) > %L::numeric AND abs(s.cnt - coalesce(t.cnt, 0)) > %L::numeric * greatest(s.cnt, coalesce(t.cnt, 0))',
                   coalesce(r.tolerance_abs, 0), coalesce(r.tolerance_rel, 0));
    amount := 's.expected';
    details := 'jsonb_build_object(''source_count'', s.cnt, ''target_count'', coalesce(t.cnt, 0), '
               '''difference'', s.cnt - coalesce(t.cnt, 0), ''source_records'', s.records, '
               '''target_records'', coalesce(t.records, 0))';
  END IF;
  RETURN found || format($f$
    SELECT s.entity_id, round(%1$s, 2) AS amount_involved, %2$s AS evidence, %3$s AS details
      FROM s LEFT JOIN t ON t.entity_id = s.entity_id
     WHERE %4$s$f$, amount, evidence, details, cond);
END
$$;
COMMENT ON FUNCTION taxshare._match_rule_sql(taxshare.match_rule) IS
  '内部: 生成某规则查找疑点的 SQL (参数 $1 为月份首日) / internal: the SQL finding the points of a rule in the month starting at $1';

CREATE FUNCTION taxshare.run_rules(period_start date, resolve boolean DEFAULT true)
RETURNS TABLE (rule_code text, points bigint, inserted bigint, updated bigint, cleared bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r taxshare.match_rule;
  p date := run_rules.period_start;
BEGIN
  IF p IS NULL OR p <> date_trunc('month', p)::date THEN
    RAISE EXCEPTION 'period start % is not the first day of a month', p
      USING ERRCODE = '22023', HINT = 'Rules run per month: pass e.g. ''2024-03-01''.';
  END IF;
  IF resolve THEN
    PERFORM taxshare.resolve_entities();
  END IF;
  -- one run per month at a time: the upserts and clean-ups of two runs must not interleave
  PERFORM pg_advisory_xact_lock(hashtext('taxshare.run_rules'), (p - date '2000-01-01'));
  FOR r IN SELECT * FROM taxshare.match_rule m WHERE m.active ORDER BY m.code LOOP
    rule_code := r.code;
    EXECUTE format($q$
      WITH found AS (%s),
      up AS (
        INSERT INTO taxshare.suspicion AS x (rule_code, entity_id, period_start, amount_involved,
                                             evidence, details)
        SELECT %L, f.entity_id, $1, f.amount_involved, f.evidence, f.details FROM found f
        ON CONFLICT ON CONSTRAINT suspicion_once DO UPDATE
           SET amount_involved = excluded.amount_involved, evidence = excluded.evidence,
               details = excluded.details, updated_at = now()
         WHERE (x.amount_involved, x.evidence, x.details)
               IS DISTINCT FROM (excluded.amount_involved, excluded.evidence, excluded.details)
        RETURNING (x.xmax = 0) AS fresh
      ),
      gone AS (
        DELETE FROM taxshare.suspicion s
         WHERE s.rule_code = %L AND s.period_start = $1 AND s.status = 'new'
           AND NOT EXISTS (SELECT 1 FROM found f WHERE f.entity_id = s.entity_id)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM found), (SELECT count(*) FILTER (WHERE fresh) FROM up),
             (SELECT count(*) FILTER (WHERE NOT fresh) FROM up), (SELECT count(*) FROM gone)$q$,
      taxshare._match_rule_sql(r), r.code, r.code)
    INTO points, inserted, updated, cleared
    USING p;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION taxshare.run_rules(date, boolean) IS
  '对某月执行全部启用的比对规则, 写入疑点 (重复执行不重复写入, 保留核实结论; 不再成立的新疑点被清除); resolve 时先关联新记录 / run every active rule for the month: upsert suspicions (re-runs add no duplicates and keep triage; new points that no longer hold are cleared); with resolve, link new records first';

CREATE FUNCTION taxshare.suspicion_triage(suspicion_id bigint, status text, reason text DEFAULT NULL)
RETURNS taxshare.suspicion
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s taxshare.suspicion;
BEGIN
  IF status IS NULL OR status NOT IN ('new', 'confirmed', 'excluded') THEN
    RAISE EXCEPTION 'invalid suspicion status "%"', status
      USING ERRCODE = '22023', HINT = 'The status is "confirmed", "excluded" (with a reason) or "new".';
  END IF;
  IF status = 'excluded' AND btrim(coalesce(reason, '')) = '' THEN
    RAISE EXCEPTION 'excluding suspicion % needs a reason', suspicion_id
      USING ERRCODE = '22023',
            HINT = 'Say why the point is dropped, e.g. "已在外地申报缴纳" (declared and paid elsewhere).';
  END IF;
  UPDATE taxshare.suspicion x
     SET status = suspicion_triage.status, reason = suspicion_triage.reason,
         triaged_by = session_user, triaged_at = now(), updated_at = now()
   WHERE x.id = suspicion_id
  RETURNING x.* INTO s;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'suspicion % does not exist', suspicion_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.suspicion.';
  END IF;
  RETURN s;
END
$$;
COMMENT ON FUNCTION taxshare.suspicion_triage(bigint, text, text) IS
  '税务部门核实疑点: confirmed 确认, excluded 排除 (须说明理由), new 退回待核 / the tax bureau''s triage: confirm, exclude (a reason is required) or reset to new';

-- What the tax bureau reads: each point with its entity and rule.
CREATE VIEW taxshare.suspicion_list AS
  SELECT s.id, s.period_start, s.rule_code, r.title AS rule_title, r.indicator_code,
         s.entity_id, e.kind AS entity_kind, e.name AS entity_name, e.uscc, e.idcard,
         s.amount_involved, s.details, s.evidence, s.status, s.reason, s.created_at, s.updated_at
    FROM taxshare.suspicion s
    JOIN taxshare.match_rule r ON r.code = s.rule_code
    JOIN taxshare.entity e ON e.id = s.entity_id;
COMMENT ON VIEW taxshare.suspicion_list IS
  '疑点清单: 疑点及其主体和规则 / suspicious points with their entity and rule';
-- The starter pack: catalog items and cross-check rules for six of the
-- comparisons DOMAIN.md lists ("From data to risk"): property sales vs deed
-- tax, land transfers vs land-use tax, construction permits vs construction
-- VAT, new registrations vs tax registration, social-insurance headcount vs
-- wage withholding, government payments vs invoices.  Plus the registry
-- items that say who stands behind each enterprise (party_link).
--
-- It is a function, not rows written by CREATE EXTENSION: the tables it
-- fills are configuration tables that pg_dump saves, and rows written at
-- CREATE EXTENSION would be restored twice.  Run it once per database; it is
-- idempotent (catalog_define returns the current version for an identical
-- definition, the other rows are inserted ON CONFLICT DO NOTHING), so running
-- it again after an upgrade adds what is new and changes nothing else.

CREATE FUNCTION taxshare.starter_pack_install()
RETURNS TABLE (kind text, code text, title text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d jsonb;
BEGIN
  INSERT INTO taxshare.unit (code, name, kind) VALUES
    ('ZJJ',   '住房和城乡建设局',     'department'),
    ('ZRZYJ', '自然资源和规划局',     'department'),
    ('SCJGJ', '市场监督管理局',       'department'),
    ('RSJ',   '人力资源和社会保障局', 'department'),
    ('CZJ',   '财政局',               'department'),
    ('SWJ',   '税务局',               'tax')
  ON CONFLICT DO NOTHING;

  -- The tax bureau's taxpayer IDs are of every era (USCC, legacy
  -- 15-character, resident ID + 00), so they are text fields its parties name
  -- as taxpayer_id for the resolver; addresses and phones help with names.
  FOR d IN SELECT x FROM jsonb_array_elements($items$[
  {"code": "ZJ-SPF-001", "title": "商品房网签备案信息", "provider": "ZJJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "契税、增值税征管比对",
   "description": "新建商品房买卖合同网签备案, 每月 10 日前报送上月数据",
   "schema": {"fields": [
     {"name": "contract_no", "title": "合同备案号", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "项目名称", "type": "string"},
     {"name": "seller_uscc", "title": "出卖人统一社会信用代码", "type": "uscc"},
     {"name": "seller_name", "title": "出卖人名称", "type": "string", "constraints": {"required": true}},
     {"name": "buyer_name", "title": "买受人名称", "type": "string", "constraints": {"required": true}},
     {"name": "buyer_idcard", "title": "买受人身份证号码", "type": "idcard"},
     {"name": "buyer_uscc", "title": "买受人统一社会信用代码", "type": "uscc"},
     {"name": "house_address", "title": "房屋坐落", "type": "string"},
     {"name": "house_use", "title": "房屋用途", "type": "string", "constraints": {"enum": ["住宅", "商业", "办公", "车位", "其他"]}},
     {"name": "area", "title": "建筑面积(平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "price", "title": "合同总价(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "sign_date", "title": "签约日期", "type": "date", "constraints": {"required": true}},
     {"name": "record_date", "title": "备案日期", "type": "date"}],
    "primaryKey": "contract_no"},
   "parties": [{"role": "seller", "uscc": "seller_uscc", "name": "seller_name"},
               {"role": "buyer", "idcard": "buyer_idcard", "uscc": "buyer_uscc", "name": "buyer_name"}],
   "rules": [{"rule": "lte", "fields": ["sign_date", "record_date"]}]},

  {"code": "SW-QS-001", "title": "契税申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional", "scope": "契税征管比对",
   "schema": {"fields": [
     {"name": "declaration_no", "title": "申报表编号", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "property_address", "title": "房屋坐落", "type": "string"},
     {"name": "contract_no", "title": "合同编号", "type": "string"},
     {"name": "tax_base", "title": "计税依据(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "tax_rate", "title": "适用税率", "type": "number", "constraints": {"minimum": 0, "maximum": 0.05}},
     {"name": "tax_amount", "title": "应纳税额(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "declared_on", "title": "申报日期", "type": "date"}],
    "primaryKey": "declaration_no"},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name"}]},

  {"code": "ZRZY-CR-001", "title": "国有建设用地使用权出让信息", "provider": "ZRZYJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "城镇土地使用税、契税征管比对",
   "schema": {"fields": [
     {"name": "contract_no", "title": "出让合同编号", "type": "string", "constraints": {"required": true}},
     {"name": "parcel_no", "title": "宗地编号", "type": "string"},
     {"name": "location", "title": "宗地坐落", "type": "string"},
     {"name": "land_use", "title": "土地用途", "type": "string"},
     {"name": "area", "title": "出让面积(平方米)", "type": "number", "constraints": {"required": true, "minimum": 0}},
     {"name": "price", "title": "成交价款(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "transferee_uscc", "title": "受让人统一社会信用代码", "type": "uscc"},
     {"name": "transferee_name", "title": "受让人名称", "type": "string", "constraints": {"required": true}},
     {"name": "sign_date", "title": "合同签订日期", "type": "date"},
     {"name": "delivery_date", "title": "约定交地日期", "type": "date"}],
    "primaryKey": "contract_no"},
   "parties": [{"role": "transferee", "uscc": "transferee_uscc", "name": "transferee_name"}]},

  {"code": "SW-TDSYS-001", "title": "城镇土地使用税申报信息", "provider": "SWJ", "frequency": "quarterly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "parcel_location", "title": "土地坐落", "type": "string"},
     {"name": "taxable_area", "title": "应税面积(平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "unit_tax", "title": "单位税额(元/平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "tax_amount", "title": "本期应纳税额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name"}]},

  {"code": "ZJ-SGXK-001", "title": "建筑工程施工许可信息", "provider": "ZJJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "建筑业增值税征管比对",
   "schema": {"fields": [
     {"name": "permit_no", "title": "施工许可证编号", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "工程名称", "type": "string"},
     {"name": "project_address", "title": "建设地址", "type": "string"},
     {"name": "owner_uscc", "title": "建设单位统一社会信用代码", "type": "uscc"},
     {"name": "owner_name", "title": "建设单位名称", "type": "string"},
     {"name": "builder_uscc", "title": "施工单位统一社会信用代码", "type": "uscc"},
     {"name": "builder_name", "title": "施工单位名称", "type": "string", "constraints": {"required": true}},
     {"name": "contract_amount", "title": "合同价格(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "floor_area", "title": "建筑面积(平方米)", "type": "number"},
     {"name": "issue_date", "title": "发证日期", "type": "date"}],
    "primaryKey": "permit_no"},
   "parties": [{"role": "owner", "kind": "enterprise", "uscc": "owner_uscc", "name": "owner_name"},
               {"role": "builder", "kind": "enterprise", "uscc": "builder_uscc", "name": "builder_name"}]},

  {"code": "SW-JZYZZS-001", "title": "建筑服务增值税预缴申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "项目名称", "type": "string"},
     {"name": "project_address", "title": "项目地址", "type": "string"},
     {"name": "sales_amount", "title": "含税销售额(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "prepaid_tax", "title": "预缴税款(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "taxpayer", "kind": "enterprise", "taxpayer_id": "taxpayer_id",
                "name": "taxpayer_name"}]},

  {"code": "SCJG-DJ-001", "title": "企业设立登记信息", "provider": "SCJGJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "税务登记、关联人员管理",
   "schema": {"fields": [
     {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
     {"name": "name", "title": "企业名称", "type": "string", "constraints": {"required": true}},
     {"name": "enterprise_type", "title": "企业类型", "type": "string"},
     {"name": "address", "title": "住所", "type": "string"},
     {"name": "region", "title": "住所所在行政区划", "type": "division"},
     {"name": "phone", "title": "联系电话", "type": "phone"},
     {"name": "registered_capital", "title": "注册资本(万元)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "established_on", "title": "成立日期", "type": "date", "constraints": {"required": true}},
     {"name": "legal_rep_name", "title": "法定代表人", "type": "string"},
     {"name": "legal_rep_idcard", "title": "法定代表人身份证号码", "type": "idcard"},
     {"name": "finance_head_name", "title": "财务负责人", "type": "string"},
     {"name": "finance_head_idcard", "title": "财务负责人身份证号码", "type": "idcard"},
     {"name": "tax_handler_name", "title": "办税人", "type": "string"},
     {"name": "tax_handler_idcard", "title": "办税人身份证号码", "type": "idcard"}],
    "primaryKey": "uscc"},
   "parties": [{"role": "enterprise", "kind": "enterprise", "uscc": "uscc", "name": "name",
                "region": "region", "address": "address", "phone": "phone"},
               {"role": "legal_rep", "kind": "person", "idcard": "legal_rep_idcard", "name": "legal_rep_name"},
               {"role": "finance_head", "kind": "person", "idcard": "finance_head_idcard", "name": "finance_head_name"},
               {"role": "tax_handler", "kind": "person", "idcard": "tax_handler_idcard", "name": "tax_handler_name"}]},

  {"code": "SCJG-GD-001", "title": "企业股东及出资信息", "provider": "SCJGJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "关联人员管理",
   "schema": {"fields": [
     {"name": "uscc", "title": "企业统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
     {"name": "name", "title": "企业名称", "type": "string"},
     {"name": "investor_name", "title": "股东名称", "type": "string", "constraints": {"required": true}},
     {"name": "investor_idcard", "title": "股东身份证号码", "type": "idcard"},
     {"name": "investor_uscc", "title": "股东统一社会信用代码", "type": "uscc"},
     {"name": "share", "title": "出资比例(%)", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
     {"name": "subscribed", "title": "认缴出资额(万元)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "changed_on", "title": "变更日期", "type": "date"}]},
   "parties": [{"role": "enterprise", "uscc": "uscc", "name": "name"},
               {"role": "investor", "idcard": "investor_idcard", "uscc": "investor_uscc", "name": "investor_name"}]},

  {"code": "SW-DJ-001", "title": "税务登记信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_status", "title": "纳税人状态", "type": "string"},
     {"name": "address", "title": "生产经营地址", "type": "string"},
     {"name": "phone", "title": "联系电话", "type": "string"},
     {"name": "registered_on", "title": "登记日期", "type": "date"}]},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name",
                "address": "address", "phone": "phone"}]},

  {"code": "RS-SB-001", "title": "社会保险参保缴费信息", "provider": "RSJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "个人所得税扣缴比对",
   "schema": {"fields": [
     {"name": "employer_uscc", "title": "单位统一社会信用代码", "type": "uscc"},
     {"name": "employer_name", "title": "单位名称", "type": "string", "constraints": {"required": true}},
     {"name": "insured_count", "title": "参保人数", "type": "integer", "constraints": {"required": true, "minimum": 0}},
     {"name": "wage_base_total", "title": "缴费基数合计(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "paid_amount", "title": "实缴金额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "employer", "kind": "enterprise", "uscc": "employer_uscc", "name": "employer_name"}]},

  {"code": "SW-GSKJ-001", "title": "个人所得税扣缴申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "withholder_id", "title": "扣缴义务人纳税人识别号", "type": "string"},
     {"name": "withholder_name", "title": "扣缴义务人名称", "type": "string", "constraints": {"required": true}},
     {"name": "withheld_count", "title": "扣缴申报人数", "type": "integer", "constraints": {"required": true, "minimum": 0}},
     {"name": "income_total", "title": "收入额合计(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "tax_withheld", "title": "已扣缴税额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "withholder", "kind": "enterprise", "taxpayer_id": "withholder_id",
                "name": "withholder_name"}]},

  {"code": "CZ-GKZF-001", "title": "国库集中支付信息", "provider": "CZJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "发票开具比对",
   "schema": {"fields": [
     {"name": "voucher_no", "title": "支付凭证号", "type": "string", "constraints": {"required": true}},
     {"name": "budget_unit", "title": "预算单位", "type": "string"},
     {"name": "payee_uscc", "title": "收款人统一社会信用代码", "type": "uscc"},
     {"name": "payee_name", "title": "收款人全称", "type": "string", "constraints": {"required": true}},
     {"name": "payee_account", "title": "收款人账号", "type": "string"},
     {"name": "amount", "title": "支付金额(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "purpose", "title": "用途", "type": "string"},
     {"name": "paid_on", "title": "支付日期", "type": "date"}],
    "primaryKey": "voucher_no"},
   "parties": [{"role": "payee", "kind": "enterprise", "uscc": "payee_uscc", "name": "payee_name"}]},

  {"code": "SW-FP-001", "title": "增值税发票开具汇总信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "seller_id", "title": "销售方纳税人识别号", "type": "string"},
     {"name": "seller_name", "title": "销售方名称", "type": "string", "constraints": {"required": true}},
     {"name": "invoice_count", "title": "开具份数", "type": "integer", "constraints": {"minimum": 0}},
     {"name": "amount_total", "title": "金额合计(不含税, 元)", "type": "amount"},
     {"name": "tax_total", "title": "税额合计(元)", "type": "amount"},
     {"name": "amount_with_tax", "title": "价税合计(元)", "type": "amount", "constraints": {"required": true}}]},
   "parties": [{"role": "seller", "kind": "enterprise", "taxpayer_id": "seller_id", "name": "seller_name"}]}
  ]$items$::jsonb) AS a(x)
  LOOP
    PERFORM taxshare.catalog_define(d);
    kind := 'item';
    code := d ->> 'code';
    title := d ->> 'title';
    RETURN NEXT;
  END LOOP;


  INSERT INTO taxshare.party_link_source (item_code, enterprise_role, person_role, link_role,
                                          share_field, valid_from_field, valid_to_field)
  VALUES ('SCJG-DJ-001', 'enterprise', 'legal_rep', 'legal_rep', NULL, 'established_on', NULL),
         ('SCJG-DJ-001', 'enterprise', 'finance_head', 'finance_head', NULL, 'established_on', NULL),
         ('SCJG-DJ-001', 'enterprise', 'tax_handler', 'tax_handler', NULL, 'established_on', NULL),
         ('SCJG-GD-001', 'enterprise', 'investor', 'investor', 'share', 'changed_on', NULL)
  ON CONFLICT DO NOTHING;

  -- The rules.  Rule codes equal the risk indicator codes they count towards.
  INSERT INTO taxshare.match_rule AS m (code, title, description, source_item, target_item, party_role,
                                        target_role, check_kind, expected_expr, source_amount_field,
                                        target_amount_field, tolerance_abs, tolerance_rel,
                                        period_window, indicator_code)
  VALUES
    ('A01_PROPERTY_DEED_TAX', '商品房网签与契税申报比对',
     '买受人当月网签的合同总价, 应在当月或次月的契税申报中作为计税依据申报; 申报计税依据低于合同价超过容差的, 疑为少报 (契税法 第四条: 计税依据为成交价格) / the buyer''s contract prices of the month should be declared as the deed-tax base this month or the next',
     'ZJ-SPF-001', 'SW-QS-001', 'buyer', 'taxpayer', 'amount_below', 'price', NULL, 'tax_base',
     1000, 0.01, '+1 month', 'A01_PROPERTY_DEED_TAX'),
    ('A02_LAND_USE_TAX', '土地出让与城镇土地使用税比对',
     '受让国有建设用地后三个月内无城镇土地使用税申报的, 疑为未申报; 涉及金额按最低年税额 0.6 元/平方米估算 (城镇土地使用税暂行条例 第四条) / a land transferee with no land-use tax declaration within three months; amount at the lowest annual rate',
     'ZRZY-CR-001', 'SW-TDSYS-001', 'transferee', 'taxpayer', 'missing', 'area * 0.6', NULL, NULL,
     NULL, NULL, '+3 months', 'A02_LAND_USE_TAX'),
    ('A03_CONSTRUCTION_VAT', '施工许可与建筑业增值税预缴比对',
     '取得施工许可后两个月内, 预缴税款低于合同价格 (含税) 按 9% 税率换算的不含税销售额的 2% 的一半以上的, 疑为未足额预缴 (财税〔2016〕36 号, 国家税务总局公告 2016 年第 17 号) / prepaid construction VAT within two months of the permit below half of 2% of the contract price net of 9% VAT',
     'ZJ-SGXK-001', 'SW-JZYZZS-001', 'builder', 'taxpayer', 'amount_below',
     'contract_amount / (1 + 9%) * 2%', NULL, 'prepaid_tax', 100, 0.5, '+2 months', 'A03_CONSTRUCTION_VAT'),
    ('A04_UNREGISTERED_TAXPAYER', '新设企业与税务登记比对',
     '市场监管部门当月新设立的企业, 次月底前在税务登记信息中没有记录的, 疑为未办理涉税信息确认 (税收征收管理法 第十五条) / an enterprise registered this month with no tax registration by the end of next month',
     'SCJG-DJ-001', 'SW-DJ-001', 'enterprise', 'taxpayer', 'missing', NULL, NULL, NULL,
     NULL, NULL, '+1 month', 'A04_UNREGISTERED_TAXPAYER'),
    ('A05_SOCIAL_INSURANCE_WITHHOLDING', '社保参保人数与个税扣缴人数比对',
     '单位当月社会保险参保人数与个人所得税扣缴申报人数相差超过 2 人且超过 10% 的, 疑为未全员全额扣缴申报 (个人所得税法 第九条、第十条) / insured headcount and withholding headcount of the month differ by more than 2 and more than 10%',
     'RS-SB-001', 'SW-GSKJ-001', 'employer', 'withholder', 'count_mismatch', NULL, 'insured_count',
     'withheld_count', 2, 0.1, 'same', 'A05_SOCIAL_INSURANCE_WITHHOLDING'),
    ('A06_GOVT_PAYMENT_INVOICE', '国库支付与发票开具比对',
     '财政当月支付给单位的款项, 收款单位当月及次月开具发票价税合计少于支付金额超过 1000 元且超过 5% 的, 疑为未开票收入 / treasury payments of the month not covered by invoices issued this month or the next (more than 1000 yuan and 5% short)',
     'CZ-GKZF-001', 'SW-FP-001', 'payee', 'seller', 'amount_below', 'amount', NULL, 'amount_with_tax',
     1000, 0.05, '+1 month', 'A06_GOVT_PAYMENT_INVOICE')
  ON CONFLICT ON CONSTRAINT match_rule_pkey DO NOTHING;

  RETURN QUERY SELECT 'rule'::text, r.code, r.title FROM taxshare.match_rule r
                WHERE r.code LIKE 'A0%' ORDER BY r.code;
END
$$;
COMMENT ON FUNCTION taxshare.starter_pack_install() IS
  '安装入门包: 六项交叉比对的共享目录条目、提供单位、当事方及比对规则 (可重复执行) / install the starter pack: catalog items, provider units, parties and rules of six cross-checks (idempotent)';
-- Risk indicators and the blacklist (DOMAIN.md "From data to risk"; seeds/003
-- the Binzhou monitoring and analysis indicators; seeds/000 art. 20).  Every
-- match_rule names the indicator its points count under; grade_risks()
-- (82_grading.sql, src/risk_grade.c) reads kind, severity, social_impact,
-- weight and response from here.  Guide: docs/risk.md.

CREATE TABLE taxshare.indicator (
  code           text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  name           text NOT NULL CHECK (btrim(name) <> ''),
  name_en        text NOT NULL CHECK (btrim(name_en) <> ''),
  kind           text NOT NULL CHECK (kind IN ('monitoring', 'analysis')),
  severity       integer NOT NULL CHECK (severity BETWEEN 1 AND 5),
  social_impact  integer NOT NULL CHECK (social_impact BETWEEN 1 AND 5),
  weight         float8 NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 100),
  subject        text NOT NULL DEFAULT 'any' CHECK (subject IN ('enterprise', 'person', 'any')),
  response       text CHECK (response IN ('verification', 'referral')),
  description    text,
  source         text,
  active         boolean NOT NULL DEFAULT true,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.indicator IS
  '风险指标: monitoring 监控指标 (硬性, 命中即为高风险) 与 analysis 分析指标 (软性, 按因素评分); 每条比对规则对应一个指标 / '
  'risk indicators: monitoring (hard: any hit makes the grade high) and analysis (soft: scored on the factors); every match rule maps to one';
COMMENT ON COLUMN taxshare.indicator.code IS
  '指标代码, 监控指标 M 开头, 分析指标 A 开头 / indicator code (M.. monitoring, A.. analysis by convention)';
COMMENT ON COLUMN taxshare.indicator.name IS '指标名称 (中文) / name in Chinese';
COMMENT ON COLUMN taxshare.indicator.name_en IS '指标名称 (英文) / name in English';
COMMENT ON COLUMN taxshare.indicator.kind IS
  'monitoring 监控指标 (硬性) | analysis 分析指标 (软性) / hard or soft indicator';
COMMENT ON COLUMN taxshare.indicator.severity IS
  '违法违规程度 1 (轻) .. 5 (重), 评分因素之一 / degree of violation 1..5, a scoring factor';
COMMENT ON COLUMN taxshare.indicator.social_impact IS
  '社会影响力 1 .. 5, 评分因素之一 / social influence 1..5, a scoring factor';
COMMENT ON COLUMN taxshare.indicator.weight IS
  '每个风险点按此权重计入风险点数量因素 / each point of this indicator counts this much towards the number-of-points factor';
COMMENT ON COLUMN taxshare.indicator.subject IS
  '适用主体: enterprise 企业, person 个人, any 均可 (说明性) / whom the indicator is about (informative)';
COMMENT ON COLUMN taxshare.indicator.response IS
  '指标要求的应对方式: verification 低风险时也须核查, referral 高风险时移送而非稽查; 为空按等级默认 / '
  'response the indicator asks for: verification (even when low), referral (instead of an audit when high); NULL: the grade''s default';
COMMENT ON COLUMN taxshare.indicator.source IS
  '出处 (种子文件与条款) / where the indicator comes from (seed document and article)';
COMMENT ON COLUMN taxshare.indicator.active IS
  '停用的指标不参与评分 / points of an inactive indicator are not graded';

-- Every row is dumped (tuned weights must survive pg_dump), and on restore
-- CREATE EXTENSION has already inserted the starter set: an INSERT of an
-- existing code therefore updates that row (the pattern of taxshare.holiday).
CREATE FUNCTION taxshare.indicator_replace() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  UPDATE taxshare.indicator
     SET name = NEW.name, name_en = NEW.name_en, kind = NEW.kind, severity = NEW.severity,
         social_impact = NEW.social_impact, weight = NEW.weight, subject = NEW.subject,
         response = NEW.response, description = NEW.description, source = NEW.source,
         active = NEW.active, updated_at = now()
   WHERE code = NEW.code;
  IF FOUND THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.indicator_replace() IS
  '触发器: 插入已有指标代码时改为更新该行 (pg_dump 恢复不会主键冲突) / '
  'trigger: inserting an existing indicator code updates that row instead (a pg_dump restore never fails on the key)';
CREATE TRIGGER indicator_replace BEFORE INSERT ON taxshare.indicator
  FOR EACH ROW EXECUTE FUNCTION taxshare.indicator_replace();
SELECT pg_catalog.pg_extension_config_dump('taxshare.indicator', '');

-- The starter set.  Monitoring: the Binzhou system's 21 hard indicators
-- (seeds/003: "重点监控指标为硬性指标 ... 对公安立案、稽查立案等重大风险信息
-- 进行监控"; the report names only some, the rest are the hard facts of the
-- same kind the tax law names: art. 20 (四) of seeds/000 lists 逃避缴纳税款、
-- 逃避追缴欠税、骗取出口退税、抗税 as grounds for referral).  Analysis: the
-- Binzhou example and the cross-checks of DOMAIN.md; A01..A06 are the codes
-- the matcher's starter rules use.
INSERT INTO taxshare.indicator (code, name, name_en, kind, severity, social_impact, weight, subject, response, source, description) VALUES
  ('M01_POLICE_CASE', '公安机关涉税立案', 'police case filed on a tax matter', 'monitoring', 5, 5, 1, 'any', 'referral', '003',
   '公安机关已对涉税违法犯罪立案 / the police have opened a case of a tax offence'),
  ('M02_INSPECTION_CASE', '税务稽查立案', 'tax inspection case filed', 'monitoring', 5, 4, 1, 'any', NULL, '003',
   '税务稽查部门已立案检查 / the tax inspection bureau has opened a case'),
  ('M03_ABNORMAL_TAXPAYER', '非正常户', 'abnormal taxpayer (非正常户)', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '未按期申报且税务机关无法联系, 被认定为非正常户 / failed to file and could not be reached: declared an abnormal taxpayer'),
  ('M04_ABSCONDED', '走逃(失联)企业', 'absconded (unreachable) enterprise', 'monitoring', 5, 4, 1, 'enterprise', 'referral', '003',
   '经实地核查查无下落的走逃企业 / not found at any known address on a field check'),
  ('M05_INVOICE_FRAUD', '虚开发票', 'issuing false invoices', 'monitoring', 5, 5, 1, 'enterprise', 'referral', '003',
   '虚开增值税专用发票或普通发票 / issued VAT or ordinary invoices without real transactions'),
  ('M06_FALSE_INVOICE_RECEIVED', '接受虚开发票', 'receiving false invoices', 'monitoring', 4, 4, 1, 'enterprise', NULL, '003',
   '取得并抵扣虚开发票 / received and deducted falsely issued invoices'),
  ('M07_BLACKLIST_KEY_ROLE', '黑名单人员担任关键岗位', 'blacklisted person in a key role', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '法定代表人、财务负责人或办税人员在黑名单上 / the legal representative, finance head or tax handler is blacklisted'),
  ('M08_MAJOR_VIOLATION', '重大税收违法失信主体', 'listed major tax violator', 'monitoring', 5, 5, 1, 'any', NULL, '003',
   '已公布为重大税收违法失信主体 / published as a major tax violator'),
  ('M09_EXPORT_REFUND_FRAUD', '骗取出口退税', 'export tax refund fraud', 'monitoring', 5, 5, 1, 'enterprise', 'referral', '000 art. 20',
   '以假报出口等手段骗取出口退税 / obtained export refunds by false exports'),
  ('M10_TAX_RESISTANCE', '抗税', 'resisting taxation', 'monitoring', 5, 5, 1, 'any', 'referral', '000 art. 20',
   '以暴力、威胁方法拒不缴纳税款 / refused to pay by violence or threats'),
  ('M11_EVADING_ARREARS', '逃避追缴欠税', 'evading recovery of tax arrears', 'monitoring', 5, 4, 1, 'any', NULL, '000 art. 20',
   '转移、隐匿财产致使无法追缴欠税 / moved or hid assets so that arrears cannot be recovered'),
  ('M12_LARGE_ARREARS', '大额欠税', 'large tax arrears', 'monitoring', 4, 3, 1, 'any', NULL, '003',
   '欠税达到公告标准 / arrears large enough to be published'),
  ('M13_IDENTITY_FRAUD', '冒用他人身份办税', 'tax handling under another''s identity', 'monitoring', 4, 4, 1, 'person', 'referral', '003',
   '实名办税核验发现冒名办税 / real-name verification found someone acting under another''s identity'),
  ('M14_FALSE_REGISTRATION', '虚假登记注册', 'false registration', 'monitoring', 4, 4, 1, 'enterprise', 'referral', '003',
   '冒用他人身份证件或虚假材料登记注册 / registered with borrowed identity documents or false papers'),
  ('M15_ABNORMAL_VAT_VOUCHER', '异常增值税扣税凭证', 'abnormal VAT deduction vouchers', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '取得列入异常凭证范围的增值税扣税凭证 / holds VAT vouchers listed as abnormal'),
  ('M16_INVOICE_SURGE', '发票领用量异常激增', 'abnormal surge in invoice use', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '短期内发票领用或开具量激增 / invoice supply or issuance jumped within a short time'),
  ('M17_JUDGMENT_DEFAULTER', '失信被执行人', 'dishonest judgment defaulter', 'monitoring', 3, 4, 1, 'any', NULL, '003',
   '人民法院公布的失信被执行人 / listed by the courts as a dishonest judgment defaulter'),
  ('M18_LICENCE_REVOKED', '吊销营业执照仍经营开票', 'trading after the business licence was revoked', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '营业执照已吊销仍有开票或申报 / invoicing or filing after the licence was revoked'),
  ('M19_SUBSIDY_FRAUD', '骗取财政补贴', 'fiscal subsidy fraud', 'monitoring', 5, 4, 1, 'enterprise', 'referral', '003',
   '以虚假材料骗取财政补贴或专项资金 / obtained subsidies or special funds with false papers'),
  ('M20_SOCIAL_INSURANCE_FRAUD', '骗取社会保险基金', 'social insurance fund fraud', 'monitoring', 5, 4, 1, 'any', 'referral', '003',
   '骗取社会保险基金或待遇 / obtained social insurance funds or benefits by fraud'),
  ('M21_EXIT_RESTRICTED', '欠税阻止出境', 'exit restriction for tax arrears', 'monitoring', 4, 3, 1, 'person', NULL, '003',
   '欠税人或其法定代表人被阻止出境 / the debtor or its legal representative is barred from leaving the country'),
  ('A01_PROPERTY_DEED_TAX', '不动产交易未缴契税', 'property sold, deed tax not paid', 'analysis', 3, 2, 1, 'any', NULL, 'DOMAIN cross-check',
   '住建网签或不动产登记有交易而无契税缴纳 / a housing contract or property registration without deed tax'),
  ('A02_LAND_USE_TAX', '土地出让后未申报城镇土地使用税', 'land transferred, land-use tax not declared', 'analysis', 3, 2, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '自然资源部门土地出让而无城镇土地使用税申报 / a land transfer without land-use tax declarations'),
  ('A03_CONSTRUCTION_VAT', '施工许可项目未申报建筑业增值税', 'construction permit without construction VAT', 'analysis', 3, 2, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '施工许可项目在项目所在地无建筑业增值税预缴 / a permitted construction project without VAT prepaid where it is built'),
  ('A04_UNREGISTERED_TAXPAYER', '新设立登记未办理税务登记', 'registered business without tax registration', 'analysis', 2, 2, 1, 'enterprise', 'verification', 'DOMAIN cross-check',
   '市场监管新设立登记而无税务登记信息确认 / a new business registration not followed by tax registration'),
  ('A05_SOCIAL_INSURANCE_WITHHOLDING', '社保缴费人数远超个税扣缴人数', 'social-insurance headcount far above wage-tax withholding', 'analysis', 3, 3, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '人社部门参保人数明显多于个人所得税全员全额扣缴人数 / more insured employees than persons the wage tax is withheld for'),
  ('A06_GOVT_PAYMENT_INVOICE', '财政支付未开具发票', 'government payment without an invoice', 'analysis', 3, 3, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '财政国库支付给企业的款项无对应发票 / treasury payments to an enterprise without matching invoices'),
  ('A07_LOSS_INVESTOR_PROPERTY', '长期亏损企业投资人购置高价房产', 'investor of loss-making companies buys high-value property', 'analysis', 3, 3, 1, 'person', 'verification', '003',
   '投资的企业一直亏损, 投资人却购入高价房产 (滨州示例) / the companies invested in always lose money, yet the investor buys expensive property (the Binzhou example)'),
  ('A08_ELECTRICITY_REVENUE', '用电量高而申报收入低', 'high electricity use with low declared revenue', 'analysis', 3, 2, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '供电部门用电量与申报收入明显不匹配 / electricity use out of proportion with declared revenue'),
  ('A09_VEHICLE_TAX', '车辆登记未缴车船税或车辆购置税', 'vehicle registered, vehicle taxes not paid', 'analysis', 2, 1, 1, 'any', NULL, 'DOMAIN cross-check',
   '公安交管车辆登记而无车船税、车辆购置税 / a vehicle registration without vehicle and vessel tax or purchase tax'),
  ('A10_COURT_AUCTION_TAX', '司法拍卖未缴转让环节税费', 'court auction without transfer taxes', 'analysis', 3, 2, 1, 'any', NULL, 'DOMAIN cross-check',
   '法院司法拍卖成交而无转让环节税费 / a court auction sale without the taxes due on the transfer'),
  ('A11_EQUITY_TRANSFER_IIT', '股权转让未申报个人所得税', 'equity transfer without income tax on the gain', 'analysis', 4, 3, 1, 'person', NULL, 'DOMAIN cross-check',
   '市场监管股权变更而无财产转让所得个人所得税 / an equity change without income tax on the gain');

-- The matcher's rules name their indicator (schema contract): the key is added
-- here, after the starter set exists, because the matcher's files come first.
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.match_rule') IS NOT NULL THEN
    ALTER TABLE taxshare.match_rule
      ADD CONSTRAINT match_rule_indicator_fkey FOREIGN KEY (indicator_code)
      REFERENCES taxshare.indicator (code) ON UPDATE CASCADE;
  END IF;
END
$$;

-- The blacklist (黑名单, seeds/003: "实现黑名单纳税人和办税人员的维护监控").
-- An entry names an entity directly or by identifier; entries by identifier
-- find their entity when it appears (view blacklist_entity).
CREATE TABLE taxshare.blacklist (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('person', 'enterprise')),
  entity_id    bigint REFERENCES taxshare.entity (id),
  uscc         text,
  idcard       text,
  orgcode      text,
  name         text,
  reason       text NOT NULL CHECK (btrim(reason) <> ''),
  listed_on    date NOT NULL,
  delisted_on  date,
  source       text NOT NULL CHECK (btrim(source) <> ''),
  note         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL DEFAULT session_user,
  CONSTRAINT blacklist_names_someone
    CHECK (entity_id IS NOT NULL OR uscc IS NOT NULL OR idcard IS NOT NULL OR orgcode IS NOT NULL),
  CONSTRAINT blacklist_dates CHECK (delisted_on IS NULL OR delisted_on >= listed_on),
  CONSTRAINT blacklist_idcard_person CHECK (idcard IS NULL OR kind = 'person')
);
CREATE INDEX blacklist_by_entity ON taxshare.blacklist (entity_id) WHERE entity_id IS NOT NULL;
CREATE INDEX blacklist_by_uscc ON taxshare.blacklist (uscc) WHERE uscc IS NOT NULL;
CREATE INDEX blacklist_by_idcard ON taxshare.blacklist (idcard) WHERE idcard IS NOT NULL;
COMMENT ON TABLE taxshare.blacklist IS
  '黑名单: 列入的个人和企业, 含原因、来源和起止日期; 在名单期内的主体在风险评级中向关联主体传导风险 / '
  'blacklist of persons and enterprises with reason, source and dates; while listed, an entity raises the entities linked to it in grade_risks()';
COMMENT ON COLUMN taxshare.blacklist.entity_id IS
  '主体 (可为空, 按标识匹配) / the entity, or NULL to match by identifier';
COMMENT ON COLUMN taxshare.blacklist.reason IS '列入原因 / why listed';
COMMENT ON COLUMN taxshare.blacklist.listed_on IS '列入日期 / listed on';
COMMENT ON COLUMN taxshare.blacklist.delisted_on IS '移出日期 (当日起不在名单) / delisted on (not listed from that day)';
COMMENT ON COLUMN taxshare.blacklist.source IS '来源 (如 税务局、法院、公安) / who listed it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.blacklist', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.blacklist_id_seq', '');

CREATE FUNCTION taxshare.blacklist_normalize() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  k text;
BEGIN
  NEW.uscc := nullif(taxshare.normalize_ident(NEW.uscc), '');
  NEW.idcard := nullif(taxshare.normalize_ident(NEW.idcard), '');
  NEW.orgcode := nullif(replace(taxshare.normalize_ident(NEW.orgcode), '-', ''), '');
  IF NEW.idcard IS NOT NULL AND length(NEW.idcard) = 15 THEN
    NEW.idcard := coalesce(taxshare.idcard_upgrade(NEW.idcard), NEW.idcard);
  END IF;
  IF NEW.entity_id IS NOT NULL THEN
    SELECT e.kind INTO k FROM taxshare.entity e WHERE e.id = NEW.entity_id;
    IF k IS DISTINCT FROM NEW.kind THEN
      RAISE EXCEPTION 'blacklist entry of kind "%" names % entity %', NEW.kind, coalesce(k, 'no'), NEW.entity_id
        USING ERRCODE = '22023',
              HINT = 'The kind must be the kind of the entity (person or enterprise).';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.blacklist_normalize() IS
  '触发器: 规范化黑名单标识 (全角、大小写、15 位身份证升位) 并检查主体类别 / '
  'trigger: normalise blacklist identifiers (full width, case, 15-digit IDs upgraded) and check the entity''s kind';
CREATE TRIGGER blacklist_normalize BEFORE INSERT OR UPDATE ON taxshare.blacklist
  FOR EACH ROW EXECUTE FUNCTION taxshare.blacklist_normalize();

-- Each entry with the entity it names: directly, or by USCC, resident ID or
-- organization code.  Equality joins (one per identifier) so that the
-- entity's unique indexes are used.
CREATE VIEW taxshare.blacklist_entity AS
  SELECT b.id AS blacklist_id, b.entity_id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b WHERE b.entity_id IS NOT NULL
  UNION ALL
  SELECT b.id, e.id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b JOIN taxshare.entity e ON e.uscc = b.uscc
   WHERE b.entity_id IS NULL AND b.uscc IS NOT NULL
  UNION ALL
  SELECT b.id, e.id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b JOIN taxshare.entity e ON e.idcard = b.idcard
   WHERE b.entity_id IS NULL AND b.uscc IS NULL AND b.idcard IS NOT NULL
  UNION ALL
  SELECT b.id, e.id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b JOIN taxshare.entity e ON e.orgcode = b.orgcode
   WHERE b.entity_id IS NULL AND b.uscc IS NULL AND b.idcard IS NULL AND b.orgcode IS NOT NULL;
COMMENT ON VIEW taxshare.blacklist_entity IS
  '黑名单条目及其对应主体 (直接指定或按统一社会信用代码、身份证号、组织机构代码匹配) / '
  'blacklist entries with the entity each names (directly or by USCC, resident ID or organization code)';
-- Risk grading (分析研判, seeds/000 art. 20 (三); DOMAIN.md "From data to
-- risk" step 3): the parameters, the scores of each period and grade_risks().
-- Arithmetic: src/risk_score.c (pure core); data access: src/risk_grade.c.
-- Guide with a worked example: docs/risk.md.

CREATE TABLE taxshare.risk_param (
  name         text PRIMARY KEY CHECK (name IN (
                 'weight.points', 'weight.amount', 'weight.severity', 'weight.social',
                 'points.full', 'amount.floor', 'amount.full',
                 'grade.medium', 'grade.high',
                 'propagation.decay', 'propagation.hops', 'propagation.min', 'propagation.blacklist',
                 'propagation.role.legal_rep', 'propagation.role.finance_head',
                 'propagation.role.tax_handler', 'propagation.role.investor',
                 'response.verification_amount',
                 'warning.push_before_day', 'warning.push_month_offset',
                 'warning.receive_working_days', 'warning.cycle_days', 'warning.max_cycles',
                 'warning.deduction_points')),
  value        float8 NOT NULL CHECK (value >= 0 AND value < 'Infinity'),
  description  text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE taxshare.risk_param IS
  '风险评级与预警参数: 因素权重、等级阈值、风险传导、应对与预警时限 (调整方法见 docs/risk.md) / '
  'parameters of grading and warnings: factor weights, grade thresholds, propagation, responses and warning deadlines (tuning: docs/risk.md)';
COMMENT ON COLUMN taxshare.risk_param.value IS '参数值 / the value';

CREATE FUNCTION taxshare.risk_param_replace() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE taxshare.risk_param
       SET value = NEW.value, description = NEW.description, updated_at = now(), updated_by = session_user
     WHERE name = NEW.name;
    IF FOUND THEN
      RETURN NULL;
    END IF;
  ELSE
    NEW.updated_at := now();
    NEW.updated_by := session_user;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.risk_param_replace() IS
  '触发器: 插入已有参数名即更新其值 (pg_dump 恢复不冲突), 并记录修改人和时间 / '
  'trigger: inserting an existing name updates its value (a pg_dump restore never conflicts), and records who changed it when';
CREATE TRIGGER risk_param_replace BEFORE INSERT OR UPDATE ON taxshare.risk_param
  FOR EACH ROW EXECUTE FUNCTION taxshare.risk_param_replace();
SELECT pg_catalog.pg_extension_config_dump('taxshare.risk_param', '');

INSERT INTO taxshare.risk_param (name, value, description) VALUES
  ('weight.points', 0.25, '风险点数量因素的权重 / weight of the number of risk points'),
  ('weight.amount', 0.35, '涉税涉费金额因素的权重 / weight of the amount involved'),
  ('weight.severity', 0.25, '违法违规程度因素的权重 / weight of the degree of violation'),
  ('weight.social', 0.15, '社会影响力因素的权重 / weight of the social influence'),
  ('points.full', 5, '风险点 (按指标权重) 达到此数时该因素为满分 / weighted points at which the points factor is full'),
  ('amount.floor', 10000, '金额 (元) 不超过此数时金额因素为 0 / amount (yuan) at or below which the amount factor is 0'),
  ('amount.full', 10000000, '金额 (元) 达到此数时金额因素为满分, 其间按对数 / amount at which the factor is full; logarithmic in between'),
  ('grade.medium', 40, '中风险的最低分 / lowest score graded medium'),
  ('grade.high', 70, '高风险的最低分 / lowest score graded high'),
  ('propagation.decay', 0.7, '风险每经一层关联的衰减系数 (0 关闭传导) / factor per link passed (0 turns propagation off)'),
  ('propagation.hops', 2, '风险传导的最大层数 / most links risk passes along'),
  ('propagation.min', 10, '无自身风险点的主体因传导入列的最低传导分 / smallest propagated score that lists an entity without points of its own'),
  ('propagation.blacklist', 100, '黑名单主体向关联主体传导的分值 / score a blacklisted entity passes on'),
  ('propagation.role.legal_rep', 1.0, '法定代表人关联的传导系数 / link factor of a legal representative'),
  ('propagation.role.finance_head', 0.8, '财务负责人关联的传导系数 / link factor of a finance head'),
  ('propagation.role.tax_handler', 0.8, '办税人关联的传导系数 / link factor of a tax handler'),
  ('propagation.role.investor', 0.6, '投资人关联的传导系数 / link factor of an investor'),
  ('response.verification_amount', 100000, '低风险且涉及金额达到此数 (元) 时应对为税费核查而非提示提醒 / low with at least this amount: verification rather than a reminder'),
  ('warning.push_before_day', 10, '预警须在该日之前推送 (衡阳办法第二十条: 每月10日前) / warnings are pushed before this day of the month (art. 20: before the 10th)'),
  ('warning.push_month_offset', 1, '某期的预警在该期之后第几个月推送 / the month after the period in which its warnings are pushed'),
  ('warning.receive_working_days', 3, '推送后接收的工作日时限 (第二十条: 3个工作日内) / working days to receive a push (art. 20: within 3)'),
  ('warning.cycle_days', 30, '反馈周期天数 (第十八条: 30天为一个周期) / days of a feedback cycle (art. 18: 30)'),
  ('warning.max_cycles', 2, '反馈周期上限, 含首个周期 (第十八条: 最长不超过2个周期) / most feedback cycles including the first (art. 18: at most 2)'),
  ('warning.deduction_points', 2, '每个未反馈预警扣分 (第三十一条第(三)项) / points deducted per unanswered warning (art. 31 (三))');

-- What is wrong with the parameters as they stand, or NULL.
CREATE FUNCTION taxshare.risk_param_problem() RETURNS text
  AS 'MODULE_PATHNAME', 'risk_param_problem'
  LANGUAGE C STABLE;
COMMENT ON FUNCTION taxshare.risk_param_problem() IS
  '检查风险参数的整体一致性, 无问题返回 NULL, 否则返回说明 / checks the parameters together: NULL when usable, else what is wrong';

CREATE FUNCTION taxshare.risk_param_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  problem text := taxshare.risk_param_problem();
BEGIN
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'invalid risk parameters: %', problem
      USING ERRCODE = '22023',
            HINT = 'See docs/risk.md, "Tuning"; taxshare.risk_param holds one row per parameter.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare.risk_param_check() IS
  '触发器: 修改参数后整体检查, 不一致则拒绝 / trigger: after a change the parameters are checked together and an inconsistent set is refused';
CREATE TRIGGER risk_param_check AFTER INSERT OR UPDATE OR DELETE ON taxshare.risk_param
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare.risk_param_check();

-- Grades as an enum: ordered (low < medium < high) and compared as numbers,
-- which halves the cost of the list index on a million rows compared with
-- text under a locale such as C.UTF-8.
CREATE TYPE taxshare.risk_grade AS ENUM ('low', 'medium', 'high');
COMMENT ON TYPE taxshare.risk_grade IS
  '风险等级: low 低, medium 中, high 高 (有序) / risk grade, ordered low < medium < high';

-- The scores.  grade_risks(p) replaces the rows of period p.  No foreign key
-- to entity: a million checks would cost as much as the grading, and the list
-- view joins entity anyway.
CREATE TABLE taxshare.risk_score (
  period_start     date NOT NULL,
  entity_id        bigint NOT NULL,
  score            float8 NOT NULL CHECK (score >= 0 AND score <= 100),
  grade            taxshare.risk_grade NOT NULL,
  rank             integer NOT NULL CHECK (rank > 0),
  points           integer NOT NULL CHECK (points >= 0),
  amount           numeric(20,2) NOT NULL,
  own_score        float8 NOT NULL,
  own_grade        taxshare.risk_grade,
  severity         smallint NOT NULL,
  social_impact    smallint NOT NULL,
  monitoring       boolean NOT NULL,
  blacklisted      boolean NOT NULL,
  propagated       boolean NOT NULL,
  response         text NOT NULL CHECK (response IN ('reminder', 'verification', 'assessment', 'audit', 'referral')),
  reason_code      smallint NOT NULL CHECK (reason_code BETWEEN 1 AND 8),
  detail           bytea NOT NULL,
  graded_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity_id, period_start)
);
-- The list is read per period and grade in rank order (risk_list top N), and
-- a period is replaced through the same index.  Every index costs a good
-- part of the write of a million rows (bench/risk.sql), so there is only this
-- one beside the key (which also serves an entity's history): the
-- once-a-year assessment rule finds the year's earlier assessments through
-- it too, as only a medium grade is prescribed an assessment.
CREATE INDEX risk_score_list ON taxshare.risk_score (period_start, grade, rank);
COMMENT ON TABLE taxshare.risk_score IS
  '各期风险评级结果: 每个有风险点或受传导的主体一行, 含分数、等级、排名、应对方式和评分明细 (grade_risks() 生成) / '
  'risk grades per period: one row per entity with points or raised by propagation, with score, grade, rank, response and breakdown (written by grade_risks())';
COMMENT ON COLUMN taxshare.risk_score.score IS '风险分 0-100 (含传导) / score 0-100, propagation included';
COMMENT ON COLUMN taxshare.risk_score.grade IS 'low 低 | medium 中 | high 高 / grade';
COMMENT ON COLUMN taxshare.risk_score.rank IS '本期排名 (等级、分数、金额降序) / rank in the period (grade, score, amount, descending)';
COMMENT ON COLUMN taxshare.risk_score.points IS '本期自身风险点数 / number of own risk points in the period';
COMMENT ON COLUMN taxshare.risk_score.amount IS '涉税涉费金额合计 (元) / total amount involved (yuan)';
COMMENT ON COLUMN taxshare.risk_score.own_score IS '仅按自身风险点的分数 / score of the entity''s own points alone';
COMMENT ON COLUMN taxshare.risk_score.own_grade IS '仅按自身风险点的等级 (无风险点为空) / grade of the own points (NULL without points)';
COMMENT ON COLUMN taxshare.risk_score.monitoring IS '命中监控指标 / a monitoring indicator was hit';
COMMENT ON COLUMN taxshare.risk_score.blacklisted IS '本期在黑名单上 / on the blacklist during the period';
COMMENT ON COLUMN taxshare.risk_score.propagated IS '分数或等级因关联传导而提高 / score or grade raised by propagation';
COMMENT ON COLUMN taxshare.risk_score.response IS
  '规定应对方式: reminder 提示提醒, verification 税费核查, assessment 纳税评估, audit 税务稽查, referral 移送 / prescribed response';
COMMENT ON COLUMN taxshare.risk_score.reason_code IS
  '应对方式依据的代码; 文字由 risk_reason() 按 taxshare.language 生成 (risk_list.response_reason) / '
  'code of why this response; risk_reason() renders it in the language of taxshare.language (risk_list.response_reason)';
COMMENT ON COLUMN taxshare.risk_score.detail IS
  '评分明细的紧凑形式; risk_breakdown() 将其展开为 jsonb (risk_list.breakdown): 各因素加分, 风险点 (按金额), 命中的监控指标, 传导来源, 本年度已评估日期 / '
  'the breakdown in compact form; risk_breakdown() renders the jsonb (risk_list.breakdown): what each factor added, the points (largest amounts first), monitoring hits, propagation, the assessment that decided the response';
SELECT pg_catalog.pg_extension_config_dump('taxshare.risk_score', '');

-- The breakdown and the response reason are stored compactly (a million rows
-- per period: the jsonb and the text were four fifths of each row and of the
-- write) and rendered only for the rows read.
CREATE FUNCTION taxshare.risk_breakdown(detail bytea) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'risk_breakdown'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.risk_breakdown(bytea) IS
  '将 risk_score.detail 展开为评分明细 jsonb (风险清单的 breakdown 列) / '
  'renders risk_score.detail as the breakdown jsonb (the breakdown column of risk_list)';
CREATE FUNCTION taxshare.risk_reason(reason_code smallint, amount numeric, monitoring boolean, detail bytea)
RETURNS text
  AS 'MODULE_PATHNAME', 'risk_reason'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.risk_reason(smallint, numeric, boolean, bytea) IS
  '按 taxshare.language 生成应对方式的依据 (风险清单的 response_reason 列) / '
  'renders why a response was prescribed, in the language of taxshare.language (the response_reason column of risk_list)';

-- One row per graded period: when, by whom, with which parameters.
CREATE TABLE taxshare.risk_grading (
  period_start     date PRIMARY KEY,
  graded_at        timestamptz NOT NULL DEFAULT now(),
  graded_by        text NOT NULL DEFAULT session_user,
  params           jsonb NOT NULL,
  entities         bigint NOT NULL,
  high             bigint NOT NULL,
  medium           bigint NOT NULL,
  low              bigint NOT NULL,
  raised           bigint NOT NULL,
  points           bigint NOT NULL,
  unmapped_points  bigint NOT NULL DEFAULT 0,
  compute_seconds  float8,
  write_seconds    float8
);
COMMENT ON TABLE taxshare.risk_grading IS
  '各期最近一次评级: 时间、执行人、所用参数和各等级主体数 / the latest grading of each period: when, by whom, the parameters used and the counts';
COMMENT ON COLUMN taxshare.risk_grading.raised IS '因传导提高的主体数 / entities raised by propagation';
COMMENT ON COLUMN taxshare.risk_grading.unmapped_points IS
  '所属规则未对应指标的风险点数 (按严重程度 1 计) / points of rules without an indicator (counted with severity 1)';
COMMENT ON COLUMN taxshare.risk_grading.compute_seconds IS
  '读取风险点、评分、传导、排名所用时间 (秒) / seconds spent reading the points, scoring, propagating and ranking';
COMMENT ON COLUMN taxshare.risk_grading.write_seconds IS
  '清除旧结果并写入 risk_score 所用时间 (秒) / seconds spent replacing the period''s rows of risk_score';
SELECT pg_catalog.pg_extension_config_dump('taxshare.risk_grading', '');

CREATE FUNCTION taxshare.grade_risks(period_start date,
                                     OUT entities bigint, OUT high bigint, OUT medium bigint,
                                     OUT low bigint, OUT raised bigint, OUT points bigint)
RETURNS record
  AS 'MODULE_PATHNAME', 'grade_risks'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare.grade_risks(date) IS
  '对该期所有新的或已确认的风险点评分定级: 按风险点数量、金额、违法程度、社会影响力加权, 监控指标直接定为高风险, 沿企业-人员关联传导 (最多提高一级), 排名并给出应对方式; 返回各等级主体数 / '
  'grade the period''s new and confirmed suspicious points: weighted on number of points, amount, degree of violation and social influence, monitoring indicators high outright, risk passed along person-enterprise links (one grade at most), ranked, with prescribed responses; returns counts';
-- Prescribed responses (风险应对, seeds/000 art. 20 (四); DOMAIN.md "From data
-- to risk" step 4).  grade_risks() prescribes one per graded entity (the
-- rules are in src/risk_score.c, risk_response()):
--   low    -> reminder (提示提醒), or verification (税费核查) when an indicator
--             asks for it, the amount reaches response.verification_amount,
--             or the entity is listed through a link only;
--   medium -> assessment (纳税评估); "原则上同一年度内不得对同一纳税人实施多次
--             评估": when the taxpayer was already assessed in the calendar
--             year (an earlier period's prescribed assessment, or a row of
--             assessment_log), verification instead, with that reason;
--   high   -> audit (税务稽查), or referral (移送, 部门执法) when an
--             indicator asks for it.

CREATE TABLE taxshare.response_kind (
  code         text PRIMARY KEY,
  grade        text NOT NULL CHECK (grade IN ('low', 'medium', 'high')),
  name         text NOT NULL,
  name_en      text NOT NULL,
  description  text NOT NULL
);
COMMENT ON TABLE taxshare.response_kind IS
  '风险应对方式及其适用等级 (衡阳办法第二十条第(四)项) / the responses and the grade each belongs to (seeds/000 art. 20 (四))';
INSERT INTO taxshare.response_kind VALUES
  ('reminder', 'low', '提示提醒', 'reminder',
   '通过电子税务局、办税服务厅、电话、短信或《税务事项通知书》告知风险点, 辅导纳税人自行整改 / '
   'tell the taxpayer of the risk point (e-tax bureau, service hall, phone, text, notice) and guide it to correct itself'),
  ('verification', 'low', '税费核查', 'verification',
   '对申报数据比对不符、涉税疑点等信息和资料进行核查比对纠正 / check and correct mismatched declarations and suspicious data'),
  ('assessment', 'medium', '纳税评估', 'tax assessment',
   '案头分析、约谈、实地核查; 原则上同一年度内不得对同一纳税人实施多次评估 / desk analysis, interviews, field checks; in principle once a year per taxpayer'),
  ('audit', 'high', '税务稽查', 'tax audit',
   '移送稽查部门立案查处 / passed to the inspection bureau for a case'),
  ('referral', 'high', '移送 (部门执法)', 'referral to law enforcement',
   '移送公安等执法部门 / passed to the police or another enforcement body');

-- Assessments actually carried out, whatever prescribed them: the tax bureau
-- records them here (warning_feedback() does when the response taken was an
-- assessment).  grade_risks() reads them for the once-a-year rule.
CREATE TABLE taxshare.assessment_log (
  id               bigserial PRIMARY KEY,
  entity_id        bigint NOT NULL REFERENCES taxshare.entity (id),
  assessed_on      date NOT NULL,
  source           text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'feedback')),
  warning_task_id  bigint,
  note             text,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  recorded_by      text NOT NULL DEFAULT session_user
);
CREATE INDEX assessment_log_entity ON taxshare.assessment_log (entity_id, assessed_on);
CREATE INDEX assessment_log_day ON taxshare.assessment_log (assessed_on);
COMMENT ON TABLE taxshare.assessment_log IS
  '已实施的纳税评估 (同一年度不重复评估规则的依据) / tax assessments carried out, the basis of the once-a-year rule';
COMMENT ON COLUMN taxshare.assessment_log.source IS
  'manual 人工录入, feedback 预警反馈时记录 / entered by hand or recorded by warning feedback';
SELECT pg_catalog.pg_extension_config_dump('taxshare.assessment_log', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.assessment_log_id_seq', '');

-- The first assessment of each entity in each calendar year, prescribed or
-- done: what the once-a-year rule looks at.
CREATE VIEW taxshare.assessment_year AS
  SELECT entity_id, year, min(first_on) AS first_on, bool_or(done) AS done
    FROM (SELECT s.entity_id, extract(year FROM s.period_start)::int AS year,
                 s.period_start AS first_on, false AS done
            FROM taxshare.risk_score s WHERE s.response = 'assessment'
          UNION ALL
          SELECT a.entity_id, extract(year FROM a.assessed_on)::int, a.assessed_on, true
            FROM taxshare.assessment_log a) x
   GROUP BY entity_id, year;
COMMENT ON VIEW taxshare.assessment_year IS
  '各主体各年度首次纳税评估 (规定的或已实施的) / each entity''s first assessment of each calendar year, prescribed or done';
-- The risk list (DOMAIN.md "From data to risk"): what analysts and BI tools
-- read.  A plain join of risk_score and entity, so that "the top 100 of one
-- grade" is an index scan of risk_score_list (period_start, grade, rank) and
-- 100 primary-key probes into entity.  Two functions render what risk_score
-- stores compactly (the breakdown and the response reason), once per row
-- returned and only for those.
--
-- MASKING HOOK (security issue): the identifier columns uscc, idcard,
-- orgcode and taxpayer_id are passed through as stored.  When row-level
-- clearance lands, the security module replaces this view (CREATE OR
-- REPLACE VIEW with the same columns in the same order) wrapping exactly
-- these four columns in its masking expression; nothing else reads them from
-- here.  Keep the masking a cheap expression (a CASE on a session-level
-- flag), not a per-row lookup, or the top-100 goal of bench/risk.sql fails.

CREATE VIEW taxshare.risk_list AS
  SELECT s.period_start,
         s.rank,
         s.grade,
         s.score,
         s.entity_id,
         e.kind,
         e.name,
         e.uscc,            -- masking hook
         e.idcard,          -- masking hook
         e.orgcode,         -- masking hook
         e.taxpayer_id,     -- masking hook
         e.region,
         s.points,
         s.amount,
         s.severity,
         s.social_impact,
         s.monitoring,
         s.blacklisted,
         s.propagated,
         s.own_score,
         s.own_grade,
         s.response,
         taxshare.risk_reason(s.reason_code, s.amount, s.monitoring, s.detail) AS response_reason,
         taxshare.risk_breakdown(s.detail) AS breakdown,
         s.graded_at
    FROM taxshare.risk_score s
    JOIN taxshare.entity e ON e.id = s.entity_id;
COMMENT ON VIEW taxshare.risk_list IS
  '风险清单: 各期每个主体的等级、分数、排名、风险点数、金额、应对方式和评分明细 (标识将按权限脱敏) / '
  'the risk list: grade, score, rank, points, amount, response and breakdown of each entity per period (identifiers to be masked by clearance)';
-- Warnings (预警) and their feedback: the five steps of seeds/000 art. 19-20
-- (预警推送、信息接收、分析研判、风险应对、结果反馈) with the deadlines of art. 18
-- and 20 on the working-day calendar, the written no-action answer of art. 15,
-- disputes to the office, and the duty deduction of art. 31 (三) for an
-- unanswered warning.  Guide: docs/risk.md, "Warnings".
--
-- The deadlines (parameters warning.* in taxshare.risk_param):
--   push      before the 10th of the month after the period (art. 20 (一)
--             "市财源办于每月10日前 ... 推送"): on time when pushed on or before
--             the 9th (warning.push_before_day 10 -> last day the 9th);
--   receive   within 3 working days of the push (art. 20 (二) "应在3个工作日内
--             接收"): the 3rd working day after the push day;
--   feedback  a 30-day cycle (art. 18 "一般情况以30天为一个周期进行反馈, 特殊
--             情况最长不超过2个周期"), counted from the receipt (at the latest
--             from the receipt deadline); "at most 2 cycles" is read as two
--             in all, the first included: one extension (warning.max_cycles 2).
--             A deadline on a day off moves to the next working day when
--             taxshare.due_date_roll_forward is on (the calendar's setting).
-- Days are days in China Standard Time (Asia/Shanghai), whatever the session's
-- TimeZone.  Every step keeps who did it and when; a step may be recorded
-- later than it happened (at => ...), and recorded_at says when it was.

CREATE TABLE taxshare.warning (
  id                  bigserial PRIMARY KEY,
  period_start        date NOT NULL,
  unit_code           text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  title               text,
  grades              taxshare.risk_grade[] NOT NULL,
  status              text NOT NULL DEFAULT 'pushed' CHECK (status IN ('pushed', 'received', 'answered')),
  pushed_at           timestamptz NOT NULL,
  pushed_by           text NOT NULL,
  push_recorded_at    timestamptz NOT NULL DEFAULT now(),
  received_at         timestamptz,
  received_by         text,
  receive_recorded_at timestamptz,
  answered_at         timestamptz,
  cycles              integer NOT NULL DEFAULT 1 CHECK (cycles >= 1),
  deduction_event_id  bigint,
  note                text,
  CONSTRAINT warning_received_after_push CHECK (received_at IS NULL OR received_at >= pushed_at),
  CONSTRAINT warning_received_with_actor CHECK ((received_at IS NULL) = (received_by IS NULL))
);
CREATE INDEX warning_period_unit ON taxshare.warning (period_start, unit_code);
CREATE INDEX warning_unanswered ON taxshare.warning (pushed_at) WHERE status <> 'answered';
COMMENT ON TABLE taxshare.warning IS
  '风险预警: 市财源办向税务部门或共享单位推送的一批分级任务及其接收、延期、反馈 (衡阳办法第十八至二十条) / '
  'risk warnings: a batch of graded tasks pushed to the tax bureau or a unit, with receipt, extension and feedback (seeds/000 art. 18-20)';
COMMENT ON COLUMN taxshare.warning.status IS
  'pushed 已推送, received 已接收, answered 全部任务已反馈 / pushed, received, every task answered';
COMMENT ON COLUMN taxshare.warning.pushed_at IS '推送时间 / when pushed';
COMMENT ON COLUMN taxshare.warning.push_recorded_at IS
  '推送登记入库时间 (补录时晚于推送时间) / when the push was recorded (later than pushed_at when entered afterwards)';
COMMENT ON COLUMN taxshare.warning.answered_at IS
  '最后一个任务反馈的时间 / when the last task was answered';
COMMENT ON COLUMN taxshare.warning.cycles IS
  '反馈周期数 (含首个周期, 每次延期加 1) / feedback cycles granted, the first included';
COMMENT ON COLUMN taxshare.warning.deduction_event_id IS
  '未按期反馈的扣分事件 (deduction_event) / the duty deduction for not answering in time';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_id_seq', '');

CREATE TABLE taxshare.warning_task (
  id                  bigserial PRIMARY KEY,
  warning_id          bigint NOT NULL REFERENCES taxshare.warning (id) ON DELETE CASCADE,
  unit_code           text NOT NULL,
  period_start        date NOT NULL,
  entity_id           bigint NOT NULL REFERENCES taxshare.entity (id),
  grade               taxshare.risk_grade NOT NULL,
  score               float8 NOT NULL,
  rank                integer NOT NULL,
  points              integer NOT NULL,
  amount              numeric(20,2) NOT NULL,
  response            text NOT NULL,
  response_reason     text NOT NULL,
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'disputed')),
  outcome             text CHECK (outcome IN ('recovered', 'dismissed', 'referred', 'no_action')),
  response_taken      text CHECK (response_taken IN ('reminder', 'verification', 'assessment', 'audit', 'referral')),
  amount_recovered    numeric(18,2) CHECK (amount_recovered >= 0),
  referred_to         text,
  note                text,
  signed_off_by       text,
  answered_at         timestamptz,
  answered_by         text,
  answer_recorded_at  timestamptz,
  CONSTRAINT warning_task_once UNIQUE (entity_id, period_start, unit_code),
  CONSTRAINT warning_task_answer CHECK ((status = 'open') = (answered_at IS NULL)),
  CONSTRAINT warning_task_no_action CHECK (outcome IS DISTINCT FROM 'no_action'
                                           OR (btrim(note) <> '' AND btrim(signed_off_by) <> ''))
);
CREATE INDEX warning_task_warning ON taxshare.warning_task (warning_id, status);
COMMENT ON TABLE taxshare.warning_task IS
  '预警任务: 每个推送的风险主体一行, 含推送时的等级、分数和规定应对方式, 以及反馈结果 / '
  'warning tasks: one per entity pushed, with the grade, score and prescribed response at push time, and the feedback';
COMMENT ON COLUMN taxshare.warning_task.status IS
  'open 待反馈, answered 已反馈, disputed 有异议已提交市财源办 / open, answered, or disputed (escalated to the office)';
COMMENT ON COLUMN taxshare.warning_task.outcome IS
  'recovered 查补税款, dismissed 疑点排除 (须说明理由), referred 移送, no_action 无需应对 (须书面理由及分管领导签字) / '
  'taxes recovered, points dismissed (with a reason), referred, or no action needed (written reason signed off by the leader)';
COMMENT ON COLUMN taxshare.warning_task.response_taken IS
  '实际采取的应对方式 (纳税评估记入 assessment_log) / the response actually taken (an assessment is recorded in assessment_log)';
COMMENT ON COLUMN taxshare.warning_task.signed_off_by IS
  '审核签字的分管领导 (无需应对时必填, 衡阳办法第十五条) / the leader in charge who signed the no-action answer (seeds/000 art. 15)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_task', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_task_id_seq', '');

CREATE TABLE taxshare.warning_extension (
  id            bigserial PRIMARY KEY,
  warning_id    bigint NOT NULL REFERENCES taxshare.warning (id) ON DELETE CASCADE,
  cycle         integer NOT NULL CHECK (cycle >= 2),
  reason        text NOT NULL CHECK (btrim(reason) <> ''),
  requested_at  timestamptz NOT NULL,
  requested_by  text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (warning_id, cycle)
);
COMMENT ON TABLE taxshare.warning_extension IS
  '反馈延期: 每次增加一个 30 天周期, 须说明特殊情况 / feedback extensions: one more 30-day cycle each, with the special circumstances';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_extension', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_extension_id_seq', '');

CREATE TABLE taxshare.warning_dispute (
  id             bigserial PRIMARY KEY,
  task_id        bigint NOT NULL REFERENCES taxshare.warning_task (id) ON DELETE CASCADE,
  reason         text NOT NULL CHECK (btrim(reason) <> ''),
  escalated_to   text NOT NULL CHECK (escalated_to IN ('office', 'city_government')),
  filed_at       timestamptz NOT NULL,
  filed_by       text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  decision       text CHECK (decision IN ('upheld', 'overturned')),
  decision_note  text,
  decided_at     timestamptz,
  decided_by     text,
  CONSTRAINT warning_dispute_decided CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX warning_dispute_task ON taxshare.warning_dispute (task_id);
COMMENT ON TABLE taxshare.warning_dispute IS
  '预警异议: 提交市财源办, 重大异议提交市人民政府; 含处理决定 / disputes about warning tasks: to the office, major ones to the city government; with the decision';
COMMENT ON COLUMN taxshare.warning_dispute.decision IS
  'upheld 维持预警 (如需应对由市财源办重新推送), overturned 撤销 (任务视为疑点排除) / upheld (the office pushes again if action is needed) or overturned (the task counts as dismissed)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_dispute', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_dispute_id_seq', '');

-- ---------------------------------------------------------------------------
-- Deadlines
-- ---------------------------------------------------------------------------

-- A day in China Standard Time.
CREATE FUNCTION taxshare._cst_day(ts timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT (ts AT TIME ZONE 'Asia/Shanghai')::date $$;
COMMENT ON FUNCTION taxshare._cst_day(timestamptz) IS
  '北京时间的日期 / the day of a time in China Standard Time';

CREATE FUNCTION taxshare._warning_param(name text) RETURNS integer
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT p.value::integer FROM taxshare.risk_param p WHERE p.name = $1 $$;
COMMENT ON FUNCTION taxshare._warning_param(text) IS
  '预警参数 (整数) / a warning parameter as an integer';

CREATE FUNCTION taxshare.warning_deadlines(period_start date, pushed_at timestamptz,
                                           received_at timestamptz DEFAULT NULL, cycles integer DEFAULT 1,
                                           OUT push_due date, OUT receive_due date, OUT feedback_due date)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  m date := (date_trunc('month', period_start)
             + make_interval(months => taxshare._warning_param('warning.push_month_offset')))::date;
  cycle_start date;
BEGIN
  -- art. 20 (一): before the Nth -> the (N-1)th is the last day on time
  push_due := make_date(extract(year FROM m)::int, extract(month FROM m)::int,
                        taxshare._warning_param('warning.push_before_day') - 1);
  IF pushed_at IS NULL THEN
    RETURN;
  END IF;
  -- A deadline in a year the calendar has no holiday notice for stays empty
  -- (with taxshare.calendar_missing_year = error) until the notice is loaded,
  -- rather than making the whole ledger unreadable.
  BEGIN
    -- art. 20 (二): within 3 working days of the push
    receive_due := taxshare.add_working_days(taxshare._cst_day(pushed_at),
                                             taxshare._warning_param('warning.receive_working_days'));
    -- art. 18: 30 days a cycle from the receipt, at the latest from the receipt deadline
    cycle_start := least(coalesce(taxshare._cst_day(received_at), receive_due), receive_due);
    feedback_due := cycle_start + taxshare._warning_param('warning.cycle_days') * greatest(cycles, 1);
    IF current_setting('taxshare.due_date_roll_forward', true) IS DISTINCT FROM 'off' THEN
      feedback_due := taxshare.add_working_days(feedback_due, 0);
    END IF;
  EXCEPTION WHEN invalid_parameter_value THEN
    IF SQLERRM NOT LIKE 'no holiday data for year %' THEN
      RAISE;
    END IF;
    feedback_due := NULL;
  END;
END
$$;
COMMENT ON FUNCTION taxshare.warning_deadlines(date, timestamptz, timestamptz, integer) IS
  '预警的推送、接收、反馈期限 (最后一个按时的日期, 按工作日历; 缺少该年节假日安排时为空) / the push, receipt and feedback deadlines of a warning (last day on time, on the working-day calendar; empty while the calendar lacks the year)';

-- ---------------------------------------------------------------------------
-- The steps
-- ---------------------------------------------------------------------------

-- A step's time: now, or when it happened if recorded afterwards (never in the future).
CREATE FUNCTION taxshare._warning_at(at timestamptz) RETURNS timestamptz
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF at IS NULL THEN
    RETURN now();
  END IF;
  IF at > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'cannot record a warning step at "%", which is in the future', at
      USING ERRCODE = '22023', HINT = 'Leave "at" out to record the step now, or give the time it happened.';
  END IF;
  RETURN at;
END
$$;
COMMENT ON FUNCTION taxshare._warning_at(timestamptz) IS
  '内部: 步骤时间 (默认当前, 补录时为实际时间, 不得晚于当前) / internal: the time of a step (now, or when it happened; never in the future)';

CREATE FUNCTION taxshare.warning_push(period_start date, unit text,
                                      grades text[] DEFAULT ARRAY['high', 'medium', 'low'],
                                      entity_ids bigint[] DEFAULT NULL, title text DEFAULT NULL,
                                      actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := taxshare._warning_at(warning_push.at);
  g taxshare.risk_grade[];
  new_id bigint;
  n bigint;
BEGIN
  IF warning_push.period_start IS NULL THEN
    RAISE EXCEPTION 'period_start must not be null'
      USING ERRCODE = '22023', HINT = 'Pass the period that grade_risks() graded.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = warning_push.unit AND u.active) THEN
    RAISE EXCEPTION 'unknown or inactive unit "%"', warning_push.unit
      USING ERRCODE = '22023', HINT = 'Push to the code of an active unit in taxshare.unit (the tax bureau, or a sharing unit).';
  END IF;
  IF warning_push.grades IS NULL OR cardinality(warning_push.grades) = 0
     OR EXISTS (SELECT 1 FROM unnest(warning_push.grades) x WHERE x IS NULL OR x NOT IN ('low', 'medium', 'high')) THEN
    RAISE EXCEPTION 'invalid grades %', coalesce(warning_push.grades::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Name one or more of high, medium and low.';
  END IF;
  g := warning_push.grades::taxshare.risk_grade[];

  INSERT INTO taxshare.warning (period_start, unit_code, title, grades, pushed_at, pushed_by)
  VALUES (warning_push.period_start, warning_push.unit, warning_push.title, g, t,
          coalesce(warning_push.actor, session_user))
  RETURNING id INTO new_id;

  -- Every graded entity of those grades not yet pushed to this unit for the period.
  INSERT INTO taxshare.warning_task (warning_id, unit_code, period_start, entity_id, grade, score, rank,
                                     points, amount, response, response_reason)
  SELECT new_id, warning_push.unit, s.period_start, s.entity_id, s.grade, s.score, s.rank, s.points,
         s.amount, s.response, taxshare.risk_reason(s.reason_code, s.amount, s.monitoring, s.detail)
    FROM taxshare.risk_score s
   WHERE s.period_start = warning_push.period_start
     AND s.grade = ANY (g)
     AND (warning_push.entity_ids IS NULL OR s.entity_id = ANY (warning_push.entity_ids))
     AND NOT EXISTS (SELECT 1 FROM taxshare.warning_task x
                      WHERE x.entity_id = s.entity_id AND x.period_start = s.period_start
                        AND x.unit_code = warning_push.unit)
   ORDER BY s.rank;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'no graded risks of period % to push to unit "%"', warning_push.period_start, warning_push.unit
      USING ERRCODE = 'P0002',
            DETAIL = format('grades %s%s', warning_push.grades,
                            CASE WHEN warning_push.entity_ids IS NOT NULL
                                 THEN format(', entities %s', warning_push.entity_ids) ELSE '' END),
            HINT = 'Run taxshare.grade_risks() for the period first; risks already pushed to the unit are not pushed again.';
  END IF;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.warning_push(date, text, text[], bigint[], text, text, timestamptz) IS
  '预警推送: 将该期指定等级 (或指定主体) 的风险作为一批任务推送给单位, 已推送的不再推送; 返回预警编号 (第二十条第(一)项) / '
  'push a warning: the period''s risks of the given grades (or entities) as a batch of tasks to a unit, none twice; returns the warning id (art. 20 (一))';

CREATE FUNCTION taxshare.warning_receive(warning_id bigint, actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := taxshare._warning_at(warning_receive.at);
  w taxshare.warning;
  d record;
BEGIN
  SELECT * INTO w FROM taxshare.warning x WHERE x.id = warning_receive.warning_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning % does not exist', warning_receive.warning_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_ledger.';
  END IF;
  IF w.status <> 'pushed' THEN
    RAISE EXCEPTION 'warning % was already received', w.id
      USING ERRCODE = '55000', DETAIL = format('received at %s by %s', w.received_at, w.received_by),
            HINT = 'A warning is received once.';
  END IF;
  IF t < w.pushed_at THEN
    RAISE EXCEPTION 'warning % cannot be received at %, before it was pushed at %', w.id, t, w.pushed_at
      USING ERRCODE = '22023', HINT = 'Give the time the unit actually received it.';
  END IF;
  UPDATE taxshare.warning
     SET status = 'received', received_at = t, received_by = coalesce(warning_receive.actor, session_user),
         receive_recorded_at = now()
   WHERE id = w.id;
  d := taxshare.warning_deadlines(w.period_start, w.pushed_at, t, w.cycles);
  RETURN taxshare._cst_day(t) <= d.receive_due;
END
$$;
COMMENT ON FUNCTION taxshare.warning_receive(bigint, text, timestamptz) IS
  '信息接收: 登记单位接收预警, 返回是否在 3 个工作日内 (第二十条第(二)项) / record that the unit received a warning; returns whether within 3 working days (art. 20 (二))';

-- After a task is answered or disputed: the warning is answered when no task is open.
CREATE FUNCTION taxshare._warning_close(wid bigint) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE taxshare.warning w
     SET status = 'answered',
         answered_at = (SELECT max(t.answered_at) FROM taxshare.warning_task t WHERE t.warning_id = w.id)
   WHERE w.id = wid AND w.status = 'received'
     AND NOT EXISTS (SELECT 1 FROM taxshare.warning_task t WHERE t.warning_id = w.id AND t.status = 'open')
$$;
COMMENT ON FUNCTION taxshare._warning_close(bigint) IS
  '内部: 无待反馈任务时将预警标记为已反馈 / internal: mark a warning answered once no task is open';

-- The open task, locked, with its warning received; or an error.
CREATE FUNCTION taxshare._warning_open_task(task_id bigint, OUT t taxshare.warning_task, OUT w taxshare.warning)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  SELECT * INTO t FROM taxshare.warning_task x WHERE x.id = task_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning task % does not exist', task_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_task.';
  END IF;
  SELECT * INTO w FROM taxshare.warning x WHERE x.id = t.warning_id FOR UPDATE;
  IF w.status = 'pushed' THEN
    RAISE EXCEPTION 'warning % has not been received yet', w.id
      USING ERRCODE = '55000', HINT = 'Record the receipt with taxshare.warning_receive() first.';
  END IF;
  IF t.status <> 'open' THEN
    RAISE EXCEPTION 'warning task % is already %', t.id, t.status
      USING ERRCODE = '55000', DETAIL = format('at %s by %s', t.answered_at, t.answered_by),
            HINT = 'A task is answered once; a dispute goes to the office (warning_dispute_resolve).';
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._warning_open_task(bigint) IS
  '内部: 锁定待反馈任务及其预警, 不可反馈时报错 / internal: lock an open task and its warning, or raise why it cannot be answered';

CREATE FUNCTION taxshare.warning_feedback(task_id bigint, outcome text, note text DEFAULT NULL,
                                          amount_recovered numeric DEFAULT NULL, referred_to text DEFAULT NULL,
                                          signed_off_by text DEFAULT NULL, response_taken text DEFAULT NULL,
                                          actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  tm timestamptz := taxshare._warning_at(warning_feedback.at);
  r record;
  taken text;
  d record;
BEGIN
  r := taxshare._warning_open_task(warning_feedback.task_id);
  IF warning_feedback.outcome IS NULL
     OR warning_feedback.outcome NOT IN ('recovered', 'dismissed', 'referred', 'no_action') THEN
    RAISE EXCEPTION 'invalid feedback outcome "%"', warning_feedback.outcome
      USING ERRCODE = '22023', HINT = 'The outcome is recovered, dismissed, referred or no_action.';
  END IF;
  IF warning_feedback.outcome = 'recovered' AND coalesce(warning_feedback.amount_recovered, 0) <= 0 THEN
    RAISE EXCEPTION 'outcome "recovered" needs the amount recovered'
      USING ERRCODE = '22023', HINT = 'Pass amount_recovered => the taxes and fees recovered, in yuan.';
  END IF;
  IF warning_feedback.outcome = 'dismissed' AND btrim(coalesce(warning_feedback.note, '')) = '' THEN
    RAISE EXCEPTION 'outcome "dismissed" needs the reason the points were dismissed'
      USING ERRCODE = '22023', HINT = 'Pass note => why the suspicious points do not hold.';
  END IF;
  IF warning_feedback.outcome = 'referred' AND btrim(coalesce(warning_feedback.referred_to, '')) = '' THEN
    RAISE EXCEPTION 'outcome "referred" needs the body it was referred to'
      USING ERRCODE = '22023', HINT = 'Pass referred_to => e.g. 稽查局 (inspection bureau) or 公安局 (police).';
  END IF;
  -- art. 15: "须以书面形式说明理由和原因, 经分管领导审核签字盖章"
  IF warning_feedback.outcome = 'no_action'
     AND (btrim(coalesce(warning_feedback.note, '')) = '' OR btrim(coalesce(warning_feedback.signed_off_by, '')) = '') THEN
    RAISE EXCEPTION 'a no-action answer needs a written reason and the leader who signed it off'
      USING ERRCODE = '22023',
            DETAIL = '经核实不需要实施风险应对的, 须以书面形式说明理由, 经分管领导审核签字 (衡阳办法第十五条)',
            HINT = 'Pass note => the reason and signed_off_by => the leader in charge.';
  END IF;
  IF warning_feedback.response_taken IS NOT NULL AND warning_feedback.response_taken NOT IN
     ('reminder', 'verification', 'assessment', 'audit', 'referral') THEN
    RAISE EXCEPTION 'invalid response "%"', warning_feedback.response_taken
      USING ERRCODE = '22023', HINT = 'The response is reminder, verification, assessment, audit or referral.';
  END IF;
  taken := coalesce(warning_feedback.response_taken,
                    CASE warning_feedback.outcome WHEN 'referred' THEN 'referral'
                                                  WHEN 'no_action' THEN NULL
                                                  ELSE (r.t).response END);

  UPDATE taxshare.warning_task
     SET status = 'answered', outcome = warning_feedback.outcome, response_taken = taken,
         amount_recovered = warning_feedback.amount_recovered, referred_to = warning_feedback.referred_to,
         note = warning_feedback.note, signed_off_by = warning_feedback.signed_off_by,
         answered_at = tm, answered_by = coalesce(warning_feedback.actor, session_user),
         answer_recorded_at = now()
   WHERE id = (r.t).id;
  IF taken = 'assessment' THEN
    INSERT INTO taxshare.assessment_log (entity_id, assessed_on, source, warning_task_id, note)
    VALUES ((r.t).entity_id, taxshare._cst_day(tm), 'feedback', (r.t).id, warning_feedback.note);
  END IF;
  PERFORM taxshare._warning_close((r.w).id);
  d := taxshare.warning_deadlines((r.w).period_start, (r.w).pushed_at, (r.w).received_at, (r.w).cycles);
  RETURN taxshare._cst_day(tm) <= d.feedback_due;
END
$$;
COMMENT ON FUNCTION taxshare.warning_feedback(bigint, text, text, numeric, text, text, text, text, timestamptz) IS
  '结果反馈: 登记一个任务的应对结果 (recovered 查补税款, dismissed 疑点排除, referred 移送, no_action 无需应对须书面理由和领导签字); 返回是否在反馈期限内 / '
  'feed back one task: taxes recovered, points dismissed with a reason, referred, or no action (written reason and the leader''s sign-off); returns whether within the feedback deadline';

CREATE FUNCTION taxshare.warning_extend(warning_id bigint, reason text, actor text DEFAULT NULL,
                                        at timestamptz DEFAULT NULL)
RETURNS date
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := taxshare._warning_at(warning_extend.at);
  w taxshare.warning;
  d record;
  max_cycles integer := taxshare._warning_param('warning.max_cycles');
BEGIN
  SELECT * INTO w FROM taxshare.warning x WHERE x.id = warning_extend.warning_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning % does not exist', warning_extend.warning_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_ledger.';
  END IF;
  IF btrim(coalesce(warning_extend.reason, '')) = '' THEN
    RAISE EXCEPTION 'an extension needs the special circumstances that justify it'
      USING ERRCODE = '22023', HINT = 'Pass reason => why one 30-day cycle is not enough.';
  END IF;
  IF w.status = 'answered' THEN
    RAISE EXCEPTION 'warning % is already answered', w.id
      USING ERRCODE = '55000', HINT = 'Only a warning with open tasks can be extended.';
  END IF;
  IF w.cycles >= max_cycles THEN
    RAISE EXCEPTION 'warning % already has % feedback cycles', w.id, w.cycles
      USING ERRCODE = '55000',
            DETAIL = '特殊情况最长不超过2个周期 (衡阳办法第十八条) / at most 2 cycles in special cases (seeds/000 art. 18)',
            HINT = format('At most %s cycles of %s days are allowed (warning.max_cycles).', max_cycles,
                          taxshare._warning_param('warning.cycle_days'));
  END IF;
  d := taxshare.warning_deadlines(w.period_start, w.pushed_at, w.received_at, w.cycles);
  IF taxshare._cst_day(t) > d.feedback_due THEN
    RAISE EXCEPTION 'warning % cannot be extended after its feedback deadline %', w.id, d.feedback_due
      USING ERRCODE = '55000', HINT = 'Ask for the extension within the current cycle.';
  END IF;
  INSERT INTO taxshare.warning_extension (warning_id, cycle, reason, requested_at, requested_by)
  VALUES (w.id, w.cycles + 1, warning_extend.reason, t, coalesce(warning_extend.actor, session_user));
  UPDATE taxshare.warning SET cycles = cycles + 1 WHERE id = w.id;
  d := taxshare.warning_deadlines(w.period_start, w.pushed_at, w.received_at, w.cycles + 1);
  RETURN d.feedback_due;
END
$$;
COMMENT ON FUNCTION taxshare.warning_extend(bigint, text, text, timestamptz) IS
  '反馈延期: 特殊情况增加一个 30 天周期, 须说明理由, 共不超过 2 个周期 (第十八条); 返回新的反馈期限 / '
  'extend a warning by one 30-day cycle for special circumstances, with a reason, at most 2 cycles in all (art. 18); returns the new feedback deadline';

CREATE FUNCTION taxshare.warning_dispute(task_id bigint, reason text, major boolean DEFAULT false,
                                         actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  tm timestamptz := taxshare._warning_at(warning_dispute.at);
  r record;
  new_id bigint;
  who text := coalesce(warning_dispute.actor, session_user);
BEGIN
  r := taxshare._warning_open_task(warning_dispute.task_id);
  IF btrim(coalesce(warning_dispute.reason, '')) = '' THEN
    RAISE EXCEPTION 'a dispute needs its reason'
      USING ERRCODE = '22023', HINT = 'Pass reason => what in the warning is disputed and why.';
  END IF;
  INSERT INTO taxshare.warning_dispute (task_id, reason, escalated_to, filed_at, filed_by)
  VALUES ((r.t).id, warning_dispute.reason,
          CASE WHEN warning_dispute.major THEN 'city_government' ELSE 'office' END, tm, who)
  RETURNING id INTO new_id;
  -- The dispute is the unit's answer: it stops the clock of the task.
  UPDATE taxshare.warning_task
     SET status = 'disputed', note = warning_dispute.reason, answered_at = tm, answered_by = who,
         answer_recorded_at = now()
   WHERE id = (r.t).id;
  PERFORM taxshare._warning_close((r.w).id);
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.warning_dispute(bigint, text, boolean, text, timestamptz) IS
  '对预警任务提出异议: 提交市财源办, 重大异议 (major) 提交市人民政府; 异议即为该任务的答复; 返回异议编号 / '
  'dispute a warning task: escalated to the office, a major one to the city government; the dispute answers the task; returns the dispute id';

CREATE FUNCTION taxshare.warning_dispute_resolve(dispute_id bigint, decision text, note text DEFAULT NULL,
                                                 actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  tm timestamptz := taxshare._warning_at(warning_dispute_resolve.at);
  x taxshare.warning_dispute;
BEGIN
  SELECT * INTO x FROM taxshare.warning_dispute d WHERE d.id = warning_dispute_resolve.dispute_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning dispute % does not exist', warning_dispute_resolve.dispute_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_dispute.';
  END IF;
  IF x.decision IS NOT NULL THEN
    RAISE EXCEPTION 'warning dispute % is already decided (%)', x.id, x.decision
      USING ERRCODE = '55000', HINT = 'A dispute is decided once.';
  END IF;
  IF warning_dispute_resolve.decision IS NULL OR warning_dispute_resolve.decision NOT IN ('upheld', 'overturned') THEN
    RAISE EXCEPTION 'invalid dispute decision "%"', warning_dispute_resolve.decision
      USING ERRCODE = '22023', HINT = 'Decide "upheld" (the warning stands) or "overturned" (the points are dismissed).';
  END IF;
  IF tm < x.filed_at THEN
    RAISE EXCEPTION 'dispute % cannot be decided before it was filed (%)', x.id, x.filed_at
      USING ERRCODE = '22023', HINT = 'Give the time the decision was made.';
  END IF;
  UPDATE taxshare.warning_dispute
     SET decision = warning_dispute_resolve.decision, decision_note = warning_dispute_resolve.note,
         decided_at = tm, decided_by = coalesce(warning_dispute_resolve.actor, session_user)
   WHERE id = x.id;
  IF warning_dispute_resolve.decision = 'overturned' THEN
    UPDATE taxshare.warning_task SET outcome = 'dismissed' WHERE id = x.task_id;
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare.warning_dispute_resolve(bigint, text, text, text, timestamptz) IS
  '市财源办 (或市人民政府) 对异议作出决定: upheld 维持 (需应对时重新推送), overturned 撤销 (疑点排除) / '
  'the office (or the city government) decides a dispute: upheld (push again if action is needed) or overturned (points dismissed)';

-- ---------------------------------------------------------------------------
-- The ledger (台账) and the duty deductions
-- ---------------------------------------------------------------------------
CREATE VIEW taxshare.warning_ledger AS
  SELECT w.id AS warning_id, w.period_start, w.unit_code, u.name AS unit_name, w.title, w.grades,
         coalesce(k.tasks, 0) AS tasks, coalesce(k.open_tasks, 0) AS open_tasks,
         coalesce(k.answered_tasks, 0) AS answered_tasks, coalesce(k.disputed_tasks, 0) AS disputed_tasks,
         coalesce(k.no_action_tasks, 0) AS no_action_tasks, coalesce(k.amount, 0) AS amount,
         coalesce(k.recovered, 0) AS recovered,
         w.status,
         CASE
           WHEN w.status = 'answered' AND taxshare._cst_day(w.answered_at) <= d.feedback_due THEN 'answered'
           WHEN w.status = 'answered' THEN 'answered_late'
           WHEN c.today > d.feedback_due THEN 'overdue'
           WHEN w.status = 'received' THEN 'in_progress'
           WHEN c.today > d.receive_due THEN 'receipt_overdue'
           ELSE 'awaiting_receipt'
         END AS state,
         w.pushed_at, w.pushed_by, d.push_due,
         taxshare._cst_day(w.pushed_at) <= d.push_due AS push_met,
         w.received_at, w.received_by, d.receive_due,
         CASE WHEN w.received_at IS NOT NULL THEN taxshare._cst_day(w.received_at) <= d.receive_due
              WHEN c.today > d.receive_due THEN false END AS receive_met,
         w.cycles, coalesce(x.extensions, 0) AS extensions, x.last_reason AS extension_reason,
         d.feedback_due,
         w.answered_at,
         CASE WHEN w.answered_at IS NOT NULL THEN taxshare._cst_day(w.answered_at) <= d.feedback_due
              WHEN c.today > d.feedback_due THEN false END AS feedback_met,
         w.deduction_event_id,
         (w.push_recorded_at - w.pushed_at > interval '1 hour'
          OR w.receive_recorded_at - w.received_at > interval '1 hour'
          OR coalesce(k.backdated, false)) AS backdated
    FROM taxshare.warning w
    JOIN taxshare.unit u ON u.code = w.unit_code
    CROSS JOIN LATERAL (SELECT taxshare._cst_day(now()) AS today) c
    CROSS JOIN LATERAL taxshare.warning_deadlines(w.period_start, w.pushed_at, w.received_at, w.cycles) d
    LEFT JOIN LATERAL (
      SELECT count(*) AS tasks, count(*) FILTER (WHERE t.status = 'open') AS open_tasks,
             count(*) FILTER (WHERE t.status = 'answered') AS answered_tasks,
             count(*) FILTER (WHERE t.status = 'disputed') AS disputed_tasks,
             count(*) FILTER (WHERE t.outcome = 'no_action') AS no_action_tasks,
             sum(t.amount) AS amount, sum(t.amount_recovered) AS recovered,
             bool_or(t.answer_recorded_at - t.answered_at > interval '1 hour') AS backdated
        FROM taxshare.warning_task t WHERE t.warning_id = w.id) k ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS extensions, (array_agg(e.reason ORDER BY e.cycle DESC))[1] AS last_reason
        FROM taxshare.warning_extension e WHERE e.warning_id = w.id) x ON true;
COMMENT ON VIEW taxshare.warning_ledger IS
  '预警台账: 每个预警的推送、接收、反馈期限及是否按期, 任务数与反馈情况, 延期与扣分 (衡阳办法第十九条 "实行台账管理") / '
  'the warning ledger: each warning with its push, receipt and feedback deadlines and whether each was met, tasks and answers, extensions and deductions (seeds/000 art. 19)';

CREATE FUNCTION taxshare.warning_sweep(as_of date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  day date := coalesce(warning_sweep.as_of, taxshare._cst_day(now()));
  pts integer := taxshare._warning_param('warning.deduction_points');
  en boolean := current_setting('taxshare.language', true) = 'en';
  w record;
  ev bigint;
  n integer := 0;
BEGIN
  IF pts = 0 THEN
    RETURN 0;
  END IF;
  -- art. 31 (三): each warning not answered within its (last) feedback cycle costs the unit 2 points
  FOR w IN
    SELECT x.*, d.feedback_due
      FROM taxshare.warning x
     CROSS JOIN LATERAL taxshare.warning_deadlines(x.period_start, x.pushed_at, x.received_at, x.cycles) d
     WHERE x.deduction_event_id IS NULL
       AND d.feedback_due < day
       AND (x.answered_at IS NULL OR taxshare._cst_day(x.answered_at) > d.feedback_due)
     ORDER BY x.id
     FOR UPDATE OF x
  LOOP
    INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date,
                                          reason, points, source, detail)
    VALUES (w.unit_code, 'duty', NULL, w.period_start, NULL, w.feedback_due + 1, 'warning_unanswered', -pts,
            'warning',
            CASE WHEN en
                 THEN format('warning %s (period %s, tasks: %s) not answered by its feedback deadline %s',
                             w.id, to_char(w.period_start, 'YYYY-MM-DD'),
                             (SELECT count(*) FROM taxshare.warning_task t WHERE t.warning_id = w.id),
                             to_char(w.feedback_due, 'YYYY-MM-DD'))
                 ELSE format('预警 %s (%s 期, %s 项任务) 未在反馈期限 %s 前反馈 (衡阳办法第三十一条第(三)项)',
                             w.id, to_char(w.period_start, 'YYYY-MM-DD'),
                             (SELECT count(*) FROM taxshare.warning_task t WHERE t.warning_id = w.id),
                             to_char(w.feedback_due, 'YYYY-MM-DD')) END)
    RETURNING id INTO ev;
    UPDATE taxshare.warning SET deduction_event_id = ev WHERE id = w.id;
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare.warning_sweep(date) IS
  '预警巡检: 反馈期限已过仍未 (按期) 反馈的预警, 为责任单位记履职尽责扣分 (每个 -2 分, 第三十一条第(三)项); 可重复执行; 返回新增扣分数 / '
  'the warning sweep: a duty deduction (-2 each, art. 31 (三)) for every warning not answered by its feedback deadline; idempotent; returns how many were added';
-- The monthly analysis report (DOMAIN.md "From data to risk"; seeds/000 art.
-- 15 "市财源办推送的分析报告"): analysis_report(period_start) returns one
-- self-contained HTML page (inline CSS and SVG, no script, no external
-- resource) with the counts by grade, by indicator and by department, the
-- top risks, the prescribed responses and the overdue warnings.  Every text
-- from the data goes through html_escape().  Guide: docs/risk.md, "Report".

CREATE FUNCTION taxshare.html_escape(s text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT replace(replace(replace(replace(replace(s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
                                        '"', '&quot;'), '''', '&#39;') $$;
COMMENT ON FUNCTION taxshare.html_escape(text) IS
  'HTML 转义 (& < > " '') / escape a text for HTML (& < > " '')';

-- A number with thousands separators and at most two decimals.
CREATE FUNCTION taxshare._report_num(x numeric) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT CASE WHEN x IS NULL THEN '-'
                    WHEN x = trunc(x) THEN btrim(to_char(x, 'FM999,999,999,999,990'))
                    ELSE btrim(to_char(x, 'FM999,999,999,999,990.00')) END $$;
COMMENT ON FUNCTION taxshare._report_num(numeric) IS
  '内部: 报告中的数字格式 (千分位) / internal: a number as the report prints it (thousands separators)';

-- The middle dot that separates parts of a line.  The install script is
-- plain UTF-8 read in the database's encoding (EUC_CN, GBK ... too), and
-- U+00B7 has no EUC_CN code, so the source spells it chr(183) - which
-- exists only in a UTF8 database - and other databases get the numeric
-- character reference, which HTML and SVG show the same.
-- (plpgsql, not a sql CASE: the planner would fold chr(183) in every database.)
CREATE FUNCTION taxshare._report_dot() RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF pg_catalog.getdatabaseencoding() = 'UTF8' THEN
    RETURN pg_catalog.chr(183);
  END IF;
  RETURN '&#183;';
END
$$;
COMMENT ON FUNCTION taxshare._report_dot() IS
  '内部: 报告中的分隔点 (UTF8 库为 U+00B7, 其他编码为 &#183;) / internal: the separating middle dot of the report (U+00B7 in a UTF8 database, &#183; otherwise)';

-- Horizontal bars: one row per label, the bar proportional to the largest value.
CREATE FUNCTION taxshare._svg_bars(labels text[], vals numeric[], colors text[], caption text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := coalesce(cardinality(labels), 0);
  row_h constant integer := 26;
  label_w constant integer := 300;
  bar_w constant integer := 380;
  top constant integer := 8;
  h integer;
  mx numeric := 0;
  w numeric;
  out text;
  i integer;
BEGIN
  IF n = 0 THEN
    RETURN '<p class="empty">无数据 / no data</p>';
  END IF;
  FOR i IN 1 .. n LOOP
    mx := greatest(mx, coalesce(vals[i], 0));
  END LOOP;
  h := top * 2 + n * row_h;
  out := format('<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s"><title>%s</title>',
                label_w + bar_w + 110, h, label_w + bar_w + 110, h, taxshare.html_escape(caption));
  FOR i IN 1 .. n LOOP
    w := CASE WHEN mx > 0 THEN round(coalesce(vals[i], 0) / mx * bar_w, 1) ELSE 0 END;
    out := out || format(
      '<text x="%s" y="%s" text-anchor="end" class="lbl">%s</text>'
      '<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="%s"/>'
      '<text x="%s" y="%s" class="val">%s</text>',
      label_w - 8, top + (i - 1) * row_h + 17,
      taxshare.html_escape(CASE WHEN length(labels[i]) > 22 THEN left(labels[i], 21) || '…' ELSE labels[i] END),
      label_w, top + (i - 1) * row_h + 4, w, row_h - 8,
      taxshare.html_escape(coalesce(colors[1 + (i - 1) % greatest(cardinality(colors), 1)], '#2c7fb8')),
      label_w + w + 6, top + (i - 1) * row_h + 17, taxshare._report_num(vals[i]));
  END LOOP;
  RETURN out || '</svg>';
END
$$;
COMMENT ON FUNCTION taxshare._svg_bars(text[], numeric[], text[], text) IS
  '内部: 内联 SVG 横向条形图 / internal: an inline SVG horizontal bar chart';

-- A pie with its legend.
CREATE FUNCTION taxshare._svg_pie(labels text[], vals numeric[], colors text[], caption text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := coalesce(cardinality(labels), 0);
  total numeric := 0;
  cx constant numeric := 110;
  cy constant numeric := 110;
  r constant numeric := 100;
  a0 double precision := 0;
  a1 double precision;
  color text;
  out text;
  h integer;
  i integer;
BEGIN
  FOR i IN 1 .. n LOOP
    total := total + greatest(coalesce(vals[i], 0), 0);
  END LOOP;
  IF n = 0 OR total = 0 THEN
    RETURN '<p class="empty">无数据 / no data</p>';
  END IF;
  h := greatest(230, 20 + n * 22);
  out := format('<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 %s" width="640" height="%s"><title>%s</title>',
                h, h, taxshare.html_escape(caption));
  FOR i IN 1 .. n LOOP
    color := taxshare.html_escape(colors[1 + (i - 1) % cardinality(colors)]);
    a1 := a0 + 2 * pi() * greatest(coalesce(vals[i], 0), 0) / total;
    IF greatest(coalesce(vals[i], 0), 0) = total THEN
      out := out || format('<circle cx="%s" cy="%s" r="%s" fill="%s"/>', cx, cy, r, color);
    ELSIF a1 > a0 THEN
      out := out || format('<path d="M %s %s L %s %s A %s %s 0 %s 1 %s %s Z" fill="%s" stroke="#fff" stroke-width="1"/>',
                           cx, cy,
                           round((cx + r * sin(a0))::numeric, 2), round((cy - r * cos(a0))::numeric, 2),
                           r, r, CASE WHEN a1 - a0 > pi() THEN 1 ELSE 0 END,
                           round((cx + r * sin(a1))::numeric, 2), round((cy - r * cos(a1))::numeric, 2), color);
    END IF;
    out := out || format('<rect x="240" y="%s" width="14" height="14" rx="2" fill="%s"/>'
                         '<text x="262" y="%s" class="lbl">%s %s %s (%s%%)</text>',
                         12 + (i - 1) * 22, color, 24 + (i - 1) * 22,
                         taxshare.html_escape(CASE WHEN length(labels[i]) > 20 THEN left(labels[i], 19) || '…'
                                                   ELSE labels[i] END), taxshare._report_dot(),
                         taxshare._report_num(vals[i]), round(100 * greatest(coalesce(vals[i], 0), 0) / total, 1));
    a0 := a1;
  END LOOP;
  RETURN out || '</svg>';
END
$$;
COMMENT ON FUNCTION taxshare._svg_pie(text[], numeric[], text[], text) IS
  '内部: 内联 SVG 饼图及图例 / internal: an inline SVG pie chart with its legend';

CREATE FUNCTION taxshare.analysis_report(period_start date, top_n integer DEFAULT 20)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  p date := analysis_report.period_start;
  run record;
  amount numeric;
  html text;
  body text := '';
  rec record;
  labels text[];
  vals numeric[];
  colors text[];
  grade_colors constant text[] := ARRAY['#c0392b', '#e67e22', '#27ae60'];
  palette constant text[] := ARRAY['#2c7fb8', '#e6550d', '#31a354', '#756bb1', '#d6616b', '#636363',
                                    '#8c6d31', '#3182bd', '#fd8d3c', '#74c476', '#9e9ac8', '#bdbdbd'];
  n_overdue integer;
BEGIN
  IF p IS NULL THEN
    RAISE EXCEPTION 'period_start must not be null'
      USING ERRCODE = '22023', HINT = 'Pass the first day of the graded period, e.g. ''2025-09-01''.';
  END IF;
  IF analysis_report.top_n IS NULL OR analysis_report.top_n < 1 OR analysis_report.top_n > 1000 THEN
    RAISE EXCEPTION 'top_n must be between 1 and 1000, not %', analysis_report.top_n
      USING ERRCODE = '22023', HINT = 'Pass how many of the top risks to list (20 by default).';
  END IF;
  SELECT * INTO run FROM taxshare.risk_grading g WHERE g.period_start = p;
  SELECT sum(s.amount) INTO amount FROM taxshare.risk_score s WHERE s.period_start = p;

  -- Summary cards
  body := body || '<section class="cards">'
    || format('<div class="card"><div class="n">%s</div><div class="k">评级主体 entities graded</div></div>',
              taxshare._report_num(coalesce(run.entities, 0)))
    || format('<div class="card high"><div class="n">%s</div><div class="k">高风险 high</div></div>',
              taxshare._report_num(coalesce(run.high, 0)))
    || format('<div class="card medium"><div class="n">%s</div><div class="k">中风险 medium</div></div>',
              taxshare._report_num(coalesce(run.medium, 0)))
    || format('<div class="card low"><div class="n">%s</div><div class="k">低风险 low</div></div>',
              taxshare._report_num(coalesce(run.low, 0)))
    || format('<div class="card"><div class="n">%s</div><div class="k">风险点 suspicious points</div></div>',
              taxshare._report_num(coalesce(run.points, 0)))
    || format('<div class="card"><div class="n">%s</div><div class="k">涉及金额 (元) amount involved (yuan)</div></div>',
              taxshare._report_num(coalesce(amount, 0)))
    || format('<div class="card"><div class="n">%s</div><div class="k">关联传导提级 raised through links</div></div>',
              taxshare._report_num(coalesce(run.raised, 0)))
    || '</section>';
  IF run IS NULL THEN
    body := body || '<p class="notice">本期尚未评级: 请先运行 grade_risks() / this period has not been graded: run grade_risks() first.</p>';
  END IF;

  -- By grade
  body := body || '<section><h2>风险等级分布 <small>Risks by grade</small></h2>'
    || taxshare._svg_bars(ARRAY['高风险 high', '中风险 medium', '低风险 low'],
                          ARRAY[coalesce(run.high, 0), coalesce(run.medium, 0), coalesce(run.low, 0)]::numeric[],
                          grade_colors, '风险等级分布 / risks by grade')
    || '</section>';

  -- By indicator
  SELECT array_agg(x.label ORDER BY x.points DESC, x.label), array_agg(x.points ORDER BY x.points DESC, x.label),
         array_agg(x.color ORDER BY x.points DESC, x.label)
    INTO labels, vals, colors
    FROM (SELECT coalesce(i.name || CASE WHEN i.kind = 'monitoring' THEN ' (监控)' ELSE '' END,
                          r.indicator_code, '(未对应指标)') AS label,
                 count(*)::numeric AS points,
                 CASE WHEN i.kind = 'monitoring' THEN '#c0392b' ELSE '#2c7fb8' END AS color
            FROM taxshare.suspicion s
            JOIN taxshare.match_rule r ON r.code = s.rule_code
            LEFT JOIN taxshare.indicator i ON i.code = r.indicator_code
           WHERE s.period_start = p AND s.status IN ('new', 'confirmed')
           GROUP BY 1, 3
           ORDER BY 2 DESC, 1
           LIMIT 15) x;
  body := body || '<section><h2>按指标的风险点 <small>Points by indicator (red: monitoring)</small></h2>'
    || taxshare._svg_bars(labels, vals, colors, '按指标的风险点 / points by indicator') || '</section>';

  -- By department: the unit that provides the rule's source item
  SELECT array_agg(x.dept ORDER BY x.points DESC, x.dept), array_agg(x.points ORDER BY x.points DESC, x.dept)
    INTO labels, vals
    FROM (SELECT coalesce(u.name, c.provider, r.source_item) AS dept, count(*)::numeric AS points
            FROM taxshare.suspicion s
            JOIN taxshare.match_rule r ON r.code = s.rule_code
            LEFT JOIN LATERAL (SELECT ci.provider FROM taxshare.catalog_item ci
                                WHERE ci.code = r.source_item ORDER BY ci.version DESC LIMIT 1) c ON true
            LEFT JOIN taxshare.unit u ON u.code = c.provider
           WHERE s.period_start = p AND s.status IN ('new', 'confirmed')
           GROUP BY 1) x;
  body := body || '<section><h2>按数据来源部门的风险点 <small>Points by the department whose data raised them</small></h2>'
    || taxshare._svg_pie(labels, vals, palette, '按部门的风险点 / points by department') || '</section>';

  -- Prescribed responses
  SELECT array_agg(x.label ORDER BY x.ord), array_agg(x.cnt ORDER BY x.ord), array_agg(x.color ORDER BY x.ord)
    INTO labels, vals, colors
    FROM (SELECT k.name || ' ' || k.code AS label, count(s.entity_id)::numeric AS cnt,
                 array_position(ARRAY['referral', 'audit', 'assessment', 'verification', 'reminder'], k.code) AS ord,
                 CASE k.grade WHEN 'high' THEN '#c0392b' WHEN 'medium' THEN '#e67e22' ELSE '#27ae60' END AS color
            FROM taxshare.response_kind k
            LEFT JOIN taxshare.risk_score s ON s.period_start = p AND s.response = k.code
           GROUP BY k.code, k.name, k.grade) x;
  body := body || '<section><h2>规定应对方式 <small>Prescribed responses</small></h2>'
    || taxshare._svg_bars(labels, vals, colors, '规定应对方式 / prescribed responses') || '</section>';

  -- Top risks (names only: the report leaves the platform, identifiers stay in it)
  body := body || format('<section><h2>重点风险 (前 %s 名) <small>Top risks</small></h2>', analysis_report.top_n)
    || '<table><thead><tr><th>排名<br><small>rank</small></th><th>名称<br><small>name</small></th>'
    || '<th>等级<br><small>grade</small></th><th class="num">分数<br><small>score</small></th>'
    || '<th class="num">风险点<br><small>points</small></th><th class="num">金额 (元)<br><small>amount</small></th>'
    || '<th>应对<br><small>response</small></th><th>依据<br><small>reason</small></th></tr></thead><tbody>';
  -- one index scan per grade (risk_score_list), not a sort of the whole period
  FOR rec IN
    SELECT x.* FROM (
      (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
              l.monitoring, l.propagated
         FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'high'
        ORDER BY l.rank LIMIT analysis_report.top_n)
      UNION ALL
      (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
              l.monitoring, l.propagated
         FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'medium'
        ORDER BY l.rank LIMIT analysis_report.top_n)
      UNION ALL
      (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
              l.monitoring, l.propagated
         FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'low'
        ORDER BY l.rank LIMIT analysis_report.top_n)) x
     ORDER BY x.rank
     LIMIT analysis_report.top_n
  LOOP
    body := body || format('<tr><td>%s</td><td>%s%s%s</td><td><span class="tag %s">%s</span></td><td class="num">%s</td>'
                           '<td class="num">%s</td><td class="num">%s</td><td>%s</td><td class="reason">%s</td></tr>',
                           rec.rank, taxshare.html_escape(coalesce(rec.name, '-')),
                           CASE WHEN rec.monitoring THEN ' <span class="flag">监控</span>' ELSE '' END,
                           CASE WHEN rec.propagated THEN ' <span class="flag link">传导</span>' ELSE '' END,
                           rec.grade, CASE rec.grade WHEN 'high' THEN '高' WHEN 'medium' THEN '中' ELSE '低' END,
                           taxshare._report_num(rec.score::numeric), rec.points, taxshare._report_num(rec.amount),
                           taxshare.html_escape(rec.response), taxshare.html_escape(rec.response_reason));
  END LOOP;
  body := body || '</tbody></table></section>';

  -- Overdue warnings, whatever their period
  body := body || '<section><h2>逾期预警 <small>Overdue warnings</small></h2>';
  n_overdue := 0;
  FOR rec IN
    SELECT l.warning_id, l.period_start, l.unit_name, l.title, l.tasks, l.open_tasks, l.state, l.receive_due,
           l.feedback_due, l.deduction_event_id
      FROM taxshare.warning_ledger l
     WHERE l.state IN ('overdue', 'receipt_overdue')
     ORDER BY l.feedback_due, l.warning_id
  LOOP
    IF n_overdue = 0 THEN
      body := body || '<table><thead><tr><th>预警<br><small>warning</small></th><th>期间<br><small>period</small></th>'
        || '<th>单位<br><small>unit</small></th><th>标题<br><small>title</small></th>'
        || '<th class="num">未反馈任务<br><small>open tasks</small></th><th>状态<br><small>state</small></th>'
        || '<th>接收期限<br><small>receive by</small></th><th>反馈期限<br><small>feed back by</small></th>'
        || '<th>扣分<br><small>deduction</small></th></tr></thead><tbody>';
    END IF;
    n_overdue := n_overdue + 1;
    body := body || format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="num">%s / %s</td>'
                           '<td><span class="tag high">%s</span></td><td>%s</td><td>%s</td><td>%s</td></tr>',
                           rec.warning_id, to_char(rec.period_start, 'YYYY-MM'), taxshare.html_escape(rec.unit_name),
                           taxshare.html_escape(coalesce(rec.title, '')), rec.open_tasks, rec.tasks,
                           CASE rec.state WHEN 'overdue' THEN '反馈逾期 overdue' ELSE '接收逾期 receipt overdue' END,
                           to_char(rec.receive_due, 'YYYY-MM-DD'), to_char(rec.feedback_due, 'YYYY-MM-DD'),
                           CASE WHEN rec.deduction_event_id IS NOT NULL THEN '&minus;2' ELSE '' END);
  END LOOP;
  IF n_overdue = 0 THEN
    body := body || '<p class="empty">没有逾期预警 / no overdue warnings</p>';
  ELSE
    body := body || '</tbody></table>';
  END IF;
  body := body || '</section>';

  html := '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    || format('<title>风险分析报告 %s / risk analysis report</title>', to_char(p, 'YYYY-MM'))
    || '<style>'
    || 'body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#222}'
    || 'header{background:#1f3a5f;color:#fff;padding:24px 40px}header h1{margin:0;font-size:26px}'
    || 'header p{margin:6px 0 0;opacity:.85}main{padding:20px 40px;max-width:1100px}'
    || 'section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}'
    || 'h2{font-size:18px;margin:0 0 12px}h2 small,th small{color:#777;font-weight:normal}'
    || '.cards{display:flex;flex-wrap:wrap;gap:12px;background:none;box-shadow:none;padding:0}'
    || '.card{flex:1 1 130px;background:#fff;border-radius:8px;padding:14px;box-shadow:0 1px 3px rgba(0,0,0,.08);border-top:4px solid #1f3a5f}'
    || '.card .n{font-size:24px;font-weight:bold}.card .k{font-size:12px;color:#666;margin-top:4px}'
    || '.card.high{border-color:#c0392b}.card.medium{border-color:#e67e22}.card.low{border-color:#27ae60}'
    || 'table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}'
    || 'th{background:#f0f3f6}td.num,th.num{text-align:right;white-space:nowrap}td.reason{color:#555;font-size:12px}'
    || '.tag{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px}'
    || '.tag.high{background:#c0392b}.tag.medium{background:#e67e22}.tag.low{background:#27ae60}'
    || '.flag{font-size:11px;color:#c0392b;border:1px solid #c0392b;border-radius:3px;padding:0 3px}.flag.link{color:#756bb1;border-color:#756bb1}'
    || 'svg.chart{max-width:100%;height:auto}svg .lbl{font-size:13px;fill:#333}svg .val{font-size:12px;fill:#555}'
    || '.empty{color:#888}.notice{background:#fff3cd;border:1px solid #ffe08a;padding:10px;border-radius:6px}'
    || 'footer{color:#888;font-size:12px;padding:0 40px 30px}'
    || '</style></head><body>'
    || format('<header><h1>财税综合信息平台 风险分析报告</h1><p>%s 年 %s 月 %s Risk analysis report for %s %s 生成于 %s</p></header>',
              to_char(p, 'YYYY'), extract(month FROM p)::int, taxshare._report_dot(), to_char(p, 'YYYY-MM'),
              taxshare._report_dot(),
              to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'))
    || '<main>' || body || '</main>'
    || format('<footer>taxshare analysis_report() %s 评级于 graded at %s %s 参数 parameters: %s</footer>',
              taxshare._report_dot(),
              coalesce(to_char(run.graded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '-'),
              taxshare._report_dot(),
              taxshare.html_escape(coalesce(run.params::text, '-')))
    || '</body></html>';
  RETURN html;
END
$$;
COMMENT ON FUNCTION taxshare.analysis_report(date, integer) IS
  '月度 (或季度) 风险分析报告: 自包含的 HTML 页面 (内联 SVG 图表), 含等级、指标、部门分布, 重点风险与逾期预警 / '
  'the monthly (or quarterly) analysis report: a self-contained HTML page with inline SVG charts: counts by grade, indicator and department, the top risks and the overdue warnings';
-- The tamper-evident ledger (台账: "data sent and received is recorded ... and
-- afterwards it can be traced", 000 art. 7, 004 art. 22; DOMAIN.md "Ledger").
-- An append-only hash chain of what mattered: catalog versions, finished
-- submissions with a Merkle root over their records, supersessions,
-- objections, obligation states, deductions (and what later modules append
-- through ledger_append(), e.g. grants).  The byte layouts, the checks and how
-- to keep the head outside the database are in docs/ledger.md.  This file sorts
-- after the modules it hooks: its triggers sit on their tables without those
-- modules knowing about the ledger.

CREATE TABLE taxshare.ledger (
  seq        bigint PRIMARY KEY CHECK (seq > 0),
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL CHECK (action <> ''),
  object     text NOT NULL,
  digest     bytea,
  prev_hash  bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
  hash       bytea NOT NULL CHECK (octet_length(hash) = 32)
);
COMMENT ON TABLE taxshare.ledger IS
  '防篡改台账: 只增不改的哈希链, 记录目录变更、报送、替代、异议、报送义务状态、扣分与授权 / tamper-evident ledger: an append-only hash chain of catalog changes, submissions, supersessions, objections, obligation states, deductions and grants';
COMMENT ON COLUMN taxshare.ledger.seq IS
  '序号, 从 1 起连续 / sequence number, from 1 without gaps';
COMMENT ON COLUMN taxshare.ledger.at IS
  '记账时间 (微秒) / when the entry was appended, to the microsecond';
COMMENT ON COLUMN taxshare.ledger.actor IS
  '会话用户 / session user that caused the entry';
COMMENT ON COLUMN taxshare.ledger.action IS
  '事项, 如 catalog_define, submission, supersede, objection_file, objection_resolve, obligation_status, deduction / what happened (docs/ledger.md lists the actions)';
COMMENT ON COLUMN taxshare.ledger.object IS
  '对象的可读描述 (含可复核的键) / readable description of the object, starting with its key';
COMMENT ON COLUMN taxshare.ledger.digest IS
  '对象内容的 SHA-256 或默克尔根, 无则为空 / SHA-256 or Merkle root of the object''s content, NULL when the object text says it all';
COMMENT ON COLUMN taxshare.ledger.prev_hash IS
  '前一条的哈希, 第一条为 32 个零字节 / hash of the previous entry, 32 zero bytes for the first';
COMMENT ON COLUMN taxshare.ledger.hash IS
  '本条的 SHA-256 (格式见 docs/ledger.md) / SHA-256 of this entry, format in docs/ledger.md';
SELECT pg_catalog.pg_extension_config_dump('taxshare.ledger', '');
REVOKE ALL ON taxshare.ledger FROM PUBLIC;

-- Append-only: UPDATE, DELETE and TRUNCATE are refused with SQLSTATE 55000
-- (object_not_in_prerequisite_state).  INSERT is not refused by a trigger, so
-- that pg_restore can load the table; only the extension owner may insert, and
-- ledger_verify() finds an inserted or edited entry.
CREATE FUNCTION taxshare._ledger_refuse() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    RAISE EXCEPTION 'cannot % entries of taxshare.ledger', lower(TG_OP)
      USING ERRCODE = '55000',
            DETAIL = 'The ledger is append-only.',
            HINT = 'Entries are never changed or removed. taxshare.ledger_verify() reports a wrong entry; correct the data with a new operation, which adds its own entry.';
  END IF;
  RAISE EXCEPTION 'cannot truncate taxshare.ledger'
    USING ERRCODE = '55000',
          DETAIL = 'The ledger is append-only.',
          HINT = 'Entries are never changed or removed. taxshare.ledger_verify() reports a wrong entry; correct the data with a new operation, which adds its own entry.';
END
$$;
COMMENT ON FUNCTION taxshare._ledger_refuse() IS
  '拒绝修改、删除、清空台账的触发器 / trigger refusing UPDATE, DELETE and TRUNCATE on the ledger';
REVOKE ALL ON FUNCTION taxshare._ledger_refuse() FROM PUBLIC;

CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON taxshare.ledger
  FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_refuse();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON taxshare.ledger
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._ledger_refuse();

-- The C functions (src/ledger_fmgr.c).
CREATE FUNCTION taxshare.ledger_append(action text, object text, digest bytea)
RETURNS bigint
AS 'MODULE_PATHNAME', 'ledger_append'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION taxshare.ledger_append(text, text, bytea) IS
  '追加一条台账 (内部, 由触发器调用), 返回序号 / append the next ledger entry (internal, called by the ledger triggers); returns its seq';
REVOKE ALL ON FUNCTION taxshare.ledger_append(text, text, bytea) FROM PUBLIC;

CREATE FUNCTION taxshare.submission_digest(submission_id bigint)
RETURNS bytea
AS 'MODULE_PATHNAME', 'submission_digest'
LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION taxshare.submission_digest(bigint) IS
  '报送批次全部记录 (按行号) 的默克尔根 / Merkle root over the records of a submission in row order';
REVOKE ALL ON FUNCTION taxshare.submission_digest(bigint) FROM PUBLIC;

CREATE FUNCTION taxshare._ledger_restoring(relid oid)
RETURNS boolean
AS 'MODULE_PATHNAME', 'ledger_restoring'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare._ledger_restoring(oid) IS
  '当前语句是否为向该表的 COPY FROM (即恢复转储) / whether the running statement is a COPY FROM into that table, as when a dump is restored';
REVOKE ALL ON FUNCTION taxshare._ledger_restoring(oid) FROM PUBLIC;

-- Canonical texts of the subjects.  They must not depend on session settings
-- (DateStyle, TimeZone, lc_*): dates and times are formatted explicitly, and
-- jsonb renders dates in ISO 8601 whatever DateStyle says.
CREATE FUNCTION taxshare._ledger_sha256(t text)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.sha256(pg_catalog.convert_to(t, 'UTF8'))
$$;
COMMENT ON FUNCTION taxshare._ledger_sha256(text) IS
  '文本 (UTF-8) 的 SHA-256 / SHA-256 of a text in UTF-8';
REVOKE ALL ON FUNCTION taxshare._ledger_sha256(text) FROM PUBLIC;

CREATE FUNCTION taxshare._ledger_utc(ts timestamptz)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
COMMENT ON FUNCTION taxshare._ledger_utc(timestamptz) IS
  '与会话时区无关的 UTC 时间文本 / ISO 8601 UTC text of a time, whatever the session time zone';
REVOKE ALL ON FUNCTION taxshare._ledger_utc(timestamptz) FROM PUBLIC;

-- The one place that says what an entry records: the object text and digest
-- of a subject as the tables hold it now.  The hooks append what it returns,
-- and ledger_verify() calls it again to see whether the data still agree.
-- Unknown key: object NULL.  (plpgsql parses each branch when it first runs, so
-- a branch for a table another module has not installed costs nothing.)
CREATE FUNCTION taxshare._ledger_subject(action text, key text, OUT object text, OUT digest bytea)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text[];
  s record;
BEGIN
  CASE action
  WHEN 'catalog_define' THEN
    -- key: code@version; digest: SHA-256 of the definition document.
    k := regexp_match(key, '^(.+)@([0-9]+)$');
    SELECT format('%s@%s', i.code, i.version), taxshare._ledger_sha256(i.definition::text)
      INTO object, digest
      FROM taxshare.catalog_item i WHERE i.code = k[1] AND i.version = k[2]::integer;
  WHEN 'submission', 'supersede' THEN
    SELECT * INTO s FROM taxshare.submission x WHERE x.id = key::bigint;
    IF FOUND AND action = 'supersede' THEN
      object := format('submission %s superseded by %s', s.id, s.superseded_by);
    ELSIF FOUND THEN
      -- The item, unit, period, submitter, outcome and counts are in the text,
      -- the records in the digest (a Merkle root, docs/ledger.md).
      object := format('submission %s: item %s@%s, unit %s, period %s..%s, by %s, status %s,'
                       ' rows %s (%s accepted, %s rejected)',
                       s.id, s.item_code, s.item_version, s.unit_code,
                       to_char(s.period_start, 'YYYY-MM-DD'), to_char(s.period_end, 'YYYY-MM-DD'),
                       s.submitted_by, s.status, s.rows_total, s.rows_accepted, s.rows_rejected);
      digest := taxshare.submission_digest(s.id);
    END IF;
  WHEN 'objection_file' THEN
    SELECT format('objection %s on record %s', o.id, o.record_id),
           taxshare._ledger_sha256(jsonb_build_array(o.id, o.record_id, o.filed_by,
                                                     taxshare._ledger_utc(o.filed_at), o.reason)::text)
      INTO object, digest
      FROM taxshare.objection o WHERE o.id = key::bigint;
  WHEN 'objection_resolve' THEN
    SELECT format('objection %s resolved: %s', o.id, o.outcome),
           taxshare._ledger_sha256(jsonb_build_array(o.id, o.outcome, o.note, o.resolved_by,
                                                     taxshare._ledger_utc(o.resolved_at))::text)
      INTO object, digest
      FROM taxshare.objection o WHERE o.id = key::bigint;
  WHEN 'deduction' THEN
    SELECT format('deduction %s: unit %s, %s points (%s), item %s, period %s, %s',
                  d.id, d.unit_code, d.points, d.part, coalesce(d.item_code, '-'),
                  coalesce(to_char(d.period_start, 'YYYY-MM-DD'), '-'), d.reason),
           taxshare._ledger_sha256(jsonb_build_array(d.id, d.unit_code, d.part, d.item_code,
                                                     d.period_start, d.episode, d.event_date,
                                                     d.reason, d.points, d.source, d.detail)::text)
      INTO object, digest
      FROM taxshare.deduction_event d WHERE d.id = key::bigint;
  -- Warnings (88_warning.sql): the five steps of seeds/000 art. 19-20.  Each
  -- entry covers what its step wrote and no later step changes.
  WHEN 'warning_push' THEN
    SELECT format('warning %s pushed: unit %s, period %s, grades %s, by %s',
                  w.id, w.unit_code, to_char(w.period_start, 'YYYY-MM-DD'), array_to_string(w.grades, ','),
                  w.pushed_by),
           taxshare._ledger_sha256(jsonb_build_array(w.id, w.unit_code, w.period_start, w.title, w.grades,
                                                     taxshare._ledger_utc(w.pushed_at), w.pushed_by)::text)
      INTO object, digest
      FROM taxshare.warning w WHERE w.id = key::bigint;
  WHEN 'warning_receive' THEN
    SELECT format('warning %s received by %s', w.id, w.received_by),
           taxshare._ledger_sha256(jsonb_build_array(w.id, w.received_by,
                                                     taxshare._ledger_utc(w.received_at))::text)
      INTO object, digest
      FROM taxshare.warning w WHERE w.id = key::bigint AND w.received_at IS NOT NULL;
  WHEN 'warning_feedback' THEN
    SELECT format('warning task %s of warning %s answered: %s', t.id, t.warning_id, t.outcome),
           taxshare._ledger_sha256(jsonb_build_array(t.id, t.warning_id, t.entity_id, t.outcome, t.response_taken,
                                                     t.amount_recovered, t.referred_to, t.note, t.signed_off_by,
                                                     t.answered_by, taxshare._ledger_utc(t.answered_at))::text)
      INTO object, digest
      FROM taxshare.warning_task t WHERE t.id = key::bigint AND t.status = 'answered';
  WHEN 'warning_extend' THEN
    SELECT format('warning extension %s of warning %s: cycle %s', e.id, e.warning_id, e.cycle),
           taxshare._ledger_sha256(jsonb_build_array(e.id, e.warning_id, e.cycle, e.reason, e.requested_by,
                                                     taxshare._ledger_utc(e.requested_at))::text)
      INTO object, digest
      FROM taxshare.warning_extension e WHERE e.id = key::bigint;
  WHEN 'warning_dispute' THEN
    SELECT format('warning dispute %s on task %s to %s', x.id, x.task_id, x.escalated_to),
           taxshare._ledger_sha256(jsonb_build_array(x.id, x.task_id, x.reason, x.escalated_to, x.filed_by,
                                                     taxshare._ledger_utc(x.filed_at))::text)
      INTO object, digest
      FROM taxshare.warning_dispute x WHERE x.id = key::bigint;
  ELSE
    RAISE EXCEPTION 'unknown ledger action "%"', action
      USING ERRCODE = '22023',
            HINT = 'The actions with a subject are catalog_define, submission, supersede, objection_file, objection_resolve, deduction, warning_push, warning_receive, warning_feedback, warning_extend and warning_dispute.';
  END CASE;
END
$$;
COMMENT ON FUNCTION taxshare._ledger_subject(text, text) IS
  '台账条目所记对象的当前文本与摘要 (记账与校验共用) / object text and digest of a ledger subject as the tables hold it now, used both to append and to verify';
REVOKE ALL ON FUNCTION taxshare._ledger_subject(text, text) FROM PUBLIC;

-- The hooks.  SECURITY DEFINER: whoever submits or defines must be able to
-- append (ledger_append is granted to no one) and the digest must see every
-- record of the submission whatever row-level security the caller is under.
-- The actor recorded is the session user, which SECURITY DEFINER leaves alone.
-- TG_ARGV[0] is the action; the key is the row's id (code@version for the
-- catalog).  INSERT hooks skip a COPY into their own table (a restore: see
-- _ledger_restoring); UPDATE hooks cannot fire in a restore.
CREATE FUNCTION taxshare._ledger_hook() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  action text := TG_ARGV[0];
  key text;
  subject record;
BEGIN
  IF TG_OP = 'INSERT' AND taxshare._ledger_restoring(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF action = 'obligation_status' THEN
    -- Obligation states move on (pending -> missing -> rectified ...): each
    -- change is an entry of its own whose text says it all, and there is no
    -- lasting subject to recompute.
    PERFORM taxshare.ledger_append(action,
                                   format('obligation %s/%s/%s: %s -> %s', NEW.item_code, NEW.unit_code,
                                          to_char(NEW.period_start, 'YYYY-MM-DD'), OLD.status, NEW.status),
                                   NULL);
    RETURN NULL;
  END IF;
  IF action = 'suspicion_status' THEN
    -- The tax bureau's triage of a suspicion (74_match_rule.sql): like an
    -- obligation state, each change is an entry whose text says it all.
    PERFORM taxshare.ledger_append(action,
                                   format('suspicion %s: rule %s, entity %s, period %s: %s -> %s by %s',
                                          NEW.id, NEW.rule_code, NEW.entity_id,
                                          to_char(NEW.period_start, 'YYYY-MM-DD'), OLD.status, NEW.status,
                                          coalesce(NEW.triaged_by, '-')),
                                   NULL);
    RETURN NULL;
  END IF;
  -- Separate statements: plpgsql resolves NEW.code only where the row has it.
  IF action = 'catalog_define' THEN
    key := format('%s@%s', NEW.code, NEW.version);
  ELSE
    key := NEW.id::text;
  END IF;
  subject := taxshare._ledger_subject(action, key);
  PERFORM taxshare.ledger_append(action, subject.object, subject.digest);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._ledger_hook() IS
  '把目录变更、报送、替代、异议、义务状态、扣分、预警各环节与疑点核实记入台账的触发器 (参数为事项) / trigger appending ledger entries for catalog versions, submissions, supersessions, objections, obligation states, deductions, warning steps and suspicion triage (argument: the action)';
REVOKE ALL ON FUNCTION taxshare._ledger_hook() FROM PUBLIC;

CREATE TRIGGER ledger_catalog_define AFTER INSERT ON taxshare.catalog_item
  FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('catalog_define');
CREATE TRIGGER ledger_submission AFTER UPDATE OF status ON taxshare.submission
  FOR EACH ROW WHEN (OLD.status = 'loading' AND NEW.status <> 'loading')
  EXECUTE FUNCTION taxshare._ledger_hook('submission');
CREATE TRIGGER ledger_supersede AFTER UPDATE OF superseded_by ON taxshare.submission
  FOR EACH ROW WHEN (NEW.superseded_by IS NOT NULL AND OLD.superseded_by IS DISTINCT FROM NEW.superseded_by)
  EXECUTE FUNCTION taxshare._ledger_hook('supersede');

-- Tables of other modules, hooked when they are installed (this file is
-- assembled after theirs).
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.objection') IS NOT NULL THEN
    CREATE TRIGGER ledger_objection_file AFTER INSERT ON taxshare.objection
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('objection_file');
    CREATE TRIGGER ledger_objection_resolve AFTER UPDATE OF status ON taxshare.objection
      FOR EACH ROW WHEN (OLD.status = 'open' AND NEW.status = 'resolved')
      EXECUTE FUNCTION taxshare._ledger_hook('objection_resolve');
  END IF;
  IF pg_catalog.to_regclass('taxshare.obligation') IS NOT NULL THEN
    CREATE TRIGGER ledger_obligation_status AFTER UPDATE OF status ON taxshare.obligation
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION taxshare._ledger_hook('obligation_status');
  END IF;
  IF pg_catalog.to_regclass('taxshare.deduction_event') IS NOT NULL THEN
    CREATE TRIGGER ledger_deduction AFTER INSERT ON taxshare.deduction_event
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('deduction');
  END IF;
  -- Warnings: push, receive, feedback, extension, dispute (88_warning.sql).
  -- The push entry covers the warning row; its tasks are inserted after it
  -- and are covered by their feedback entries.
  IF pg_catalog.to_regclass('taxshare.warning') IS NOT NULL THEN
    CREATE TRIGGER ledger_warning_push AFTER INSERT ON taxshare.warning
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('warning_push');
    CREATE TRIGGER ledger_warning_receive AFTER UPDATE OF received_at ON taxshare.warning
      FOR EACH ROW WHEN (OLD.received_at IS NULL AND NEW.received_at IS NOT NULL)
      EXECUTE FUNCTION taxshare._ledger_hook('warning_receive');
    CREATE TRIGGER ledger_warning_feedback AFTER UPDATE OF status ON taxshare.warning_task
      FOR EACH ROW WHEN (OLD.status = 'open' AND NEW.status = 'answered')
      EXECUTE FUNCTION taxshare._ledger_hook('warning_feedback');
    CREATE TRIGGER ledger_warning_extend AFTER INSERT ON taxshare.warning_extension
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('warning_extend');
    CREATE TRIGGER ledger_warning_dispute AFTER INSERT ON taxshare.warning_dispute
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('warning_dispute');
  END IF;
  IF pg_catalog.to_regclass('taxshare.suspicion') IS NOT NULL THEN
    CREATE TRIGGER ledger_suspicion_status AFTER UPDATE OF status ON taxshare.suspicion
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION taxshare._ledger_hook('suspicion_status');
  END IF;
END
$$;

-- What ledger_verify() asks of each entry: does its subject, as the tables
-- hold it now, still give the entry's object and digest?  NULL when it does or
-- when the action has no lasting subject (obligation_status, suspicion_status,
-- and actions of later versions); else the problem.  The key is the start of the object text.
CREATE FUNCTION taxshare._ledger_check(action text, object text, digest bytea)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  key text;
  name text;
  cur record;
BEGIN
  CASE action
  WHEN 'catalog_define' THEN
    key := substring(object FROM '^(.+@[0-9]+)$');
    name := 'catalog item ' || key;
  WHEN 'submission', 'supersede' THEN
    key := substring(object FROM '^submission ([0-9]+)[: ]');
    name := 'submission ' || key;
  WHEN 'objection_file', 'objection_resolve' THEN
    key := substring(object FROM '^objection ([0-9]+) ');
    name := 'objection ' || key;
  WHEN 'deduction' THEN
    key := substring(object FROM '^deduction ([0-9]+):');
    name := 'deduction ' || key;
  WHEN 'warning_push', 'warning_receive' THEN
    key := substring(object FROM '^warning ([0-9]+) ');
    name := 'warning ' || key;
  WHEN 'warning_feedback' THEN
    key := substring(object FROM '^warning task ([0-9]+) ');
    name := 'warning task ' || key;
  WHEN 'warning_extend' THEN
    key := substring(object FROM '^warning extension ([0-9]+) ');
    name := 'warning extension ' || key;
  WHEN 'warning_dispute' THEN
    key := substring(object FROM '^warning dispute ([0-9]+) ');
    name := 'warning dispute ' || key;
  ELSE
    RETURN NULL;
  END CASE;
  IF key IS NULL THEN
    RETURN format('malformed object "%s"', object);
  END IF;
  cur := taxshare._ledger_subject(action, key);
  IF cur.object IS NULL THEN
    RETURN format('%s is missing', name);
  ELSIF cur.object <> object THEN
    RETURN format('%s changed: now "%s"', name, cur.object);
  ELSIF cur.digest IS DISTINCT FROM digest THEN
    RETURN format(CASE action WHEN 'submission' THEN '%s records changed: digest mismatch'
                              WHEN 'catalog_define' THEN '%s changed: definition digest mismatch'
                              ELSE '%s changed: digest mismatch' END, name);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._ledger_check(text, text, bytea) IS
  '复核台账条目所记对象是否仍与记账时一致, 一致返回 NULL / recompute the subject of a ledger entry: NULL when it still matches, else the problem';
REVOKE ALL ON FUNCTION taxshare._ledger_check(text, text, bytea) FROM PUBLIC;

CREATE FUNCTION taxshare.ledger_verify(digest_seq bigint DEFAULT NULL, digest_hash text DEFAULT NULL,
                                       OUT ok boolean, OUT verified bigint, OUT seq bigint,
                                       OUT problem text)
RETURNS record
AS 'MODULE_PATHNAME', 'ledger_verify'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.ledger_verify(bigint, text) IS
  '校验整条哈希链及各条目对应的数据 (可附外部保存的摘要), 返回第一个有问题的条目 / verify the whole hash chain and every entry''s data (optionally against a digest kept outside), reporting the first broken entry';
REVOKE ALL ON FUNCTION taxshare.ledger_verify(bigint, text) FROM PUBLIC;

CREATE FUNCTION taxshare.ledger_digest()
RETURNS TABLE (seq bigint, hash text, at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT l.seq, encode(l.hash, 'hex'), l.at
    FROM taxshare.ledger l
   ORDER BY l.seq DESC
   LIMIT 1
$$;
COMMENT ON FUNCTION taxshare.ledger_digest() IS
  '台账链头 (序号、哈希、时间), 供保存在数据库之外 / the head of the ledger (seq, hash, time), to keep outside the database';
REVOKE ALL ON FUNCTION taxshare.ledger_digest() FROM PUBLIC;
-- Security model, part 1: roles, who belongs to which unit, data grants and
-- row-level security (DOMAIN.md "Security"; 000 art. 22-29, 002 art. 13-15:
-- "whoever owns it classifies it; whoever uses it manages it").  docs/security.md
-- explains the model; 96_access.sql holds grants, masking and the access log;
-- 97_privileges.sql the table-by-role privileges.  This file runs after every
-- other module's file, so it may enable row-level security on their tables.

-- Group roles.  Roles belong to the cluster, not to the database: a second
-- database (or a re-install) finds them already there, and DROP EXTENSION leaves
-- them (drop them by hand when no database uses taxshare any more).
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['taxshare_admin', 'taxshare_analyst', 'taxshare_tax', 'taxshare_unit',
                           'taxshare_operator', 'taxshare_exchange', 'taxshare_clearance'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END
$$;
COMMENT ON ROLE taxshare_admin IS '市财源办: 目录、单位、授权、考核 / the platform office: catalog, units, grants, scoring';
COMMENT ON ROLE taxshare_analyst IS '分析小组: 按授权读取, 执行比对与分级 / analysis group: read per grants, run rules and grading';
COMMENT ON ROLE taxshare_tax IS '税务部门: 预警、疑点核实 / tax bureau: warnings, suspicion triage';
COMMENT ON ROLE taxshare_unit IS '共享单位工作人员: 报送并读取本单位数据 / a sharing unit''s staff: submit and read its own data';
COMMENT ON ROLE taxshare_operator IS '服务机构: 运维, 仅见元数据与计数 / the vendor: operates, sees metadata and counts, never payloads';
COMMENT ON ROLE taxshare_exchange IS '交换平台服务账号: 可代任何单位报送 / the exchange platform''s service role: may submit on behalf of any unit';
COMMENT ON ROLE taxshare_clearance IS '可见未脱敏敏感字段 / may see sensitive fields unmasked';

-- Login roles -> units.  A login role may serve several units (a liaison
-- covering two bureaus) and a unit has many staff; rows are closed, not
-- deleted, when someone leaves, so that the history stays.
CREATE TABLE taxshare.unit_member (
  role        name NOT NULL,
  unit_code   text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  clearance   boolean NOT NULL DEFAULT false,
  valid_from  date NOT NULL DEFAULT current_date,
  valid_to    date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  note        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL DEFAULT session_user,
  PRIMARY KEY (role, unit_code, valid_from)
);
COMMENT ON TABLE taxshare.unit_member IS
  '登录角色所属单位 (含有效期与是否可见敏感字段) / which login role belongs to which unit, with validity and clearance for sensitive fields';
COMMENT ON COLUMN taxshare.unit_member.clearance IS
  '可见未脱敏的敏感字段 / sees sensitive fields unmasked';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_member', '');

-- Conditional sharing (有条件共享): a unit or a role asks for an item, for a
-- purpose and a scope, until a day; the item's owner unit or the office approves.
CREATE TABLE taxshare.data_grant (
  id            bigserial PRIMARY KEY,
  item_code     text NOT NULL,
  grantee_unit  text REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  grantee_role  name,
  purpose       text NOT NULL CHECK (btrim(purpose) <> ''),
  scope         text,
  period_from   date,
  period_to     date,
  valid_from    date NOT NULL DEFAULT current_date,
  valid_to      date NOT NULL CHECK (valid_to >= valid_from),
  status        text NOT NULL DEFAULT 'requested'
                CHECK (status IN ('requested', 'approved', 'revoked')),
  requested_by  text NOT NULL DEFAULT session_user,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  approved_by   text,
  approved_at   timestamptz,
  revoked_by    text,
  revoked_at    timestamptz,
  CHECK ((grantee_unit IS NULL) <> (grantee_role IS NULL)),
  CHECK (period_to IS NULL OR period_from IS NULL OR period_to >= period_from)
);
-- The grant lookup of every conditional read: live grants of an item.
CREATE INDEX data_grant_live ON taxshare.data_grant (item_code, valid_to) WHERE status = 'approved';
COMMENT ON TABLE taxshare.data_grant IS
  '有条件共享的申请与授权 (用途、范围、期限) / requests and grants for conditionally shared items (purpose, scope, validity)';
COMMENT ON COLUMN taxshare.data_grant.scope IS
  '使用范围 (说明) / scope of use, as stated';
COMMENT ON COLUMN taxshare.data_grant.period_from IS
  '可读取的报送期起 (空为不限) / first reporting period the grant covers (NULL: any)';
COMMENT ON COLUMN taxshare.data_grant.valid_to IS
  '授权截止日 (含) / last day the grant may be used';
SELECT pg_catalog.pg_extension_config_dump('taxshare.data_grant', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.data_grant_id_seq', '');

-- Who is calling.  The definer helpers are plpgsql, not sql: a SECURITY
-- DEFINER sql function is planned again on every call, plpgsql keeps its plans.
--  A SECURITY DEFINER function sees its owner as current_user,
-- so the caller's role is passed in by a thin SQL wrapper; the definer side
-- answers only for roles the session user may become (pg_has_role MEMBER), so
-- nobody learns another login's units through it.
CREATE FUNCTION taxshare._units_of(r name)
RETURNS text[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(DISTINCT m.unit_code), '{}')
      FROM taxshare.unit_member m
     WHERE m.role = r
       AND m.valid_from <= current_date AND (m.valid_to IS NULL OR m.valid_to >= current_date)
       AND pg_catalog.pg_has_role(session_user, r, 'MEMBER'));
END
$$;
COMMENT ON FUNCTION taxshare._units_of(name) IS
  '某登录角色当前所属单位 (仅限本会话可切换到的角色) / current units of a role the session user may become';

CREATE FUNCTION taxshare.current_units()
RETURNS text[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._units_of(current_user) $$;
COMMENT ON FUNCTION taxshare.current_units() IS
  '当前角色所属单位 (unit_member, 有效期内); 策略中写作 (SELECT taxshare.current_units()) 每条语句只算一次 / the units of the current role; in policies write (SELECT taxshare.current_units()) so it runs once per statement';

CREATE FUNCTION taxshare._office_of(r name)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN (SELECT pg_catalog.pg_has_role(r, 'taxshare_admin', 'MEMBER')
        OR EXISTS (SELECT 1 FROM taxshare.unit u
                    WHERE u.kind = 'office' AND u.code = ANY (taxshare._units_of(r))));
END
$$;
COMMENT ON FUNCTION taxshare._office_of(name) IS
  '角色是否属于市财源办 (taxshare_admin 或 office 类单位成员) / whether a role is the office (taxshare_admin or member of a unit of kind office)';

CREATE FUNCTION taxshare.is_office()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._office_of(current_user) $$;
COMMENT ON FUNCTION taxshare.is_office()
  IS '当前角色是否为市财源办 / whether the current role acts for the office';

CREATE FUNCTION taxshare._clearance_of(r name)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN (SELECT pg_catalog.pg_has_role(r, 'taxshare_clearance', 'MEMBER')
        OR EXISTS (SELECT 1 FROM taxshare.unit_member m
                    WHERE m.role = r AND m.clearance
                      AND m.valid_from <= current_date AND (m.valid_to IS NULL OR m.valid_to >= current_date)
                      AND pg_catalog.pg_has_role(session_user, r, 'MEMBER')));
END
$$;
COMMENT ON FUNCTION taxshare._clearance_of(name) IS
  '角色是否可见未脱敏的敏感字段 / whether a role may see sensitive fields unmasked';

CREATE FUNCTION taxshare.has_clearance()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._clearance_of(current_user) $$;
COMMENT ON FUNCTION taxshare.has_clearance() IS
  '当前角色是否可见未脱敏的敏感字段 (taxshare_clearance 成员或 unit_member.clearance) / whether the current role sees sensitive fields unmasked';

-- The office and the exchange platform submit for any unit; a unit's staff for
-- their own units only.  submit() and the inbox triggers write as the
-- extension owner (SECURITY DEFINER, or the row trigger's switch to its owner,
-- 40_intake.sql): their C code asks _may_submit_for() once per load about the
-- outer user (the session user or its SET ROLE), which is the forgery check.
CREATE FUNCTION taxshare._may_submit_for(r name, unit text)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN r IS NOT NULL AND unit IS NOT NULL
     AND pg_catalog.pg_has_role(session_user, r, 'MEMBER')
     AND (pg_catalog.pg_has_role(r, 'taxshare_exchange', 'MEMBER')
          OR taxshare._office_of(r)
          OR (pg_catalog.pg_has_role(r, 'taxshare_unit', 'MEMBER') AND unit = ANY (taxshare._units_of(r))));
END
$$;
COMMENT ON FUNCTION taxshare._may_submit_for(name, text) IS
  '角色可否为该单位报送 (本单位成员、市财源办或交换平台; 仅限本会话可切换到的角色) / whether a role may submit for the unit (its staff, the office or the exchange platform); answers only for roles the session user may become';

CREATE FUNCTION taxshare.submits_for_all()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT pg_catalog.pg_has_role(current_user, 'taxshare_exchange', 'MEMBER')
      OR taxshare._office_of(current_user)
$$;
COMMENT ON FUNCTION taxshare.submits_for_all() IS
  '当前角色可否代任何单位报送 (市财源办或交换平台) / whether the current role may submit on behalf of any unit (the office or the exchange platform)';

CREATE FUNCTION taxshare.may_submit_for(unit text)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._may_submit_for(current_user, unit) $$;
COMMENT ON FUNCTION taxshare.may_submit_for(text) IS
  '当前角色可否为该单位报送 (本单位成员、市财源办或交换平台) / whether the current role may submit for the unit (its staff, the office or the exchange platform)';

-- Items whose records a role reads directly (tables and views): the items its
-- units provide, and unconditionally shared ones.  Conditionally shared data
-- is read only through read_records() (96_access.sql), which checks the grant
-- and writes the access log; 'none' only by the owner.
CREATE FUNCTION taxshare._open_items(r name)
RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT c.code
      FROM taxshare.catalog_item_current c
     WHERE c.sharing = 'unconditional'
        OR c.provider = ANY (taxshare._units_of(r));
END
$$;
COMMENT ON FUNCTION taxshare._open_items(name) IS
  '角色可直接读取记录的目录条目: 本单位提供的与无条件共享的 / items whose records a role reads directly: those its units provide and unconditionally shared ones';

-- Submissions whose records the current role reads directly: its units' own
-- and those of open items.  A set, so that a policy "submission_id IN (SELECT
-- ...)" becomes one hashed subplan per statement, not a lookup per row.
CREATE FUNCTION taxshare._readable_submissions(r name)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT s.id
      FROM taxshare.submission s
     WHERE s.unit_code = ANY (taxshare._units_of(r))
        OR s.item_code IN (SELECT taxshare._open_items(r));
END
$$;
COMMENT ON FUNCTION taxshare._readable_submissions(name) IS
  '角色可直接读取其记录的报送批次 / submissions whose records a role reads directly';

CREATE FUNCTION taxshare.readable_submissions()
RETURNS SETOF bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._readable_submissions(current_user) $$;
COMMENT ON FUNCTION taxshare.readable_submissions() IS
  '当前角色可直接读取其记录的报送批次 / submissions whose records the current role reads directly';

-- Submissions whose records and errors count as the role's own: its units'
-- (the office: all).  Used for record_error and objections.
CREATE FUNCTION taxshare._own_submissions(r name)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT s.id
      FROM taxshare.submission s
     WHERE s.unit_code = ANY (taxshare._units_of(r))
        OR taxshare._office_of(r);
END
$$;
COMMENT ON FUNCTION taxshare._own_submissions(name) IS
  '角色本单位的报送批次 (市财源办为全部) / submissions of the role''s units (all of them for the office)';

CREATE FUNCTION taxshare.own_submissions()
RETURNS SETOF bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._own_submissions(current_user) $$;
COMMENT ON FUNCTION taxshare.own_submissions() IS
  '当前角色本单位的报送批次 / submissions of the current role''s units';

-- ---------------------------------------------------------------------------
-- Row-level security.  Policies name the roles they serve (TO ...), so a role
-- outside the list sees nothing even if a privilege were granted by mistake.
-- Superusers and the tables' owner (the role that ran CREATE EXTENSION)
-- bypass them: run batch jobs as that owner, not as an everyday login.

-- Intake.  Only submit() and the inbox triggers write submission, record and
-- record_error, as the extension owner (SECURITY DEFINER, or the row trigger's
-- switch to its owner, 40_intake.sql) after
-- checking the caller once; no role holds INSERT, UPDATE or DELETE on them
-- (97_privileges.sql) and no policy allows a write, so a direct INSERT is
-- refused twice over (privilege, then row-level security's default deny) and
-- nobody can put unvalidated rows into a submission.  Reads are narrowed here.
ALTER TABLE taxshare.submission ENABLE ROW LEVEL SECURITY;
CREATE POLICY submission_staff_read ON taxshare.submission FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_operator, taxshare_exchange
  USING (true);
CREATE POLICY submission_unit_read ON taxshare.submission FOR SELECT TO taxshare_unit
  USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]));

ALTER TABLE taxshare.record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_read ON taxshare.record FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING (submission_id IN (SELECT taxshare.readable_submissions()));

ALTER TABLE taxshare.record_error ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_error_read ON taxshare.record_error FOR SELECT
  TO taxshare_admin, taxshare_unit
  USING (submission_id IN (SELECT taxshare.own_submissions()));

-- The inbox keeps no rows (its BEFORE ROW trigger returns NULL) and has no
-- row-level security: COPY FROM refuses a table with policies for any role
-- they apply to, and a WITH CHECK would never run anyway (it is evaluated
-- after the BEFORE ROW trigger, on a row the trigger dropped).  The trigger
-- checks the caller against the unit of each load.

-- Objections: the filer, the provider of the record and the office.  The
-- record id carries its submission id (id = submission_id << 32 + row_no).
ALTER TABLE taxshare.objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY objection_read ON taxshare.objection FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING (filed_by = session_user OR (record_id >> 32) IN (SELECT taxshare.own_submissions()));
CREATE POLICY objection_file ON taxshare.objection FOR INSERT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  WITH CHECK (filed_by = session_user AND status = 'open');
CREATE POLICY objection_resolve ON taxshare.objection FOR UPDATE
  TO taxshare_admin, taxshare_unit
  USING ((record_id >> 32) IN (SELECT taxshare.own_submissions()));

-- Units and their contacts: unit is metadata (97_privileges.sql); contacts
-- hold phones, so a unit sees its own and the office all.
ALTER TABLE taxshare.unit_contact ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_contact_read ON taxshare.unit_contact FOR SELECT
  TO taxshare_admin, taxshare_unit
  USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]) OR (SELECT taxshare.is_office()));
CREATE POLICY unit_contact_file ON taxshare.unit_contact FOR INSERT
  TO taxshare_admin, taxshare_unit
  WITH CHECK (unit_code = ANY ((SELECT taxshare.current_units())::text[]) OR (SELECT taxshare.is_office()));

ALTER TABLE taxshare.unit_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_member_office ON taxshare.unit_member FOR ALL TO taxshare_admin
  USING (true) WITH CHECK (true);
CREATE POLICY unit_member_self ON taxshare.unit_member FOR SELECT
  TO taxshare_analyst, taxshare_tax, taxshare_unit, taxshare_operator, taxshare_exchange
  USING (role = current_user);

-- Grants: seen by the grantee, the owner unit of the item and the office;
-- written only through grant_request/grant_approve/grant_revoke.
ALTER TABLE taxshare.data_grant ENABLE ROW LEVEL SECURITY;
CREATE POLICY data_grant_read ON taxshare.data_grant FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING ((SELECT taxshare.is_office())
         OR grantee_unit = ANY ((SELECT taxshare.current_units())::text[])
         OR (grantee_role IS NOT NULL AND pg_catalog.pg_has_role(current_user, grantee_role, 'MEMBER'))
         OR item_code IN (SELECT c.code FROM taxshare.catalog_item_current c
                           WHERE c.provider = ANY ((SELECT taxshare.current_units())::text[])));

-- Obligations, deductions and their history: a unit sees its own; the office,
-- analysts, the tax bureau and the operator (counts, not payloads) all.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['obligation', 'obligation_change', 'deduction_event'] LOOP
    IF pg_catalog.to_regclass('taxshare.' || t) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE taxshare.%I ENABLE ROW LEVEL SECURITY', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT'
                     ' TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_operator USING (true)',
                     t || '_staff_read', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT TO taxshare_unit'
                     ' USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))',
                     t || '_unit_read', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR ALL TO taxshare_admin USING (true) WITH CHECK (true)',
                     t || '_office_write', t);
    END IF;
  END LOOP;
END
$$;

-- Analysis products: entities (people's IDs, names, phones), their links,
-- suspicions, scores, the blacklist.  Derived across items, so no unit owns a
-- row: the analysis group, the tax bureau and the office only; never units,
-- never the operator.  Writers: the office and analysts (resolve_entities,
-- run_rules, grade_risks); the tax bureau triages suspicions and logs
-- assessments.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['entity', 'entity_attribute', 'record_party', 'party_link', 'match_review',
                           'suspicion', 'risk_score', 'risk_grading', 'blacklist', 'assessment_log'] LOOP
    IF pg_catalog.to_regclass('taxshare.' || t) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE taxshare.%I ENABLE ROW LEVEL SECURITY', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR ALL'
                     ' TO taxshare_admin, taxshare_analyst, taxshare_tax USING (true) WITH CHECK (true)',
                     t || '_analysis', t);
    END IF;
  END LOOP;
END
$$;

-- Warnings (88_warning.sql): the office pushes them and reads them all (it
-- also decides disputes and runs the sweep); the analysis group reads them
-- all (analysis_report()); the recipient - the tax bureau or a sharing unit,
-- through its members (unit_member) - reads, receives, answers, extends and
-- disputes the warnings pushed to its units.  Other units see nothing, nor
-- the operator or the exchange platform (tasks name entities and amounts).
-- The steps are the warning_* functions, run as the caller.
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.warning') IS NULL THEN
    RETURN;
  END IF;
  ALTER TABLE taxshare.warning ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_office ON taxshare.warning FOR ALL TO taxshare_admin USING (true) WITH CHECK (true);
  CREATE POLICY warning_analyst_read ON taxshare.warning FOR SELECT TO taxshare_analyst USING (true);
  CREATE POLICY warning_recipient_read ON taxshare.warning FOR SELECT TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]));
  CREATE POLICY warning_recipient_answer ON taxshare.warning FOR UPDATE TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))
    WITH CHECK (unit_code = ANY ((SELECT taxshare.current_units())::text[]));

  ALTER TABLE taxshare.warning_task ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_task_office ON taxshare.warning_task FOR ALL TO taxshare_admin USING (true) WITH CHECK (true);
  CREATE POLICY warning_task_analyst_read ON taxshare.warning_task FOR SELECT TO taxshare_analyst USING (true);
  CREATE POLICY warning_task_recipient_read ON taxshare.warning_task FOR SELECT TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]));
  CREATE POLICY warning_task_recipient_answer ON taxshare.warning_task FOR UPDATE TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))
    WITH CHECK (unit_code = ANY ((SELECT taxshare.current_units())::text[]));

  -- Extensions and disputes belong to the warning (task) they are about; the
  -- subquery reads warning and warning_task under their own policies.
  ALTER TABLE taxshare.warning_extension ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_extension_office ON taxshare.warning_extension FOR ALL TO taxshare_admin
    USING (true) WITH CHECK (true);
  CREATE POLICY warning_extension_analyst_read ON taxshare.warning_extension FOR SELECT TO taxshare_analyst
    USING (true);
  CREATE POLICY warning_extension_recipient_read ON taxshare.warning_extension FOR SELECT
    TO taxshare_tax, taxshare_unit
    USING (warning_id IN (SELECT w.id FROM taxshare.warning w
                           WHERE w.unit_code = ANY ((SELECT taxshare.current_units())::text[])));
  CREATE POLICY warning_extension_recipient_file ON taxshare.warning_extension FOR INSERT
    TO taxshare_tax, taxshare_unit
    WITH CHECK (warning_id IN (SELECT w.id FROM taxshare.warning w
                                WHERE w.unit_code = ANY ((SELECT taxshare.current_units())::text[])));

  ALTER TABLE taxshare.warning_dispute ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_dispute_office ON taxshare.warning_dispute FOR ALL TO taxshare_admin
    USING (true) WITH CHECK (true);
  CREATE POLICY warning_dispute_analyst_read ON taxshare.warning_dispute FOR SELECT TO taxshare_analyst
    USING (true);
  CREATE POLICY warning_dispute_recipient_read ON taxshare.warning_dispute FOR SELECT
    TO taxshare_tax, taxshare_unit
    USING (task_id IN (SELECT t.id FROM taxshare.warning_task t
                        WHERE t.unit_code = ANY ((SELECT taxshare.current_units())::text[])));
  CREATE POLICY warning_dispute_recipient_file ON taxshare.warning_dispute FOR INSERT
    TO taxshare_tax, taxshare_unit
    WITH CHECK (decision IS NULL
                AND task_id IN (SELECT t.id FROM taxshare.warning_task t
                                 WHERE t.unit_code = ANY ((SELECT taxshare.current_units())::text[])));
END
$$;

-- Views over row-level-secured tables run with the caller's rights (PG 15
-- security_invoker), or they would read as their owner and bypass every policy.
DO $$
DECLARE
  v record;
BEGIN
  FOR v IN SELECT c.relname FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind = 'v' LOOP
    EXECUTE format('ALTER VIEW taxshare.%I SET (security_invoker = true)', v.relname);
  END LOOP;
END
$$;
-- Security model, part 2: grants for conditionally shared items, masking of
-- sensitive fields, and the access log (docs/security.md).  Reading
-- conditionally shared records is possible only through read_records(), which
-- checks a live grant, writes access_log and masks; the tables' policies
-- (95_security.sql) never show another unit's conditional records.
--
-- Public functions are SECURITY INVOKER wrappers that pass current_user to a
-- SECURITY DEFINER worker (a definer sees itself as current_user); each worker
-- first checks that the session user may act as that role.

CREATE FUNCTION taxshare._caller_check(caller name)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF caller IS NULL OR NOT pg_catalog.pg_has_role(session_user, caller, 'MEMBER') THEN
    RAISE EXCEPTION 'session user "%" cannot act as role "%"', session_user, caller
      USING ERRCODE = '42501',
            HINT = 'Call the public function (grant_request, read_records ...), not its worker.';
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._caller_check(name) IS
  '确认会话用户可以代表该角色 / check that the session user may act as the role';

-- ---------------------------------------------------------------------------
-- Grants (有条件共享的申请与审批).

CREATE FUNCTION taxshare._grant_request(caller name, item text, purpose text, scope text, until date,
                                        period_from date, period_to date, for_unit text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  it record;
  units text[];
  g_unit text;
  g_role name;
  new_id bigint;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT c.code, c.sharing, c.provider INTO it FROM taxshare.catalog_item_current c WHERE c.code = item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', item
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_item_current for the item codes.';
  END IF;
  IF it.sharing = 'none' THEN
    RAISE EXCEPTION 'catalog item "%" is not shared', item
      USING ERRCODE = '42501',
            DETAIL = '该目录条目不予共享, 仅提供单位可用.',
            HINT = 'Ask the providing unit to reclassify the item (whoever owns it classifies it).';
  ELSIF it.sharing = 'unconditional' THEN
    RAISE EXCEPTION 'catalog item "%" is shared unconditionally', item
      USING ERRCODE = '22023', HINT = 'No grant is needed: read it from taxshare.record_visible.';
  END IF;
  IF purpose IS NULL OR btrim(purpose) = '' THEN
    RAISE EXCEPTION 'a grant request needs a purpose'
      USING ERRCODE = '22023', HINT = 'State the duty the data is needed for (conditional data is used only for the stated duty).';
  END IF;
  IF until IS NULL OR until < current_date THEN
    RAISE EXCEPTION 'grant end date "%" is not in the future', until
      USING ERRCODE = '22023', HINT = 'Pass the last day the grant should be valid, today or later.';
  END IF;
  units := taxshare._units_of(caller);
  IF for_unit IS NOT NULL THEN
    IF NOT (for_unit = ANY (units) OR taxshare._office_of(caller)) THEN
      RAISE EXCEPTION 'role "%" cannot request a grant for unit "%"', caller, for_unit
        USING ERRCODE = '42501', HINT = 'Request for one of your own units (taxshare.current_units()).';
    END IF;
    g_unit := for_unit;
  ELSIF cardinality(units) = 1 THEN
    g_unit := units[1];
  ELSE
    g_role := caller;
  END IF;
  INSERT INTO taxshare.data_grant (item_code, grantee_unit, grantee_role, purpose, scope,
                                   period_from, period_to, valid_to)
  VALUES (item, g_unit, g_role, btrim(purpose), scope, period_from, period_to, until)
  RETURNING id INTO new_id;
  PERFORM taxshare.ledger_append('grant_request',
                                 format('grant %s requested: item %s for %s, purpose %s, until %s',
                                        new_id, item, coalesce('unit ' || g_unit, 'role ' || g_role),
                                        btrim(purpose), until),
                                 NULL);
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare._grant_request(name, text, text, text, date, date, date, text) IS
  'grant_request 的执行体 (检查调用者) / worker of grant_request, checks the caller';

CREATE FUNCTION taxshare.grant_request(item text, purpose text, scope text, until date,
                                       period_from date DEFAULT NULL, period_to date DEFAULT NULL,
                                       for_unit text DEFAULT NULL)
RETURNS bigint
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._grant_request(current_user, item, purpose, scope, until, period_from, period_to, for_unit) $$;
COMMENT ON FUNCTION taxshare.grant_request(text, text, text, date, date, date, text) IS
  '申请使用有条件共享的目录条目 (用途、范围、截止日; 可限定报送期), 返回申请号 / request the use of a conditionally shared item (purpose, scope, end date; optionally a range of periods); returns the request id';

CREATE FUNCTION taxshare._grant_decide(caller name, grant_id bigint, decision text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  g record;
  provider text;
  is_owner boolean;
  is_grantee boolean;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT * INTO g FROM taxshare.data_grant d WHERE d.id = grant_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown grant %', grant_id
      USING ERRCODE = '22023', HINT = 'See taxshare.data_grant for the grants you may see.';
  END IF;
  SELECT c.provider INTO provider FROM taxshare.catalog_item_current c WHERE c.code = g.item_code;
  is_owner := taxshare._office_of(caller) OR provider = ANY (taxshare._units_of(caller));
  is_grantee := g.grantee_unit = ANY (taxshare._units_of(caller))
                OR (g.grantee_role IS NOT NULL AND pg_catalog.pg_has_role(caller, g.grantee_role, 'MEMBER'));
  IF decision = 'approve' THEN
    IF NOT is_owner THEN
      RAISE EXCEPTION 'role "%" cannot approve grant % on item "%"', caller, grant_id, g.item_code
        USING ERRCODE = '42501',
              DETAIL = '仅目录条目的提供单位与市财源办可以审批.',
              HINT = 'Ask the providing unit ("' || coalesce(provider, '?') || '") or the office to approve it.';
    END IF;
    IF g.status <> 'requested' THEN
      RAISE EXCEPTION 'grant % is %, not requested', grant_id, g.status
        USING ERRCODE = '55000', HINT = 'Only a pending request can be approved; file a new request.';
    END IF;
    UPDATE taxshare.data_grant SET status = 'approved', approved_by = caller, approved_at = now()
     WHERE id = grant_id;
  ELSE
    IF NOT (is_owner OR is_grantee) THEN
      RAISE EXCEPTION 'role "%" cannot revoke grant %', caller, grant_id
        USING ERRCODE = '42501', HINT = 'The providing unit, the office or the grantee may revoke a grant.';
    END IF;
    IF g.status = 'revoked' THEN
      RAISE EXCEPTION 'grant % is already revoked', grant_id
        USING ERRCODE = '55000', HINT = 'Nothing to do.';
    END IF;
    UPDATE taxshare.data_grant SET status = 'revoked', revoked_by = caller, revoked_at = now()
     WHERE id = grant_id;
  END IF;
  PERFORM taxshare.ledger_append('grant_' || decision,
                                 format('grant %s %s: item %s for %s, by %s', grant_id,
                                        CASE decision WHEN 'approve' THEN 'approved' ELSE 'revoked' END,
                                        g.item_code,
                                        coalesce('unit ' || g.grantee_unit, 'role ' || g.grantee_role), caller),
                                 NULL);
END
$$;
COMMENT ON FUNCTION taxshare._grant_decide(name, bigint, text) IS
  'grant_approve/grant_revoke 的执行体 (检查调用者) / worker of grant_approve and grant_revoke, checks the caller';

CREATE FUNCTION taxshare.grant_approve(id bigint)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._grant_decide(current_user, id, 'approve') $$;
COMMENT ON FUNCTION taxshare.grant_approve(bigint) IS
  '审批使用申请 (仅提供单位与市财源办, "谁拥有、谁定级") / approve a request (the providing unit or the office only)';

CREATE FUNCTION taxshare.grant_revoke(id bigint)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._grant_decide(current_user, id, 'revoke') $$;
COMMENT ON FUNCTION taxshare.grant_revoke(bigint) IS
  '撤销授权 (提供单位、市财源办或被授权方) / revoke a grant (the providing unit, the office or the grantee)';

-- The live grant a role holds for an item and a period (NULL: any), the one
-- ending last.  Uses data_grant_live.
CREATE FUNCTION taxshare._live_grant(r name, item text, period date)
RETURNS taxshare.data_grant
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT g.*
    FROM taxshare.data_grant g
   WHERE g.item_code = item AND g.status = 'approved'
     AND g.valid_to >= current_date AND g.valid_from <= current_date
     AND (g.grantee_unit = ANY (taxshare._units_of(r))
          OR (g.grantee_role IS NOT NULL AND pg_catalog.pg_has_role(r, g.grantee_role, 'MEMBER')))
     AND (period IS NULL OR ((g.period_from IS NULL OR period >= g.period_from)
                             AND (g.period_to IS NULL OR period <= g.period_to)))
   ORDER BY g.valid_to DESC, g.id
   LIMIT 1
$$;
COMMENT ON FUNCTION taxshare._live_grant(name, text, date) IS
  '角色对某条目 (某报送期) 现行有效的授权 / the live grant a role holds for an item (and period)';

-- ---------------------------------------------------------------------------
-- Masking.  A field is sensitive when catalog_field.sensitive says so; NULL
-- (the default) means by type: resident IDs and phones, and the name field of
-- a party identified by a resident ID (a person).

ALTER TABLE taxshare.catalog_field ADD COLUMN sensitive boolean;
COMMENT ON COLUMN taxshare.catalog_field.sensitive IS
  '敏感字段 (对无权限者脱敏); 空为按类型默认: 身份证号、电话、自然人当事方的姓名 / sensitive field, masked for roles without clearance; NULL: by default (resident IDs, phones, names of person parties)';

CREATE FUNCTION taxshare.mask_idcard(v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN char_length(v) <= 10 THEN repeat('*', char_length(v))
              ELSE left(v, 6) || repeat('*', char_length(v) - 10) || right(v, 4) END
$$;
COMMENT ON FUNCTION taxshare.mask_idcard(text) IS
  '身份证号脱敏: 保留前 6 位与后 4 位 (430405********1234) / mask a resident ID keeping the first 6 and last 4 characters';

CREATE FUNCTION taxshare.mask_name(v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN char_length(v) <= 1 THEN v
              ELSE left(v, 1) || repeat('*', char_length(v) - 1) END
$$;
COMMENT ON FUNCTION taxshare.mask_name(text) IS
  '姓名脱敏: 只保留姓 (王*) / mask a person''s name keeping the first character';

CREATE FUNCTION taxshare.mask_phone(v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN char_length(v) <= 7 THEN repeat('*', char_length(v))
              ELSE left(v, 3) || repeat('*', char_length(v) - 7) || right(v, 4) END
$$;
COMMENT ON FUNCTION taxshare.mask_phone(text) IS
  '电话号码脱敏: 保留前 3 位与后 4 位 (138****5678) / mask a phone number keeping the first 3 and last 4 characters';

CREATE FUNCTION taxshare.mask_value(type text, v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE type WHEN 'idcard' THEN taxshare.mask_idcard(v)
                   WHEN 'phone' THEN taxshare.mask_phone(v)
                   ELSE taxshare.mask_name(v) END
$$;
COMMENT ON FUNCTION taxshare.mask_value(text, text) IS
  '按字段类型脱敏 (身份证、电话, 其余按姓名) / mask a value by field type (resident ID, phone, else as a name)';

CREATE FUNCTION taxshare.sensitive_fields(item text, version integer)
RETURNS TABLE (name text, type text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT f.name, f.type
    FROM taxshare.catalog_field f
   WHERE f.item_code = item AND f.item_version = version
     AND coalesce(f.sensitive,
                  f.type IN ('idcard', 'phone')
                  OR EXISTS (SELECT 1 FROM taxshare.catalog_party p
                              WHERE p.item_code = f.item_code AND p.item_version = f.item_version
                                AND p.idcard_field IS NOT NULL AND p.name_field = f.name))
$$;
COMMENT ON FUNCTION taxshare.sensitive_fields(text, integer) IS
  '目录条目某版本的敏感字段 / the sensitive fields of a catalog item version';

CREATE FUNCTION taxshare.mask_payload(item text, version integer, payload jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT payload || coalesce(jsonb_object_agg(s.name, taxshare.mask_value(s.type, payload ->> s.name)), '{}')
    FROM taxshare.sensitive_fields(item, version) s
   WHERE payload ? s.name AND jsonb_typeof(payload -> s.name) = 'string'
$$;
COMMENT ON FUNCTION taxshare.mask_payload(text, integer, jsonb) IS
  '对记录中的敏感字段脱敏 / mask the sensitive fields of a record payload';

CREATE FUNCTION taxshare._catalog_field_set_sensitive(caller name, item text, field text, sensitive boolean)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  provider text;
  n integer;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT c.provider INTO provider FROM taxshare.catalog_item_current c WHERE c.code = item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', item
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_item_current for the item codes.';
  END IF;
  IF NOT (taxshare._office_of(caller) OR provider = ANY (taxshare._units_of(caller))) THEN
    RAISE EXCEPTION 'role "%" cannot classify fields of item "%"', caller, item
      USING ERRCODE = '42501', HINT = 'The providing unit or the office classifies an item''s fields.';
  END IF;
  UPDATE taxshare.catalog_field f SET sensitive = _catalog_field_set_sensitive.sensitive
   WHERE f.item_code = item AND f.name = field;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'catalog item "%" has no field "%"', item, field
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_field for the field names.';
  END IF;
  PERFORM taxshare.ledger_append('field_sensitive',
                                 format('item %s field %s sensitive %s, by %s', item, field,
                                        coalesce(sensitive::text, 'default'), caller),
                                 NULL);
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_field_set_sensitive(name, text, text, boolean) IS
  'catalog_field_set_sensitive 的执行体 (检查调用者) / worker of catalog_field_set_sensitive, checks the caller';

CREATE FUNCTION taxshare.catalog_field_set_sensitive(item text, field text, sensitive boolean)
RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._catalog_field_set_sensitive(current_user, item, field, sensitive) $$;
COMMENT ON FUNCTION taxshare.catalog_field_set_sensitive(text, text, boolean) IS
  '设定字段是否敏感 (各版本; NULL 恢复按类型默认), 仅提供单位与市财源办; 返回涉及的版本数 / mark a field sensitive or not in every version (NULL: back to the default by type); the providing unit or the office only; returns the versions changed';

-- What units and BI tools read of the records: the current accepted records
-- the role may read directly (its units' own and unconditionally shared items),
-- sensitive fields masked without clearance.  It runs as its owner, like a
-- plain view, over the tables (not the security_invoker view current_record)
-- with the filter written out (current_user inside a view is the caller): units are granted this view and not the record table, so masking
-- cannot be bypassed.  security_barrier keeps callers' functions from seeing
-- rows before the filter.  The clearance is one subquery per statement.
CREATE VIEW taxshare.record_visible WITH (security_barrier = true) AS
  SELECT r.id, r.submission_id, r.row_no, s.item_code, s.item_version, s.unit_code,
         s.period_start, s.period_end,
         CASE WHEN (SELECT taxshare.has_clearance()) THEN r.payload
              ELSE taxshare.mask_payload(s.item_code, s.item_version, r.payload) END AS payload,
         r.uscc,
         CASE WHEN (SELECT taxshare.has_clearance()) THEN r.idcard
              ELSE ARRAY(SELECT taxshare.mask_idcard(x) FROM unnest(r.idcard) x) END AS idcard,
         r.orgcode
    FROM taxshare.record r
    JOIN taxshare.submission s
      ON s.id = r.submission_id
     AND r.id >= s.id << 32 AND r.id < (s.id + 1) << 32
   WHERE r.status = 'accepted'
     AND s.superseded_by IS NULL
     AND s.status <> 'loading'
     AND r.submission_id IN (SELECT taxshare.readable_submissions());
COMMENT ON VIEW taxshare.record_visible IS
  '当前角色可直接读取的现行记录 (本单位的与无条件共享的), 无权限者敏感字段脱敏 / the current records the role reads directly (its units'' own and unconditionally shared ones), sensitive fields masked without clearance';

-- The risk list with the masking the risk module left a hook for: the same
-- columns, identifiers of persons masked without clearance (USCC and
-- organization codes identify enterprises and stay).
CREATE OR REPLACE VIEW taxshare.risk_list WITH (security_invoker = true) AS
  SELECT s.period_start,
         s.rank,
         s.grade,
         s.score,
         s.entity_id,
         e.kind,
         CASE WHEN e.kind = 'person' AND NOT (SELECT taxshare.has_clearance())
              THEN taxshare.mask_name(e.name) ELSE e.name END AS name,
         e.uscc,
         CASE WHEN (SELECT taxshare.has_clearance()) THEN e.idcard
              ELSE taxshare.mask_idcard(e.idcard) END AS idcard,
         e.orgcode,
         CASE WHEN e.kind = 'person' AND NOT (SELECT taxshare.has_clearance())
              THEN taxshare.mask_idcard(e.taxpayer_id) ELSE e.taxpayer_id END AS taxpayer_id,
         e.region,
         s.points,
         s.amount,
         s.severity,
         s.social_impact,
         s.monitoring,
         s.blacklisted,
         s.propagated,
         s.own_score,
         s.own_grade,
         s.response,
         taxshare.risk_reason(s.reason_code, s.amount, s.monitoring, s.detail) AS response_reason,
         taxshare.risk_breakdown(s.detail) AS breakdown,
         s.graded_at
    FROM taxshare.risk_score s
    JOIN taxshare.entity e ON e.id = s.entity_id;

-- ---------------------------------------------------------------------------
-- The access log: every read of conditionally shared data through
-- read_records() and every export (log_export, for the exchange module).
CREATE TABLE taxshare.access_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor         text NOT NULL DEFAULT session_user,
  role          name NOT NULL,
  action        text NOT NULL CHECK (action IN ('read', 'export')),
  item_code     text NOT NULL,
  period_start  date,
  rows          bigint NOT NULL CHECK (rows >= 0),
  grant_id      bigint REFERENCES taxshare.data_grant (id),
  purpose       text
);
CREATE INDEX access_log_item ON taxshare.access_log (item_code, at);
COMMENT ON TABLE taxshare.access_log IS
  '有条件共享数据的读取与导出日志 (谁、何时、哪个条目、多少行、所用授权的用途) / log of reads and exports of conditionally shared data: who, when, item, rows, purpose of the grant used';
COMMENT ON COLUMN taxshare.access_log.actor IS
  '会话用户 (登录角色) / session user (the login)';
COMMENT ON COLUMN taxshare.access_log.role IS
  '执行时的当前角色 / current role at the time';
SELECT pg_catalog.pg_extension_config_dump('taxshare.access_log', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.access_log_id_seq', '');

ALTER TABLE taxshare.access_log ENABLE ROW LEVEL SECURITY;
-- The office sees every entry; a unit the reads of the items it provides and
-- its own reads.
CREATE POLICY access_log_read ON taxshare.access_log FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING ((SELECT taxshare.is_office())
         OR role = current_user
         OR item_code IN (SELECT c.code FROM taxshare.catalog_item_current c
                           WHERE c.provider = ANY ((SELECT taxshare.current_units())::text[])));

CREATE FUNCTION taxshare._read_records(caller name, item text, period date)
RETURNS TABLE (record_id bigint, unit_code text, period_start date, payload jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  it record;
  g taxshare.data_grant;
  units text[];
  own boolean;
  clear boolean;
  n bigint;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT c.code, c.sharing, c.provider INTO it FROM taxshare.catalog_item_current c WHERE c.code = item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', item
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_item_current for the item codes.';
  END IF;
  units := taxshare._units_of(caller);
  own := it.provider = ANY (units);
  clear := taxshare._clearance_of(caller);
  IF NOT own AND it.sharing <> 'unconditional' THEN
    IF it.sharing = 'none' THEN
      RAISE EXCEPTION 'catalog item "%" is not shared', item
        USING ERRCODE = '42501', DETAIL = '该目录条目不予共享, 仅提供单位可用.',
              HINT = 'Only the providing unit reads it.';
    END IF;
    g := taxshare._live_grant(caller, item, period);
    IF g.id IS NULL THEN
      RAISE EXCEPTION 'role "%" holds no live grant for item "%"', caller, item
        USING ERRCODE = '42501',
              DETAIL = '有条件共享的数据须经审批后按申请用途使用.',
              HINT = 'Request one with taxshare.grant_request() and have the providing unit approve it.';
    END IF;
  ELSIF NOT own AND NOT (pg_catalog.pg_has_role(caller, 'taxshare_unit', 'MEMBER')
                         OR pg_catalog.pg_has_role(caller, 'taxshare_analyst', 'MEMBER')
                         OR pg_catalog.pg_has_role(caller, 'taxshare_tax', 'MEMBER')
                         OR pg_catalog.pg_has_role(caller, 'taxshare_admin', 'MEMBER')) THEN
    RAISE EXCEPTION 'role "%" may not read records', caller
      USING ERRCODE = '42501', HINT = 'Records are read by units, analysts, the tax bureau and the office.';
  END IF;
  RETURN QUERY
    SELECT c.id, c.unit_code, c.period_start,
           CASE WHEN clear THEN c.payload ELSE taxshare.mask_payload(c.item_code, c.item_version, c.payload) END
      FROM taxshare.current_record c
     WHERE c.item_code = item
       AND (period IS NULL OR c.period_start = period)
       AND (g.id IS NULL OR ((g.period_from IS NULL OR c.period_start >= g.period_from)
                             AND (g.period_to IS NULL OR c.period_start <= g.period_to)))
     ORDER BY c.id;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF g.id IS NOT NULL THEN
    INSERT INTO taxshare.access_log (role, action, item_code, period_start, rows, grant_id, purpose)
    VALUES (caller, 'read', item, period, n, g.id, g.purpose);
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._read_records(name, text, date) IS
  'read_records 的执行体 (检查授权并记录访问) / worker of read_records: checks the grant and logs the access';

CREATE FUNCTION taxshare.read_records(item text, period date DEFAULT NULL)
RETURNS TABLE (record_id bigint, unit_code text, period_start date, payload jsonb)
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT * FROM taxshare._read_records(current_user, item, period) $$;
COMMENT ON FUNCTION taxshare.read_records(text, date) IS
  '读取某条目 (某报送期) 的现行记录: 有条件共享须持有效授权并记入 access_log; 无权限者敏感字段脱敏 / read the current records of an item (and period): conditional items need a live grant and are logged in access_log; sensitive fields masked without clearance';

CREATE FUNCTION taxshare._log_export(caller name, item text, period date, rows bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  g taxshare.data_grant;
  new_id bigint;
BEGIN
  PERFORM taxshare._caller_check(caller);
  IF rows IS NULL OR rows < 0 THEN
    RAISE EXCEPTION 'invalid row count %', rows USING ERRCODE = '22023', HINT = 'Pass the number of rows exported.';
  END IF;
  g := taxshare._live_grant(caller, item, period);
  INSERT INTO taxshare.access_log (role, action, item_code, period_start, rows, grant_id, purpose)
  VALUES (caller, 'export', item, period, rows, g.id, g.purpose)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare._log_export(name, text, date, bigint) IS
  'log_export 的执行体 / worker of log_export';

CREATE FUNCTION taxshare.log_export(item text, period date, rows bigint)
RETURNS bigint
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._log_export(current_user, item, period, rows) $$;
COMMENT ON FUNCTION taxshare.log_export(text, date, bigint) IS
  '记录一次导出 (供导出功能调用) / log an export (called by the export functions)';
-- Security model, part 3: privileges.  Nothing in the schema is PUBLIC; each
-- group role gets what its work needs (the role-by-object table is in
-- docs/security.md; test/pgtap/security_matrix.sql asserts it).  Row-level
-- security (95_security.sql) then narrows the rows.  Runs last: objects of a
-- module installed after this file are reachable by no role until listed here,
-- and test/pgtap/security_completeness.sql fails until they are.

REVOKE ALL ON ALL TABLES IN SCHEMA taxshare FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA taxshare FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA taxshare FROM PUBLIC;
GRANT USAGE ON SCHEMA taxshare TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit,
                                   taxshare_operator, taxshare_exchange;

-- tbl: table or view; then the privileges of admin, analyst, tax, unit,
-- operator, exchange (r = SELECT, a = INSERT, w = UPDATE, d = DELETE).
CREATE TEMP TABLE taxshare_privilege_plan (tbl text, admin text, analyst text, tax text,
                                           unit text, operator text, exchange text);
INSERT INTO taxshare_privilege_plan VALUES
  -- metadata: the catalog, units, calendars, rule and indicator settings
  -- (units read risk_param: the deadlines of the warnings pushed to them)
  ('unit',                 'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('division',             'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('holiday',              'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('deadline_rule',        'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_item',         'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_field',        'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_rule',         'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_party',        'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_view',         'rawd', 'r',    'r',  'r',   'r', ''),
  ('party_evidence',       'rawd', 'r',    'r',  '',    'r', ''),
  ('party_link_source',    'rawd', 'r',    'r',  '',    'r', ''),
  ('match_rule',           'rawd', 'rawd', 'r',  '',    'r', ''),
  ('match_parameter',      'rawd', 'rawd', 'r',  '',    'r', ''),
  ('indicator',            'rawd', 'rawd', 'r',  '',    'r', ''),
  ('response_kind',        'rawd', 'r',    'r',  '',    'r', ''),
  ('risk_param',           'rawd', 'rawd', 'r',  'r',   'r', ''),
  ('sweep_log',            'rawd', 'r',    'r',  '',    'r', ''),
  -- security and ledger
  ('unit_member',          'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('data_grant',           'r',    'r',    'r',  'r',   '',  ''),
  ('access_log',           'r',    'r',    'r',  'r',   '',  ''),
  ('ledger',               'r',    '',     '',   '',    'r', ''),
  -- intake (rows narrowed by row-level security).  submission, record and
  -- record_error are written only by submit() and the inbox triggers (as the
  -- extension owner, the caller checked once per load): nobody writes them directly.
  ('unit_contact',         'ra',   '',     '',   'ra',  '',  ''),
  ('submission',           'r',    'r',    'r',  'r',   'r', 'r'),
  ('record',               'r',    'r',    'r',  '',    '',  ''),
  ('record_error',         'r',    '',     '',   'r',   '',  ''),
  ('inbox',                'a',    '',     '',   'a',   '',  'a'),
  ('objection',            'raw',  'ra',   'ra', 'raw', '',  ''),
  -- obligations, deductions (a unit: its own rows)
  ('obligation',           'rawd', 'r',    'r',  'r',   'r', ''),
  ('obligation_change',    'rawd', 'r',    'r',  'r',   'r', ''),
  ('deduction_event',      'rawd', 'r',    'r',  'r',   'r', ''),
  -- analysis products: the analysis group runs the engine; the tax bureau
  -- triages suspicions and logs assessments
  ('entity',               'rawd', 'rawd', 'r',  '',    '',  ''),
  ('entity_attribute',     'rawd', 'rawd', 'r',  '',    '',  ''),
  ('record_party',         'rawd', 'rawd', 'r',  '',    '',  ''),
  ('party_link',           'rawd', 'rawd', 'r',  '',    '',  ''),
  ('match_review',         'rawd', 'rawd', 'r',  '',    '',  ''),
  ('suspicion',            'rawd', 'rawd', 'rw', '',    '',  ''),
  ('risk_score',           'rawd', 'rawd', 'r',  '',    '',  ''),
  ('risk_grading',         'rawd', 'rawd', 'r',  '',    '',  ''),
  ('blacklist',            'rawd', 'rawd', 'r',  '',    '',  ''),
  ('assessment_log',       'rawd', 'rawd', 'ra', '',    '',  ''),
  -- warnings: the office pushes, the recipient (tax bureau or unit, its own
  -- rows by row-level security) receives, answers, extends and disputes
  ('warning',              'rawd', 'r',    'rw', 'rw',  '',  ''),
  ('warning_task',         'rawd', 'r',    'rw', 'rw',  '',  ''),
  ('warning_extension',    'rawd', 'r',    'ra', 'ra',  '',  ''),
  ('warning_dispute',      'rawd', 'r',    'ra', 'ra',  '',  ''),
  -- views
  ('catalog_item_current', 'r',    'r',    'r',  'r',   'r', 'r'),
  ('holiday_year',         'r',    'r',    'r',  'r',   'r', 'r'),
  ('unit_contact_current', 'r',    '',     '',   'r',   '',  ''),
  ('record_visible',       'r',    'r',    'r',  'r',   '',  ''),
  ('current_record',       'r',    'r',    'r',  '',    '',  ''),
  ('record_party_key',     'r',    'r',    'r',  '',    '',  ''),
  ('record_party_source',  'r',    'r',    'r',  '',    '',  ''),
  ('submission_report',    'r',    'r',    'r',  'r',   'r', 'r'),
  ('objection_status',     'r',    'r',    'r',  'r',   '',  ''),
  ('obligation_status',    'r',    'r',    'r',  'r',   'r', ''),
  ('rectification_window', 'r',    'r',    'r',  'r',   'r', ''),
  ('forwarding_delay',     'r',    'r',    'r',  'r',   'r', ''),
  ('monthly_upload_stats', 'r',    'r',    'r',  'r',   'r', ''),
  ('enterprise_person',    'r',    'r',    'r',  '',    '',  ''),
  ('blacklist_entity',     'r',    'r',    'r',  '',    '',  ''),
  ('suspicion_list',       'r',    'r',    'r',  '',    '',  ''),
  ('assessment_year',      'r',    'r',    'r',  '',    '',  ''),
  ('risk_list',            'r',    'r',    'r',  '',    '',  ''),
  ('warning_ledger',       'r',    'r',    'r',  'r',   '',  '');

DO $$
DECLARE
  p record;
  col text;
  role text;
  privs text;
  list text;
BEGIN
  FOR p IN SELECT * FROM pg_temp.taxshare_privilege_plan LOOP
    IF pg_catalog.to_regclass('taxshare.' || p.tbl) IS NULL THEN
      CONTINUE;	-- a module not installed in this build
    END IF;
    FOREACH col IN ARRAY ARRAY['admin', 'analyst', 'tax', 'unit', 'operator', 'exchange'] LOOP
      privs := CASE col WHEN 'admin' THEN p.admin WHEN 'analyst' THEN p.analyst WHEN 'tax' THEN p.tax
                        WHEN 'unit' THEN p.unit WHEN 'operator' THEN p.operator ELSE p.exchange END;
      SELECT string_agg(x.priv, ', ' ORDER BY x.ord) INTO list
        FROM (VALUES ('r', 'SELECT', 1), ('a', 'INSERT', 2), ('w', 'UPDATE', 3), ('d', 'DELETE', 4))
             AS x(letter, priv, ord)
       WHERE strpos(privs, x.letter) > 0;
      role := 'taxshare_' || col;
      IF list IS NOT NULL THEN
        EXECUTE format('GRANT %s ON taxshare.%I TO %I', list, p.tbl, role);
      END IF;
    END LOOP;
  END LOOP;
END
$$;
DROP TABLE pg_temp.taxshare_privilege_plan;

-- Sequences: whoever may insert into the table.
DO $$
DECLARE
  s record;
  r text;
BEGIN
  FOR s IN SELECT seq.relname AS seq, tab.relname AS tbl
             FROM pg_catalog.pg_depend d
             JOIN pg_catalog.pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
             JOIN pg_catalog.pg_class tab ON tab.oid = d.refobjid
            WHERE seq.relnamespace = 'taxshare'::regnamespace AND d.deptype IN ('a', 'i') LOOP
    FOREACH r IN ARRAY ARRAY['taxshare_admin', 'taxshare_analyst', 'taxshare_tax', 'taxshare_unit',
                             'taxshare_exchange'] LOOP
      IF pg_catalog.has_table_privilege(r, format('taxshare.%I', s.tbl), 'INSERT') THEN
        EXECUTE format('GRANT USAGE ON SEQUENCE taxshare.%I TO %I', s.seq, r);
      END IF;
    END LOOP;
  END LOOP;
  -- resolve_entities draws entity ids with nextval() outside an INSERT.
  IF pg_catalog.to_regclass('taxshare.entity_id_seq') IS NOT NULL THEN
    GRANT USAGE ON SEQUENCE taxshare.entity_id_seq TO taxshare_admin, taxshare_analyst;
  END IF;
END
$$;

-- Functions: the roles' functions run as the caller (table privileges and
-- row-level security above are the gate), and the policies call the helper
-- functions as the caller, so every member role may execute them - except the
-- ledger's internals, which the ledger module keeps to itself, and submit(),
-- which only the submitting roles get (it checks the unit itself as well).
DO $$
DECLARE
  f record;
BEGIN
  FOR f IN SELECT p.oid::regprocedure AS sig
             FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = 'taxshare'::regnamespace
              AND p.proname NOT IN ('ledger_append', 'submission_digest', 'ledger_verify', 'ledger_digest',
                                    'submit')
              AND p.proname NOT LIKE '\_ledger\_%' LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO taxshare_admin, taxshare_analyst, taxshare_tax,'
                   ' taxshare_unit, taxshare_operator, taxshare_exchange', f.sig);
  END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION taxshare.ledger_verify(bigint, text), taxshare.ledger_digest()
  TO taxshare_admin, taxshare_operator;
GRANT EXECUTE ON FUNCTION taxshare.submit(text, text, date, jsonb, timestamptz, text)
  TO taxshare_admin, taxshare_unit, taxshare_exchange;
