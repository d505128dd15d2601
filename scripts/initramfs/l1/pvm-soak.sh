#!/bin/sh
# make soak, in L1: the PVM guest, booted as pvm-qemu-boot.sh boots it
# (qboot), runs only its soak_guest test (the guest's soak.sh: stress-ng,
# then trinity) for pvmtest.soak_min=MINUTES of L1's command line (default
# 10), which is passed on to the guest.  QEMU's limit is the soak and ten
# minutes.  The guest's report, with the soak's lines, nests under this
# test's result; the last line counts the panics and oopses in the guest's
# console,
#   soak: guest panics P
# and the test fails when P is not 0.
. /lib/cmdline-minutes.sh
min=$(cmdline_minutes pvmtest.soak_min 10) || { echo "$min"; exit 1; }

rm -f /tmp/pvm-console.txt
PVM_BOOT_APPEND="pvmtest.soak_min=$min" PVM_BOOT_LIMIT=$((min * 60 + 600)) \
	sh "$(dirname "$0")/pvm-qemu-boot.sh" soak_guest -bios /usr/share/qemu/qboot.rom
rc=$?
# pvm-qemu-boot.sh leaves the guest's console, without CRs, here.
panics=$(grep -c -E 'Kernel panic|Oops|BUG:' /tmp/pvm-console.txt 2>/dev/null)
echo "soak: guest panics ${panics:-0}"
[ "${panics:-0}" = 0 ] || exit 1
exit $rc
