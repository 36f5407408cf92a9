-- catalog: units and their contacts, catalog_define() (creation, revision,
-- idempotence, definitions refused with the JSON path of the mistake) and the
-- typed views.  Codes start with TC_ / TC- so that no other test depends on them.
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Shanghai';
\set SHOW_CONTEXT never
-- Errors whose details hold times: the SQLSTATE and the message.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Units, and the history of their contacts
INSERT INTO taxshare.unit (code, name, kind, division) VALUES
  ('TC_ZJJ', '衡阳市住房和城乡建设局', 'department', '430400'),
  ('TC_SWJ', '国家税务总局衡阳市税务局', 'tax', '430400'),
  ('TC_BANK', '衡阳某银行', 'related', NULL);
SELECT pg_temp.try($$INSERT INTO taxshare.unit (code, name, kind) VALUES ('TC_X', '某单位', 'bank')$$);
SELECT pg_temp.try($$INSERT INTO taxshare.unit (code, name, kind) VALUES ('TC X', '某单位', 'department')$$);
SELECT taxshare.unit_contact_set('TC_ZJJ', 'liaison', '李四', '0734-8888888', changed_on => '2024-01-02') > 0 AS filed;
SELECT taxshare.unit_contact_set('TC_ZJJ', 'liaison', ' 王五 ', '13800000000', changed_on => '2024-03-01') > 0 AS filed;
SELECT taxshare.unit_contact_set('TC_ZJJ', 'leader', '赵六', changed_on => '2024-01-02') > 0 AS filed;
SELECT taxshare.unit_contact_set('TC_NONE', 'leader', '某人');
SELECT taxshare.unit_contact_set('TC_ZJJ', 'boss', '某人');
SELECT taxshare.unit_contact_set('TC_ZJJ', 'leader', '  ');
SELECT unit_code, role, name, phone, changed_on
  FROM taxshare.unit_contact_current WHERE unit_code = 'TC_ZJJ' ORDER BY role;
SELECT role, name, changed_on, filed_by = session_user AS filed_by_me
  FROM taxshare.unit_contact WHERE unit_code = 'TC_ZJJ' ORDER BY id;

-- The types a field may have
SELECT taxshare.catalog_types();
SELECT t, v, taxshare.catalog_canonical(t, v) AS canonical
  FROM (VALUES ('date', '2024年3月5日'), ('amount', '1,234,567'), ('uscc', '91350100m000100y43'),
               ('date', '2024-02-30'), ('integer', '12.5')) x(t, v);
SELECT taxshare.catalog_canonical('money', '1');

-- The definition of the issue, completed with the fields its key and rule name
CREATE TEMP TABLE def (d jsonb);
INSERT INTO def VALUES ($${
  "code": "TC-SPF-001", "title": "商品房网签备案信息", "provider": "TC_ZJJ",
  "frequency": "monthly", "sharing": "conditional", "users": ["TC_SWJ"], "scope": "契税征管比对",
  "schema": {"fields": [
      {"name": "contract_no", "title": "合同编号", "type": "string", "constraints": {"pattern": "[A-Z0-9-]+"}},
      {"name": "seller_uscc", "title": "出卖人统一社会信用代码", "type": "uscc"},
      {"name": "seller_name", "title": "出卖人名称", "type": "string", "constraints": {"maxLength": 100}},
      {"name": "price", "title": "成交金额(元)", "type": "amount", "constraints": {"minimum": 0}},
      {"name": "sign_date", "title": "签约日期", "type": "date", "constraints": {"required": true}},
      {"name": "record_date", "title": "备案日期", "type": "date"},
      {"name": "use", "title": "房屋用途", "type": "string", "constraints": {"enum": ["住宅", "商业"]}}],
    "primaryKey": ["contract_no"], "missingValues": [""]},
  "parties": [{"role": "seller", "uscc": "seller_uscc", "name": "seller_name"}],
  "rules": [{"rule": "lte", "fields": ["sign_date", "record_date"]}]}$$);
SELECT taxshare.catalog_define(d) AS version FROM def;
-- the same document again: no new version
SELECT taxshare.catalog_define(d) AS version FROM def;
-- a revision: a new field
SELECT taxshare.catalog_define(jsonb_insert(d, '{schema,fields,7}',
         '{"name": "area", "title": "建筑面积", "type": "number", "constraints": {"minimum": 0, "maximum": 10000}}'))
       AS version FROM def;
SELECT code, version, title, provider, frequency, sharing, classification, users, scope,
       valid_from = current_date AS from_today, valid_to, missing_values, primary_key
  FROM taxshare.catalog_item WHERE code = 'TC-SPF-001' ORDER BY version;
SELECT version FROM taxshare.catalog_item_current WHERE code = 'TC-SPF-001';
SELECT position, name, title, type, required, is_unique, min_length, max_length, minimum, maximum,
       pattern, enum
  FROM taxshare.catalog_field WHERE item_code = 'TC-SPF-001' AND item_version = 2 ORDER BY position;
SELECT rule, fields, total, tolerance, when_field, when_in
  FROM taxshare.catalog_rule WHERE item_code = 'TC-SPF-001' ORDER BY item_version, position;
SELECT item_version, role, kind, uscc_field, idcard_field, orgcode_field, taxpayer_id_field, name_field,
       region_field, address_field, phone_field
  FROM taxshare.catalog_party WHERE item_code = 'TC-SPF-001' ORDER BY item_version, role;

