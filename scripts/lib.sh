# scripts/lib.sh: shared by demo.sh, test.sh and bench/run.sh (source it, don't run it).
#
# Provides: the system packages taxshare needs, building and installing the
# extension, and a throwaway PostgreSQL cluster under the repository (.cluster/)
# run by an unprivileged user, since initdb refuses to run as root.

set -euo pipefail

TAXSHARE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
export PG_CONFIG=${PG_CONFIG:-$PG_BIN/pg_config}
TAXSHARE_PGPORT=${TAXSHARE_PGPORT:-54329}
CLUSTER_DIR=${TAXSHARE_CLUSTER_DIR:-$TAXSHARE_ROOT/.cluster}

# Debian packages: server and headers, libraries taxshare links, test tools
# (pgaudit for the audit recipe's test, pg_cron for test/cron.sh, valgrind for
# the unit tests, clang and its runtime for the fuzzers, clang-format for make
# check-style, headless Chromium and a CJK font for the reports opened in a
# browser: test/report_browser.sh, LibreOffice and openpyxl for the files
# written by other programs: test/formats_template.sh and the fixtures).
TAXSHARE_PACKAGES=(
	"postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" "postgresql-contrib"
	"postgresql-$PG_MAJOR-pgtap" pgtap "postgresql-$PG_MAJOR-pgaudit"
	build-essential pkg-config libxml2-dev libssl-dev libxlsxwriter-dev libzip-dev
	python3-openpyxl python3-pandas python3-xlsxwriter
	valgrind clang libclang-rt-14-dev clang-format
	chromium fonts-noto-cjk "postgresql-$PG_MAJOR-cron" libreoffice-calc-nogui
)

say() { printf '==> %s\n' "$*" >&2; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
	local missing=() p
	for p in "${TAXSHARE_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		say "installing system packages: ${missing[*]}"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >/dev/null
	fi
}

# TAXSHARE_EXTRA_CFLAGS: more compiler flags (the test command builds with
# -Werror -DUSE_ASSERT_CHECKING); a change of flags rebuilds every object.
build_and_install() {
	say "building taxshare${TAXSHARE_EXTRA_CFLAGS:+ with $TAXSHARE_EXTRA_CFLAGS}"
	make -C "$TAXSHARE_ROOT" -s PG_CONFIG="$PG_CONFIG" EXTRA_CFLAGS="${TAXSHARE_EXTRA_CFLAGS:-}" >/dev/null
	say "installing taxshare into $($PG_CONFIG --pkglibdir)"
	as_root make -C "$TAXSHARE_ROOT" -s PG_CONFIG="$PG_CONFIG" EXTRA_CFLAGS="${TAXSHARE_EXTRA_CFLAGS:-}" install >/dev/null
}

# The user that runs the server: the invoking user, or "postgres" when we are root.
cluster_user() {
	if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

as_cluster_user() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u "$(cluster_user)" -- "$@"; else "$@"; fi
}

# Exported connection settings for psql, pg_regress and pg_prove.
cluster_env() {
	export PGHOST="$CLUSTER_DIR" PGPORT="$TAXSHARE_PGPORT" PGUSER=postgres
}

cluster_running() {
	[ -f "$CLUSTER_DIR/data/postmaster.pid" ] &&
		as_cluster_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" status >/dev/null 2>&1
}

# Choose and prepare the cluster directory: .cluster/ under the repository, or a
# directory under /tmp when the server user cannot reach the repository.
cluster_prepare_dir() {
	local u
	u=$(cluster_user)
	mkdir -p "$CLUSTER_DIR"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$u" "$CLUSTER_DIR"
		if ! as_cluster_user test -w "$CLUSTER_DIR"; then
			CLUSTER_DIR=/tmp/taxshare-cluster-$(printf '%s' "$TAXSHARE_ROOT" | md5sum | cut -c1-8)
			say "user $u cannot reach the repository; using $CLUSTER_DIR instead"
			mkdir -p "$CLUSTER_DIR" && chown "$u" "$CLUSTER_DIR"
		fi
	fi
}

# pg_cron is preloaded, so that test/cron.sh can schedule the daily sweep and
# the monthly scoring (docs/operations.md "Scheduling"): its launcher lives in
# the database postgres and runs jobs in background workers (the cluster
# listens on no TCP port for pg_cron's default libpq connections).
CLUSTER_CRON_OPTIONS="-c shared_preload_libraries=pg_cron -c cron.database_name=postgres -c cron.use_background_workers=on -c max_worker_processes=16"

# Start the throwaway cluster unless it runs; CLUSTER_STARTED_HERE says which.
cluster_start() {
	local u
	u=$(cluster_user)
	cluster_prepare_dir
	cluster_env
	if [ ! -f "$CLUSTER_DIR/data/PG_VERSION" ]; then
		say "creating a throwaway cluster in $CLUSTER_DIR (run by $u)"
		as_cluster_user "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
			-E UTF8 --locale=C.UTF-8 >/dev/null
	fi
	if cluster_running; then
		CLUSTER_STARTED_HERE=0
		return
	fi
	say "starting PostgreSQL $PG_MAJOR on port $TAXSHARE_PGPORT (socket in $CLUSTER_DIR)"
	as_cluster_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w \
		-o "-p $TAXSHARE_PGPORT -k $CLUSTER_DIR -c listen_addresses='' $CLUSTER_CRON_OPTIONS" start >/dev/null
	CLUSTER_STARTED_HERE=1
}

cluster_stop() {
	cluster_prepare_dir
	cluster_env
	if cluster_running; then
		say "stopping the throwaway cluster in $CLUSTER_DIR"
		as_cluster_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null
	fi
}

# A cluster of a script's own, beside the throwaway one, for what needs its
# own settings or its own life (pgaudit preloaded, crashes, a restore into a
# fresh cluster): own_cluster_start DIR PORT [SETTING...] initdb's DIR/data,
# adds the settings (lines of postgresql.conf) and starts it with its socket in
# DIR; own_cluster_stop DIR stops it at once.  The caller removes DIR.
own_cluster_start() {
	local dir=$1 port=$2 line
	shift 2
	mkdir -p "$dir"
	if [ "$(id -u)" -eq 0 ]; then chown "$(cluster_user)" "$dir"; fi
	as_cluster_user "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
	{
		echo "listen_addresses = ''"
		echo "port = $port"
		echo "unix_socket_directories = '$dir'"
		for line in "$@"; do echo "$line"; done
	} >>"$dir/data/postgresql.conf"
	as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
}

own_cluster_stop() {
	as_cluster_user "$PG_BIN/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}

# Drop and create a database with pgtap (optional) and taxshare installed.
fresh_database() {
	local db=$1
	shift
	PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -d postgres -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
	local ext
	for ext in "$@"; do
		"$PG_BIN/psql" -X -q -d "$db" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION $ext"
	done
}
