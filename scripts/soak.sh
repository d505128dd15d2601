#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make soak': build what is stale, boot L1 and, in it, the PVM guest, which
# runs Debian's stress-ng and then trinity, unprivileged, for SOAK_MIN
# minutes (default 10), trinity for at least 100,000 system calls
# (scripts/initramfs/guest/soak.sh, started by l1/pvm-soak.sh).  Prints one
# line per tool and ends with
#   soak: S s, guest panics P, host complaints C
# (S: the guest's soak test as the guest's init timed it, P: panics and
# oopses in the guest's console, C: alarming lines in L1's console).  Fails
# on P > 0, C > 0, a tool that failed, or a line that is missing.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

min=${SOAK_MIN:-10}
[[ $min =~ ^[0-9]+$ ]] && min=$((10#$min)) && [ "$min" -gt 0 ] ||
	die "SOAK_MIN must be a positive number of minutes"

PVM_SOAK_TOOLS=1 build_stages || exit 1

# pvm-soak.sh gives the guest's QEMU the soak and 600 s; L1's boot and
# module load take minutes under TCG: five more.
l1_append="$l1_append pvmtest.filter=soak_pvm pvmtest.soak_min=$min" \
	L1_TIMEOUT=$((min * 60 + 900)) stage boot-l1 boot_l1
booted=$?

ktap=$(tr -d '\r' <"$BUILD/runs/l1/ktap.log" 2>/dev/null)
console=$BUILD/runs/l1/console.log
status=0

# The soak's lines arrive nested (guest in L1) as diagnostics, "# soak: ...".
soak_line()
{
	sed -n "s/^ *# \(soak: $1\)\$/\1/p" <<<"$ktap" | tail -n 1
}

for tool in stress-ng trinity; do
	line=$(soak_line "$tool .*")
	if [ -n "$line" ]; then
		echo "$line"
	else
		echo "soak: $tool printed no line"
		status=1
	fi
done
if ! grep -q '^ok [0-9]* soak_pvm' <<<"$ktap"; then
	# What the guest and L1 said last: the tools' failures, the guest's
	# end, pvm-soak.sh's reason.
	echo "soak_pvm failed; the end of its report (build/runs/l1/ktap.log):"
	grep '^ *#' <<<"$ktap" | tail -n 40
	status=1
fi

panics=$(soak_line 'guest panics [0-9]*' | sed 's/.* //')
[ -n "$panics" ] || { panics='?'; status=1; }
[ "$panics" = 0 ] || status=1

if [ -s "$console" ]; then
	complaints=$(tr -d '\r' <"$console" | grep -E -c "$LOG_ALARM")
	if ! log_clean "$console" >"$LOGDIR/soak-l1-log.txt"; then
		echo "L1 kernel log is not clean:"
		cat "$LOGDIR/soak-l1-log.txt"
		status=1
	fi
else
	complaints='?'
	status=1
fi

secs=$(sed -n 's/^ *# soak_guest: exit [0-9]* after \([0-9.]*\)s$/\1/p' <<<"$ktap" | tail -n 1)
[ -n "$secs" ] ||
	secs=$(sed -n 's/^ *# soak_pvm: exit [0-9]* after \([0-9.]*\)s$/\1/p' <<<"$ktap" | tail -n 1)
if [ -n "$secs" ]; then
	secs=$(printf '%.0f' "$secs")
else
	secs='?'
	status=1
fi

[ $booted -eq 0 ] || status=1
echo "soak: $secs s, guest panics $panics, host complaints $complaints"
exit $status
