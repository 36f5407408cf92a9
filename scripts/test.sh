#!/usr/bin/env bash
# scripts/test.sh: every test suite, on a fresh Debian 12 machine or a used one.
#
# Installs the system packages it lacks, builds and installs taxshare, starts
# the throwaway cluster (and stops it again if it started it), then runs
#   - pg_regress: sql/*.sql against expected/*.out
#   - pgTAP:      test/pgtap/*.sql through pg_prove
#   - test/*.sh:  TAP scripts that need several databases (dump and restore,
#                 upgrades from every kept release)
#   - C unit tests of the pure cores (test/unit/test_*.c), under valgrind
#   - make core-check (the pure cores need no server header), make
#     symbol-check (no symbol clashes with the server's) and make
#     check-style (clang-format), one result each
#   - every fuzzer for a few seconds from its seeds (make fuzz-smoke)
# and ends with one line "N passed, N failed" over all of them.  The
# extension is built with -Werror -DUSE_ASSERT_CHECKING, so a warning fails
# the build and the server checks the extension's Assert()s.
source "$(dirname "$0")/lib.sh"
cd "$TAXSHARE_ROOT"

OUT=$TAXSHARE_ROOT/out/test
mkdir -p "$OUT"
passed=0
failed=0

ensure_packages
export TAXSHARE_EXTRA_CFLAGS=${TAXSHARE_EXTRA_CFLAGS--Werror -DUSE_ASSERT_CHECKING}
if ! build_and_install >"$OUT/build.log" 2>&1; then
	cat "$OUT/build.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
as_root make -s PG_CONFIG="$PG_CONFIG" install-upgrade-bases >/dev/null
cluster_start
if [ "$CLUSTER_STARTED_HERE" = 1 ]; then trap cluster_stop EXIT; fi

# pg_regress: one result per test file.
say "pg_regress: sql/ -> expected/"
set +e
make -s installcheck PG_CONFIG="$PG_CONFIG" >"$OUT/regress.log" 2>&1
set -e
r_ok=$(grep -cE '\.\.\. ok' "$OUT/regress.log" || true)
r_bad=$(grep -cE '\.\.\. FAILED' "$OUT/regress.log" || true)
grep -E '\.\.\. (ok|FAILED)' "$OUT/regress.log" | sed 's/^/    /' >&2 || true
if [ "$r_ok" -eq 0 ] && [ "$r_bad" -eq 0 ]; then
	cat "$OUT/regress.log" >&2
	r_bad=1
fi
if [ -f regression.diffs ]; then
	say "regression.diffs (first 200 lines):"
	head -200 regression.diffs >&2
fi
say "pg_regress: $r_ok passed, $r_bad failed"
passed=$((passed + r_ok))
failed=$((failed + r_bad))

