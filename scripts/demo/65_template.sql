-- Demo step: the Excel template of an item (docs/exchange.md).  Writes the
-- property-sales template of the housing bureau (ZJ-SPF-001, for unit ZJJ) to
-- out/template_ZJ-SPF-001.xlsx, as a liaison downloads it, and prints what it
-- holds: the instructions sheet, the columns with their rules, the CSV header.
-- Filling it and uploading it (submit_xlsx) belong to the reading side.
-- requires taxshare 0.2.0
SET client_min_messages = warning;

\echo
\echo '== 报送模板 / the Excel template of ZJ-SPF-001 (商品房网签备案信息) for ZJJ =='
\! mkdir -p out
\pset tuples_only on
\pset format unaligned
\o out/template_ZJ-SPF-001.b64
SELECT translate(encode(taxshare.template_xlsx('ZJ-SPF-001', 'ZJJ'), 'base64'), E'\n', '');
\o
\! base64 -d out/template_ZJ-SPF-001.b64 > out/template_ZJ-SPF-001.xlsx && rm out/template_ZJ-SPF-001.b64 && echo "written: out/template_ZJ-SPF-001.xlsx ($(wc -c < out/template_ZJ-SPF-001.xlsx) bytes)"
\pset tuples_only off
\pset format aligned

\echo
\echo '== 模板"说明"表 / the instructions sheet =='
SELECT label AS "项目 item", value AS "内容 value" FROM taxshare._template_info('ZJ-SPF-001', 'ZJJ');

\echo
\echo '== "数据"表的列 / the columns of the data sheet (row 1 titles, hidden row 2 names, data from row 3) =='
SELECT chr(65 + col) AS "列 col", CASE WHEN required THEN '* ' ELSE '' END || title AS "标题 title",
       name AS "字段名 name", rules_zh AS "填写规则 rules"
  FROM taxshare._template_fields('ZJ-SPF-001');

\echo
\echo '== 隐藏表 _taxshare / what the workbook says it was made from =='
SELECT code AS item_code, version AS item_version, taxshare.template_checksum(code, version) AS checksum
  FROM taxshare.catalog_item_current WHERE code = 'ZJ-SPF-001';

\echo
\echo '== CSV 表头 / template_csv(): the header line for those who prefer CSV =='
SELECT rtrim(taxshare.template_csv('ZJ-SPF-001'), E'\r\n') AS "header";
