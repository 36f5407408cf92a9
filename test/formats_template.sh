#!/usr/bin/env bash
# test/formats_template.sh: the templates of template_xlsx() as real clients see
# them (docs/exchange.md; issue #15, "Real clients").
#
# Against a running cluster where taxshare is installed (connection from the
# usual PGHOST, PGPORT, PGUSER; a superuser): installs the starter pack and an
# item with a field of every type, writes the template of EVERY item, and
#   - reads each with openpyxl (test/fixtures/exchange/describe_template.py):
#     sheets, header titles, hidden name row, frozen header, each column's
#     number format (identifiers '@'), data validation (list values, date,
#     decimal, whole, text length), required marks, widths, the hidden sheet
#     _taxshare, all compared with what the catalog says (the SQL below);
#   - opens each in LibreOffice (headless, a private profile): renders it to
#     PDF and re-saves it as xlsx; the re-saved copy must describe the same
#     (but for the frozen panes, which a conversion without a window drops);
#   - fills the property-sales template as a liaison would
#     (test/fixtures/exchange/fill_template.py), re-saves the filled file in
#     LibreOffice and checks that the 18-digit code with a leading zero is
#     still that text in both.
#   - uploads both filled files through submit_xlsx(): each imports alike,
#     the good rows accepted with the code intact, the empty required cell
#     named by row and column letter.
# Prints TAP; exits non-zero on a failure.
# PG_BIN may name the directory of psql; PYTHON the Debian python3 with
# python3-openpyxl; SOFFICE LibreOffice's soffice; TAXSHARE_TEMPLATE_OUT a
# directory to keep the files in.
set -euo pipefail

bin=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -At)
python=${PYTHON:-/usr/bin/python3}
soffice=${SOFFICE:-soffice}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixtures=$here/fixtures/exchange
db=taxshare_formats_template
tmp=$(mktemp -d)
# TAXSHARE_TEMPLATE_OUT=dir keeps the templates, LibreOffice's copies and the
# filled files there (for the import test, or to look at them).
keep() {
	if [ -n "${TAXSHARE_TEMPLATE_OUT:-}" ]; then
		mkdir -p "$TAXSHARE_TEMPLATE_OUT"
		cp -r "$tmp/xlsx" "$tmp/lo" "$tmp/pdf" "$tmp/filled" "$tmp/filled-lo" "$TAXSHARE_TEMPLATE_OUT/" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	"$bin/dropdb" --if-exists "$db" 2>/dev/null || true
}
trap keep EXIT

source "$here/lib/tap.sh"

"$bin/dropdb" --if-exists "$db" 2>/dev/null
"$bin/createdb" "$db"
"${psql[@]}" -d "$db" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION taxshare;
SELECT count(*) FROM taxshare.starter_pack_install() \g /dev/null
SELECT taxshare.unit_contact_set('ZJJ', 'liaison', '李四', '0734-8888888') \g /dev/null
-- Every field type, a long enum (a range on the hidden sheet _lists), an enum
-- value with a comma (likewise), text lengths, ranges.
SELECT taxshare.catalog_define(jsonb_build_object(
  'code', 'FT-ALL', 'title', '全部类型测试', 'provider', 'ZJJ', 'frequency', 'quarterly',
  'schema', jsonb_build_object('primaryKey', 'code', 'fields', jsonb_build_array(
    jsonb_build_object('name', 'code', 'title', '编号', 'type', 'string',
                       'constraints', jsonb_build_object('minLength', 4, 'maxLength', 20)),
    jsonb_build_object('name', 'kind', 'title', '行业类别', 'type', 'string',
                       'constraints', jsonb_build_object('enum',
                         (SELECT jsonb_agg(format('行业类别第%s号', i)) FROM generate_series(1, 40) i))),
    jsonb_build_object('name', 'note', 'title', '备注选项', 'type', 'string',
                       'constraints', jsonb_build_object('enum', jsonb_build_array('是,已核实', '否'))),
    jsonb_build_object('name', 'flag', 'title', '是否首套', 'type', 'boolean'),
    jsonb_build_object('name', 'org', 'title', '组织机构代码', 'type', 'orgcode'),
    jsonb_build_object('name', 'region', 'title', '行政区划', 'type', 'division'),
    jsonb_build_object('name', 'phone', 'title', '联系电话', 'type', 'phone'),
    jsonb_build_object('name', 'idno', 'title', '身份证号码', 'type', 'idcard',
                       'constraints', jsonb_build_object('required', true)),
    jsonb_build_object('name', 'at', 'title', '登记时间', 'type', 'datetime'),
    jsonb_build_object('name', 'yr', 'title', '所属年度', 'type', 'year'),
    jsonb_build_object('name', 'ym', 'title', '所属期', 'type', 'yearmonth'),
    jsonb_build_object('name', 'n', 'title', '人数', 'type', 'integer',
                       'constraints', jsonb_build_object('minimum', 0, 'maximum', 100000)),
    jsonb_build_object('name', 'day', 'title', '日期', 'type', 'date',
                       'constraints', jsonb_build_object('minimum', '2020-01-01')),
    jsonb_build_object('name', 'amt', 'title', '金额(元)', 'type', 'amount')))))
  \g /dev/null
