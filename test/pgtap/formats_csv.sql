-- pgTAP tests of submit_csv(): GBK written by Python's gbk codec, UTF-8 with a
-- byte-order mark, GB18030, quoted fields, detection and naming of the
-- encoding, and broken files (test/fixtures/exchange/, README.md there).
-- Codes start with FC.
BEGIN;
SELECT plan(19);
SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = zh;

\set gbk `base64 -w0 test/fixtures/exchange/gbk.csv`
\set utf8_bom `base64 -w0 test/fixtures/exchange/utf8_bom.csv`
\set gb18030 `base64 -w0 test/fixtures/exchange/gb18030.csv`
\set bad_gbk `base64 -w0 test/fixtures/exchange/bad_utf8_gbk.csv`
\set bad_utf8 `base64 -w0 test/fixtures/exchange/bad_utf8.csv`
\set open_quote `base64 -w0 test/fixtures/exchange/open_quote.csv`

SELECT has_function('taxshare', 'submit_csv', ARRAY['text', 'text', 'date', 'bytea', 'text', 'text'],
                    'submit_csv(item_code, unit, period_start, data, encoding, client_ref)');

INSERT INTO taxshare.unit (code, name, kind) VALUES ('FC_U', 'CSV 测试单位', 'department');
SELECT is(taxshare.catalog_define($${"code": "FC-1", "title": "CSV 报送测试", "provider": "FC_U", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
    {"name": "name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "金额", "type": "amount"},
    {"name": "paid_on", "title": "缴款日期", "type": "date"},
    {"name": "count", "title": "户数", "type": "integer"}]}}$$), 1, 'the test item FC-1');

CREATE TEMP TABLE s AS SELECT 'gbk'::text AS f,
  taxshare.submit_csv('FC-1', 'FC_U', '2024-01-01', decode(:'gbk', 'base64')) AS id;
SELECT results_eq($$SELECT status, rows_total, rows_accepted, channel FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'gbk')$$,
                  $$VALUES ('accepted_with_errors'::text, 3::bigint, 2::bigint, 'csv'::text)$$,
                  'GBK detected: three rows, one refused');
SELECT is((SELECT payload ->> 'name' FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'gbk') AND row_no = 2),
          E'含,逗号\n和换行的"名称"', 'a quoted field keeps its comma, line break and quotes');
SELECT results_eq($$SELECT row_no, field, cell FROM taxshare.record_error WHERE submission_id = (SELECT id FROM s WHERE f = 'gbk')$$,
                  $$VALUES (3, 'uscc'::text, 'A5'::text)$$,
                  'the cell is the file''s line (the quoted line break counts) and column');
SELECT alike((SELECT message FROM taxshare.record_error WHERE submission_id = (SELECT id FROM s WHERE f = 'gbk')),
            '第 5 行 A 列: %', 'the message names the line and column (taxshare.language zh)');

INSERT INTO s SELECT 'gbk_named', taxshare.submit_csv('FC-1', 'FC_U', '2024-02-01', decode(:'gbk', 'base64'), 'GBK');
INSERT INTO s SELECT 'utf8_bom', taxshare.submit_csv('FC-1', 'FC_U', '2024-03-01', decode(:'utf8_bom', 'base64'));
SELECT is((SELECT array_agg(payload ORDER BY row_no) FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'gbk_named')),
          (SELECT array_agg(payload ORDER BY row_no) FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'gbk')),
          'GBK named or detected: the same records');
SELECT is((SELECT array_agg(payload ORDER BY row_no) FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'utf8_bom')),
          (SELECT array_agg(payload ORDER BY row_no) FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'gbk')),
          'the same file in UTF-8 with a byte-order mark: the same records');
SELECT is((SELECT payload ->> 'uscc' FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'utf8_bom') AND row_no = 1),
          '91350100M000100Y43', 'the byte-order mark is not part of the first header');

INSERT INTO s SELECT 'gb18030', taxshare.submit_csv('FC-1', 'FC_U', '2024-04-01', decode(:'gb18030', 'base64'));
SELECT is((SELECT payload ->> 'name' FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'gb18030')),
          '㐀公司', 'GB18030 four-byte characters (outside GBK) are detected and converted');
SELECT throws_like(format($$SELECT taxshare.submit_csv('FC-1', 'FC_U', '2024-04-01', %L, 'GBK')$$, decode(:'gb18030', 'base64')),
                   'line 2 of the CSV file holds bytes that are not GBK: %',
                   'GB18030 named as GBK is refused');
SELECT is((SELECT content FROM taxshare.submission_file WHERE submission_id = (SELECT id FROM s WHERE f = 'gbk')),
          decode(:'gbk', 'base64'), 'the CSV file is kept as sent');

-- a header only: an empty submission; a header naming nothing: refused
INSERT INTO s SELECT 'header_only', taxshare.submit_csv('FC-1', 'FC_U', '2024-05-01', convert_to(E'uscc,name\r\n', 'UTF8'));
SELECT results_eq($$SELECT rows_total, status FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'header_only')$$,
                  $$VALUES (0::bigint, 'accepted'::text)$$, 'a header and no rows: a submission of no rows');
SELECT throws_like($$SELECT taxshare.submit_csv('FC-1', 'FC_U', '2024-05-01', convert_to(E'a,b\n1,2\n', 'UTF8'))$$,
                   'no column of the header row of the CSV file names a field of item FC-1',
                   'a header that names no field is refused');

CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM taxshare.submission) AS subs;
SELECT throws_ok(format($$SELECT taxshare.submit_csv('FC-1', 'FC_U', '2024-06-01', %L, 'GBK')$$, decode(:'bad_gbk', 'base64')),
                 '22021', 'line 2 of the CSV file holds bytes that are not GBK: 81 20 62 61',
                 'an invalid GBK sequence is refused with its line and bytes');
SELECT throws_ok(format($$SELECT taxshare.submit_csv('FC-1', 'FC_U', '2024-06-01', %L, 'UTF8')$$, decode(:'bad_utf8', 'base64')),
                 '22021', 'line 2 of the CSV file holds bytes that are not UTF8: E4 B8 0A',
                 'an invalid UTF-8 sequence is refused with its line and bytes');
SELECT throws_ok(format($$SELECT taxshare.submit_csv('FC-1', 'FC_U', '2024-06-01', %L)$$, decode(:'open_quote', 'base64')),
                 '22P04', 'line 2, field 2 of the CSV file: a quote that is never closed',
                 'a quote never closed (a truncated file) is refused');
SELECT throws_ok($$SELECT taxshare.submit_csv('FC-1', 'FC_U', '2024-06-01', '\x61'::bytea, 'LATIN1')$$,
                 '22023', 'encoding "LATIN1" is not one submit_csv reads', 'only UTF-8, GBK and GB18030');
SELECT is((SELECT count(*) FROM taxshare.submission), (SELECT subs FROM before), 'nothing was written by the refused files');

SELECT * FROM finish();
ROLLBACK;
