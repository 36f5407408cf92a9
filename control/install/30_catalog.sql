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
INSERT INTO taxshare.privilege_plan VALUES ('table', 'catalog_item', 'rawd', 'r', 'r', 'r', 'r', 'r');

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
INSERT INTO taxshare.privilege_plan VALUES ('table', 'catalog_field', 'rawd', 'r', 'r', 'r', 'r', 'r');

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
INSERT INTO taxshare.privilege_plan VALUES ('table', 'catalog_rule', 'rawd', 'r', 'r', 'r', 'r', 'r');

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
INSERT INTO taxshare.privilege_plan VALUES ('table', 'catalog_party', 'rawd', 'r', 'r', 'r', 'r', 'r');

CREATE VIEW taxshare.catalog_item_current AS
  SELECT DISTINCT ON (i.code) i.*
    FROM taxshare.catalog_item i
   ORDER BY i.code, i.version DESC;
COMMENT ON VIEW taxshare.catalog_item_current IS
  '各目录条目的最新版本 / latest version of each catalog item';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'catalog_item_current', 'r', 'r', 'r', 'r', 'r', 'r');

-- C helpers shared by catalog_define() and the intake.
CREATE FUNCTION taxshare.catalog_types() RETURNS text[]
  AS 'MODULE_PATHNAME', 'catalog_types'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.catalog_types() IS
  '目录字段可用的类型 / the field types a catalog definition may use';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'catalog_types()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.catalog_canonical(type text, value text) RETURNS text
  AS 'MODULE_PATHNAME', 'catalog_canonical'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.catalog_canonical(text, text) IS
  '按字段类型规范化一个值, 无效时返回 NULL / canonical form of a value of a field type, NULL when invalid';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'catalog_canonical(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Compiled specs are cached per backend; any change to the catalog tables
-- sends a relcache invalidation of catalog_item that flushes every cache.
CREATE FUNCTION taxshare.catalog_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'catalog_invalidate'
  LANGUAGE C;
COMMENT ON FUNCTION taxshare.catalog_invalidate() IS
  '目录变更时使各会话的编译缓存失效 / flush the compiled catalog caches of every session after a catalog change';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'catalog_invalidate()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE TRIGGER catalog_item_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_item FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
CREATE TRIGGER catalog_field_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_field FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
CREATE TRIGGER catalog_rule_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_rule FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
CREATE TRIGGER catalog_party_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON taxshare.catalog_party FOR EACH STATEMENT EXECUTE FUNCTION taxshare.catalog_invalidate();
