#!/bin/sh
# Debian's QEMU, copied into the image with its libraries and firmware,
# starts in L1 and finds its TCG accelerator module.
set -e
qemu-system-x86_64 -version | head -n 1
qemu-system-x86_64 -accel help | tee /tmp/accels
grep -qx tcg /tmp/accels
grep -qx kvm /tmp/accels
for f in /usr/share/qemu/qboot.rom /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin; do
	test -s "$f" || { echo "firmware $f missing"; exit 1; }
done
