-- intake: submit() and the inbox.  Every type with the variants people send,
-- every constraint and rule with and without errors, statuses, superseding,
-- the inbox COPY path and the reports.  Codes start with TI_ / TI-.
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Shanghai';
\set SHOW_CONTEXT never
SET taxshare.language = zh;

INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('TI_ZJJ', '衡阳市住房和城乡建设局', 'department'),
  ('TI_SCJ', '衡阳市市场监督管理局', 'department'),
  ('TI_DL', '国网衡阳供电公司', 'related');

-- An item with a field of every type
SELECT taxshare.catalog_define($${
  "code": "TI-ALL", "title": "全部类型", "provider": "TI_SCJ", "frequency": "monthly",
  "schema": {"fields": [
      {"name": "s", "title": "文本", "type": "string"},
      {"name": "n", "title": "数值", "type": "number"},
      {"name": "i", "title": "整数", "type": "integer"},
      {"name": "b", "title": "布尔", "type": "boolean"},
      {"name": "d", "title": "日期", "type": "date"},
      {"name": "dt", "title": "日期时间", "type": "datetime"},
      {"name": "y", "title": "年份", "type": "year"},
      {"name": "ym", "title": "年月", "type": "yearmonth"},
      {"name": "a", "title": "金额", "type": "amount"},
      {"name": "u", "title": "统一社会信用代码", "type": "uscc"},
      {"name": "c", "title": "身份证号码", "type": "idcard"},
      {"name": "o", "title": "组织机构代码", "type": "orgcode"},
      {"name": "dv", "title": "行政区划", "type": "division"},
      {"name": "p", "title": "电话", "type": "phone"}],
    "missingValues": ["", "-", "无"]}}$$) AS version;

-- What people send is normalised: each row holds one variant per type
SELECT taxshare.submit('TI-ALL', 'TI_SCJ', '2024-03-01', $$[
  {"s": "  华湘置业(衡阳)有限公司 ", "n": "1.50", "i": "42", "b": "是", "d": "2024-03-05",
   "dt": "2024-03-05 08:30:00", "y": "2024", "ym": "2024-03", "a": "1,234,567.00",
   "u": "91350100m000100y43", "c": "11010519491231002x", "o": "M000100Y-4", "dv": "430405", "p": "0734-8888888"},
  {"s": "张三", "n": 2.5, "i": 7, "b": true, "d": "2024/3/5", "dt": "2024/3/5 8:30", "y": 2024,
   "ym": "2024年3月", "a": 1234567, "u": " 9135 0100 M000 100Y 43 ", "c": "430405850312123",
   "o": "m000100y4", "dv": "４３０４０５", "p": "13800000000"},
  {"s": "李四", "n": "-0.25", "i": "-3", "b": "false", "d": "20240305", "dt": "2024-03-05T08:30:00",
   "y": "2024年", "ym": "202403", "a": "¥1,234.50", "u": "９１３５０１００Ｍ０００１００Ｙ４３",
   "c": "430405198503121235", "o": "006012344", "dv": "110105", "p": "(0734)8888888"},
  {"s": "王五", "d": "2024年3月5日", "a": "1234元", "n": "-", "i": "无", "b": null, "u": ""}
]$$) AS s_all \gset
SELECT status, rows_total, rows_accepted, rows_rejected, errors, unknown_fields
  FROM taxshare.submission WHERE id = :s_all;
SELECT row_no, status, payload FROM taxshare.record WHERE submission_id = :s_all ORDER BY row_no;
SELECT row_no, uscc, idcard, orgcode FROM taxshare.record WHERE submission_id = :s_all ORDER BY row_no;

-- Values that are not of their type: one error per field, with the code and
-- a message for the liaison
SELECT taxshare.submit('TI-ALL', 'TI_SCJ', '2024-04-01', $$[
  {"s": {"a": 1}, "n": "1,5", "i": "1.5", "b": "maybe", "d": "2024-02-30", "dt": "2024-03-05 25:00",
   "y": "24", "ym": "2024-13", "a": "12.345", "u": "91350100M000100Y44", "c": "110105194912310021",
   "o": "M000100Y5", "dv": "439999", "p": "12345"},
  {"a": "1e3", "dv": "990000", "c": "110105", "s": ["x"], "d": "05/03/2024"}
]$$) AS s_bad \gset
SELECT status, rows_total, rows_accepted, rows_rejected, errors FROM taxshare.submission WHERE id = :s_bad;
SELECT row_no, field, code, message FROM taxshare.record_error WHERE submission_id = :s_bad ORDER BY row_no, field;
-- rejected rows keep what was sent, and the values that did parse
SELECT row_no, status, raw ->> 'a' AS sent_a, payload FROM taxshare.record
 WHERE submission_id = :s_bad ORDER BY row_no;

