# Sourced by the L1 scripts that start the PVM guest (pvm-qemu-boot.sh,
# pvm-guest-crash.sh): how Debian's QEMU runs it on /dev/kvm, served by
# kvm-pvm, with the guest kernel and its test image.
#
# PVM_QEMU: the command, to which a script adds the firmware, -append and
# the rest.  QEMU's default CPU model plus UMIP (the guest kernel then
# emulates SGDT and friends for user mode, which decodes user instructions
# through its own GDT) and RDTSCP (the guest's MSR test reads back TSC_AUX
# with it).  "-cpu max" is not used yet: with it the guest hangs under
# microvm (docs/design/pvm-guest.md).  QEMU runs on L1's CPU 1, so that
# the guest's CPU 0 is never the host's: a guest that read the host's CPU
# number (the host GDT's CPUNODE entry) instead of its own would see 1.
PVM_QEMU="taskset -c 1 qemu-system-x86_64 -accel kvm -cpu qemu64,+umip,+rdtscp -m 256M -smp 1
	-nodefaults -display none -no-reboot
	-kernel /guest/bzImage -initrd /guest/initramfs.cpio.gz"

# PVM_APPEND: what every guest command line starts with.  noreplace-smp
# keeps the LOCK prefixes of this one-CPU guest.  A uniprocessor kernel
# turns them into DS prefixes, and the TCG of QEMU 7.2, which runs L1
# here, adds DS's base to DS-prefixed accesses in 64-bit mode, which
# hardware ignores.  The guest kernel runs with user mode's DS, so a user
# DS with a base (the x86 ldt_gdt test loads one) sent its locked accesses
# astray (docs/design/pvm-guest.md).
PVM_APPEND="console=ttyS0 noreplace-smp"

# kvm-pvm reports the course of a guest through its tracepoints
# (events/kvm_pvm in tracefs), not in the kernel log.  pvm_trace_start
# EVENT... empties the trace buffer and enables those kvm_pvm events only;
# pvm_trace_stop disables them again and leaves what they recorded in
# $PVM_TRACE_LOG.
PVM_TRACEFS=/sys/kernel/tracing
PVM_TRACE_LOG=/tmp/pvm-trace.txt
pvm_trace_start()
{
	local e

	[ -d $PVM_TRACEFS/events/kvm_pvm ] || return 1
	echo 0 >$PVM_TRACEFS/events/kvm_pvm/enable
	for e in "$@"; do
		echo 1 >$PVM_TRACEFS/events/kvm_pvm/$e/enable || return 1
	done
	echo >$PVM_TRACEFS/trace
}

pvm_trace_stop()
{
	echo 0 >$PVM_TRACEFS/events/kvm_pvm/enable
	grep -v '^#' $PVM_TRACEFS/trace >$PVM_TRACE_LOG
}
