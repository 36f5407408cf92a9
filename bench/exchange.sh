#!/usr/bin/env bash
# Benchmark: files in (docs/exchange.md).  The same N rows of the 20-field item of
# bench/intake.sql (identifiers, amounts, dates in several notations, ~6% with a
# mistake) as:
#   - a workbook (.xlsx, written by python3-xlsxwriter: shared strings, numbers)
#     through submit_xlsx(), against submit() of the same rows as one jsonb array;
#   - a GBK CSV through submit_csv(), against COPY of the same file in UTF-8
#     into an unchecked table of text columns;
# each side best of three, in the same run, and the backend's peak memory
# (VmHWM of a fresh backend) for each.  Usage, taxshare installed, PG* pointing
# at a scratch database as a superuser (pg_read_binary_file, /proc):
#   bench/exchange.sh [rows]          (default 100000)
# Prints "xlsx: ... ratio R (goal <= 1.5)", "csv: ... ratio R (goal <= 2)", "memory: ...".
set -euo pipefail
rows=${1:-100000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/taxshare_bench_exchange.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)

"${PSQL[@]}" -v rows="$rows" <<SQL >/dev/null
SET client_min_messages = warning;
SELECT setseed(0.25);
DROP TABLE IF EXISTS bench_rows, bench_batch, bench_plain_copy;
INSERT INTO taxshare.unit (code, name, kind) VALUES ('BENCH', '基准测试单位', 'department') ON CONFLICT DO NOTHING;
\set item_code BENCH-20F
\set item_title '基准: 商品房网签备案 (20 个字段)'
\set item_unit BENCH
SELECT count(*) = 0 AS need_item FROM taxshare.catalog_item WHERE code = 'BENCH-20F' \gset
\if :need_item
\ir $here/include/item_20f.psql
\endif
\ir $here/include/identifier_pools.psql
CREATE UNLOGGED TABLE bench_rows AS
SELECT i, jsonb_build_object(
         'contract_no', 'HT' || i,
         'seller_uscc', CASE WHEN i % 20 = 0 THEN left(u.code, 17) || CASE right(u.code, 1) WHEN '0' THEN '1' ELSE '0' END
                             WHEN i % 7 = 0 THEN lower(u.code) ELSE u.code END,
         'seller_name', '衡阳华湘置业有限公司',
         'buyer_idcard', CASE WHEN i % 9 = 0 THEN lower(d.code) ELSE d.code END,
         'buyer_name', '张三',
         'price', (tax + net)::text, 'tax', tax::text, 'net', net::text,
         'sign_date', CASE WHEN i % 50 = 1 THEN '' ELSE to_char(sd, 'YYYY-MM-DD') END,
         'record_date', to_char(sd + 3, 'YYYY-MM-DD'),
         'use', (ARRAY['住宅', '商业', '办公', '车位'])[i % 4 + 1],
         'district', (ARRAY['430405', '430406', '430407', '430408', '430421', '430422'])[i % 6 + 1],
         'area', round((50 + random() * 150)::numeric, 2)::text,
         'floor', (i % 33 + 1)::text,
         'address', '衡阳市蒸湘区解放大道' || (i % 500) || '号' || (i % 30 + 1) || '栋',
         'phone', CASE WHEN i % 2 = 0 THEN '138' || lpad((i % 100000000)::text, 8, '0') ELSE '0734-' || (8000000 + i % 1000000) END,
         'first_home', CASE WHEN i % 3 <> 0 THEN 'true' ELSE 'false' END,
         'built_year', (2000 + i % 24)::text,
         'agent_orgcode', o.code,
         'pay_month', to_char(sd, 'YYYY-MM')) AS row
  FROM (SELECT i, round((random() * 1e6)::numeric, 2) AS net, round((random() * 3e4)::numeric, 2) AS tax,
               date '2020-01-01' + (i % 1400) AS sd
          FROM generate_series(1, :rows) i) g
  JOIN bench_uscc u ON u.id = i % 1000
  JOIN bench_idcard d ON d.id = (i * 7) % 1000
  JOIN bench_orgcode o ON o.id = (i * 13) % 1000;
-- submit()'s argument built once, outside the measurement
CREATE UNLOGGED TABLE bench_batch AS SELECT jsonb_agg(row ORDER BY i) AS doc FROM bench_rows;
CREATE UNLOGGED TABLE bench_plain_copy (contract_no text, seller_uscc text, seller_name text, buyer_idcard text,
  buyer_name text, price text, tax text, net text, sign_date text, record_date text, use text, district text,
  area text, floor text, address text, phone text, first_home text, built_year text, agent_orgcode text, pay_month text);
