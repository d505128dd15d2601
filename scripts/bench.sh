#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Timings ('make bench'), kept out of the tests: each figure is the median
# of RUNS boots (default 3), wall time on this machine under TCG.
#   guest_native_boot   the guest kernel under plain QEMU, start to power-off
#   l1_boot             the L1 host to init, one quick test, power-off
#   l2_in_l1_boot       the guest started by L1's QEMU (TCG inside TCG),
#                       as measured by L1 around its QEMU
# Needs the images: run 'make check' or 'make run' first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=${RUNS:-3}

median()
{
	sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}

timed()
{
	local t0
	t0=$(now)
	"$@" >/dev/null
	awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f\n", b - a }'
}

report()
{
	local name=$1 vals
	vals=$(cat)
	printf '%-20s median %5ss  runs %s\n' "$name" "$(echo "$vals" | median)" \
		"$(echo "$vals" | tr '\n' ' ')"
}

for i in $(seq "$runs"); do
	timed boot_guest_native
done | report guest_native_boot

l1_append="$l1_append pvmtest.filter=qemu_runs_in_l1"
for i in $(seq "$runs"); do
	timed boot_l1
done | report l1_boot

l1_append="${l1_append% *} pvmtest.filter=l2_tcg_boot"
for i in $(seq "$runs"); do
	boot_l1 >/dev/null
	sed -n 's/^# l2_tcg_boot: exit 0 after \([0-9.]*\)s$/\1/p' "$BUILD/runs/l1/ktap.log" |
		grep . || die "l2_tcg_boot did not pass; see build/runs/l1/"
done | report l2_in_l1_boot
