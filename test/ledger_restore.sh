#!/usr/bin/env bash
# test/ledger_restore.sh: the ledger survives pg_dump and a restore into a fresh
# database (docs/ledger.md "Backup and restore").
#
# Against a running cluster where taxshare is installed (connection from the
# usual PGHOST, PGPORT, PGUSER; a superuser): fills a database with a catalog
# item, two submissions (one superseding the other) and an objection, dumps it
# in plain and in custom format, restores each into a fresh database, and
# checks there that ledger_verify() passes, that the head equals the source's
# and that no entry was added by the restore.  Prints TAP; exits non-zero on a
# failure.  PG_BIN may name the directory of psql, pg_dump and pg_restore.
set -euo pipefail

bin=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -At)
src=taxshare_ledger_src
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; for db in $src ${src}_plain ${src}_custom; do "$bin/dropdb" --if-exists "$db" 2>/dev/null || true; done' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

"$bin/dropdb" --if-exists "$src" 2>/dev/null
"$bin/createdb" "$src"
"${psql[@]}" -d "$src" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION taxshare;
INSERT INTO taxshare.unit (code, name, kind) VALUES ('TR_U', '恢复测试单位', 'department');
SELECT taxshare.catalog_define($${"code": "TR-ITEM", "title": "恢复测试", "provider": "TR_U", "frequency": "monthly",
  "schema": {"fields": [{"name": "name", "title": "名称", "type": "string"},
                        {"name": "amount", "title": "金额", "type": "amount"},
                        {"name": "day", "title": "日期", "type": "date"}]}}$$) \g /dev/null
SELECT taxshare.submit('TR-ITEM', 'TR_U', '2024-01-01',
  '[{"name": "衡阳华湘置业有限公司", "amount": "1,234.50", "day": "2024/1/5"}, {"name": "x", "amount": "abc"}]') \g /dev/null
SELECT taxshare.submit('TR-ITEM', 'TR_U', '2024-01-01',
  '[{"name": "衡阳华湘置业有限公司", "amount": "1,234.50", "day": "2024/1/5"}, {"name": "x", "amount": "-0.5"}]') \g /dev/null
SELECT taxshare.objection_file(max(id), '金额有误') FROM taxshare.record \g /dev/null
SQL
src_head=$("${psql[@]}" -d "$src" -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")
src_ok=$("${psql[@]}" -d "$src" -c "SELECT ok FROM taxshare.ledger_verify()")
check "the source ledger verifies" "$src_ok" "t"
entries=${src_head%% *}
check "the source ledger has its entries (catalog, 2 submissions, supersede, objection)" "$([ "$entries" -ge 5 ] && echo yes)" "yes"

"$bin/pg_dump" -d "$src" -f "$tmp/plain.sql" 2>/dev/null
"$bin/pg_dump" -d "$src" -Fc -f "$tmp/custom.dump" 2>/dev/null

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
	check "$fmt restore: ledger_verify() passes" \
		"$("${psql[@]}" -d "$dst" -c "SELECT ok::text || ' ' || coalesce(problem, '') FROM taxshare.ledger_verify()")" "true "
	check "$fmt restore: the head is the source's" \
		"$("${psql[@]}" -d "$dst" -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")" "$src_head"
	check "$fmt restore: verified against the source's digest" \
		"$("${psql[@]}" -d "$dst" -c "SELECT ok FROM taxshare.ledger_verify(${src_head%% *}, '${src_head##* }')")" "t"
done

tap_done
