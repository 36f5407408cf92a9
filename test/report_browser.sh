#!/usr/bin/env bash
# test/report_browser.sh: the reports, opened in a real browser.
#
# The reports are web pages people open and print (docs/risk.md, "The
# analysis report").  Each report of the list REPORTS below is rendered from a
# database holding a known quarter (test/fixtures/report_browser.sql) and
# opened in Debian's headless Chromium (package chromium, with fonts-noto-cjk
# for the Chinese text).  For each:
#   - the page loads with no console message (an error, a failed resource, a
#     warning: Chromium logs them to stderr with --enable-logging);
#   - every SVG chart has a non-zero rendered size, and the charts named in the
#     list have the expected number of bars or slices (counted in the DOM
#     Chromium built, by a probe script added to a copy of the page);
#   - the Chinese headings named in the list are in the rendered text, and a
#     Chinese font is there to draw them;
#   - a screenshot goes to out/browser/NAME.png for a person to look at;
#   - it prints to PDF (out/browser/NAME.pdf): a PDF document of at least one
#     page, with the Chinese font embedded (legible on paper).
# Against a running cluster with taxshare installed (PGHOST, PGPORT, PGUSER: a
# superuser); run from the repository root.  Prints TAP.
set -euo pipefail

bin=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -At)
chromium=${CHROMIUM:-/usr/bin/chromium}
db=taxshare_browser
out=out/browser
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; "$bin/dropdb" --if-exists "$db" 2>/dev/null || true' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

# The reports: NAME | SQL that returns the page | headings that must be shown
# (comma-separated) | charts as "caption start=bars or slices" (semicolon-separated).
# The figures are those of test/fixtures/report_browser.sql.  One line per report.
# The units' score notice of 2033: nine units scored, none with a deduction,
# so four segments each in the stacked chart (36); seven of them tie as best.
REPORTS=(
	"month|SELECT taxshare.analysis_report('2033-04-01', 'month')|月度风险分析报告,风险等级分布,按指标的风险点,重点风险,本期预警及结果,收入监控,入库预警,入库预测|风险等级分布=3;按指标的风险点=2;按部门的风险点=2;规定应对方式=5;预警任务结果=6;按税种的应有=6"
	"month_v010|SELECT taxshare.analysis_report('2033-05-01')|月度风险分析报告,风险等级分布|风险等级分布=3;按部门的风险点=1"
	"quarter|SELECT taxshare.analysis_report('2033-04-01', 'quarter')|季度风险分析报告,按月趋势,风险等级分布,重点风险,本期预警及结果,收入监控|按月风险等级趋势=9;风险等级分布=3;按指标的风险点=2;按部门的风险点=2;预警任务结果=6;按税种的应有=6"
	"year|SELECT taxshare.analysis_report('2033-01-01', 'year')|年度风险分析报告,按月趋势,逾期预警|按月风险等级趋势=36;风险等级分布=3;按部门的风险点=2"
	"approved|SELECT html FROM taxshare.report_issue WHERE id = (SELECT max(id) FROM taxshare.report_issue)|季度风险分析报告|按月风险等级趋势=9"
	"unit_score|SELECT taxshare.unit_score_report(2033)|年度单位考核通报,各单位四项得分,优秀单位,严重问题,逐月得分|2033 年各单位四项得分=36;优秀单位=7"
)

if [ ! -x "$chromium" ]; then
	echo "not ok 1 - $chromium is missing (Debian package chromium)"
	echo "1..1"
	exit 1
fi
sandbox=()
if [ "$(id -u)" -eq 0 ]; then sandbox=(--no-sandbox); fi	# Chromium's sandbox refuses root
browse() {	# browse LOG ARGS...: headless Chromium with a profile of its own, stderr to LOG
	local log=$1
	shift
	HOME=$tmp timeout 120 "$chromium" --headless "${sandbox[@]}" --disable-gpu --no-first-run \
		--user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 --hide-scrollbars "$@" 2>>"$log"
}

"$bin/dropdb" --if-exists "$db" 2>/dev/null || true
"$bin/createdb" "$db"
"${psql[@]}" -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION taxshare"
"${psql[@]}" -d "$db" -f test/fixtures/report_browser.sql >/dev/null
mkdir -p "$out"

