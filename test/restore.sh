#!/usr/bin/env bash
# test/restore.sh: a database loaded by every module survives pg_dump and a
# restore (docs/operations.md "Backup", docs/ledger.md "Backup and restore").
#
# The source: the demo's sample month (catalog, units, submissions with their
# supersessions, obligations, entities, suspicions, grading, warnings: every
# module's tables; scripts/demo/) plus an objection, in a database of the
# running cluster (the usual PGHOST, PGPORT, PGUSER; a superuser) with the
# approval policy set on the database.  It is dumped three ways -- plain SQL,
# custom format, and custom with --create -- and restored: the first two into
# fresh databases of the same cluster, the third into a fresh cluster of its
# own (roles from pg_dumpall --globals-only first, as a real move does).  In
# each copy: no restore error; every table of the schema holds the same rows
# (a fingerprint per table: count and a sum of row hashes), configuration
# tables included; the ledger verifies, its head is the source's and it
# verifies against the source's digest kept outside; grading the month again
# gives the same scores as grading it again in the source.  With --create the
# database's settings come along (taxshare.grant_approval, and the TimeZone the
# deadlines are read in); without it, they do not (docs/operations.md).  Prints TAP; exits non-zero on a failure.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"
cd "$TAXSHARE_ROOT"
bin=$PG_BIN
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -At)
src=taxshare_restore_src
month=2026-10-01
tmp=$(mktemp -d /tmp/taxshare-restore.XXXXXX)
own=$(mktemp -d /tmp/taxshare-restore-cluster.XXXXXX)
own_port=$((${PGPORT:-54329} + 17))
trap 'own_cluster_stop "$own"; rm -rf "$tmp" "$own"; for db in $src ${src}_plain ${src}_custom; do "$bin/dropdb" --if-exists "$db" 2>/dev/null || true; done' EXIT