SQL

# What the catalog says each template holds, in describe_template.py's lines.
"${psql[@]}" -d "$db" -c "SELECT code FROM taxshare.catalog_item_current ORDER BY code" >"$tmp/items"
items=$(wc -l <"$tmp/items")
# The starter pack's items, counted in its install part (an independent count).
pack=$(grep -o '"code": *"[A-Z][A-Z0-9-]*"' "$here/../control/install/76_starter_pack.sql" | sort -u | wc -l)
check "the starter pack's items and FT-ALL are defined ($((pack + 1)) items)" "$items" "$((pack + 1))"

expected() {
	"${psql[@]}" -d "$db" -v item="$1" -v view="$2" <<'SQL'
WITH i AS (SELECT * FROM taxshare.catalog_item_current WHERE code = :'item'),
f AS (
  SELECT f.*, f.required OR f.name = ANY (i.primary_key) AS req,
         row_number() OVER (ORDER BY f.position) AS n
    FROM i JOIN taxshare.catalog_field f ON f.item_code = i.code AND f.item_version = i.version),
lists AS (SELECT count(*) FILTER (WHERE f.enum IS NOT NULL AND (
            octet_length(array_to_string(f.enum, ',')) > 255 OR array_to_string(f.enum, '') ~ '[,"]')) AS n FROM f)
SELECT 'sheets 数据:visible 说明:visible' || CASE WHEN lists.n > 0 THEN ' _lists:hidden' ELSE '' END
       || ' _taxshare:hidden' FROM lists
UNION ALL
SELECT format('meta item_code=%s item_version=%s checksum=%s', i.code, i.version,
              taxshare.template_checksum(i.code, i.version)) FROM i
UNION ALL
SELECT 'meta names_row=2 data_row=3'
UNION ALL
SELECT 'layout row2=hidden' || CASE WHEN :'view' = 'view' THEN ' freeze=A3' ELSE '' END
UNION ALL
(SELECT format('col %s|%s|%s|%s|%s|%s',
               CASE WHEN n <= 26 THEN chr(64 + n::int) ELSE chr(64 + ((n - 1) / 26)::int) || chr(65 + ((n - 1) % 26)::int) END,
               f.title, f.name,
               CASE f.type WHEN 'date' THEN 'date' WHEN 'datetime' THEN 'datetime' WHEN 'amount' THEN 'amount'
                           WHEN 'integer' THEN 'integer' WHEN 'year' THEN 'integer' WHEN 'number' THEN 'number'
                           ELSE 'text' END,
               CASE WHEN f.enum IS NOT NULL THEN 'list:' || array_to_string(f.enum, ',')
                    WHEN f.type = 'boolean' THEN 'list:是,否'
                    WHEN f.type = 'date' THEN 'date'
                    WHEN f.type IN ('amount', 'number') THEN 'decimal'
                    WHEN f.type IN ('integer', 'year') THEN 'whole'
                    WHEN f.type = 'uscc' THEN 'length:18-18'
                    WHEN f.type = 'idcard' THEN 'length:15-18'
                    WHEN f.type = 'orgcode' THEN 'length:9-10'
                    WHEN f.type = 'division' THEN 'length:6-6'
                    WHEN f.type IN ('string', 'yearmonth') AND (f.min_length IS NOT NULL OR f.max_length IS NOT NULL)
                      THEN format('length:%s-%s', coalesce(f.min_length, 0), coalesce(f.max_length, 32767))
                    ELSE 'any' END,
               CASE WHEN f.req THEN 'required' ELSE '-' END)
   FROM f ORDER BY f.n)
UNION ALL
SELECT 'widths ok'
SQL
}

mkdir -p "$tmp/xlsx" "$tmp/pdf" "$tmp/lo" "$tmp/profile"
while read -r item; do
	echo "SELECT translate(encode(taxshare.template_xlsx(code, provider), 'base64'), E'\n', '')
	        FROM taxshare.catalog_item_current WHERE code = :'item'" |
		"${psql[@]}" -d "$db" -v item="$item" | base64 -d >"$tmp/xlsx/$item.xlsx"
	expected "$item" view >"$tmp/$item.expected"
	expected "$item" noview >"$tmp/$item.expected-lo"
	"$python" "$fixtures/describe_template.py" "$tmp/xlsx/$item.xlsx" >"$tmp/$item.got" 2>&1 || true
	check_same "$item: openpyxl reads the template the catalog describes" "$tmp/$item.got" "$tmp/$item.expected"
