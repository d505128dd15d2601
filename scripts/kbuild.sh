#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbuild.sh host|guest|<base>-<variant>: out-of-tree build of one kernel in
# build/<name>, from allnoconfig plus configs/common.config and
# configs/<name>.config.  A variant such as guest-nopie adds
# configs/guest-nopie.config on top of configs/guest.config.  A fragment
# value that Kconfig drops (a typo, an unmet dependency) is an error, not a
# silent difference (KCONFIG_LENIENT=1 lists them instead: make
# bisect-check builds trees that predate some of the symbols).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: kbuild.sh host|guest|<base>-<variant>}
out=$BUILD/$name
frags=("$ROOT/configs/common.config")
if [ "${name%%-*}" != "$name" ]; then
	[ -f "$ROOT/configs/${name%%-*}.config" ] || die "no configs/${name%%-*}.config"
	frags+=("$ROOT/configs/${name%%-*}.config")
fi
frags+=("$ROOT/configs/$name.config")
[ -f "${frags[-1]}" ] || die "no configs/$name.config"
[ -f "$KSRC/Makefile" ] || die "no kernel tree: run 'make tree'"
mkdir -p "$out"

jobs=${JOBS:-$(($(nproc) + 1))}
kmake=(make -C "$KSRC" O="$out" -j"$jobs" CC="ccache gcc" HOSTCC="ccache gcc"
       KBUILD_BUILD_USER=pvm KBUILD_BUILD_HOST=pvm)
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Hash paths relative to the clone, so that another clone (CI checks out a
# fresh one) finds the objects this one compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}

# Regenerate .config only when a fragment or the tree's Kconfig changed.
sum=$(cat "${frags[@]}" | sha1sum | cut -d' ' -f1)-$(git -C "$KSRC" rev-parse HEAD)
if [ "$(cat "$out/.pvm-config" 2>/dev/null)" != "$sum" ] || [ ! -f "$out/.config" ]; then
	(cd "$KSRC" && scripts/kconfig/merge_config.sh -n -O "$out" "${frags[@]}") >"$out/.merge.log" 2>&1 ||
		{ cat "$out/.merge.log"; die "merging the config fragments failed"; }
	# "is not set" that ends up absent is what was asked for; anything
	# else Kconfig changed is a fragment bug.
	lost=$(awk '/^Value requested for/ { sym = $4 }
		    /^Requested value:/ { req = $0 }
		    /^Actual value:/ {
			if (!(req ~ /is not set/ && NF == 2))
				print sym ": " req " / " $0
		    }' "$out/.merge.log")
	if [ -n "$lost" ] && [ -n "${KCONFIG_LENIENT:-}" ]; then
		# make bisect-check: a patch boundary before the one that adds
		# a symbol cannot have it yet.
		echo "$lost" | sed 's/^/not (yet) in this tree: /'
	elif [ -n "$lost" ]; then
		echo "$lost" >&2
		die "configs/ ask for values Kconfig did not keep (above): fix the fragment"
	fi
	echo "$sum" >"$out/.pvm-config"
fi

"${kmake[@]}" bzImage modules
rm -rf "$out/modules-install"
"${kmake[@]}" INSTALL_MOD_PATH="$out/modules-install" INSTALL_MOD_STRIP=1 modules_install >/dev/null
echo "built $name kernel $(cat "$out/include/config/kernel.release"): $(stat -c %s "$out/arch/x86/boot/bzImage") bytes"
