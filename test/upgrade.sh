#!/usr/bin/env bash
# test/upgrade.sh: every kept release upgrades to the current version.
#
# For each released install script kept in test/upgrade/taxshare--X.sql
# (installed into the server by `make install-upgrade-bases`):
#   1. the library of today still has every C symbol that script binds, since
#      between a package upgrade and ALTER EXTENSION UPDATE the old SQL runs on
#      the new library;
#   2. a database gets release X and the demo's sample month (scripts/demo/,
#      the whole cycle, but for the steps marked `-- requires taxshare V` with
#      a V newer than X), then ALTER EXTENSION taxshare UPDATE;
#   3. its schema, read from the system catalogs by test/upgrade/describe.sql
#      (columns, defaults, indexes, constraints, functions with their settings
#      and bodies, triggers, policies, grants, views, comments), equals that of
#      a fresh install of the current version, category by category;
#   4. the data survived: every row of every table is there after the update,
#      unchanged in the columns it had (an upgrade may add rows and columns),
#      the ledger verifies and its head did not move; grading the month again
#      on the upgraded database gives the same counts and the ledger verifies;
#   5. a year of holidays that the DBA added before the upgrade is still there;
#      the database keeps 0.1.0's grant approval rule (either), a fresh one has
#      the office approve; the divisions are a fresh install's;
#   6. every pgTAP suite (test/pgtap/*.sql) passes on a database upgraded
#      from X (one without the sample month: the suites count rows).
#
# Against a running cluster with taxshare installed (PGHOST, PGPORT, PGUSER: a
# superuser); run from the repository root.  Prints TAP; exits non-zero on a
# failure.  PG_BIN may name the directory of psql; PG_CONFIG the pg_config.
set -euo pipefail

bin=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
pg_config=${PG_CONFIG:-$bin/pg_config}
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -At)
tmp=$(mktemp -d)
old=taxshare_upgrade_old
new=taxshare_upgrade_new
trap 'rm -rf "$tmp"; for db in $old $new; do "$bin/dropdb" --if-exists "$db" 2>/dev/null || true; done' EXIT

current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" control/taxshare.control)
library="$("$pg_config" --pkglibdir)/taxshare.so"

source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

