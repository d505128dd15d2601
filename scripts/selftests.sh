#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build tools/testing/selftests/pvm and the 64-bit x86 selftests against
# the UAPI headers of the assembled tree, into build/selftests/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -f "$BUILD/guest/.config" ] || die "no guest build: run 'make guest'"
make -C "$KSRC" O="$BUILD/guest" INSTALL_HDR_PATH="$BUILD/headers" headers_install >/dev/null
mkdir -p "$BUILD/selftests/pvm"
make -C "$KSRC/tools/testing/selftests/pvm" OUTPUT="$BUILD/selftests/pvm" \
	KHDR_INCLUDES="-isystem $BUILD/headers/include"

# The kernel's own x86 selftests, 64-bit only: the guest runs them natively
# now and as a PVM guest later, so both runs use the same binaries.
mkdir -p "$BUILD/selftests/x86"
make -C "$KSRC/tools/testing/selftests/x86" OUTPUT="$BUILD/selftests/x86" \
	KHDR_INCLUDES="-isystem $BUILD/headers/include" all_64
ls "$BUILD"/selftests/x86/*_64 >/dev/null || die "no x86 selftest was built"