"$bin/dropdb" --if-exists "$src" 2>/dev/null
"$bin/createdb" "$src"
"${psql[@]}" -d "$src" -c "SET client_min_messages = warning" -c "CREATE EXTENSION taxshare"
for step in scripts/demo/*.sql; do
	"${psql[@]}" -d "$src" -f "$step" >/dev/null
done
"${psql[@]}" -d "$src" -c "SELECT taxshare.objection_file(max(id), '金额有误') FROM taxshare.current_record" >/dev/null
"${psql[@]}" -d "$src" -c "ALTER DATABASE $src SET taxshare.grant_approval = 'both'"

# Every table of the schema: rows and a sum of row hashes.
fingerprint() {
	"${psql[@]}" "$@" <<'SQL'
SET TimeZone = 'UTC';	-- the instants, whatever the database's zone
DO $$
DECLARE t text;
BEGIN
  CREATE TEMP TABLE fp (tbl text, n bigint, h numeric);
  FOR t IN SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1 LOOP
    EXECUTE format('INSERT INTO fp SELECT %L, count(*), coalesce(sum(hashtext(x::text)), 0) FROM taxshare.%I x', t, t);
  END LOOP;
END
$$;
SELECT tbl || ' ' || n || ' ' || h FROM fp ORDER BY tbl;
SQL
}
# The month graded again: the scores, without the time of grading.
regraded() {
	"${psql[@]}" "$@" -c "SELECT taxshare.grade_risks('$month')" >/dev/null
	"${psql[@]}" "$@" -c "SELECT count(*) || ' ' || coalesce(sum(hashtext(entity_id || '/' || score || '/' || grade || '/' || rank)), 0)
	                        FROM taxshare.risk_score WHERE period_start = '$month'"
}

fingerprint -d "$src" >"$tmp/src.fp"
src_head=$("${psql[@]}" -d "$src" -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")
check "the source ledger verifies" "$("${psql[@]}" -d "$src" -c "SELECT ok FROM taxshare.ledger_verify()")" "t"
check "the source has rows in every module's tables ($(wc -l <"$tmp/src.fp") tables)" \
	"$(awk '$1 ~ /^(catalog_item|holiday|division|submission|record|obligation|entity|suspicion|risk_score|warning|ledger|objection)$/ && $2 > 0' "$tmp/src.fp" | wc -l)" "12"

"$bin/pg_dump" -d "$src" -f "$tmp/plain.sql" 2>"$tmp/dump.log"
"$bin/pg_dump" -d "$src" -Fc -f "$tmp/custom.dump" 2>>"$tmp/dump.log"
"$bin/pg_dump" -d "$src" -Fc --create -f "$tmp/create.dump" 2>>"$tmp/dump.log"
"$bin/pg_dumpall" --globals-only -f "$tmp/globals.sql" 2>>"$tmp/dump.log"
# pg_dump warns of the foreign key of submission.superseded_by to its own
# table, which matters to --data-only dumps only.
check "the dumps are written without errors" "$(grep -v '^pg_dump: \(warning\|detail\|hint\):' "$tmp/dump.log" || true)" ""
src_scores=$(regraded -d "$src")

restored_checks() {	# restored_checks NAME PSQL-ARGS...
	local name=$1
	shift
	fingerprint "$@" >"$tmp/$name.fp"
	check_same "$name: every table holds the source's rows, configuration tables included" "$tmp/$name.fp" "$tmp/src.fp"
	check "$name: ledger_verify() passes" \
		"$("${psql[@]}" "$@" -c "SELECT ok::text || ' ' || coalesce(problem, '') FROM taxshare.ledger_verify()")" "true "
	check "$name: the head is the source's" \
		"$("${psql[@]}" "$@" -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")" "$src_head"
	check "$name: it verifies against the source's digest kept outside" \
		"$("${psql[@]}" "$@" -c "SELECT ok FROM taxshare.ledger_verify(${src_head%% *}, '${src_head##* }')")" "t"
	check "$name: grading the month again gives the source's scores" "$(regraded "$@")" "$src_scores"
}

for fmt in plain custom; do
	dst=${src}_$fmt
	"$bin/dropdb" --if-exists "$dst" 2>/dev/null
	"$bin/createdb" "$dst"
	if [ "$fmt" = plain ]; then
		"${psql[@]}" -d "$dst" -f "$tmp/plain.sql" >/dev/null 2>"$tmp/restore.log"
	else
		"$bin/pg_restore" -d "$dst" --exit-on-error "$tmp/custom.dump" 2>"$tmp/restore.log"
	fi
	check "$fmt dump restored without errors" "$(grep -c ERROR "$tmp/restore.log" || true)" "0"
	restored_checks "$fmt" -d "$dst"
	check "$fmt: a dump without --create leaves the database's settings behind (approval policy, time zone)" \
		"$("${psql[@]}" -d "$dst" -c "SELECT taxshare.grant_approval_policy() || ' ' || current_setting('TimeZone')")" \
		"office $("${psql[@]}" -d postgres -c "SHOW TimeZone")"
done

# Into a fresh cluster: the roles first, then the database with --create.
own_cluster_start "$own" "$own_port"
o=(-h "$own" -p "$own_port" -U postgres)
"${psql[@]}" "${o[@]}" -d postgres -f "$tmp/globals.sql" >/dev/null 2>"$tmp/globals.log" || true
check "fresh cluster: the roles are restored (errors only for the roles it has already)" \
	"$(grep ERROR "$tmp/globals.log" | grep -vc 'already exists' || true)" "0"
"$bin/pg_restore" "${o[@]}" -d postgres --create --exit-on-error "$tmp/create.dump" 2>"$tmp/restore.log"
check "fresh cluster: the --create dump restored without errors" "$(grep -c ERROR "$tmp/restore.log" || true)" "0"
check "fresh cluster: the database's settings came along (approval policy, time zone)" \
	"$("${psql[@]}" "${o[@]}" -d "$src" -c "SELECT taxshare.grant_approval_policy() || ' ' || current_setting('TimeZone')")" \
	"both Asia/Shanghai"
restored_checks "fresh cluster" "${o[@]}" -d "$src"

tap_done
