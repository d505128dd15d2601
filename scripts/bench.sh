#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Timings ('make bench'), kept out of the tests: wall time on this machine
# under TCG, the median of RUNS boots (default 3) for the first two and of
# RUNS_NESTED (default 1) for the nested ones, which take minutes each.
#   guest_native_boot   the guest kernel under plain QEMU, start to power-off,
#                       running only guest_basics
#   l1_boot             the L1 host, start to power-off, running only
#                       qemu_runs_in_l1
#   l2_in_l1_seabios    the guest started by L1's QEMU (TCG inside TCG) with
#   l2_in_l1_qboot      SeaBIOS or qboot, as timed by L1 around its QEMU
#   pvm_round_trip      in L1, one round trip through kvm-pvm: hypercall,
#                       supervisor #UD + ERETS, user #UD + ERETU (ns each)
#   pie_cost            the guest's getppid and page-fault costs (ns each,
#                       medians of RUNS boots) for an ordinary build
#                       (build/guest-nopie, built here if missing), the PIE
#                       guest, and the PIE guest moved to PIE_TEST_RANGE,
#                       with each PIE figure's ratio to the ordinary one;
#                       then the sizes of both vmlinux files
# Needs the images: run 'make check' or 'make run' first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=${RUNS:-3}
runs_nested=${RUNS_NESTED:-1}

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
	[ -n "$vals" ] || die "$name: no measurement"
	printf '%-20s median %6ss  runs %s\n' "$name" "$(echo "$vals" | median)" \
		"$(echo "$vals" | tr '\n' ' ')"
}

# repeat N CMD...: run CMD N times.
repeat()
{
	local n=$1 i
	shift
	for i in $(seq "$n"); do
		"$@"
	done
}

# nested TEST: L1 runs only TEST; print the time L1 measured around it.
nested()
{
	l1_append="$l1_append pvmtest.filter=$1" boot_l1 >/dev/null
	tr -d '\r' <"$BUILD/runs/l1/ktap.log" | sed -n "s/^# $1: exit 0 after \([0-9.]*\)s$/\1/p" |
		grep . || die "$1 did not pass; see build/runs/l1/"
}

# An assignment in front of a function call lasts for that call only.
guest_append="$guest_append pvmtest.filter=guest_basics" \
	repeat "$runs" timed boot_guest_native | report guest_native_boot
l1_append="$l1_append pvmtest.filter=qemu_runs_in_l1" \
	repeat "$runs" timed boot_l1 | report l1_boot
repeat "$runs_nested" nested l2_tcg_boot | report l2_in_l1_seabios
repeat "$runs_nested" nested l2_tcg_boot_qboot | report l2_in_l1_qboot

# The kvm-pvm round trips are measured inside L1 by pvm_host_bench.
l1_append="$l1_append pvmtest.filter=bench_pvm_round_trip" boot_l1 >/dev/null
tr -d '\r' <"$BUILD/runs/l1/ktap.log" | sed -n 's/^ *# pvm_round_trip //p' | grep . ||
	die "bench_pvm_round_trip printed nothing; see build/runs/l1/"

# pie_bench RUN KERNEL [APPEND]: one guest boot running only bench_pie;
# prints "syscall_ns fault_ns".
pie_bench()
{
	GUEST_BZIMAGE=$2 boot_guest_native "$1" "pvmtest.filter=bench_pie${3:+ $3}" >/dev/null
	tr -d '\r' <"$BUILD/runs/$1/ktap.log" |
		awk '/# pie_bench syscall_ns/ { s = $NF } /# pie_bench fault_ns/ { f = $NF }
		     END { if (s == "" || f == "") exit 1; print s, f }' ||
		die "bench_pie printed nothing; see build/runs/$1/"
}

[ -f "$BUILD/guest-nopie/arch/x86/boot/bzImage" ] ||
	"$ROOT/scripts/kbuild.sh" guest-nopie >/dev/null
nopie=$(repeat "$runs" pie_bench pie-nopie "$BUILD/guest-nopie/arch/x86/boot/bzImage")
pie=$(repeat "$runs" pie_bench pie-pie "$BUILD/guest/arch/x86/boot/bzImage")
moved=$(repeat "$runs" pie_bench pie-moved "$BUILD/guest/arch/x86/boot/bzImage" \
	"pie_range=$PIE_TEST_RANGE")
col()
{
	awk -v c="$1" '{ print $c }' | median
}
for k in 1 2; do
	name=$([ $k = 1 ] && echo syscall || echo page_fault)
	base=$(echo "$nopie" | col $k)
	for v in pie moved; do
		val=$(echo "${!v}" | col $k)
		printf 'pie_cost %-10s %-6s %8s ns  nopie %8s ns  ratio %s\n' "$name" "$v" "$val" "$base" \
			"$(awk -v a="$val" -v b="$base" 'BEGIN { printf "%.3f", a / b }')"
	done
done
for b in guest-nopie guest; do
	size "$BUILD/$b/vmlinux" | awk -v b="$b" 'NR == 2 { printf "pie_cost size %-12s text %s data %s bss %s\n", b, $1, $2, $3 }'
done