fresh() {		# fresh DB [EXTENSION [VERSION]]: drop, create, install
	"$bin/dropdb" --if-exists "$1" 2>/dev/null
	"$bin/createdb" "$1"
	"${psql[@]}" -d "$1" -c "SET client_min_messages = warning" -c "CREATE EXTENSION pgtap"
	if [ $# -ge 2 ]; then
		"${psql[@]}" -d "$1" -c "SET client_min_messages = warning" \
			-c "CREATE EXTENSION taxshare VERSION '$2'"
	fi
}

# rows_snapshot DB NAME: a digest of every row of every taxshare table into
# upgrade_check.NAME, over the columns the tables had at the first snapshot (so
# that a column added by an upgrade does not count as a change).  A
# parameter's description (and who changed it when) may be rewritten by an
# upgrade that changes the parameter's meaning (0.2.0: warning.push_before_day);
# its value is compared.
rows_snapshot() {
	"${psql[@]}" -d "$1" <<SQL
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS upgrade_check;
CREATE TABLE IF NOT EXISTS upgrade_check.cols AS
  SELECT c.relname AS tbl, string_agg(format('x.%I', a.attname), ', ' ORDER BY a.attnum) AS cols
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind IN ('r', 'p')
     AND NOT (c.relname = 'risk_param' AND a.attname IN ('description', 'updated_at', 'updated_by'))
   GROUP BY c.relname;
CREATE TABLE upgrade_check.$2 (tbl text, h text);
DO \$\$
DECLARE t record;
BEGIN
  FOR t IN SELECT tbl, cols FROM upgrade_check.cols LOOP
    EXECUTE format('INSERT INTO upgrade_check.$2 SELECT %L, md5(ROW(%s)::text) FROM taxshare.%I x',
                   t.tbl, t.cols, t.tbl);
  END LOOP;
END
\$\$;
SQL
}

# Make-believe holidays for a year no notice covers yet, as a DBA would add them.
dba_year=2099
dba_days='[{"name": "元旦", "from": "2099-01-01", "to": "2099-01-03", "workdays": ["2099-01-04"]}]'

# The schema of a fresh install of the current version, to compare against.
fresh "$new" "$current"
"${psql[@]}" -d "$new" -f test/upgrade/describe.sql >"$tmp/schema-new"

for base in test/upgrade/taxshare--*.sql; do
	from=${base#test/upgrade/taxshare--}
	from=${from%.sql}
	case $from in *--*) continue ;; esac

	# 1. The old script's C symbols are in today's library.
	grep -o "'MODULE_PATHNAME' *, *'[A-Za-z_0-9]*'" "$base" | sed "s/.*, *'\(.*\)'/\1/" | sort -u >"$tmp/symbols-$from"
	nm -D --defined-only "$library" | awk '{print $3}' | sort -u >"$tmp/exported"
	check "$from: the library exports all $(wc -l <"$tmp/symbols-$from") C symbols the $from script binds" \
		"$(comm -23 "$tmp/symbols-$from" "$tmp/exported")" ""

	# 2. Release $from with the sample month, then the update.
	fresh "$old" "$from"
	check "$from: installed at version $from" \
		"$("${psql[@]}" -d "$old" -c "SELECT extversion FROM pg_extension WHERE extname = 'taxshare'")" "$from"
	for step in scripts/demo/*.sql; do
		needs=$(sed -n 's/^-- requires taxshare \([0-9.]*\).*/\1/p' "$step")
		if [ -n "$needs" ] && [ "$(printf '%s\n%s\n' "$needs" "$from" | sort -V | tail -1)" != "$from" ]; then
			continue	# a step of a later release's features
		fi
		"${psql[@]}" -d "$old" -f "$step" >/dev/null 2>"$tmp/demo.log" ||
			{ cat "$tmp/demo.log"; echo "Bail out! demo step $step failed on $from"; exit 1; }
	done
	"${psql[@]}" -d "$old" -c "SELECT taxshare.holiday_add_year($dba_year, '$dba_days')" >/dev/null
	rows_snapshot "$old" rows_before
	# the warnings' deadlines as the old release reads them (0.2.0 stores them)
	"${psql[@]}" -d "$old" -c "CREATE TABLE upgrade_check.deadlines AS
	  SELECT w.id, d.* FROM taxshare.warning w,
	         taxshare.warning_deadlines(w.period_start, w.pushed_at, w.received_at, w.cycles) d"
	head_before=$("${psql[@]}" -d "$old" -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")

	"${psql[@]}" -d "$old" -c "ALTER EXTENSION taxshare UPDATE" 2>"$tmp/update.log" || true
	check "$from: ALTER EXTENSION taxshare UPDATE succeeds" "$(cat "$tmp/update.log")" ""
	check "$from: updated to $current" \
		"$("${psql[@]}" -d "$old" -c "SELECT extversion FROM pg_extension WHERE extname = 'taxshare'")" "$current"

	# 3. The upgraded schema equals a fresh install's, category by category.
	"${psql[@]}" -d "$old" -f test/upgrade/describe.sql >"$tmp/schema-old"
	for category in $(cut -d'|' -f1 "$tmp/schema-new" "$tmp/schema-old" | sort -u); do
		grep "^$category|" "$tmp/schema-old" >"$tmp/got" || true
		grep "^$category|" "$tmp/schema-new" >"$tmp/want" || true
		check_same "$from: upgraded schema equals a fresh install: $category ($(wc -l <"$tmp/want"))" \
			"$tmp/got" "$tmp/want"
	done

	# 4. The data, the ledger.
	rows_snapshot "$old" rows_after
	check "$from: every row is unchanged by the update ($("${psql[@]}" -d "$old" -c \
		"SELECT count(*) || ' rows in ' || count(DISTINCT tbl) || ' tables' FROM upgrade_check.rows_before"))" \
		"$("${psql[@]}" -d "$old" -c "SELECT tbl || ': ' || count(*) || ' rows changed or lost'
		      FROM (SELECT tbl, h FROM upgrade_check.rows_before EXCEPT ALL
		            SELECT tbl, h FROM upgrade_check.rows_after) lost GROUP BY tbl ORDER BY tbl")" ""
	check "$from: the warnings keep the deadlines $from gave them ($("${psql[@]}" -d "$old" -c \
		"SELECT count(*) || ' warnings' FROM upgrade_check.deadlines"))" \
		"$("${psql[@]}" -d "$old" -c "SELECT count(*) FROM upgrade_check.deadlines u
		      JOIN taxshare.warning w USING (id)
		     WHERE (u.push_due, u.receive_due, u.feedback_due) IS DISTINCT FROM (w.push_due, w.receive_due, w.feedback_due)")" "0"
	check "$from: the ledger head did not move" \
		"$("${psql[@]}" -d "$old" -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")" "$head_before"
	check "$from: ledger_verify() passes after the update" \
		"$("${psql[@]}" -d "$old" -c "SELECT ok::text || ' ' || coalesce(problem, '') FROM taxshare.ledger_verify()")" "true "
	period=$("${psql[@]}" -d "$old" -c "SELECT max(period_start) FROM taxshare.risk_grading")
	graded=$("${psql[@]}" -d "$old" -c "SELECT entities || ' ' || high || ' ' || medium || ' ' || low FROM taxshare.risk_grading WHERE period_start = '$period'")
	"${psql[@]}" -d "$old" -c "SELECT taxshare.grade_risks('$period')" >/dev/null 2>"$tmp/regrade.log" || true
	check "$from: the month grades again on the upgraded database, to the same counts" \
		"$(cat "$tmp/regrade.log")$("${psql[@]}" -d "$old" -c "SELECT entities || ' ' || high || ' ' || medium || ' ' || low FROM taxshare.risk_grading WHERE period_start = '$period'")" "$graded"
	check "$from: ledger_verify() passes after grading again" \
		"$("${psql[@]}" -d "$old" -c "SELECT ok::text || ' ' || coalesce(problem, '') FROM taxshare.ledger_verify()")" "true "

	# 5. The DBA's own holiday year survived, and the calendar uses it.
	check "$from: a holiday year the DBA added survives the update" \
		"$("${psql[@]}" -d "$old" -c "SELECT days_off || ' ' || make_up_workdays FROM taxshare.holiday_year WHERE year = $dba_year")" "3 1"
	check "$from: the calendar uses it after the update" \
		"$("${psql[@]}" -d "$old" -c "SELECT taxshare.is_working_day('2099-01-02') || ' ' || taxshare.is_working_day('2099-01-04')")" "false true"

	# 6. Who approves grants: the update keeps the rule of 0.1.0 for this
	# database (either), a new install has the office approve.
	check "$from: the updated database keeps 0.1.0's grant approval (either)" \
		"$("${psql[@]}" -d "$old" -c "SELECT taxshare.grant_approval_policy()")" "either"
	check "$from: a fresh install has the office approve grants" \
		"$("${psql[@]}" -d "$new" -c "SELECT taxshare.grant_approval_policy()")" "office"

	# The division rows are written twice by scripts/division_import.sh (the
	# install part and the update's part): the updated database holds the rows
	# a fresh install ships, row for row.
	divisions="SELECT count(*) || ' ' || md5(string_agg(code || name || coalesce(parent, '') || coalesce(short_name, '')
	             || abolished::text, ',' ORDER BY code)) FROM taxshare.division WHERE shipped"
	check "$from: the updated database has a fresh install's divisions" \
		"$("${psql[@]}" -d "$old" -c "$divisions")" "$("${psql[@]}" -d "$new" -c "$divisions")"

	# 6. The pgTAP suites, on a database upgraded from $from with no data in it
	# (the suites count rows, so they want an empty database, as in test.sh).
	fresh "$old" "$from"
	if [ "$from" = 0.1.0 ]; then	# 0.1.0's "before the 11th" is 0.2.0's "by the 10th"
		"${psql[@]}" -d "$old" -c "UPDATE taxshare.risk_param SET value = 11 WHERE name = 'warning.push_before_day'"
	fi
	"${psql[@]}" -d "$old" -c "SET client_min_messages = warning" -c "ALTER EXTENSION taxshare UPDATE"
	if [ "$from" = 0.1.0 ]; then
		check "$from: warning.push_before_day 11 (last day the 10th) becomes 10" \
			"$("${psql[@]}" -d "$old" -c "SELECT value FROM taxshare.risk_param WHERE name = 'warning.push_before_day'")" "10"
	fi
	for f in test/pgtap/*.sql; do
		log="$tmp/pgtap-$(basename "$f" .sql).log"
		if pg_prove -d "$old" "$f" >"$log" 2>&1; then
			check "$from: pgTAP $f passes on an upgraded database" "" ""
		else
			check "$from: pgTAP $f passes on an upgraded database" "$(grep -v '^ok' "$log" | head -20)" ""
		fi
	done
done

tap_done
