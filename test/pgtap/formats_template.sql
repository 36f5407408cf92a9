-- pgTAP tests of the templates (control/install/48_formats_template.sql,
-- src/formats/template_fmgr.c): errors, the CSV header, the checksum, the
-- instructions, who sees the liaison, the temporary file.  The workbook's
-- structure is checked with openpyxl and LibreOffice by test/formats_template.sh.
-- Codes start with FT_ / FT- so that they meet no other test's data.
BEGIN;
SELECT plan(37);
SET LOCAL client_min_messages = warning;

SELECT has_function('taxshare', 'template_xlsx', ARRAY['text', 'text'], 'template_xlsx(text, text)');
SELECT has_function('taxshare', 'template_csv', ARRAY['text'], 'template_csv(text)');
SELECT has_function('taxshare', 'template_checksum', ARRAY['text', 'integer'], 'template_checksum(text, integer)');
SELECT is((SELECT count(*)::int FROM pg_proc p
            WHERE p.pronamespace = 'taxshare'::regnamespace
              AND (p.proname LIKE 'template\_%' OR p.proname LIKE '\_template\_%')
              AND coalesce(obj_description(p.oid, 'pg_proc'), '') !~ ' / '),
          0, 'every template function carries a Chinese / English comment');

INSERT INTO taxshare.unit (code, name, kind) VALUES ('FT_U', '模板测试单位', 'department');
SELECT taxshare.unit_contact_set('FT_U', 'liaison', '王五', '0734-1234567') \g /dev/null
SELECT taxshare.catalog_define($${"code": "FT-ITEM", "title": "模板测试条目", "provider": "FT_U",
  "frequency": "monthly", "validFrom": "2024-01-01",
  "schema": {"fields": [
    {"name": "a", "title": "名称,简称", "type": "string", "constraints": {"maxLength": 20}},
    {"name": "b", "title": "统一社会信用代码", "type": "uscc"},
    {"name": "c", "title": "日期", "type": "date", "constraints": {"required": true}},
    {"name": "d", "title": "金额(元)", "type": "amount", "constraints": {"minimum": 0}},
    {"name": "e", "title": "用途", "type": "string", "constraints": {"enum": ["住宅", "商业"]}}],
   "primaryKey": "a"}}$$) \g /dev/null

-- Errors
SELECT throws_ok($$SELECT taxshare.template_xlsx('FT-NONE')$$, '22023', 'unknown catalog item "FT-NONE"',
                 'template_xlsx: an unknown item is refused');
SELECT throws_ok($$SELECT taxshare.template_xlsx(NULL)$$, '22004', 'item_code must not be null',
                 'template_xlsx: a NULL item is refused');
SELECT throws_ok($$SELECT taxshare.template_xlsx('FT-ITEM', 'FT_NOBODY')$$, '22023', 'unknown unit "FT_NOBODY"',
                 'template_xlsx: an unknown unit is refused');
SELECT throws_ok($$SELECT taxshare.template_csv('FT-NONE')$$, '22023', 'unknown catalog item "FT-NONE"',
                 'template_csv: an unknown item is refused');
SELECT taxshare.catalog_define($${"code": "FT-OLD", "title": "已停用条目", "provider": "FT_U", "frequency": "monthly",
  "validFrom": "2020-01-01", "validTo": "2020-12-31",
  "schema": {"fields": [{"name": "a", "title": "甲", "type": "string"}]}}$$) \g /dev/null
SELECT throws_ok($$SELECT taxshare.template_xlsx('FT-OLD')$$, '22023',
                 'catalog item "FT-OLD" was retired on 2020-12-31',
                 'template_xlsx: a retired item is refused');

-- The temporary file: gone after a workbook, and after an error raised while
-- it exists (the item is read inside the build, after the file is created).
SELECT is(substr(taxshare.template_xlsx('FT-ITEM'), 1, 4), '\x504b0304'::bytea,
          'template_xlsx returns a zip archive (an .xlsx)');
SELECT is((SELECT count(*)::int FROM pg_ls_tmpdir() WHERE name LIKE '%taxshare_xlsx%'), 0,
          'no temporary workbook is left after a template');
SELECT throws_ok($$SELECT taxshare.template_xlsx('FT-NONE', 'FT_U')$$, '22023');
SELECT is((SELECT count(*)::int FROM pg_ls_tmpdir() WHERE name LIKE '%taxshare_xlsx%'), 0,
          'no temporary workbook is left after an error in the build');
