#!/usr/bin/env bash
# bench/run.sh [NAME ...]: run the benchmarks (bench/NAME.sql; all when none named).
#
# Each benchmark measures taxshare against a baseline in the same run and prints
# its own ratio lines; this runner only prepares a database and collects them.
# Results also go to out/bench/NAME.log.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$TAXSHARE_ROOT"

ensure_packages
build_and_install
cluster_start
if [ "$CLUSTER_STARTED_HERE" = 1 ]; then trap cluster_stop EXIT; fi

mkdir -p out/bench
if [ $# -eq 0 ]; then
	set -- $(ls bench/*.sql | xargs -n1 basename | sed 's/\.sql$//')
fi
for name in "$@"; do
	fresh_database taxshare_bench taxshare
	say "benchmark $name"
	"$PG_BIN/psql" -X -q -d taxshare_bench -v ON_ERROR_STOP=1 -P pager=off \
		-f "bench/$name.sql" 2>&1 | sed -u 's/^psql:[^ ]*: NOTICE: *//' | tee "out/bench/$name.log"
done
