#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh guest|l1: the test images.
#   guest  build/guest-initramfs.cpio.gz: busybox, init, guest tests, the
#          guest kernel's modules, the PVM selftests and the kernel's
#          64-bit x86 selftests.
#   l1     build/l1-initramfs.cpio: busybox, init, the host kernel's modules,
#          Debian's qemu-system-x86_64 with its libraries, TCG module and
#          firmware, the guest kernel and guest image, host tests.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

what=${1:?usage: mkinitramfs.sh guest|l1}
root=$BUILD/initramfs-$what
rm -rf "$root"
mkdir -p "$root"/{bin,dev,etc,proc,sys,tmp,tests,lib/modules}

busybox=/bin/busybox
dpkg-query -W busybox-static >/dev/null 2>&1 && [ -x "$busybox" ] ||
	die "$busybox is not the static busybox: run 'make deps' (busybox-static)"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$ROOT/scripts/initramfs/init" "$root/init"
# The init's nest(), the same definition that lib.sh sources.
install -m 644 "$ROOT/scripts/initramfs/ktap-nest.sh" "$root/lib/ktap-nest.sh"
install -m 644 "$ROOT/scripts/initramfs/cmdline-minutes.sh" "$root/lib/cmdline-minutes.sh"
mknod -m 600 "$root/dev/console" c 5 1
echo "$what" >"$root/etc/pvm-role"
echo "$LOG_ALARM" >"$root/etc/log-alarm"

# Copy the shared libraries that the binary $1 needs to their paths inside
# the image, following links.
copy_libs()
{
	local lib

	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# Copy files to the same paths inside the image, with their libraries.
copy_with_libs()
{
	local f

	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		copy_libs "$f"
	done
}

case $what in
guest)
	[ -x "$BUILD/selftests/pvm/pvm_abi_test" ] || die "no PVM selftests: run 'make selftests'"
	install -m 755 "$ROOT"/scripts/initramfs/guest/*.sh "$root/tests/"
	cp -a "$BUILD/selftests/pvm" "$root/tests/pvm"
	# The host tests need kvm-pvm: they run in L1, not here.
	rm -rf "$root/tests/pvm/host" "$root/tests/pvm/lib"
	cp "$ROOT/scripts/initramfs/guest/list" "$root/tests/list"
	rel=$(kernel_release guest)
	cp -a "$BUILD/guest/modules-install/lib/modules/$rel" "$root/lib/modules/"
	# The x86 selftests are dynamically linked: bring glibc along.
	mkdir -p "$root/tests/x86"
	# known FILE NAME: the reason FILE gives for x86 selftest NAME, if any.
	known()
	{
		awk -F'\t' -v n="$2" '$1 == n { print $2 }' "$ROOT/scripts/initramfs/guest/$1"
	}
	for t in "$BUILD"/selftests/x86/*_64; do
		n=$(basename "$t")
		cp "$t" "$root/tests/x86/$n"
		copy_libs "$t"
		# A known failure runs under xfail.sh, in its list's mode.
		mode=always reason=$(known x86-known-failures "${n%_64}")
		[ -n "$reason" ] || mode=pvm reason=$(known x86-pvm-known-failures "${n%_64}")
		if [ -n "$reason" ]; then
			echo "x86_${n%_64} 600 /tests/xfail.sh $mode '$reason' /tests/x86/$n"
		else
			echo "x86_${n%_64} 600 /tests/x86/$n"
		fi >>"$root/tests/list"
	done
	# make soak (soak.sh, PVM_SOAK_TOOLS=1): Debian's stress-ng and trinity,
	# with their libraries as above, and the user trinity runs as.  Only
	# then: they add about 12 MB, compressed, to every guest boot.
	if [ -n "${PVM_SOAK_TOOLS:-}" ]; then
		for f in /usr/bin/stress-ng /usr/bin/trinity; do
			[ -x "$f" ] || die "$f missing: run 'make deps' (stress-ng, trinity)"
			copy_with_libs "$f"
		done
		grep -qs '^root:' "$root/etc/passwd" || echo 'root:x:0:0:root:/root:/bin/sh' >>"$root/etc/passwd"
		grep -qs '^nobody:' "$root/etc/passwd" ||
			echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>"$root/etc/passwd"
		grep -qs '^root:' "$root/etc/group" || echo 'root:x:0:' >>"$root/etc/group"
		grep -qs '^nogroup:' "$root/etc/group" || echo 'nogroup:x:65534:' >>"$root/etc/group"
	fi
	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$BUILD/guest-initramfs.cpio.gz"
	echo "guest image: $(du -h "$BUILD/guest-initramfs.cpio.gz" | cut -f1)"
	;;
l1)
	rel=$(kernel_release host)
	[ -f "$BUILD/guest/arch/x86/boot/bzImage" ] || die "no guest kernel: run 'make guest'"
	[ -f "$BUILD/guest-initramfs.cpio.gz" ] || die "no guest image: run 'make initramfs'"
	cp -a "$BUILD/host/modules-install/lib/modules/$rel" "$root/lib/modules/"

	qemu=/usr/bin/qemu-system-x86_64
	[ -x $qemu ] || die "$qemu missing: run 'make deps' (qemu-system-x86)"
	copy_with_libs $qemu /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
	for f in /usr/share/qemu/{qboot.rom,linuxboot.bin,linuxboot_dma.bin,pvh.bin,kvmvapic.bin,multiboot_dma.bin} \
		 /usr/share/seabios/{bios-256k.bin,bios-microvm.bin}; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
	mkdir -p "$root/guest"
	cp "$BUILD/guest/arch/x86/boot/bzImage" "$root/guest/bzImage"
	cp "$BUILD/guest-initramfs.cpio.gz" "$root/guest/initramfs.cpio.gz"

	ls "$BUILD"/selftests/pvm/host/*_test >/dev/null 2>&1 ||
		die "no PVM host selftests: run 'make selftests'"
	mkdir -p "$root/tests/pvm/host"
	cp "$BUILD"/selftests/pvm/host/*_test "$root/tests/pvm/host/"
	cp "$BUILD/selftests/pvm/pvm_host_bench" "$BUILD/selftests/pvm/pvm_fuzz" "$root/tests/pvm/"
	install -m 755 "$ROOT"/scripts/initramfs/l1/*.sh "$root/tests/"
	cp "$ROOT/scripts/initramfs/l1/list" "$root/tests/list"
	# Uncompressed: under TCG, inflating ~100 MB costs more than loading it.
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$BUILD/l1-initramfs.cpio"
	echo "L1 image: $(du -h "$BUILD/l1-initramfs.cpio" | cut -f1)"
	;;
*)
	die "unknown image $what"
	;;
esac