-- Every rule, every constraint, values given in the variants people write
SELECT taxshare.catalog_define($${
  "code": "TC-ALL-001", "title": "全部类型与规则", "provider": "TC_BANK", "frequency": "quarterly",
  "sharing": "unconditional", "classification": "sensitive", "validFrom": "2024年1月1日", "validTo": "2030/12/31",
  "schema": {"fields": [
      {"name": "id", "type": "string", "constraints": {"required": true, "unique": true, "minLength": 2, "maxLength": 8}},
      {"name": "idcard", "type": "idcard"},
      {"name": "born", "type": "date", "constraints": {"minimum": "1900/1/1", "maximum": "20991231"}},
      {"name": "kind", "type": "integer", "constraints": {"enum": [1, "2", "３"]}},
      {"name": "total", "type": "amount", "constraints": {"maximum": "1,000,000"}},
      {"name": "part_a", "type": "amount"},
      {"name": "part_b", "type": "amount"},
      {"name": "at", "type": "datetime"},
      {"name": "year", "type": "year"},
      {"name": "month", "type": "yearmonth", "constraints": {"minimum": "2020-01"}},
      {"name": "ok", "type": "boolean"},
      {"name": "org", "type": "orgcode"},
      {"name": "area", "type": "division"},
      {"name": "tel", "type": "phone"},
      {"name": "ratio", "type": "number"}],
    "missingValues": ["", "-", "无"]},
  "rules": [{"rule": "idcard_birthdate", "fields": ["idcard", "born"]},
            {"rule": "sum", "fields": ["part_a", "part_b"], "total": "total", "tolerance": 0.01},
            {"rule": "required_if", "fields": ["org"], "when": "kind", "in": ["2"]},
            {"rule": "required_if", "fields": ["tel"], "when": "idcard"},
            {"rule": "lt", "fields": ["year", "ratio"]}]}$$) AS version;
SELECT name, type, required, is_unique, min_length, max_length, minimum, maximum, enum
  FROM taxshare.catalog_field WHERE item_code = 'TC-ALL-001' ORDER BY position;
SELECT rule, fields, total, tolerance, when_field, when_in
  FROM taxshare.catalog_rule WHERE item_code = 'TC-ALL-001' ORDER BY position;
SELECT valid_from, valid_to, classification, missing_values
  FROM taxshare.catalog_item WHERE code = 'TC-ALL-001';

-- Definitions that are wrong: each refused with the path of the mistake
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,3,type}', '"amout"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,2,name}', '"seller_uscc"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,0,constraints,pattern}', '"[A-Z"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0,fields,1}', '"recorded_on"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,1}', '{"name": "seller_uscc", "type": "uscc", "contraints": {}}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,6,constraints,enum}', '"住宅"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,5,constraints}', '{"enum": ["2024-01-01", "2024-13-01"]}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,2,constraints}', '{"minimum": "a"}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,3,constraints}', '{"minimum": 10, "maximum": "9.99"}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,3,constraints}', '{"minimum": "十元"}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,2,constraints}', '{"minLength": -1}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,2,constraints}', '{"minLength": 5, "maxLength": 4}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,4,constraints}', '{"required": "yes"}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,0,name}', to_jsonb(repeat('长', 22)))) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields,0,name}', '""')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{provider}', '"TC_NOBODY"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{frequency}', '"monthy"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{sharing}', '"open"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{users,0}', '"TC_NOBODY"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{code}', '"TC SPF"')) FROM def;
SELECT taxshare.catalog_define(d - 'code') FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{validFrom}', '"2024-02-30"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(jsonb_set(d, '{validFrom}', '"2024-06-01"'), '{validTo}', '"2024-05-31"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,fields}', '[]')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,primaryKey}', '["contract_no", "deed_no"]')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{schema,missingValues}', '["", null]')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{parties,0,uscc}', '"seller_name"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{parties,0}', '{"role": "buyer"}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{parties,0,kind}', '"company"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{parties,0,phone}', '"price"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{parties,0,region}', '"seller_uscc"')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0}', '{"rule": "lte", "fields": ["sign_date", "price"]}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0}', '{"rule": "lt", "fields": ["sign_date"]}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0}', '{"rule": "sum", "fields": ["price"]}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0}', '{"rule": "sum", "fields": ["price"], "total": "price", "tolerance": -1}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0}', '{"rule": "idcard_birthdate", "fields": ["seller_uscc", "sign_date"]}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0}', '{"rule": "required_if", "fields": ["price"], "when": "sign_date", "in": ["tomorrow"]}')) FROM def;
SELECT taxshare.catalog_define(jsonb_set(d, '{rules,0}', '{"rule": "before", "fields": ["sign_date", "record_date"]}')) FROM def;
SELECT taxshare.catalog_define('[1, 2]');
SELECT taxshare.catalog_define(NULL);
-- nothing of the refused definitions was written
SELECT count(*) AS versions FROM taxshare.catalog_item WHERE code = 'TC-SPF-001';

-- The typed view of an item for BI tools
SELECT taxshare.catalog_view_create('TC-SPF-001');
SELECT column_name, data_type, col_description('taxshare.item_tc_spf_001'::regclass, ordinal_position) AS title
  FROM information_schema.columns
 WHERE table_schema = 'taxshare' AND table_name = 'item_tc_spf_001' ORDER BY ordinal_position;
SELECT obj_description('taxshare.item_tc_spf_001'::regclass, 'pg_class');
SELECT taxshare.catalog_view_create('TC-ALL-001');
SELECT column_name, data_type FROM information_schema.columns
 WHERE table_schema = 'taxshare' AND table_name = 'item_tc_all_001' ORDER BY ordinal_position;
SELECT taxshare.catalog_view_create('TC-NOTHING');
