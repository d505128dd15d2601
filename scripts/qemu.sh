#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu.sh RUN TIMEOUT KERNEL INITRD MEMORY [QEMU ARGS...]
#
# Boot KERNEL with INITRD under Debian's QEMU on this machine with a hard
# timeout.  The console goes to build/runs/RUN/console.log, the image's
# KTAP report (second serial port) to build/runs/RUN/ktap.log.  A run that
# does not end in TIMEOUT seconds is killed and reported as hung, naming
# RUN, so a stuck boot never stalls 'make run' or CI.
#
# QEMU_CPU_FLAGS (e.g. ",-smap") is appended to the TCG CPU model.
#
# Accelerator: ACCEL=tcg (default) or ACCEL=auto, which uses KVM only when
# /dev/kvm exists and a probe boot on it (cached in build/accel) reached
# init and reported KTAP in time.  On the machines this project is built on
# KVM does not run guests to completion, so TCG is the default.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

run=$1 tmo=$2 kernel=$3 initrd=$4 mem=$5
shift 5
dir=$BUILD/runs/$run
rm -rf "$dir"
mkdir -p "$dir"

accel_args()
{
	local accel=${ACCEL:-tcg} probe=$BUILD/accel

	if [ "$accel" = auto ]; then
		if [ ! -f "$probe" ]; then
			accel=tcg
			if [ -w /dev/kvm ] &&
			   ACCEL=kvm "$0" accel-probe 30 "$BUILD/guest/arch/x86/boot/bzImage" \
				"$BUILD/guest-initramfs.cpio.gz" 256M -append \
				"console=ttyS0 pvmtest.ktap=ttyS1 pvmtest.filter=guest_basics panic=-1" \
				>/dev/null 2>&1 &&
			   ! grep -q '^not ok' "$BUILD/runs/accel-probe/ktap.log"; then
				accel=kvm
			fi
			echo "$accel" >"$probe"
		fi
		accel=$(cat "$probe")
	fi
	case $accel in
	kvm) echo "-accel kvm -cpu host,-arch-capabilities" ;;
	tcg) echo "-accel tcg -cpu max,-svm,-la57${QEMU_CPU_FLAGS:-}" ;;
	*) die "ACCEL=$accel: use tcg, kvm or auto" ;;
	esac
}

for f in "$kernel" "$initrd"; do
	[ -f "$f" ] || die "$run: $f does not exist"
done

accel=$(accel_args)
set +e
# shellcheck disable=SC2086
timeout -k 5 "$tmo" qemu-system-x86_64 $accel -m "$mem" -smp 2 \
	-nodefaults -display none -no-reboot -monitor none \
	-kernel "$kernel" -initrd "$initrd" \
	-serial file:"$dir/console.log" -serial file:"$dir/ktap.log" \
	"$@" </dev/null >"$dir/qemu.log" 2>&1
rc=$?
set -e
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "last console lines of $run:" >&2
	tail -n 15 "$dir/console.log" >&2
	echo "$run hung: stopped after ${tmo}s (running: $(tr -d '\r' <"$dir/console.log" |
		sed -n 's/^pvmtest: running \([^ ]*\).*/\1/p' | tail -n 1))" >&2
	exit 124
fi
if [ $rc -ne 0 ]; then
	cat "$dir/qemu.log" >&2
	die "$run: qemu exited with $rc"
fi
if ! grep -q '^ok \|^not ok ' "$dir/ktap.log"; then
	tail -n 25 "$dir/console.log" >&2
	die "$run: the image reported no results (console above)"
fi