-- The same mistakes, reported in English
SET taxshare.language = en;
SELECT taxshare.submit('TI-ALL', 'TI_SCJ', '2024-05-01', $$[
  {"n": "abc", "a": "12.345", "u": "91350100M000100Y44", "c": "1101051949123", "o": "M000100Y5",
   "dv": "439999", "p": "12345", "s": [1]}, "not an object", null, [1, 2], 3
]$$) AS s_en \gset
SELECT row_no, field, code, message FROM taxshare.record_error WHERE submission_id = :s_en ORDER BY row_no, field;
SELECT language, status FROM taxshare.submission WHERE id = :s_en;
SET taxshare.language = zh;
SET taxshare.language = fr;

-- Constraints and rules, each with and without errors
SELECT taxshare.catalog_define($${
  "code": "TI-SPF", "title": "商品房网签备案信息", "provider": "TI_ZJJ", "frequency": "monthly",
  "sharing": "conditional",
  "schema": {"fields": [
      {"name": "contract_no", "title": "合同编号", "type": "string",
       "constraints": {"pattern": "HT[0-9]{4}", "minLength": 6, "maxLength": 6}},
      {"name": "seller_uscc", "title": "出卖人统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
      {"name": "seller_name", "title": "出卖人名称", "type": "string", "constraints": {"maxLength": 20}},
      {"name": "buyer_type", "title": "买受人类型", "type": "string", "constraints": {"enum": ["个人", "单位"]}},
      {"name": "buyer_idcard", "title": "买受人身份证号码", "type": "idcard", "constraints": {"unique": true}},
      {"name": "buyer_birth", "title": "买受人出生日期", "type": "date"},
      {"name": "buyer_uscc", "title": "买受人统一社会信用代码", "type": "uscc"},
      {"name": "price", "title": "成交金额(元)", "type": "amount", "constraints": {"minimum": 1, "maximum": "100,000,000"}},
      {"name": "tax", "title": "税额(元)", "type": "amount"},
      {"name": "net", "title": "不含税金额(元)", "type": "amount"},
      {"name": "area", "title": "建筑面积", "type": "number", "constraints": {"minimum": 0.01, "maximum": 10000}},
      {"name": "sign_date", "title": "签约日期", "type": "date", "constraints": {"required": true, "minimum": "2000-01-01"}},
      {"name": "record_date", "title": "备案日期", "type": "date"},
      {"name": "floor", "title": "所在楼层", "type": "integer"},
      {"name": "floors", "title": "总楼层", "type": "integer"}],
    "primaryKey": ["contract_no"]},
  "parties": [{"role": "seller", "uscc": "seller_uscc", "name": "seller_name"},
              {"role": "buyer", "idcard": "buyer_idcard", "uscc": "buyer_uscc"}],
  "rules": [{"rule": "lte", "fields": ["sign_date", "record_date"]},
            {"rule": "lt", "fields": ["floor", "floors"]},
            {"rule": "idcard_birthdate", "fields": ["buyer_idcard", "buyer_birth"]},
            {"rule": "sum", "fields": ["tax", "net"], "total": "price", "tolerance": 0.01},
            {"rule": "required_if", "fields": ["buyer_idcard"], "when": "buyer_type", "in": ["个人"]},
            {"rule": "required_if", "fields": ["buyer_type"], "when": "buyer_uscc"}]}$$) AS version;

SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-01', $$[
  {"contract_no": "HT0001", "seller_uscc": "91350100M000100Y43", "seller_name": " 衡阳华湘置业有限公司 ",
   "buyer_type": "个人", "buyer_idcard": "430405198503121235", "buyer_birth": "1985-03-12",
   "price": "1,000,000.00", "tax": 90000.01, "net": "910,000", "area": 89.5,
   "sign_date": "2024/3/5", "record_date": "2024-03-05", "floor": 3, "floors": 18},
  {"contract_no": "HT0002", "seller_uscc": "91350100M000100Y43", "buyer_type": "单位",
   "buyer_uscc": "91430400MA4L12345R", "price": 500000, "sign_date": "2024-03-06", "floor": "5", "floors": "6"},
  {"contract_no": "HT0001", "seller_uscc": "91350100M000100Y43", "buyer_type": "个人",
   "buyer_idcard": "430405198503121235", "buyer_birth": "1985-03-13", "price": 0.5,
   "tax": 1, "net": 1, "area": 0, "sign_date": "1999-12-31", "record_date": "1999-12-30",
   "floor": 6, "floors": 6},
  {"contract_no": "ht1", "seller_uscc": "", "seller_name": "一个名称超过二十个字符的公司名称有限责任公司哈哈",
   "buyer_type": "个人", "price": "100,000,001", "area": 10000.5, "sign_date": "2024-03-07"},
  {"contract_no": "HT-003", "seller_uscc": "91350100M000100Y43", "buyer_type": "外资",
   "buyer_uscc": "91430400MA4L12345R", "sign_date": "2024-03-08", "price": 100, "tax": 0.01, "net": 99.98},
  {"contract_no": "HT0004", "seller_uscc": "91350100M000100Y43", "buyer_uscc": "91430400MA4L12345R",
   "sign_date": "2024-03-09", "price": 100, "tax": 0.02, "net": 99.97, "contract_date": "2024-03-01"}
]$$) AS s_spf \gset
SELECT status, rows_total, rows_accepted, rows_rejected, errors, unknown_fields
  FROM taxshare.submission WHERE id = :s_spf;
