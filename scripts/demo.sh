#!/usr/bin/env bash
# scripts/demo.sh: the main job, from a fresh Debian 12 machine to a printed result.
#
# Installs the system packages it lacks, builds and installs taxshare, starts
# the throwaway cluster in .cluster/ (left running: stop it with
# `scripts/cluster.sh stop`), recreates the database taxshare_demo, and runs
# scripts/demo/*.sql in order: each step loads or runs one part of the monthly
# cycle on a realistic sample and prints what an analyst would look at.
source "$(dirname "$0")/lib.sh"
cd "$TAXSHARE_ROOT"

ensure_packages
build_and_install
cluster_start
fresh_database taxshare_demo taxshare

for step in scripts/demo/*.sql; do
	say "demo step: $step"
	"$PG_BIN/psql" -X -q -d taxshare_demo -v ON_ERROR_STOP=1 -P pager=off -f "$step"
done

say "done. The demo cluster is running: scripts/cluster.sh psql opens taxshare_demo;"
say "scripts/cluster.sh stop stops it."
