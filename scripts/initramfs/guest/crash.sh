#!/bin/sh
# Crash the kernel on purpose, with LKDTM, when the command line asks for
# it (pvmtest.crash=KIND, an LKDTM crash type such as EXCEPTION or
# EXHAUST_STACK): L1's pvm-guest-crash.sh checks from outside that the
# crash is reported, or ends only this VM.  Returning means the kernel
# survived a crash it should not have.
kind=$(sed -n 's/.*pvmtest\.crash=\([A-Z_]*\).*/\1/p' /proc/cmdline)
[ -n "$kind" ] ||
	{ echo "SKIP: no crash asked for (pvmtest.crash=KIND asks for one)"; exit 4; }
mount -t debugfs none /sys/kernel/debug 2>/dev/null
modprobe lkdtm || exit 1
echo "pvmtest: crashing on purpose: $kind" >/dev/kmsg
echo "$kind" >/sys/kernel/debug/provoke-crash/DIRECT
echo "the kernel survived LKDTM's $kind"
exit 1
