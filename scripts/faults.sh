#!/usr/bin/env bash
# scripts/faults.sh: what a crash leaves behind (docs/reliability.md, "Faults").
#
# Starts a cluster of its own (a temporary directory, port FAULT_PORT), loads
# the demo's sample month, and then, for each case, runs the call in a
# background session and interrupts it at a random moment of its measured
# duration (a call shorter than a second is repeated within its transaction
# up to one), FAULT_RUNS times with kill -9 of the backend (the postmaster then
# resets every session and recovers) and FAULT_RUNS times with an immediate
# shutdown of the server (pg_ctl stop -m immediate, then start).  The cases:
#   submit   taxshare.submit() of FAULT_ROWS rows (a tenth with a defect)
#   inbox    COPY of FAULT_ROWS rows into taxshare.inbox (the parallel worker
#            starts from taxshare.parallel_intake_min_rows rows)
#   resolve  taxshare.resolve_entities(rebuild => true)
#   rules    taxshare.run_rules() of the sample month
#   grade    taxshare.grade_risks() of the sample month
#   disk     a load into a tablespace on a small tmpfs: disk_full, nothing
#            written, and the retry works once there is space (needs root)
# After each fault, once the server accepts connections again:
#   - the call either committed (a marker row written in its transaction is
#     there, whether or not the client heard of it) or left nothing: a
#     fingerprint of every table the call writes equals the one taken before;
#   - no submission is left 'loading', no record or error row without its
#     submission, no party without its record;
#   - ledger_verify() passes;
#   - the same call, run again, succeeds.
# Prints TAP (one line per check) and a table of the figures: runs, how many
# interrupted (the others had committed before the fault), recovery time of the
# interrupted ones (from the fault to the first connection).
#
#   scripts/faults.sh                      20 runs of each case and fault, 1,000,000 rows
#   FAULT_RUNS=1 FAULT_ROWS=20000 scripts/faults.sh   the short version (test/faults.sh)
source "$(dirname "$0")/lib.sh"
cd "$TAXSHARE_ROOT"
source test/lib/tap.sh

runs=${FAULT_RUNS:-20}
rows=${FAULT_ROWS:-1000000}
port=${FAULT_PORT:-$((TAXSHARE_PGPORT + 13))}
cases=${FAULT_CASES:-submit inbox resolve rules grade disk}
month=2026-10-01

dir=$(mktemp -d /tmp/taxshare-faults.XXXXXX)
server() { as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" "$@" >/dev/null; }
trap 'own_cluster_stop "$dir"; umount "$dir/tiny" 2>/dev/null || true; rm -rf "$dir"' EXIT
own_cluster_start "$dir" "$port" "restart_after_crash = on"
export PGHOST=$dir PGPORT=$port PGUSER=postgres
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -At -d faults)
now_ms() { date +%s%3N; }

wait_ready() {	# until the server accepts connections again; prints the ms waited
	local t0=$1
	while ! "$PG_BIN/psql" -X -qAt -d faults -c "SELECT 1" >/dev/null 2>&1; do sleep 0.05; done
	echo $(($(now_ms) - t0))
}

