#!/usr/bin/env bash
# test/cron.sh: the daily sweep and the monthly scoring under a real pg_cron
# (docs/operations.md "Scheduling"; docs/unit_score.md).
#
# Against the running test cluster, started by scripts/lib.sh with pg_cron
# preloaded (shared_preload_libraries = pg_cron, cron.database_name =
# postgres, jobs in background workers): creates a database with a unit whose
# September report is missing, schedules the daily sweep and the monthly
# scoring into it with cron.schedule_in_database(), waits for the jobs to
# fire (Debian's pg_cron 1.4.2 has minute granularity: one wait of at most
# ~75 s), and checks their effect (a sweep_log row, the payment warning, the
# month's scores) and cron.job_run_details.  Prints TAP; exits non-zero on a
# failure.  PG_BIN may name the directory of psql.
set -euo pipefail

bin=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -At)
db=taxshare_cron

source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

cleanup() {
	"${psql[@]}" -d postgres -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE 'taxshare_test_%'" \
		>/dev/null 2>&1 || true
	"${psql[@]}" -d postgres -c "DROP EXTENSION IF EXISTS pg_cron" >/dev/null 2>&1 || true
	"$bin/dropdb" --if-exists --force "$db" 2>/dev/null || true
}
trap cleanup EXIT

preload=$("${psql[@]}" -d postgres -c "SHOW shared_preload_libraries")
check "the test cluster preloads pg_cron (scripts/lib.sh cluster_start)" \
	"$(case ",$preload," in *,pg_cron,*) echo yes ;; *) echo "no: shared_preload_libraries = '$preload'; restart the cluster" ;; esac)" \
	"yes"
if [ "$tap_failed" -ne 0 ]; then
	tap_done || exit 1
fi

"$bin/dropdb" --if-exists --force "$db" 2>/dev/null
"$bin/createdb" "$db"
"${psql[@]}" -d "$db" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION taxshare;
ALTER DATABASE taxshare_cron SET taxshare.deadline_profile = hengyang;
ALTER DATABASE taxshare_cron SET taxshare.due_date_roll_forward = on;
INSERT INTO taxshare.unit (code, name, kind) VALUES ('CRON', '定时任务测试单位', 'department');
SELECT taxshare.catalog_define($${"code": "CRON-M", "title": "定时任务测试", "provider": "CRON",
  "frequency": "monthly", "validFrom": "2024-09-01",
  "schema": {"fields": [{"name": "n", "title": "编号", "type": "integer"}]}}$$) \g /dev/null
SQL

"${psql[@]}" -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_cron" >/dev/null
# The September report was due 10 October 2024: the sweep of the 11th warns.
jobs=$("${psql[@]}" -d postgres <<SQL
SELECT cron.schedule_in_database('taxshare_test_sweep', '* * * * *',
                                 \$\$SELECT taxshare.daily_sweep('2024-10-11')\$\$, '$db');
SELECT cron.schedule_in_database('taxshare_test_score', '* * * * *',
                                 \$\$SELECT taxshare.unit_score_compute('month', '2024-10-01')\$\$, '$db');
SQL
)
sweep_job=$(echo "$jobs" | sed -n 1p)
score_job=$(echo "$jobs" | sed -n 2p)
check "two jobs are scheduled" "$("${psql[@]}" -d postgres -c "SELECT count(*) FROM cron.job WHERE jobname LIKE 'taxshare_test_%' AND database = '$db'")" "2"

# The one wait: until both jobs have finished a run (pg_cron fires at the next minute).
deadline=$((SECONDS + 75))
done_runs=0
while [ $SECONDS -lt $deadline ]; do
	done_runs=$("${psql[@]}" -d postgres -c "SELECT count(DISTINCT jobid) FROM cron.job_run_details
	                                         WHERE jobid IN ($sweep_job, $score_job) AND status IN ('succeeded', 'failed')")
	[ "$done_runs" = 2 ] && break
	sleep 2
done
check "both jobs ran within 75 seconds" "$done_runs" "2"
"${psql[@]}" -d postgres -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE 'taxshare_test_%'" >/dev/null

check "cron.job_run_details: the sweep succeeded" \
	"$("${psql[@]}" -d postgres -c "SELECT status || ' ' || coalesce(return_message, '') FROM cron.job_run_details
	                                WHERE jobid = $sweep_job ORDER BY runid LIMIT 1")" "succeeded SELECT 1"
check "cron.job_run_details: the scoring succeeded" \
	"$("${psql[@]}" -d postgres -c "SELECT status || ' ' || coalesce(return_message, '') FROM cron.job_run_details
	                                WHERE jobid = $score_job ORDER BY runid LIMIT 1")" "succeeded SELECT 1"
check "the sweep logged its run in sweep_log, run by the job's user" \
	"$("${psql[@]}" -d "$db" -c "SELECT DISTINCT as_of || ' ' || run_by FROM taxshare.sweep_log")" "2024-10-11 postgres"
check "the sweep issued the payment warning of the missing report" \
	"$("${psql[@]}" -d "$db" -c "SELECT DISTINCT unit_code || ' ' || item_code || ' ' || state || ' ' || issued_on FROM taxshare.payment_warning")" \
	"CRON CRON-M issued 2024-10-10"
check "payment_status shows the unit warned" \
	"$("${psql[@]}" -d "$db" -c "SELECT unit_code || ' ' || status FROM taxshare.payment_status")" "CRON warned"
check "the scoring job stored October's scores" \
	"$("${psql[@]}" -d "$db" -c "SELECT unit_code || ' ' || total || ' ' || rank FROM taxshare.unit_score WHERE period_kind = 'month' AND period_start = '2024-10-01'")" \
	"CRON 100 1"

tap_done