SELECT ok(taxshare.template_xlsx('FT-ITEM', 'FT_U') <> taxshare.template_xlsx('FT-ITEM'),
          'the unit changes the workbook (its name and liaison are in it)');

-- The CSV header: titles in order, quoted where CSV needs it, CRLF.
SELECT is(taxshare.template_csv('FT-ITEM'), E'"名称,简称",统一社会信用代码,日期,金额(元),用途\r\n',
          'template_csv: the titles, the one with a comma quoted, CRLF');

-- The checksum: SHA-256 of name TAB type TAB title, one line per field.
SELECT is(taxshare.template_checksum('FT-ITEM', 1),
          encode(sha256(convert_to(E'a\tstring\t名称,简称\nb\tuscc\t统一社会信用代码\nc\tdate\t日期\n' ||
                                   E'd\tamount\t金额(元)\ne\tstring\t用途', 'UTF8')), 'hex'),
          'template_checksum: SHA-256 of the field list');
SELECT is(taxshare.template_checksum('FT-ITEM', 99), NULL, 'template_checksum: NULL for an unknown version');
-- Version 2 changes a constraint only, version 3 a title.
SELECT taxshare.catalog_define($${"code": "FT-ITEM", "title": "模板测试条目", "provider": "FT_U",
  "frequency": "monthly", "validFrom": "2024-01-01",
  "schema": {"fields": [
    {"name": "a", "title": "名称,简称", "type": "string", "constraints": {"maxLength": 30}},
    {"name": "b", "title": "统一社会信用代码", "type": "uscc"},
    {"name": "c", "title": "日期", "type": "date", "constraints": {"required": true}},
    {"name": "d", "title": "金额(元)", "type": "amount", "constraints": {"minimum": 0}},
    {"name": "e", "title": "用途", "type": "string", "constraints": {"enum": ["住宅", "商业"]}}],
   "primaryKey": "a"}}$$) \g /dev/null
SELECT taxshare.catalog_define($${"code": "FT-ITEM", "title": "模板测试条目", "provider": "FT_U",
  "frequency": "monthly", "validFrom": "2024-01-01",
  "schema": {"fields": [
    {"name": "a", "title": "名称", "type": "string", "constraints": {"maxLength": 30}},
    {"name": "b", "title": "统一社会信用代码", "type": "uscc"},
    {"name": "c", "title": "日期", "type": "date", "constraints": {"required": true}},
    {"name": "d", "title": "金额(元)", "type": "amount", "constraints": {"minimum": 0}},
    {"name": "e", "title": "用途", "type": "string", "constraints": {"enum": ["住宅", "商业"]}}],
   "primaryKey": "a"}}$$) \g /dev/null
SELECT is(taxshare.template_checksum('FT-ITEM', 2), taxshare.template_checksum('FT-ITEM', 1),
          'a changed constraint keeps the checksum (the columns agree)');
SELECT isnt(taxshare.template_checksum('FT-ITEM', 3), taxshare.template_checksum('FT-ITEM', 2),
            'a changed title changes the checksum');
SELECT is(taxshare.template_csv('FT-ITEM'), E'名称,统一社会信用代码,日期,金额(元),用途\r\n',
          'template_csv follows the latest version');

-- The columns and their rules in words.
SELECT is((SELECT array_agg(required ORDER BY col) FROM taxshare._template_fields('FT-ITEM')),
          ARRAY[true, false, true, false, false],
          'required columns: the key field and the required one');
SELECT is((SELECT rules_zh FROM taxshare._template_fields('FT-ITEM') WHERE name = 'a'),
          '文本; 必填; 各行不得重复; 最多 30 个字符', 'the key field''s rules in Chinese');
SELECT is((SELECT rules_en FROM taxshare._template_fields('FT-ITEM') WHERE name = 'e'),
          'text; one of: 住宅, 商业 (drop-down)', 'an enum field''s rules in English');
SELECT is((SELECT rules_zh FROM taxshare._template_fields('FT-ITEM') WHERE name = 'd'),
          '金额 (元), 最多两位小数; 不小于 0.00', 'an amount''s rules in Chinese');

