#!/usr/bin/env bash
# test/pgaudit.sh: the pgaudit recipe of docs/security.md ("Access log and
# pgaudit") works as written.
#
# pgaudit must be in shared_preload_libraries, which the shared test cluster
# does not load, so this script starts a cluster of its own (a temporary
# directory, the next free port after PGPORT), applies the recipe to a database
# with taxshare, reads payloads as a unit's login, through read_records() and
# as a superuser, and checks the server log: each direct read of a table or
# view of the schema is an OBJECT audit line naming the relation; a GRANT and
# a DDL statement are SESSION lines; a statement that touches no taxshare
# relation leaves no object line; the read by grant is in access_log.  Prints TAP; exits non-zero on a failure.  PG_BIN
# may name the server's bin directory.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"
bin=$PG_BIN

if [ ! -f "$("$bin/pg_config" --pkglibdir)/pgaudit.so" ]; then
	echo "not ok 1 - pgaudit is installed (Debian: postgresql-15-pgaudit)"
	echo "1..1"
	exit 1
fi

dir=$(mktemp -d /tmp/taxshare-pgaudit.XXXXXX)
port=$((${PGPORT:-54329} + 11))
trap 'own_cluster_stop "$dir"; rm -rf "$dir"' EXIT
own_cluster_start "$dir" "$port" "shared_preload_libraries = 'pgaudit'"
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -At -h "$dir" -p "$port" -U postgres)

# The recipe, as docs/security.md gives it.
"${psql[@]}" -d postgres -c "CREATE DATABASE audited"
"${psql[@]}" -d audited <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION taxshare;
CREATE EXTENSION pgaudit;
CREATE ROLE taxshare_auditor NOLOGIN;
GRANT SELECT ON ALL TABLES IN SCHEMA taxshare TO taxshare_auditor;
ALTER DATABASE audited SET pgaudit.role = 'taxshare_auditor';
ALTER DATABASE audited SET pgaudit.log = 'role, ddl';
ALTER DATABASE audited SET pgaudit.log_parameter = on;
SQL

# A unit with a conditional item, a second unit with a grant, and reads.
"${psql[@]}" -d audited <<'SQL'
SET client_min_messages = warning;
INSERT INTO taxshare.unit (code, name, kind) VALUES ('PA-P', '审计测试提供局', 'department'),
                                                  ('PA-U', '审计测试使用局', 'department');
CREATE ROLE pa_p LOGIN IN ROLE taxshare_unit;
CREATE ROLE pa_u LOGIN IN ROLE taxshare_unit;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('pa_p', 'PA-P'), ('pa_u', 'PA-U');
SELECT taxshare.catalog_define($j${"code": "PA-COND", "title": "审计测试", "provider": "PA-P",
  "frequency": "monthly", "sharing": "conditional",
  "schema": {"fields": [{"name": "price", "title": "金额", "type": "amount"}]}}$j$::jsonb) \g /dev/null
SELECT taxshare.submit('PA-COND', 'PA-P', '2024-01-01', '[{"price": "7"}]') \g /dev/null
SQL
"${psql[@]}" -d audited -U pa_u -c "SELECT taxshare.grant_request('PA-COND', '审计核查', '本局', current_date + 30)" >/dev/null
"${psql[@]}" -d audited -c "SELECT taxshare.grant_approve(max(id)) FROM taxshare.data_grant" >/dev/null
"${psql[@]}" -d audited -U pa_p -c "SELECT count(*) FROM taxshare.record_visible /* pa_p reads its own */" >/dev/null
"${psql[@]}" -d audited -U pa_u -c "SELECT count(*) FROM taxshare.read_records('PA-COND') /* pa_u by grant */" >/dev/null
"${psql[@]}" -d audited -c "SELECT count(*) FROM taxshare.record /* the superuser, past RLS */" >/dev/null
"${psql[@]}" -d audited -c "SELECT 1 AS untouched /* no taxshare relation */" >/dev/null
"${psql[@]}" -d audited -c "GRANT taxshare_analyst TO pa_u" >/dev/null
"${psql[@]}" -d audited -c "CREATE TABLE public.pa_ddl (x int)" >/dev/null
sleep 1	# the logger writes asynchronously

log=$(cat "$dir/server.log")
audit_line() { printf '%s\n' "$log" | grep -F "AUDIT: $1" | grep -F -- "$2" | grep -F -- "$3" | head -1; }
check "a unit's read of record_visible is an object audit line naming the view" \
	"$(audit_line OBJECT 'VIEW,taxshare.record_visible' 'pa_p reads its own' | grep -c READ)" "1"
check "and the table under the view" \
	"$(audit_line OBJECT 'TABLE,taxshare.record,' 'pa_p reads its own' | grep -c READ)" "1"
check "a superuser's read of the table, past row-level security, is audited too" \
	"$(audit_line OBJECT 'TABLE,taxshare.record,' 'the superuser, past RLS' | grep -c READ)" "1"
check "a statement that touches no taxshare relation leaves no object line" \
	"$(printf '%s\n' "$log" | grep -F 'AUDIT: OBJECT' | grep -cF 'no taxshare relation' || true)" "0"
check "a GRANT is a session audit line (pgaudit.log = role)" \
	"$(audit_line SESSION 'ROLE,GRANT' 'GRANT taxshare_analyst TO pa_u' | grep -c .)" "1"
check "DDL is a session audit line (pgaudit.log = ddl)" \
	"$(audit_line SESSION 'DDL,CREATE TABLE' 'pa_ddl' | grep -c .)" "1"
# pgaudit 1.7 logs nothing of what a SECURITY DEFINER function reads for a
# login that is not a superuser (read_records() is one): the read by grant is
# in taxshare's own access_log, which is why it exists (docs/security.md).
check "the read by grant, which pgaudit does not see, is in taxshare's access_log" \
	"$("${psql[@]}" -d audited -c "SELECT role || ' ' || action || ' ' || rows FROM taxshare.access_log")" "pa_u read 1"
tap_done
