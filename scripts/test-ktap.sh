#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The summariser must never turn a broken report into a pass: feed it
# documents with known content and compare its counts and exit status.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0 rc=0

# case NAME EXPECTED-SUMMARY EXPECTED-STATUS DOCUMENT
case_()
{
	local got status
	i=$((i + 1))
	printf '%b' "$4" >"$tmp/doc"
	got=$(python3 "$ROOT/scripts/ktap.py" --summary "$tmp/doc")
	status=$?
	if [ "$got" = "$2" ] && [ $status -eq "$3" ]; then
		echo "ok $i $1"
	else
		echo "# got '$got' (status $status), want '$2' (status $3)"
		echo "not ok $i $1"
		rc=1
	fi
}

echo "KTAP version 1"
echo "1..8"
case_ all_pass "2 passed, 0 failed, 0 skipped" 0 'KTAP version 1\n1..2\nok 1 a\nok 2 b\n'
case_ one_fail "1 passed, 1 failed, 0 skipped" 1 'KTAP version 1\n1..2\nok 1 a\nnot ok 2 b\n'
case_ skip_is_not_pass "1 passed, 0 failed, 1 skipped" 0 '1..2\nok 1 a\nok 2 b # SKIP no device\n'
case_ nested_leaves_counted "2 passed, 1 failed, 0 skipped" 1 \
	'1..1\n    1..3\n    ok 1 x\n    ok 2 y\n    not ok 3 z\nnot ok 1 group\n'
case_ ok_parent_over_failed_child "0 passed, 2 failed, 0 skipped" 1 \
	'1..1\n    1..1\n    not ok 1 x\nok 1 group\n'
case_ short_of_plan "1 passed, 1 failed, 0 skipped" 1 '1..3\nok 1 a\n'
case_ empty_report "0 passed, 1 failed, 0 skipped" 1 'KTAP version 1\n'
case_ truncated_subtests "1 passed, 2 failed, 0 skipped" 1 \
	'1..2\nok 1 a\n    1..2\n    ok 1 x\n'
exit $rc