-- The instructions: the next due date is due_date() of the earliest period
-- (from last month's) not yet past due.
SELECT is((SELECT value FROM taxshare._template_info('FT-ITEM', NULL) WHERE label = '下次报送截止'),
          (SELECT format('%s 至 %s 期: %s 前报送', p, taxshare.period_end('monthly', p),
                         taxshare.due_date('monthly', p))
             FROM (SELECT CASE WHEN taxshare.due_date('monthly', prev) >= current_date THEN prev ELSE cur END AS p
                     FROM (SELECT date_trunc('month', current_date)::date AS cur,
                                  (date_trunc('month', current_date) - interval '1 month')::date AS prev) x) y),
          'the next due date of a monthly item');
SELECT is((SELECT value FROM taxshare._template_info('FT-ITEM', NULL) WHERE label = '目录名称'), '模板测试条目',
          'the instructions name the item');
SELECT is((SELECT value FROM taxshare._template_info('FT-ITEM', NULL) WHERE label = '提供单位'),
          '模板测试单位 (FT_U)', 'the instructions name the provider');
SELECT is((SELECT value FROM taxshare._template_info('FT-ITEM', 'FT_U') WHERE label = '联系人'),
          '信息联络员 王五 0734-1234567', 'the office sees the unit''s liaison');

SELECT taxshare.catalog_define($${"code": "FT-RULES", "title": "规则测试", "provider": "FT_U", "frequency": "adhoc",
  "schema": {"fields": [
    {"name": "kind", "title": "买受人类型", "type": "string"},
    {"name": "id", "title": "身份证号", "type": "idcard"},
    {"name": "signed", "title": "签约日期", "type": "date"},
    {"name": "recorded", "title": "备案日期", "type": "date"},
    {"name": "tax", "title": "税额", "type": "amount"},
    {"name": "net", "title": "不含税金额", "type": "amount"},
    {"name": "total", "title": "总价", "type": "amount"}]},
  "rules": [{"rule": "lte", "fields": ["signed", "recorded"]},
            {"rule": "sum", "fields": ["tax", "net"], "total": "total", "tolerance": 0.01},
            {"rule": "required_if", "fields": ["id"], "when": "kind", "in": ["个人"]}]}$$) \g /dev/null
SELECT is((SELECT array_agg(value) FROM taxshare._template_info('FT-RULES', NULL) WHERE label = '跨字段规则'),
          ARRAY['"签约日期"不晚于"备案日期"', '"税额" + "不含税金额" = "总价" (允许误差 0.01)',
                '"买受人类型"为 个人 时, "身份证号"必填'],
          'the cross-field rules in words, fields named by title');
SELECT is((SELECT value FROM taxshare._template_info('FT-RULES', NULL) WHERE label = '下次报送截止'),
          '无固定截止日, 随时报送', 'an ad-hoc item has no due date');

-- Who sees the liaison: the unit's own staff; the exchange platform, which may
-- not read unit_contact, gets the office to ask.
CREATE ROLE ft_unit_login IN ROLE taxshare_unit;
CREATE ROLE ft_other_login IN ROLE taxshare_unit;
CREATE ROLE ft_exchange_login IN ROLE taxshare_exchange;
INSERT INTO taxshare.unit (code, name, kind) VALUES ('FT_V', '另一单位', 'department');
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('ft_unit_login', 'FT_U'), ('ft_other_login', 'FT_V');
SET LOCAL ROLE ft_unit_login;
SELECT is((SELECT value FROM taxshare._template_info('FT-ITEM', 'FT_U') WHERE label = '联系人'),
          '信息联络员 王五 0734-1234567', 'a unit''s staff see their liaison');
SELECT ok(length(taxshare.template_xlsx('FT-ITEM', 'FT_U')) > 0, 'a unit''s staff may download a template');
RESET ROLE;
SET LOCAL ROLE ft_other_login;
SELECT is((SELECT value FROM taxshare._template_info('FT-ITEM', 'FT_U') WHERE label = '联系人'),
          '本单位信息联络员; 名单由市财源办掌握', 'another unit''s staff do not see the liaison (row-level security)');
RESET ROLE;
SET LOCAL ROLE ft_exchange_login;
SELECT is((SELECT value FROM taxshare._template_info('FT-ITEM', 'FT_U') WHERE label = '联系人'),
          '本单位信息联络员; 名单由市财源办掌握', 'the exchange platform gets the fallback, not an error');
SELECT ok(length(taxshare.template_xlsx('FT-ITEM', 'FT_U')) > 0, 'the exchange platform may download a template');
RESET ROLE;

-- taxshare.language
SET LOCAL taxshare.language = 'en';
SELECT is((SELECT label FROM taxshare._template_info('FT-ITEM', NULL) LIMIT 1), 'Item',
          'the instructions follow taxshare.language');
SELECT ok(taxshare.template_xlsx('FT-ITEM') IS NOT NULL, 'an English template is written too');
RESET taxshare.language;

SELECT * FROM finish();
ROLLBACK;
