-- pgTAP tests of submit_xlsx(): workbooks written by openpyxl, pandas and
-- xlsxwriter (test/fixtures/exchange/, README.md there), the template's hidden
-- sheet, cells in errors, the kept file, and hostile or broken workbooks, each
-- refused with its SQLSTATE and nothing written.  Codes start with FX.
BEGIN;
SELECT plan(44);
SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

\set fx 'test/fixtures/exchange/'
\set openpyxl `base64 -w0 test/fixtures/exchange/openpyxl.xlsx`
\set openpyxl1904 `base64 -w0 test/fixtures/exchange/openpyxl_1904.xlsx`
\set xlsxwriter `base64 -w0 test/fixtures/exchange/xlsxwriter.xlsx`
\set pandas `base64 -w0 test/fixtures/exchange/pandas.xlsx`
\set template_v1 `base64 -w0 test/fixtures/exchange/template_v1.xlsx`
\set template_other `base64 -w0 test/fixtures/exchange/template_other_item.xlsx`
\set formula `base64 -w0 test/fixtures/exchange/formula.xlsx`
\set bomb `base64 -w0 test/fixtures/exchange/bomb.xlsx`
\set dotdot `base64 -w0 test/fixtures/exchange/dotdot.xlsx`
\set xxe `base64 -w0 test/fixtures/exchange/xxe.xlsx`
\set laughs `base64 -w0 test/fixtures/exchange/laughs.xlsx`
\set truncated `base64 -w0 test/fixtures/exchange/truncated.xlsx`
\set biff `base64 -w0 test/fixtures/exchange/biff.xls`
\set encrypted `base64 -w0 test/fixtures/exchange/encrypted.xlsx`
\set sst_millions `base64 -w0 test/fixtures/exchange/sst_millions.xlsx`
\set big_cell `base64 -w0 test/fixtures/exchange/big_cell.xlsx`
\set libreoffice `base64 -w0 test/fixtures/exchange/libreoffice.xlsx`

SELECT has_function('taxshare', 'submit_xlsx', ARRAY['text', 'text', 'date', 'bytea', 'text'],
                    'submit_xlsx(item_code, unit, period_start, workbook, client_ref)');
SELECT has_column('taxshare', 'record_error', 'cell', 'record_error.cell');
SELECT has_table('taxshare', 'submission_file', 'table taxshare.submission_file');

INSERT INTO taxshare.unit (code, name, kind) VALUES ('FX_U', '文件测试单位', 'department');
SELECT is(taxshare.catalog_define($${"code": "FX-1", "title": "文件报送测试", "provider": "FX_U", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
    {"name": "name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "金额", "type": "amount"},
    {"name": "paid_on", "title": "缴款日期", "type": "date"},
    {"name": "count", "title": "户数", "type": "integer"}]}}$$), 1, 'the test item FX-1');

-- openpyxl: inline strings, numbers, dates in the 1900 system, an empty row
CREATE TEMP TABLE s AS SELECT 'openpyxl'::text AS f,
  taxshare.submit_xlsx('FX-1', 'FX_U', '2024-01-01', decode(:'openpyxl', 'base64')) AS id;
SELECT results_eq($$SELECT status, rows_total, rows_accepted, rows_rejected, channel FROM taxshare.submission
                     WHERE id = (SELECT id FROM s WHERE f = 'openpyxl')$$,
                  $$VALUES ('accepted_with_errors'::text, 4::bigint, 2::bigint, 2::bigint, 'xlsx'::text)$$,
                  'openpyxl: four data rows (the empty row skipped), two with errors');
SELECT results_eq($$SELECT row_no, field, code, cell FROM taxshare.record_error
                     WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl') ORDER BY row_no$$,
                  $$VALUES (2, 'uscc'::text, 'uscc'::text, 'A3'::text), (3, 'name', 'required', 'B4')$$,
                  'errors: row_no is the data row, cell the sheet''s cell');