# pgTAP: one result per assertion; a file that dies before its plan counts as one failure.
say "pgTAP: test/pgtap/*.sql"
t_ok=0
t_bad=0
fresh_database taxshare_tap pgtap taxshare
for f in test/pgtap/*.sql; do
	[ -e "$f" ] || continue
	set +e
	pg_prove -v -d taxshare_tap "$f" >"$OUT/pgtap-$(basename "$f" .sql).log" 2>&1
	rc=$?
	set -e
	log="$OUT/pgtap-$(basename "$f" .sql).log"
	ok_n=$(grep -cE '^ok [0-9]+' "$log" || true)
	bad_n=$(grep -cE '^not ok [0-9]+' "$log" || true)
	if [ "$rc" -ne 0 ] && [ "$bad_n" -eq 0 ]; then bad_n=1; fi
	if [ "$rc" -ne 0 ]; then
		say "pgTAP $f failed:"
		grep -vE '^ok [0-9]+' "$log" | head -60 >&2
	fi
	printf '    %-40s %d passed, %d failed\n' "$f" "$ok_n" "$bad_n" >&2
	t_ok=$((t_ok + ok_n))
	t_bad=$((t_bad + bad_n))
done
say "pgTAP: $t_ok passed, $t_bad failed"
passed=$((passed + t_ok))
failed=$((failed + t_bad))

# Shell TAP tests that need more than one database (test/*.sh, e.g. dump and restore).
say "cluster TAP scripts: test/*.sh"
s_ok=0
s_bad=0
for t in test/*.sh; do
	[ -e "$t" ] || continue
	log="$OUT/script-$(basename "$t" .sh).log"
	set +e
	PG_BIN="$PG_BIN" bash "$t" >"$log" 2>&1
	rc=$?
	set -e
	ok_n=$(grep -cE '^ok [0-9]+' "$log" || true)
	bad_n=$(grep -cE '^not ok [0-9]+' "$log" || true)
	if [ "$rc" -ne 0 ] && [ "$bad_n" -eq 0 ]; then bad_n=1; fi
	if [ "$rc" -ne 0 ]; then
		say "$t failed (exit $rc):"
		grep -vE '^ok [0-9]+' "$log" | head -40 >&2
	fi
	printf '    %-40s %d passed, %d failed\n' "$t" "$ok_n" "$bad_n" >&2
	s_ok=$((s_ok + ok_n))
	s_bad=$((s_bad + bad_n))
done
passed=$((passed + s_ok))
failed=$((failed + s_bad))

# C unit tests of the pure cores, each under valgrind.
say "C unit tests: test/unit/test_*.c (valgrind)"
u_ok=0
u_bad=0
if make -s unit >"$OUT/unit-build.log" 2>&1; then
	for t in test/unit/bin/test_*; do
		[ -x "$t" ] || continue
		log="$OUT/unit-$(basename "$t").log"
		set +e
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
			"$t" >"$log" 2>&1
		rc=$?
		set -e
		ok_n=$(grep -cE '^ok [0-9]+' "$log" || true)
		bad_n=$(grep -cE '^not ok [0-9]+' "$log" || true)
		if [ "$rc" -ne 0 ] && [ "$bad_n" -eq 0 ]; then bad_n=1; fi
		if [ "$rc" -ne 0 ]; then
			say "$t failed (exit $rc):"
			grep -vE '^ok [0-9]+' "$log" | head -60 >&2
		fi
		printf '    %-40s %d passed, %d failed\n' "$t" "$ok_n" "$bad_n" >&2
		u_ok=$((u_ok + ok_n))
		u_bad=$((u_bad + bad_n))
	done
else
	cat "$OUT/unit-build.log" >&2
	u_bad=1
fi
say "C unit tests: $u_ok passed, $u_bad failed"
passed=$((passed + u_ok))
failed=$((failed + u_bad))

# Build checks: one result each.
say "build checks: make core-check, make symbol-check, make check-style"
for target in core-check symbol-check check-style; do
	if make -s "$target" PG_CONFIG="$PG_CONFIG" EXTRA_CFLAGS="${TAXSHARE_EXTRA_CFLAGS:-}" >"$OUT/$target.log" 2>&1; then
		printf '    %-40s passed\n' "make $target" >&2
		passed=$((passed + 1))
	else
		say "make $target failed:"
		head -60 "$OUT/$target.log" >&2
		failed=$((failed + 1))
	fi
done

# Fuzz smoke: every fuzzer replays test/fuzz/seeds and fuzzes a few seconds.
say "fuzz smoke: test/fuzz/fuzz_*.c (make fuzz-smoke)"
set +e
make -s -j2 fuzz-smoke PG_CONFIG="$PG_CONFIG" >"$OUT/fuzz-smoke.log" 2>&1
rc=$?
set -e
f_ok=$(grep -cE '^ok [0-9]+' "$OUT/fuzz-smoke.log" || true)
f_bad=$(grep -cE '^not ok [0-9]+' "$OUT/fuzz-smoke.log" || true)
if [ "$rc" -ne 0 ]; then
	[ "$f_bad" -gt 0 ] || f_bad=1
	grep -vE '^ok [0-9]+' "$OUT/fuzz-smoke.log" | head -60 >&2
fi
say "fuzz smoke: $f_ok passed, $f_bad failed"
passed=$((passed + f_ok))
failed=$((failed + f_bad))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