say "faults: loading the demo's sample month into a cluster of its own (port $port)"
PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -d postgres -c "CREATE DATABASE faults"
"${psql[@]}" -c "SET client_min_messages = warning" -c "CREATE EXTENSION taxshare"
for step in scripts/demo/*.sql; do
	"${psql[@]}" -f "$step" >/dev/null
done
# An item of five fields for the loads, and its rows as JSON lines.
"${psql[@]}" <<'SQL' >/dev/null
SELECT taxshare.catalog_define($j${"code": "FAULT-LOAD", "title": "故障测试报送", "provider": "SWJ",
  "frequency": "monthly", "sharing": "conditional",
  "schema": {"fields": [{"name": "contract_no", "title": "合同编号", "type": "string", "constraints": {"required": true}},
                        {"name": "seller", "title": "卖方", "type": "string"},
                        {"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "amount", "title": "金额", "type": "amount"},
                        {"name": "signed", "title": "签订日期", "type": "date"}],
             "primaryKey": "contract_no"}}$j$::jsonb);
SQL
# The rows of a load, as SQL over generate_series(1, n) i.
row_json="jsonb_build_object('contract_no', 'F-' || i, 'seller', '衡阳测试公司' || (i % 997),
                            'uscc', CASE WHEN i % 10 = 0 THEN 'BAD' ELSE '91350100M000100Y43' END,
                            'amount', (i % 100000) || '.50', 'signed', '2026-10-' || (1 + i % 28))"
"${psql[@]}" -c "COPY (SELECT 'FAULT-LOAD', 'SWJ', DATE '$month', $row_json
                  FROM generate_series(1, $rows) i) TO STDOUT" >"$dir/rows.tsv"

# The call of each case, as SQL.
call_sql() {
	case $1 in
	submit) echo "SELECT taxshare.submit('FAULT-LOAD', 'SWJ', '$month',
	                (SELECT jsonb_agg(payload) FROM fault_rows))" ;;
	inbox) echo "\\copy taxshare.inbox (item, unit, period_start, payload) FROM '$dir/rows.tsv'" ;;
	resolve) echo "SELECT taxshare.resolve_entities(rebuild => true)" ;;
	rules) echo "SELECT taxshare.run_rules('$month')" ;;
	grade) echo "SELECT taxshare.grade_risks('$month')" ;;
	esac
}
"${psql[@]}" -c "CREATE TABLE public.fault_rows (payload jsonb)" -c "CREATE TABLE public.fault_marker (run text)"
"${psql[@]}" -c "\\copy public.fault_rows (payload) FROM PROGRAM 'cut -f4 $dir/rows.tsv'"

# A fingerprint of the tables the calls write: rows and a sum of row hashes.
fingerprint() {
	"${psql[@]}" <<'SQL'
SELECT string_agg(t || '=' || n || '/' || h, ' ' ORDER BY t) FROM (
  SELECT 'submission' AS t, count(*) AS n, coalesce(sum(hashtext(s::text)), 0) AS h FROM taxshare.submission s
  UNION ALL SELECT 'record', count(*), coalesce(sum(hashtext(r.id::text || r.status)), 0) FROM taxshare.record r
  UNION ALL SELECT 'record_error', count(*), coalesce(sum(hashtext(e::text)), 0) FROM taxshare.record_error e
  UNION ALL SELECT 'obligation', count(*), coalesce(sum(hashtext(o::text)), 0) FROM taxshare.obligation o
  UNION ALL SELECT 'deduction_event', count(*), coalesce(sum(hashtext(d::text)), 0) FROM taxshare.deduction_event d
  UNION ALL SELECT 'entity', count(*), coalesce(sum(hashtext(e.id::text || e.name)), 0) FROM taxshare.entity e
  UNION ALL SELECT 'record_party', count(*), coalesce(sum(hashtext(p.record_id::text || p.role || coalesce(p.entity_id::text, ''))), 0) FROM taxshare.record_party p
  UNION ALL SELECT 'suspicion', count(*), coalesce(sum(hashtext(s.rule_code || s.entity_id || s.period_start)), 0) FROM taxshare.suspicion s
  UNION ALL SELECT 'risk_score', count(*), coalesce(sum(hashtext(r.entity_id::text || r.score || r.grade)), 0) FROM taxshare.risk_score r
  UNION ALL SELECT 'ledger', count(*), coalesce(sum(hashtext(encode(l.hash, 'hex'))), 0) FROM taxshare.ledger l
) f
SQL
}

invariants() {	# prints the problems found, nothing when all hold (database: psql_db, default faults)
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -At -d "${psql_db:-faults}" <<'SQL'
SELECT 'submissions left loading: ' || count(*) FROM taxshare.submission WHERE status = 'loading' HAVING count(*) > 0;
SELECT 'records without their submission: ' || count(*) FROM taxshare.record r
 WHERE NOT EXISTS (SELECT FROM taxshare.submission s WHERE s.id = r.submission_id) HAVING count(*) > 0;
SELECT 'errors without their submission: ' || count(*) FROM taxshare.record_error e
 WHERE NOT EXISTS (SELECT FROM taxshare.submission s WHERE s.id = e.submission_id) HAVING count(*) > 0;
SELECT 'parties without their record: ' || count(*) FROM taxshare.record_party p
 WHERE NOT EXISTS (SELECT FROM taxshare.record r WHERE r.id = p.record_id) HAVING count(*) > 0;
SELECT 'ledger: ' || coalesce(problem, 'not ok') FROM taxshare.ledger_verify() WHERE NOT ok;
SQL
}

summary=()
for c in $cases; do
	[ "$c" = disk ] && continue
	sql=$(call_sql "$c")
	# The clean duration, to draw the moments of the faults from.  A call
	# shorter than a second is repeated in its transaction up to one, so that
	# a fault falls inside a call more often than between the client's steps.
	t0=$(now_ms)
	"${psql[@]}" -c "$sql" >/dev/null
	one=$(($(now_ms) - t0))
	times=$(((999 + one) / (one > 0 ? one : 1)))
	[ "$times" -gt 20 ] && times=20
	[ "$times" -lt 1 ] && times=1
	dur=$((one * times))
	for how in kill immediate; do
		committed=0
		rec_total=0
		rec_max=0
		for i in $(seq 1 "$runs"); do
			before=$(fingerprint)
			at=$((dur * (5 + RANDOM % 90) / 100))
			# The call, with a marker row in its transaction: after the fault
			# the marker tells whether it committed, whatever the client saw.
			run="$c/$how/$i"
			{
				echo "BEGIN;"
				echo "INSERT INTO public.fault_marker VALUES ('$run');"
				for _ in $(seq 1 "$times"); do echo "$sql"; done
				echo "COMMIT;"
			} >"$dir/call.sql"
			PGAPPNAME=fault_call "${psql[@]}" -f "$dir/call.sql" >/dev/null 2>"$dir/call.err" &
			callpid=$!
			sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
			t0=$(now_ms)
			if [ "$how" = kill ]; then
				bpid=$("$PG_BIN/psql" -X -qAt -d faults -c \
					"SELECT pid FROM pg_stat_activity WHERE application_name = 'fault_call' AND state <> 'idle'" 2>/dev/null | head -1)
				[ -n "$bpid" ] && kill -9 "$bpid" 2>/dev/null || true
			else
				server -m immediate stop
				server -w start
			fi
			set +e
			wait "$callpid"
			rc=$?
			set -e
			rec=$(wait_ready "$t0")
			after=$(fingerprint)
			marked=$("${psql[@]}" -c "SELECT count(*) FROM public.fault_marker WHERE run = '$run'")
			if [ "$marked" = 1 ]; then
				committed=$((committed + 1))
				state="committed before the fault"
				if [ "$rc" -ne 0 ]; then state="$state, the client never heard"; fi
			else
				rec_total=$((rec_total + rec))
				[ "$rec" -gt "$rec_max" ] && rec_max=$rec
				state="interrupted at ${at} ms of ${dur}"
				check "$c/$how #$i ($state): nothing of the interrupted call is visible" "$after" "$before"
			fi
			check "$c/$how #$i ($state): no orphans, nothing left loading, the ledger verifies" "$(invariants)" ""
			check "$c/$how #$i: the same call run again succeeds" \
				"$("${psql[@]}" -c "$sql" 2>&1 >/dev/null | grep -v '^NOTICE' || true)" ""
		done
		hit=$((runs - committed))
		summary+=("$(printf '| %-8s | %-9s | %5d | %11d | %8d | %11s | %11s |' "$c" "$how" "$runs" "$hit" \
			"$dur" "$([ $hit -gt 0 ] && echo $((rec_total / hit)) || echo -)" "$([ $hit -gt 0 ] && echo $rec_max || echo -)")")
	done
done

# A full disk: a database whose tablespace is a small tmpfs, a load larger
# than the space left.  The load fails with disk_full (53100) and leaves
# nothing; once the filesystem is larger, the same load succeeds.  Needs root
# (mount); skipped otherwise.
disk_case() {
	local tiny=$dir/tiny
	mkdir -p "$tiny"
	if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=24M tmpfs "$tiny" 2>/dev/null; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP full disk: cannot mount a tmpfs here (needs root)"
		return
	fi
	chown "$(cluster_user)" "$tiny"
	local d=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -At -d faults_disk)
	"${psql[@]}" -c "CREATE TABLESPACE tiny LOCATION '$tiny'"
	"$PG_BIN/psql" -X -q -d faults -c "CREATE DATABASE faults_disk TABLESPACE tiny"
	"${d[@]}" -c "SET client_min_messages = warning" -c "CREATE EXTENSION taxshare" \
		-c "INSERT INTO taxshare.unit (code, name, kind) VALUES ('SWJ', '税务局', 'tax')"
	"${psql[@]}" -At -c "SELECT definition FROM taxshare.catalog_item WHERE code = 'FAULT-LOAD'" >"$dir/item.json"
	"${d[@]}" -v def="$(cat "$dir/item.json")" <<<"SELECT taxshare.catalog_define(:'def'::jsonb)" >/dev/null
	"${d[@]}" -c "CREATE TABLE public.fault_rows (payload jsonb) TABLESPACE pg_default"
	# More than the 24 MB hold, whatever FAULT_ROWS is.
	"${d[@]}" -c "INSERT INTO public.fault_rows SELECT $row_json FROM generate_series(1, 100000) i"
	local load="SELECT taxshare.submit('FAULT-LOAD', 'SWJ', '$month', (SELECT jsonb_agg(payload) FROM public.fault_rows))"
	local before after err
	before=$("${d[@]}" -c "SELECT count(*) || ' ' || pg_size_pretty(pg_tablespace_size('tiny')) FROM taxshare.submission")
	err=$("${d[@]}" -c "\\set VERBOSITY verbose" -c "$load" 2>&1 >/dev/null | head -3 || true)
	check "disk: a load into a full tablespace fails with disk_full (53100)" \
		"$(printf '%s\n' "$err" | grep -c '53100')" "1"
	printf '%s\n' "$err" | sed 's/^/# /'
	after=$("${d[@]}" -c "SELECT count(*) || ' ' || pg_size_pretty(pg_tablespace_size('tiny')) FROM taxshare.submission")
	check "disk: and leaves no submission behind" "${after%% *}" "${before%% *}"
	check "disk: nothing left loading, no orphans, the ledger verifies" "$(psql_db=faults_disk invariants)" ""
	mount -o remount,size=512M "$tiny"
	check "disk: with space again, the same load succeeds" \
		"$("${d[@]}" -c "$load" 2>&1 >/dev/null | grep -v '^NOTICE' || true)" ""
	"$PG_BIN/psql" -X -q -d faults -c "DROP DATABASE faults_disk" -c "DROP TABLESPACE tiny"
	umount "$tiny"
	summary+=("$(printf '| %-8s | %-9s | %5d | %11s | %8s | %11s | %11s |' disk full 1 1 - - -)")
}
case " $cases " in *" disk "*) disk_case ;; esac

{
	echo "# | case     | fault     | runs  | interrupted | call ms  | recovery ms | recovery ms |"
	echo "# |          |           |       | (the others | (clean,  | (mean of    | (max)       |"
	echo "# |          |           |       | committed)  | repeated)| interrupted)|             |"
	for l in "${summary[@]}"; do echo "# $l"; done
} | tee "${FAULT_SUMMARY:-/dev/null}"
tap_done