# Added to a copy of the page: one line per chart ("chart|caption|width|height|marks")
# and whether a Chinese font can draw the text, written into the DOM for --dump-dom.
probe='<script>window.addEventListener("load", function () {
  var lines = [];
  document.querySelectorAll("svg.chart").forEach(function (s) {
    var r = s.getBoundingClientRect(), t = s.querySelector("title");
    lines.push(["chart", t ? t.textContent : "", Math.round(r.width), Math.round(r.height),
                s.querySelectorAll(".bar, .slice").length].join("|"));
  });
  lines.push("cjk_font|" + document.fonts.check("16px \"Noto Sans CJK SC\"", "风险"));
  lines.push("text|" + document.body.innerText.replace(/\s+/g, " "));
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = "\n" + lines.join("\n") + "\n";
  document.body.appendChild(pre);
});</script>'

for entry in "${REPORTS[@]}"; do
	IFS='|' read -r name sql headings charts <<<"$entry"
	page="$out/$name.html"
	"${psql[@]}" -d "$db" -c "$sql" -o "$page"
	check "$name: the report is a page" "$(head -c 15 "$page")" "<!DOCTYPE html>"

	log="$tmp/$name.log"
	: >"$log"
	content=$(<"$page")
	printf '%s%s</body></html>\n' "${content%</body></html>}" "$probe" >"$tmp/$name.probe.html"
	browse "$log" --virtual-time-budget=5000 --dump-dom "file://$tmp/$name.probe.html" >"$tmp/$name.dom" ||
		true
	browse "$log" --window-size=1280,3000 --screenshot="$PWD/$out/$name.png" "file://$PWD/$page" >/dev/null || true
	browse "$log" --no-pdf-header-footer --print-to-pdf="$PWD/$out/$name.pdf" "file://$PWD/$page" >/dev/null || true

	check "$name: no console message" "$(grep -E ':CONSOLE[:(]' "$log" || true)" ""
	probed=$(sed -n '/<pre id="probe">/,/<\/pre>/p' "$tmp/$name.dom")
	check "$name: the probe ran in the browser" "$(grep -c '^cjk_font|' <<<"$probed")" "1"
	check "$name: a Chinese font draws the text" "$(grep '^cjk_font|' <<<"$probed")" "cjk_font|true"
	check "$name: every chart has a rendered size" \
		"$(grep '^chart|' <<<"$probed" | awk -F'|' '$3 <= 0 || $4 <= 0 {print $2 " is " $3 "x" $4}')" ""
	text=$(grep '^text|' <<<"$probed" || true)
	missing=()
	IFS=',' read -r -a want <<<"$headings"
	for h in "${want[@]}"; do
		grep -qF -- "$h" <<<"$text" || missing+=("$h")
	done
	check "$name: the headings are in the rendered text" "${missing[*]:-}" ""
	IFS=';' read -r -a want <<<"$charts"
	for c in "${want[@]}"; do
		[ -n "$c" ] || continue
		caption=${c%%=*}
		got=$(grep "^chart|$caption" <<<"$probed" | head -1 | cut -d'|' -f5)
		check "$name: chart $caption has ${c##*=} bars or slices" "$got" "${c##*=}"
	done
	check "$name: the screenshot is a PNG" "$(head -c 8 "$out/$name.png" 2>/dev/null | od -An -c | tr -d ' ')" '211PNG\r\n032\n'
	check "$name: the PDF is a PDF" "$(head -c 5 "$out/$name.pdf" 2>/dev/null)" "%PDF-"
	pages=$(grep -acE '/Type ?/Page([^s]|$)' "$out/$name.pdf" 2>/dev/null || true)
	check "$name: the PDF has pages" "$([ "${pages:-0}" -ge 1 ] && echo yes || echo "no page ($pages)")" "yes"
	check "$name: the PDF embeds a Chinese font" \
		"$(grep -ao '/FontName */[A-Z]*+NotoSansCJK' "$out/$name.pdf" 2>/dev/null | head -1 | sed 's/.*+//')" "NotoSansCJK"
done
tap_done
