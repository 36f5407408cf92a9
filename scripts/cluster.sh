#!/usr/bin/env bash
# scripts/cluster.sh start|stop|status|psql: the throwaway cluster used by the demo and tests.
#   scripts/cluster.sh stop          stop the demo cluster (data stays in .cluster/)
#   scripts/cluster.sh psql [db]     open psql on it (default database: taxshare_demo)
#   rm -rf .cluster                  remove it for good (after stop)
source "$(dirname "$0")/lib.sh"

case "${1:-status}" in
start) cluster_start ;;
stop) cluster_stop ;;
status)
	cluster_prepare_dir
	cluster_env
	if cluster_running; then echo "running: PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER"; else echo "not running"; fi
	;;
psql)
	cluster_prepare_dir
	cluster_env
	exec "$PG_BIN/psql" -X -d "${2:-taxshare_demo}"
	;;
*)
	echo "usage: $0 start|stop|status|psql [database]" >&2
	exit 2
	;;
esac
