#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job ('make run'): build what is stale, boot the L1 host under
# QEMU, let it run its tests (which start the guest with L1's QEMU), and
# print the results carried out of L1.  One line per stage with its time.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

t0=$(now)
build_stages || exit 1
stage boot-l1 boot_l1
booted=$?

echo "== results from L1 (build/runs/l1/ktap.log)"
if [ -s "$BUILD/runs/l1/ktap.log" ]; then
	python3 "$ROOT/scripts/ktap.py" "$BUILD/runs/l1/ktap.log"
	status=$?
else
	echo "L1 reported nothing; console: build/runs/l1/console.log"
	status=1
fi
if ! log_clean "$BUILD/runs/l1/console.log" >"$LOGDIR/l1-log.txt"; then
	echo "L1 kernel log is not clean:"
	cat "$LOGDIR/l1-log.txt"
	status=1
fi
echo "== total $(elapsed "$t0")"
[ $booted -eq 0 ] && exit $status
exit 1