SELECT alike((SELECT message FROM taxshare.record_error
              WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl') AND row_no = 3),
            'row 4, column B: %', 'the message names the row and column');
SELECT is((SELECT payload FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl') AND row_no = 1),
          '{"uscc": "91350100M000100Y43", "name": "衡阳华湘有限公司", "amount": 1234.50, "paid_on": "2024-03-05", "count": 3}'::jsonb,
          'openpyxl: a row typed as submit() types it (a date cell as its date)');
SELECT is((SELECT payload ->> 'amount' FROM taxshare.record
            WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl') AND row_no = 3),
          '99.99', 'a double written out in full (99.98999999999999) is read with 15 digits');
SELECT is((SELECT payload ->> 'paid_on' FROM taxshare.record
            WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl') AND row_no = 4),
          '2024-03-08', 'the row after the empty row');
SELECT is((SELECT raw FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl') AND row_no = 2),
          '{"uscc": "91430400MA4L0XXX0X", "name": "坏代码公司", "amount": "10", "paid_on": "2024-03-06", "count": "1"}'::jsonb,
          'a rejected row keeps its cells as read, keyed by field');

-- the file is kept
SELECT results_eq($$SELECT channel, size, sha256 = sha256(content) FROM taxshare.submission_file
                     WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl')$$,
                  format($$VALUES ('xlsx'::text, %s::bigint, true)$$, length(decode(:'openpyxl', 'base64'))),
                  'the workbook is kept with its size and SHA-256');
SELECT is((SELECT content FROM taxshare.submission_file WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl')),
          decode(:'openpyxl', 'base64'), 'byte for byte');

-- 1904 date system: the same dates
INSERT INTO s SELECT 'openpyxl1904', taxshare.submit_xlsx('FX-1', 'FX_U', '2024-02-01', decode(:'openpyxl1904', 'base64'));
SELECT is((SELECT string_agg(payload ->> 'paid_on', ',' ORDER BY row_no) FROM taxshare.record
            WHERE submission_id = (SELECT id FROM s WHERE f = 'openpyxl1904')),
          '2024-03-05,2024-03-06,2024-03-07,2024-03-08', 'a workbook in the 1904 date system gives the same dates');

-- xlsxwriter: shared strings, a custom date format (yyyy"年"m"月"d"日"), a formula with its value,
-- a boolean beyond the header (an unknown column, named by its letter)
INSERT INTO s SELECT 'xlsxwriter', taxshare.submit_xlsx('FX-1', 'FX_U', '2024-03-01', decode(:'xlsxwriter', 'base64'));
SELECT is((SELECT payload FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'xlsxwriter') AND row_no = 1),
          '{"uscc": "91350100M000100Y43", "name": "衡阳华湘有限公司", "amount": 1234.50, "paid_on": "2024-03-05", "count": 3}'::jsonb,
          'xlsxwriter: the same row as openpyxl''s');
SELECT is((SELECT payload ->> 'amount' FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'xlsxwriter') AND row_no = 4),
          '1244.50', 'a formula gives its cached value');
SELECT is((SELECT unknown_fields FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'xlsxwriter')),
          '{"F": 1}'::jsonb, 'a cell beyond the header is an unknown key, counted as submit() counts one');
SELECT results_eq($$SELECT row_no, cell FROM taxshare.record_error WHERE submission_id = (SELECT id FROM s WHERE f = 'xlsxwriter') ORDER BY row_no$$,
                  $$VALUES (2, 'A3'::text), (3, 'B4')$$, 'xlsxwriter: the same cells in error');

-- pandas: field names as the header, an unknown column
INSERT INTO s SELECT 'pandas', taxshare.submit_xlsx('FX-1', 'FX_U', '2024-04-01', decode(:'pandas', 'base64'));
SELECT results_eq($$SELECT status, rows_accepted, unknown_fields FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'pandas')$$,
                  $$VALUES ('accepted'::text, 2::bigint, '{"note": 1}'::jsonb)$$,
                  'pandas: headers matched by field name; the unknown column counted where it has a value');
SELECT is((SELECT payload ->> 'amount' FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'pandas') AND row_no = 2),
          '2.50', 'pandas: amounts');

-- LibreOffice (soffice --headless --convert-to xlsx of a CSV): its own shared strings and styles
INSERT INTO s SELECT 'libreoffice', taxshare.submit_xlsx('FX-1', 'FX_U', '2024-05-01', decode(:'libreoffice', 'base64'));
SELECT results_eq($$SELECT status, rows_total, rows_accepted FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'libreoffice')$$,
                  $$VALUES ('accepted_with_errors'::text, 3::bigint, 2::bigint)$$, 'LibreOffice: three rows, one refused');
SELECT is((SELECT payload ->> 'uscc' FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'libreoffice') AND row_no = 1),
          '91350100M000100Y43', 'LibreOffice: an 18-character identifier intact');
SELECT is((SELECT payload ->> 'paid_on' FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'libreoffice') AND row_no = 1),
          '2024-03-05', 'LibreOffice: a date it recognised in the CSV is read as a date');

-- supersession: the same item, unit and period again
INSERT INTO s SELECT 'again', taxshare.submit_xlsx('FX-1', 'FX_U', '2024-01-01', decode(:'xlsxwriter', 'base64'));
SELECT is((SELECT superseded_by FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'openpyxl')),
          (SELECT id FROM s WHERE f = 'again'), 'a second upload for the period supersedes the first');

-- the template's hidden sheet: item and version
INSERT INTO s SELECT 'template_v1', taxshare.submit_xlsx('FX-1', 'FX_U', '2024-06-01', decode(:'template_v1', 'base64'));
SELECT is((SELECT rows_total FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'template_v1')),
          4::bigint, 'a workbook naming the current version (1) is read');
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-06-01', %L)$$, decode(:'template_other', 'base64')),
                 '22023', 'the workbook is the template of item FX-2, not of item FX-1',
                 'a workbook of another item is refused');
