#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, from Debian's archive only, every package the project needs.
# Quiet and quick when nothing is missing.
set -euo pipefail

pkgs=(
	linux-source-6.12		# the kernel source (both kernels)
	build-essential bc bison flex libelf-dev libssl-dev dwarves xz-utils
	ccache				# rebuilds in seconds, not minutes
	kmod cpio busybox-static	# modules_install, test images
	gcc-multilib libc6-dev-i386	# the x86 selftests need -m32 even for 64-bit tests
	qemu-system-x86			# L0 runs L1; the L1 image carries it too
	git perl python3 rsync	# tree, checkpatch, KTAP summary, headers_install
	stress-ng trinity		# make soak: the PVM guest's load (its image carries both)
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
[ "$(id -u)" -eq 0 ] || { echo "error: installing packages needs root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
