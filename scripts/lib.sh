# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's scripts.  Source it; do not run it.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
KSRC=$BUILD/linux
LOGDIR=$BUILD/logs
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
SOURCE_PKG=linux-source-6.12

# The PVM series: patches/series names the patches in order ('#' starts
# a comment).
series_list()
{
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$ROOT/patches/series"
}

die()
{
	echo "error: $*" >&2
	exit 1
}

now()
{
	date +%s.%N
}

elapsed()
{
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'
}

# stage NAME CMD...: run CMD with its output in $LOGDIR/NAME.log and print
# one line with the outcome and the wall time.  On failure the end of the
# log is shown so that the reason is on the terminal, not only in a file.
stage()
{
	local name=$1 t0 rc
	shift
	mkdir -p "$LOGDIR"
	t0=$(now)
	if "$@" >"$LOGDIR/$name.log" 2>&1; then
		printf '%-22s ok      %s\n' "$name" "$(elapsed "$t0")"
		return 0
	fi
	rc=$?
	printf '%-22s FAILED  %s (exit %d, log: %s)\n' "$name" \
		"$(elapsed "$t0")" "$rc" "${LOGDIR#$ROOT/}/$name.log"
	tail -n 25 "$LOGDIR/$name.log" | sed 's/^/  | /'
	return "$rc"
}

# build_stages: everything an L1 boot needs, built where stale, one stage
# line each (make run, make fuzz, make soak).
build_stages()
{
	stage deps "$ROOT/scripts/deps.sh" &&
		stage tree "$ROOT/scripts/tree.sh" &&
		stage build-host "$ROOT/scripts/kbuild.sh" host &&
		stage build-guest "$ROOT/scripts/kbuild.sh" guest &&
		stage build-selftests "$ROOT/scripts/selftests.sh" &&
		stage image-guest "$ROOT/scripts/mkinitramfs.sh" guest &&
		stage image-l1 "$ROOT/scripts/mkinitramfs.sh" l1
}

kernel_release()
{
	cat "$BUILD/$1/include/config/kernel.release" 2>/dev/null ||
		die "build/$1 has no kernel built: run 'make $1'"
}

# Kernel log lines that mean something went wrong, whatever the tests said.
LOG_ALARM='WARNING: CPU|WARNING: at|BUG:|kernel BUG|Oops|Kernel panic|general protection fault|Call Trace:|UBSAN:|KASAN:|segfault at'

# log_clean FILE: succeed when FILE (a console log) has no alarm line.
log_clean()
{
	[ -s "$1" ] || { echo "$1 is empty or missing"; return 1; }
	if grep -E -n "$LOG_ALARM" "$1"; then
		echo "alarming lines in ${1#$ROOT/} (above)"
		return 1
	fi
	echo "$(wc -l <"$1") lines, none alarming"
}

l1_append="console=ttyS0 pvmtest.ktap=ttyS1 panic=-1 loglevel=7"
guest_append="console=ttyS0 pvmtest.ktap=ttyS1 panic=-1 loglevel=7"
# Above the sum of the L1 list's timeouts (2000 s without the bench_* and
# fuzz_* entries), so that a stuck test is stopped, and named, by L1's init.
L1_TIMEOUT=${L1_TIMEOUT:-2100}

# Both boots hide SMAP: QEMU 7.2's TCG reads the stack of a CPL 3 far
# return or IRET (LRET, IRETQ) with a supervisor access.  With SMAP that is
# a kernel oops natively (x86 selftest sysret_ss_attrs), and in L1 a page
# fault that kvm-pvm retries forever when a PVM guest kernel, which runs at
# CPL 3, executes IRETQ (sync_core()).  Real hardware has no such bug.
boot_l1()
{
	QEMU_CPU_FLAGS=,-smap "$ROOT/scripts/qemu.sh" l1 "$L1_TIMEOUT" "$BUILD/host/arch/x86/boot/bzImage" \
		"$BUILD/l1-initramfs.cpio" 3G -append "$l1_append"
}

# boot_guest_native [RUN EXTRA-APPEND]: runs in build/runs/RUN (guest-native).
boot_guest_native()
{
	QEMU_CPU_FLAGS=,-smap "$ROOT/scripts/qemu.sh" "${1:-guest-native}" 600 \
		"${GUEST_BZIMAGE:-$BUILD/guest/arch/x86/boot/bzImage}" "$BUILD/guest-initramfs.cpio.gz" 512M \
		-append "$guest_append${2:+ $2}"
}

# The PIE guest moved into the linear address range of the RFC's PVM host
# (16 TiB), and a range it must refuse (END not 512 GiB aligned).
PIE_TEST_RANGE=0xffffd90000000000-0xffffe90000000000
PIE_BAD_RANGE=0xffffd90000000000-0xffffe90000001000

# nest: indent a test's output by one KTAP level (one definition, shared
# with the images' init).
. "$ROOT/scripts/initramfs/ktap-nest.sh"