SELECT is(taxshare.catalog_define($${"code": "FX-1", "title": "文件报送测试", "provider": "FX_U", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
    {"name": "name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "金额", "type": "amount", "constraints": {"minimum": 0}},
    {"name": "paid_on", "title": "缴款日期", "type": "date"},
    {"name": "count", "title": "户数", "type": "integer"}]}}$$), 2, 'version 2: a new constraint, the same fields');
INSERT INTO s SELECT 'template_v1_on_v2', taxshare.submit_xlsx('FX-1', 'FX_U', '2024-06-01', decode(:'template_v1', 'base64'));
SELECT is((SELECT item_version FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'template_v1_on_v2')),
          2, 'a version-1 workbook is read against version 2 when their fields agree');
SELECT is(taxshare.catalog_define($${"code": "FX-1", "title": "文件报送测试", "provider": "FX_U", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
    {"name": "name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "金额", "type": "amount"},
    {"name": "paid_on", "title": "缴款日期", "type": "date"},
    {"name": "count", "title": "户数", "type": "integer"},
    {"name": "region", "title": "区划", "type": "division"}]}}$$), 3, 'version 3: a field more');
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-06-01', %L)$$, decode(:'template_v1', 'base64')),
                 '22023', 'the workbook was filled against version 1 of item FX-1, whose fields differ from the current version 3',
                 'a workbook of an older version whose fields differ is refused, naming its version');
SELECT lives_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-06-01', %L)$$, decode(:'openpyxl', 'base64')),
                'a workbook without the hidden sheet is read by its header');

-- formulas without a value
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-07-01', %L)$$, decode(:'formula', 'base64')),
                 '22023', 'cell C6 holds a formula without a computed value',
                 'a formula saved without its value (openpyxl) is refused, naming its cell');

-- hostile and broken workbooks: a SQLSTATE, the offending value, nothing written
CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM taxshare.submission) AS subs,
                                   (SELECT count(*) FROM taxshare.record) AS recs;
SELECT throws_like(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'bomb', 'base64')),
                   '%part "xl/worksheets/sheet1.xml" of the workbook is compressed % times, more than 100',
                   'a zip bomb is refused by the compression ratio (taxshare.xlsx_max_ratio)');
SET LOCAL taxshare.xlsx_max_ratio = 100000;
SET LOCAL taxshare.xlsx_max_uncompressed = '16MB';
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'bomb', 'base64')),
                 '54000', 'the workbook decompresses to more than 16777216 bytes (part "xl/worksheets/sheet1.xml")',
                 '... and by its uncompressed size (taxshare.xlsx_max_uncompressed)');
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'big_cell', 'base64')),
                 '54000', 'a value in part "xl/sharedStrings.xml" of the workbook holds more than 1048576 bytes',
                 'a shared string of 10 MB is refused');
RESET taxshare.xlsx_max_uncompressed;
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'sst_millions', 'base64')),
                 '54000', 'the shared-string table of the workbook is too large (count: more than 2000000)',
                 'a shared-string table of 3 million entries is refused');
RESET taxshare.xlsx_max_ratio;
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'dotdot', 'base64')),
                 '22023', 'the workbook holds a part named "../../evil.txt", outside the workbook',
                 'an entry named ../ is refused');
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'xxe', 'base64')),
                 '2200M', 'the workbook holds an XML document type declaration (DOCTYPE or ENTITY)',
                 'an external entity (XXE) in the sheet is refused');
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'laughs', 'base64')),
                 '2200M', 'the workbook holds an XML document type declaration (DOCTYPE or ENTITY)',
                 'billion laughs in the shared strings are refused');
SELECT throws_like(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'truncated', 'base64')),
                   'the workbook is damaged or truncated: %', 'a truncated workbook is refused');
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'biff', 'base64')),
                 '22023', 'the workbook is an Excel 97-2003 (.xls) or WPS (.et) workbook, not .xlsx',
                 'an .xls (OLE2) is named as such');
SELECT throws_ok(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, decode(:'encrypted', 'base64')),
                 '22023', 'the workbook is password-protected or encrypted',
                 'a password-protected workbook is refused');
SELECT throws_like(format($$SELECT taxshare.submit_xlsx('FX-1', 'FX_U', '2024-08-01', %L)$$, convert_to('uscc,name', 'UTF8')),
                   'the workbook is not an .xlsx workbook (it starts with "uscc,nam")',
                   'a CSV sent as a workbook is refused');
SELECT results_eq($$SELECT (SELECT count(*) FROM taxshare.submission), (SELECT count(*) FROM taxshare.record)$$,
                  $$SELECT subs, recs FROM before$$, 'nothing was written by the refused files');

SELECT * FROM finish();
ROLLBACK;