SELECT row_no, field, code, message FROM taxshare.record_error WHERE submission_id = :s_spf
 ORDER BY row_no, code, field;
SELECT row_no, payload FROM taxshare.record WHERE submission_id = :s_spf AND status = 'accepted' ORDER BY row_no;

-- The report for the unit's liaison
SELECT status, current, rows_total, rows_accepted, rows_rejected, severity, code, field, rows, first_rows, example
  FROM taxshare.submission_report WHERE submission_id = :s_spf ORDER BY severity, code, field;

-- Rectification: a resubmission for the same item, unit and period supersedes
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-01', $$[
  {"contract_no": "HT0001", "seller_uscc": "91350100M000100Y43", "price": 100, "sign_date": "2024-03-05",
   "seller_name": "华湘置业（衡阳）有限责任公司", "buyer_type": "个人", "buyer_idcard": "430405198503121235"},
  {"contract_no": "HT0002", "seller_uscc": "91350100M000100Y43", "price": 200, "sign_date": "2024-03-06"}
]$$) AS s_fix \gset
SELECT id = :s_spf AS first, status, superseded_by = :s_fix AS superseded_by_fix, superseded_by IS NULL AS current
  FROM taxshare.submission WHERE id IN (:s_spf, :s_fix) ORDER BY id;
SELECT row_no, payload ->> 'contract_no' AS contract_no, payload ->> 'price' AS price
  FROM taxshare.current_record WHERE item_code = 'TI-SPF' ORDER BY row_no;
-- the superseded records stay in history
SELECT count(*) AS history FROM taxshare.record WHERE submission_id = :s_spf;
SELECT role, uscc, idcard, name, name_normalized FROM taxshare.record_party_key
 WHERE item_code = 'TI-SPF' ORDER BY record_id, role;
-- the typed view for BI tools shows the current records only
SELECT taxshare.catalog_view_create('TI-SPF');
SELECT contract_no, seller_uscc, price, sign_date, _unit_code, _period_start FROM taxshare.item_ti_spf ORDER BY contract_no;

-- A period with nothing to report: zero rows is an accepted, empty report
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-04-01', '[]') AS s_empty \gset
SELECT status, rows_total, errors FROM taxshare.submission WHERE id = :s_empty;
-- all rows wrong: rejected
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-05-01', '[{"contract_no": "HT0009"}]') AS s_rej \gset
SELECT status, rows_total, rows_rejected FROM taxshare.submission WHERE id = :s_rej;

-- Periods must start a period of the item's frequency
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-02', '[]');
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', 'infinity', '[]');
SELECT taxshare.catalog_define(jsonb_set(jsonb_set(definition, '{code}', to_jsonb('TI-F-' || f)), '{frequency}', to_jsonb(f)))
  FROM taxshare.catalog_item, unnest(ARRAY['realtime', 'daily', 'weekly', 'quarterly', 'semiannual', 'annual', 'adhoc']) f
 WHERE code = 'TI-SPF';
CREATE TEMP TABLE periods AS
SELECT f, d, taxshare.submit('TI-F-' || f, 'TI_ZJJ', d::date, '[]') AS id
  FROM (VALUES ('weekly', '2024-03-04'), ('quarterly', '2024-04-01'), ('semiannual', '2024-07-01'),
               ('annual', '2024-01-01'), ('daily', '2024-03-09'), ('realtime', '2024-03-09'),
               ('adhoc', '2024-03-09')) x(f, d);
SELECT p.f, s.period_start, s.period_end, s.status, s.additive
  FROM periods p JOIN taxshare.submission s ON s.id = p.id ORDER BY p.f;
