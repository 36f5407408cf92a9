-- pgTAP tests of error_xlsx() and of who may use the file channels: the
-- workbook given back reads as the one sent (submit_xlsx of it gives the same
-- records and the same cells in error); a unit's login submits for its own
-- unit only and gets back only its own workbooks.  Codes start with FE.
BEGIN;
SELECT plan(9);
SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = zh;

\set openpyxl `base64 -w0 test/fixtures/exchange/openpyxl.xlsx`

SELECT has_function('taxshare', 'error_xlsx', ARRAY['bigint'], 'error_xlsx(submission_id)');

INSERT INTO taxshare.unit (code, name, kind) VALUES ('FE_U', '错误测试单位', 'department'), ('FE_V', '另一单位', 'department');
SELECT is(taxshare.catalog_define($${"code": "FE-1", "title": "错误工作簿测试", "provider": "FE_U", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
    {"name": "name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "金额", "type": "amount"},
    {"name": "paid_on", "title": "缴款日期", "type": "date"},
    {"name": "count", "title": "户数", "type": "integer"}]}}$$), 1, 'the test item FE-1');

CREATE ROLE fe_unit LOGIN IN ROLE taxshare_unit;
CREATE ROLE fe_other LOGIN IN ROLE taxshare_unit;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('fe_unit', 'FE_U'), ('fe_other', 'FE_V');
CREATE TEMP TABLE s (f text, id bigint);
CREATE TEMP TABLE caught (what text, state text, message text);
CREATE TEMP TABLE wb (b bytea);
INSERT INTO wb VALUES (decode(:'openpyxl', 'base64'));
GRANT ALL ON s, caught, wb TO PUBLIC;
-- Each runs a statement as the role it is called under, keeping its SQLSTATE and message.
CREATE FUNCTION pg_temp.try(what text, stmt text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  INSERT INTO caught VALUES (what, '00000', NULL);
EXCEPTION WHEN OTHERS THEN
  INSERT INTO caught VALUES (what, SQLSTATE, SQLERRM);
END$$;

SET ROLE fe_unit;
INSERT INTO s SELECT 'sent', taxshare.submit_xlsx('FE-1', 'FE_U', '2024-01-01', (SELECT b FROM wb));
INSERT INTO s SELECT 'back', taxshare.submit_xlsx('FE-1', 'FE_U', '2024-02-01', taxshare.error_xlsx((SELECT id FROM s WHERE f = 'sent')));
RESET ROLE;
SELECT is((SELECT array_agg(payload ORDER BY row_no) FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'back')),
          (SELECT array_agg(payload ORDER BY row_no) FROM taxshare.record WHERE submission_id = (SELECT id FROM s WHERE f = 'sent')),
          'the workbook given back holds the values sent: read again, the same records');
SELECT results_eq($$SELECT row_no, cell, message FROM taxshare.record_error WHERE submission_id = (SELECT id FROM s WHERE f = 'back') ORDER BY row_no$$,
                  $$SELECT row_no, cell, message FROM taxshare.record_error WHERE submission_id = (SELECT id FROM s WHERE f = 'sent') ORDER BY row_no$$,
                  '... and the same errors at the same cells (the sheet of errors is not read as data)');
SELECT is((SELECT submitted_by FROM taxshare.submission WHERE id = (SELECT id FROM s WHERE f = 'sent')),
          'fe_unit', 'submitted_by is the unit''s login');

SET ROLE fe_other;
SELECT pg_temp.try('submit', $$SELECT taxshare.submit_xlsx('FE-1', 'FE_U', '2024-03-01', (SELECT b FROM wb))$$);
SELECT pg_temp.try('error_xlsx', format('SELECT taxshare.error_xlsx(%s)', (SELECT id FROM s WHERE f = 'sent')));
INSERT INTO caught SELECT 'file', count(*)::text, NULL FROM taxshare.submission_file WHERE submission_id = (SELECT id FROM s WHERE f = 'sent');
RESET ROLE;
SELECT is((SELECT state FROM caught WHERE what = 'submit'), '42501', 'a login of another unit may not submit for FE_U');
SELECT is((SELECT state || ' ' || message FROM caught WHERE what = 'error_xlsx'),
          format('P0002 submission %s has no uploaded workbook you may read', (SELECT id FROM s WHERE f = 'sent')),
          'nor read its workbook back (row-level security on submission_file)');
SELECT is((SELECT state FROM caught WHERE what = 'file'), '0', 'nor see the file');
SELECT throws_ok($$SELECT taxshare.error_xlsx(taxshare.submit('FE-1', 'FE_U', '2024-04-01', '[{"uscc": "x"}]'))$$,
                 'P0002', NULL, 'a submission made with submit() has no workbook to give back');

SELECT * FROM finish();
ROLLBACK;
