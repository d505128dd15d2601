#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build tools/testing/selftests/pvm against the UAPI headers of the
# assembled tree, into build/selftests/pvm.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -f "$BUILD/guest/.config" ] || die "no guest build: run 'make guest'"
make -C "$KSRC" O="$BUILD/guest" INSTALL_HDR_PATH="$BUILD/headers" headers_install >/dev/null
mkdir -p "$BUILD/selftests/pvm"
make -C "$KSRC/tools/testing/selftests/pvm" OUTPUT="$BUILD/selftests/pvm" \
	KHDR_INCLUDES="-isystem $BUILD/headers/include"
