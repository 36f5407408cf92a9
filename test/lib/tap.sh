# test/lib/tap.sh: TAP output for the cluster scripts test/*.sh (source it).
#
# check NAME GOT WANT      ok when GOT equals WANT (multi-line values are shown
#                          line by line on failure)
# check_same NAME GOT WANT ok when the files GOT and WANT are equal (a diff is
#                          shown on failure)
# tap_done                 prints the plan and fails when a check failed
tap_n=0
tap_failed=0

check() {
	tap_n=$((tap_n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $tap_n - $1"
	else
		echo "not ok $tap_n - $1"
		printf '%s\n' "$2" | head -40 | sed 's/^/#   got: /'
		printf '%s\n' "$3" | head -40 | sed 's/^/#   expected: /'
		tap_failed=$((tap_failed + 1))
	fi
}

check_same() {
	tap_n=$((tap_n + 1))
	if diff -u "$3" "$2" >/dev/null 2>&1; then
		echo "ok $tap_n - $1"
	else
		echo "not ok $tap_n - $1"
		diff -u "$3" "$2" | head -60 | sed 's/^/#   /'
		tap_failed=$((tap_failed + 1))
	fi
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