done <"$tmp/items"
check "FT-ALL: a long drop-down list is a range on the hidden sheet _lists" \
	"$("$python" -c 'import sys, openpyxl; ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(sorted(d.formula1 for d in ws.data_validations.dataValidation if d.type == "list" and d.formula1.startswith("_lists")))' "$tmp/xlsx/FT-ALL.xlsx")" \
	"['_lists!\$A\$2:\$A\$41', '_lists!\$B\$2:\$B\$3']"

# LibreOffice: every template renders to PDF and is re-saved as xlsx, one
# process for all (a private profile, so no user's settings or lock apply).
lo=("$soffice" "-env:UserInstallation=file://$tmp/profile" --headless --norestore)
"${lo[@]}" --convert-to pdf --outdir "$tmp/pdf" "$tmp"/xlsx/*.xlsx >"$tmp/lo-pdf.log" 2>&1 || true
"${lo[@]}" --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$tmp/lo" "$tmp"/xlsx/*.xlsx >"$tmp/lo-xlsx.log" 2>&1 || true
while read -r item; do
	pdf=$tmp/pdf/$item.pdf
	check "$item: LibreOffice renders the template to a PDF" \
		"$([ -s "$pdf" ] && [ "$(head -c 5 "$pdf")" = "%PDF-" ] && [ "$(stat -c %s "$pdf")" -gt 1000 ] && echo yes || echo "no (see $(tail -1 "$tmp/lo-pdf.log"))")" "yes"
	"$python" "$fixtures/describe_template.py" "$tmp/lo/$item.xlsx" --no-view >"$tmp/$item.got-lo" 2>&1 || true
	check_same "$item: the copy LibreOffice re-saved keeps sheets, titles, formats, validations, _taxshare" \
		"$tmp/$item.got-lo" "$tmp/$item.expected-lo"
done <"$tmp/items"

# A liaison fills the property-sales template; LibreOffice re-saves the filled file.
mkdir -p "$tmp/filled" "$tmp/filled-lo"
"$python" "$fixtures/fill_template.py" "$tmp/xlsx/ZJ-SPF-001.xlsx" "$tmp/filled/ZJ-SPF-001.xlsx" >"$tmp/fill.log" 2>&1 || true
check "fill_template.py fills 3 records and leaves one required cell empty" \
	"$(grep -E '^(rows|empty)' "$tmp/fill.log" | tr '\n' ' ')" "rows 3 empty D4 seller_name "
uscc=$(awk '$1 == "value" && $3 == "seller_uscc" {print $4}' "$tmp/fill.log")
check "the filled code is 18 digits with a leading zero" "$(printf '%s' "$uscc" | grep -cE '^0[0-9]{17}$' || true)" "1"
"${lo[@]}" --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$tmp/filled-lo" "$tmp/filled/ZJ-SPF-001.xlsx" >"$tmp/lo-filled.log" 2>&1 || true
cells='import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(repr(ws["C3"].value), repr(ws["D4"].value), ws["L3"].is_date, ws["K3"].number_format.replace("\\", ""), repr(ws["I3"].value))'
want="'$uscc' None True #,##0.00 '住宅'"
check "openpyxl's filled file: the code is text, D4 empty, a date cell, an amount, a drop-down value" \
	"$("$python" -c "$cells" "$tmp/filled/ZJ-SPF-001.xlsx" 2>&1)" "$want"
check "LibreOffice's re-saved filled file keeps the code as text (identifiers intact)" \
	"$("$python" -c "$cells" "$tmp/filled-lo/ZJ-SPF-001.xlsx" 2>&1)" "$want"

# The filled files go back in through submit_xlsx(), as the liaison uploads
# them: the one openpyxl wrote and LibreOffice's re-save (its own shared
# strings, styles and dates) must import alike: the good rows accepted with
# their codes intact, the empty required cell named by row and column letter.
for kind in filled filled-lo; do
	got=$("${psql[@]}" -d "$db" -v f="$(base64 -w0 "$tmp/$kind/ZJ-SPF-001.xlsx")" <<'SQL'
SET client_min_messages = warning;
SELECT taxshare.submit_xlsx('ZJ-SPF-001', 'ZJJ', '2026-10-01', decode(:'f', 'base64')) AS id \gset
SELECT rows_total || ' rows, ' || rows_accepted || ' accepted, ' || rows_rejected || ' rejected'
  FROM taxshare.submission WHERE id = :id;
SELECT string_agg(cell || ' ' || field || ' ' || split_part(message, ':', 1), '; ' ORDER BY row_no)
  FROM taxshare.record_error WHERE submission_id = :id;
SELECT payload ->> 'seller_uscc' FROM taxshare.record WHERE submission_id = :id AND row_no = 1;
SQL
	)
	check "submit_xlsx() of the $kind file: the good rows in, D4 named (第 4 行 D 列), the code with its leading zero" \
		"$got" "$(printf '3 rows, 2 accepted, 1 rejected\nD4 seller_name 第 4 行 D 列\n%s' "$uscc")"
done

tap_done
