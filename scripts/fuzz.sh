#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make fuzz': build what is stale, boot L1 and run kvm-pvm's fuzzer there
# for FUZZ_MIN minutes (default 30), seed FUZZ_SEED (default: the time),
# with FUZZ_ARGS as further options of the fuzzer (pvm_fuzz -h; say
# FUZZ_ARGS="-f 120 -N" to start at VM 120 without host NMIs).
# Prints the fuzzer's findings and its summary line,
#   fuzz: N hostile inputs, V VMs, S s, seed X, host complaints C
# and fails when the fuzzer did (a complaint in L1's log, counted by the
# fuzzer) or L1's console shows trouble the fuzzer could not see (a panic
# or lockup that ended L1).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

min=${FUZZ_MIN:-30}
seed=${FUZZ_SEED:-$(date +%s)}
args=$(echo "${FUZZ_ARGS:-}" | tr -s ' ' +)
[[ $min =~ ^[0-9]+$ && $min -gt 0 && $seed =~ ^[0-9]+$ ]] ||
	die "FUZZ_MIN must be a positive number of minutes, FUZZ_SEED a number"

build_stages || exit 1

# L1's boot and module load take minutes under TCG; give them ten more.
l1_append="$l1_append pvmtest.filter=fuzz_pvm pvmtest.fuzz_min=$min pvmtest.fuzz_seed=$seed${args:+ pvmtest.fuzz_args=$args}" \
	L1_TIMEOUT=$((min * 60 + 600)) stage boot-l1 boot_l1
booted=$?

ktap=$BUILD/runs/l1/ktap.log
status=0
tr -d '\r' <"$ktap" 2>/dev/null | sed -n 's/^ *\(# host complaint.*\)$/\1/p'
line=$(tr -d '\r' <"$ktap" 2>/dev/null | sed -n 's/^ *# \(fuzz: .*\)$/\1/p' | tail -n 1)
if [ -z "$line" ]; then
	echo "the fuzzer printed no summary; see build/runs/l1/console.log"
	tr -d '\r' <"$BUILD/runs/l1/console.log" | tail -n 30
	status=1
else
	tr -d '\r' <"$ktap" | sed -n 's/^ *\(# exits to user space .*\)$/\1/p'
	echo "$line"
	grep -q '^ok [0-9]* fuzz_pvm' <(tr -d '\r' <"$ktap") || status=1
fi
if ! log_clean "$BUILD/runs/l1/console.log" >"$LOGDIR/fuzz-l1-log.txt"; then
	echo "L1 kernel log is not clean:"
	cat "$LOGDIR/fuzz-l1-log.txt"
	status=1
fi
[ $booted -eq 0 ] || status=1
exit $status
