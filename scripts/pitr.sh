#!/usr/bin/env bash
# scripts/pitr.sh: point-in-time recovery, tried once as docs/operations.md
# ("Point-in-time recovery") describes it, on a cluster of its own.
#
# A cluster with WAL archiving (archive_command copying each segment to an
# archive directory) gets taxshare and the demo's sample month; a base backup
# is taken (pg_basebackup); more work follows (a submission), then a named
# restore point, the ledger's head written down outside the database, and
# then a mistake: DROP EXTENSION taxshare CASCADE.  The base backup is restored
# into a new data directory and replayed from the archive up to the restore
# point.  Checks, as TAP: the extension and the submission made after the
# backup are there; the ledger verifies and its head is the one written down;
# the work after the restore point is not.  Prints how long the recovery took.
# Run by hand: scripts/pitr.sh
source "$(dirname "$0")/lib.sh"
cd "$TAXSHARE_ROOT"
source test/lib/tap.sh

port=${PITR_PORT:-$((TAXSHARE_PGPORT + 19))}
dir=$(mktemp -d /tmp/taxshare-pitr.XXXXXX)
archive=$dir/archive
trap 'own_cluster_stop "$dir"; own_cluster_stop "$dir/restored"; rm -rf "$dir"' EXIT
mkdir -p "$archive" "$dir/restored"
if [ "$(id -u)" -eq 0 ]; then chown "$(cluster_user)" "$dir" "$archive" "$dir/restored"; fi
own_cluster_start "$dir" "$port" "wal_level = replica" "archive_mode = on" \
	"archive_command = 'test ! -f $archive/%f && cp %p $archive/%f'"
export PGHOST=$dir PGPORT=$port PGUSER=postgres
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -At)

"${psql[@]}" -d postgres -c "CREATE DATABASE pitr"
"${psql[@]}" -d pitr -c "SET client_min_messages = warning" -c "CREATE EXTENSION taxshare"
for step in scripts/demo/*.sql; do "${psql[@]}" -d pitr -f "$step" >/dev/null; done

say "pitr: base backup"
as_cluster_user "$PG_BIN/pg_basebackup" -h "$dir" -p "$port" -U postgres -D "$dir/base" -X none -c fast

# Work after the backup, then the point to return to, then the mistake.
after=$("${psql[@]}" -d pitr -c "SELECT taxshare.submit(code, provider, '2026-11-01', '[]')
                                   FROM taxshare.catalog_item_current WHERE frequency = 'monthly' ORDER BY code LIMIT 1")
head=$("${psql[@]}" -d pitr -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")
"${psql[@]}" -d pitr -c "SELECT pg_create_restore_point('before_the_mistake')" >/dev/null
"${psql[@]}" -d pitr -c "SELECT taxshare.submit(code, provider, '2026-12-01', '[]')
                           FROM taxshare.catalog_item_current WHERE frequency = 'monthly' ORDER BY code LIMIT 1" >/dev/null
"${psql[@]}" -d pitr -c "DROP EXTENSION taxshare CASCADE" 2>/dev/null
"${psql[@]}" -d pitr -c "SELECT pg_switch_wal()" >/dev/null
sleep 2	# the archiver copies the last segment
check "the mistake happened: taxshare is gone" \
	"$("${psql[@]}" -d pitr -c "SELECT count(*) FROM pg_extension WHERE extname = 'taxshare'")" "0"
own_cluster_stop "$dir"

say "pitr: restoring the base backup and replaying to the restore point"
rm -rf "$dir/restored/data"
cp -a "$dir/base" "$dir/restored/data"
cat >>"$dir/restored/data/postgresql.conf" <<CONF
archive_mode = off
restore_command = 'cp $archive/%f %p'
recovery_target_name = 'before_the_mistake'
recovery_target_action = 'promote'
CONF
touch "$dir/restored/data/recovery.signal"
if [ "$(id -u)" -eq 0 ]; then chown -R "$(cluster_user)" "$dir/restored"; fi
t0=$(date +%s%3N)
as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/restored/data" -l "$dir/restored/server.log" -w -t 600 start >/dev/null
while [ "$("${psql[@]}" -d postgres -c "SELECT pg_is_in_recovery()")" = t ]; do sleep 0.2; done
ms=$(($(date +%s%3N) - t0))

check "the restored cluster has taxshare" \
	"$("${psql[@]}" -d pitr -c "SELECT count(*) FROM pg_extension WHERE extname = 'taxshare'")" "1"
check "the submission made after the base backup is there" \
	"$("${psql[@]}" -d pitr -c "SELECT count(*) FROM taxshare.submission WHERE id = $after")" "1"
check "the work after the restore point is not" \
	"$("${psql[@]}" -d pitr -c "SELECT count(*) FROM taxshare.submission WHERE period_start = '2026-12-01'")" "0"
check "the ledger verifies" "$("${psql[@]}" -d pitr -c "SELECT ok FROM taxshare.ledger_verify()")" "t"
check "its head is the one written down at the restore point" \
	"$("${psql[@]}" -d pitr -c "SELECT seq || ' ' || hash FROM taxshare.ledger_digest()")" "$head"
echo "# recovery from the base backup to the restore point: $ms ms, $(ls "$archive" | wc -l) WAL segments archived"
tap_done