SELECT taxshare.submit('TI-F-weekly', 'TI_ZJJ', '2024-03-05', '[]');
SELECT taxshare.submit('TI-F-quarterly', 'TI_ZJJ', '2024-02-01', '[]');
SELECT taxshare.submit('TI-F-semiannual', 'TI_ZJJ', '2024-04-01', '[]');
SELECT taxshare.submit('TI-F-annual', 'TI_ZJJ', '2024-02-01', '[]');
-- realtime and adhoc submissions add up; the others replace each other
SELECT taxshare.submit('TI-F-realtime', 'TI_ZJJ', '2024-03-09', '[]') IS NOT NULL AS again;
SELECT taxshare.submit('TI-F-daily', 'TI_ZJJ', '2024-03-09', '[]') IS NOT NULL AS again;
SELECT item_code, count(*) FILTER (WHERE superseded_by IS NULL) AS current, count(*) AS submissions
  FROM taxshare.submission WHERE item_code IN ('TI-F-realtime', 'TI-F-daily') GROUP BY item_code ORDER BY item_code;

-- Who may submit what
SELECT taxshare.submit('TI-SPF', 'TI_SCJ', '2024-03-01', '[]');
SELECT taxshare.submit('TI-NONE', 'TI_ZJJ', '2024-03-01', '[]');
SELECT taxshare.submit('TI-SPF', 'TI_NONE', '2024-03-01', '[]');
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-01', '{"contract_no": "HT0001"}');
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-01', '"HT0001"');
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-01', NULL);
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-01', '[]', channel => 'fax');
SELECT taxshare.submit('TI-SPF', 'TI_ZJJ', '2024-03-01', '[{]');

-- The inbox: COPY (one statement, one submission per item/unit/period) ...
COPY taxshare.inbox (item, unit, period_start, payload, received_at_exchange) FROM stdin;
TI-SPF	TI_ZJJ	2024-06-01	{"contract_no": "HT0101", "seller_uscc": "91350100M000100Y43", "price": "1,000", "sign_date": "2024/6/3"}	2024-06-05 10:00:00+08
TI-SPF	TI_ZJJ	2024-06-01	{"contract_no": "HT0102", "seller_uscc": "91350100M000100Y43", "price": 2000, "sign_date": "2024年6月4日"}	\N
TI-SPF	TI_ZJJ	2024-06-01	{"contract_no": "HT0102", "seller_uscc": "91350100M000100Y43", "price": 3000, "sign_date": "20240605"}	\N
TI-SPF	TI_ZJJ	2024-07-01	{"contract_no": "HT0201", "seller_uscc": "bad", "sign_date": "2024-07-01"}	\N
TI-SPF	TI_ZJJ	2024-06-01	\N	\N
\.
SELECT period_start, channel, status, rows_total, rows_accepted, rows_rejected, received_at_exchange
  FROM taxshare.submission WHERE item_code = 'TI-SPF' AND channel = 'inbox' ORDER BY period_start;
SELECT s.period_start, e.row_no, e.field, e.code FROM taxshare.record_error e
  JOIN taxshare.submission s ON s.id = e.submission_id
 WHERE s.item_code = 'TI-SPF' AND s.channel = 'inbox' ORDER BY s.period_start, e.row_no, e.code;
SELECT count(*) AS kept_in_inbox FROM taxshare.inbox;
-- ... and INSERT; a later statement for the same key supersedes the earlier
INSERT INTO taxshare.inbox (item, unit, period_start, payload)
SELECT 'TI-SPF', 'TI_ZJJ', '2024-06-01', jsonb_build_object('contract_no', 'HT' || (1000 + g),
         'seller_uscc', '91350100M000100Y43', 'price', g * 100, 'sign_date', '2024-06-10')
  FROM generate_series(1, 300) g;
SELECT channel, status, rows_total, rows_accepted, superseded_by IS NULL AS current
  FROM taxshare.submission WHERE item_code = 'TI-SPF' AND period_start = '2024-06-01' ORDER BY id;
SELECT count(*), sum((payload ->> 'price')::numeric) FROM taxshare.current_record
 WHERE item_code = 'TI-SPF' AND period_start = '2024-06-01';
-- an inbox row without its key columns is refused, and nothing of its statement stays
INSERT INTO taxshare.inbox (item, unit, period_start, payload) VALUES
  ('TI-SPF', 'TI_ZJJ', '2024-08-01', '{}'), (NULL, 'TI_ZJJ', '2024-08-01', '{}');
INSERT INTO taxshare.inbox (item, unit, period_start, payload) VALUES ('TI-SPF', 'TI_ZJJ', '2024-08-02', '{}');
SELECT count(*) AS august FROM taxshare.submission WHERE item_code = 'TI-SPF' AND period_start >= '2024-08-01';