\copy (SELECT row->>'contract_no', row->>'seller_uscc', row->>'seller_name', row->>'buyer_idcard', row->>'buyer_name', row->>'price', row->>'tax', row->>'net', row->>'sign_date', row->>'record_date', row->>'use', row->>'district', row->>'area', row->>'floor', row->>'address', row->>'phone', row->>'first_home', row->>'built_year', row->>'agent_orgcode', row->>'pay_month' FROM bench_rows ORDER BY i) TO '$work/rows.csv' WITH (FORMAT csv, HEADER false)
SQL

# The files: a header of the fields' names; the workbook with numbers as numbers.
/usr/bin/python3 - "$work" <<'PY'
import csv, sys, xlsxwriter
work = sys.argv[1]
names = ["contract_no", "seller_uscc", "seller_name", "buyer_idcard", "buyer_name", "price", "tax", "net",
         "sign_date", "record_date", "use", "district", "area", "floor", "address", "phone", "first_home",
         "built_year", "agent_orgcode", "pay_month"]
numeric = {"price", "tax", "net", "area", "floor", "built_year"}
wb = xlsxwriter.Workbook(work + "/rows.xlsx", {"constant_memory": True})
ws = wb.add_worksheet("数据")
ws.write_row(0, 0, names)
with open(work + "/rows.csv", encoding="utf-8") as f, \
     open(work + "/rows_gbk.csv", "w", encoding="gbk", newline="") as g, \
     open(work + "/rows_utf8.csv", "w", encoding="utf-8", newline="") as u:
    wg, wu = csv.writer(g, lineterminator="\r\n"), csv.writer(u, lineterminator="\r\n")
    wg.writerow(names)
    for r, rec in enumerate(csv.reader(f), start=1):
        wg.writerow(rec)
        wu.writerow(rec)
        for c, (n, v) in enumerate(zip(names, rec)):
            if v == "":
                continue
            if n in numeric:
                ws.write_number(r, c, float(v))
            else:
                ws.write_string(r, c, v)
wb.close()
PY
chmod 644 "$work"/*

# One measurement in a fresh backend: seconds, and the backend's peak RSS (kB).
measure() {
	"${PSQL[@]}" <<SQL
SET client_min_messages = warning;
SELECT pg_backend_pid() AS pid \gset
SELECT clock_timestamp() AS t0 \gset
$1
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 3) || ' ' ||
       (regexp_match(pg_read_file('/proc/' || :pid || '/status'), 'VmHWM:\s+(\d+)'))[1];
SQL
}
best() { sort -n | head -1; }
run3() {
	local sql=$1 out t m
	for k in 1 2 3; do
		out=$(measure "${sql//@K@/$k}")
		echo "$out"
	done
}
declare -A secs mem
for what in submit xlsx copy csv; do
	case $what in
	submit) sql="SELECT taxshare.submit('BENCH-20F', 'BENCH', date '2040-0@K@-01', (SELECT doc FROM bench_batch)) \\g /dev/null" ;;
	xlsx) sql="SELECT taxshare.submit_xlsx('BENCH-20F', 'BENCH', date '2041-0@K@-01', pg_read_binary_file('$work/rows.xlsx')) \\g /dev/null" ;;
	copy) sql="TRUNCATE bench_plain_copy; COPY bench_plain_copy FROM '$work/rows_utf8.csv' WITH (FORMAT csv, HEADER true);" ;;
	csv) sql="SELECT taxshare.submit_csv('BENCH-20F', 'BENCH', date '2042-0@K@-01', pg_read_binary_file('$work/rows_gbk.csv')) \\g /dev/null" ;;
	esac
	res=$(run3 "$sql")
	echo "rounds $what (s, peak kB): $(echo "$res" | tr '\n' ';')"
	secs[$what]=$(echo "$res" | awk '{print $1}' | best)
	mem[$what]=$(echo "$res" | awk '{print $2}' | sort -n | tail -1)
done
sizes="xlsx $(stat -c %s "$work/rows.xlsx") bytes, GBK CSV $(stat -c %s "$work/rows_gbk.csv") bytes"
echo "xlsx: $rows rows of a 20-field item ($sizes), baseline submit() of the same rows as jsonb ${secs[submit]} s, submit_xlsx() ${secs[xlsx]} s, ratio $(echo "scale=2; ${secs[xlsx]} / ${secs[submit]}" | bc) (goal <= 1.5)"
echo "csv: $rows rows, baseline COPY of the UTF-8 file into an unchecked table ${secs[copy]} s, submit_csv() of the GBK file ${secs[csv]} s, ratio $(echo "scale=2; ${secs[csv]} / ${secs[copy]}" | bc) (goal <= 2)"
echo "memory (peak RSS of the backend, kB): submit() ${mem[submit]}, submit_xlsx() ${mem[xlsx]}, COPY ${mem[copy]}, submit_csv() ${mem[csv]}"
"${PSQL[@]}" -c "DROP TABLE bench_rows, bench_batch, bench_plain_copy" >/dev/null
