#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test suite ('make check'): static checks, the builds, the ABI tests,
# the native guest boot and the nested L1 boot, reported as one KTAP
# document in build/check/results.ktap and summarised as
# 'N passed, N failed, N skipped'.  Exits non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=$BUILD/check
rm -rf "$out"
mkdir -p "$out"
body=$out/body.ktap
: >"$body"
n=0

# t NAME CMD...: run one top-level test.  Its output is nested under its
# result; exit 0 passes, 4 skips, anything else fails.
t()
{
	local name=$1 t0 rc
	shift
	n=$((n + 1))
	t0=$(now)
	"$@" >"$out/$name.out" 2>&1 </dev/null
	rc=$?
	nest <"$out/$name.out" >>"$body"
	if [ $rc -eq 0 ]; then
		echo "ok $n $name" >>"$body"
	elif [ $rc -eq 4 ]; then
		echo "ok $n $name # SKIP $(tail -n 1 "$out/$name.out")" >>"$body"
	else
		# The reason, for readers of the summary alone (CI's).
		echo "not ok $n $name # exit $rc: $(grep -v -E '^[[:space:]]*(#|ok |not ok |[0-9]+\.\.|KTAP)' \
			"$out/$name.out" | grep . | tail -n 1 | tr -d '#')" >>"$body"
	fi
	printf '%-26s %-7s %s\n' "$name" "$([ $rc -eq 0 ] && echo ok || { [ $rc -eq 4 ] && echo skip || echo FAILED; })" "$(elapsed "$t0")"
}

# each CMD ITEM...: a KTAP subtest per ITEM, passing when "CMD ITEM" does.
each()
{
	local cmd=$1 i=0 item rc=0
	shift
	echo "KTAP version 1"
	echo "1..$#"
	for item in "$@"; do
		i=$((i + 1))
		if $cmd "$item" >"$out/each.tmp" 2>&1; then
			echo "ok $i ${item#$ROOT/}"
		else
			sed 's/^/# /' "$out/each.tmp"
			echo "not ok $i ${item#$ROOT/}"
			rc=1
		fi
	done
	return $rc
}

# Runs a command whose output is KTAP; fails if the KTAP has failures even
# when the command's status says otherwise.  A run that failed still shows
# the results it reported before it stopped.
ktap_of()
{
	local f=$1 rc=0 summary
	shift
	"$@" || rc=1
	[ ! -f "$f" ] || cat "$f"
	[ $rc -eq 0 ] || return 1
	summary=$(python3 "$ROOT/scripts/ktap.py" --summary "$f") ||
		{ echo "its report: $summary"; return 1; }
}

shell_syntax()
{
	case $1 in
	*.py) python3 -m py_compile "$1" ;;
	*/init|*/initramfs/*) sh -n "$1" ;;
	*) bash -n "$1" ;;
	esac
}

checkpatch()
{
	local cp=$KSRC/scripts/checkpatch.pl
	$cp --strict --no-tree --quiet --show-types "$1"
}

checkpatch_file()
{
	$KSRC/scripts/checkpatch.pl --strict --no-tree --quiet --show-types -f "$1"
}

uapi_c90()
{
	echo '#include <asm/pvm_para.h>' |
		gcc -std=c90 -pedantic -Wall -Werror -fsyntax-only \
			-isystem "$BUILD/headers/include" -x c -
}

# A stuck L1 test must be stopped, and named, by L1's init before the
# whole L1 boot times out.
l1_list_fits()
{
	local sum

	sum=$(awk '$1 !~ /^(bench|fuzz|soak)_/ { s += $2 } END { print s }' "$ROOT/scripts/initramfs/l1/list")
	echo "L1 test timeouts add up to ${sum}s; the L1 boot's is ${L1_TIMEOUT}s"
	[ "$sum" -lt "$L1_TIMEOUT" ]
}

l1_boot()
{
	ktap_of "$BUILD/runs/l1/ktap.log" boot_l1
}

echo "== make check: $(date -u '+%F %T') UTC"
t deps "$ROOT/scripts/deps.sh"
t script_syntax each shell_syntax "$ROOT"/scripts/*.sh "$ROOT"/scripts/*.py \
	"$ROOT"/scripts/initramfs/init "$ROOT"/scripts/initramfs/*.sh \
	"$ROOT"/scripts/initramfs/*/*.sh "$ROOT/.ci/run"
t ktap_parser "$ROOT/scripts/test-ktap.sh"
t l1_list_fits l1_list_fits
t tree "$ROOT/scripts/tree.sh"
t series_applies "$ROOT/scripts/tree.sh" --check
t series "$ROOT/scripts/series.sh" send
t series_git_am "$ROOT/scripts/series.sh" am-check
mapfile -t pfiles < <(ls "$BUILD"/series/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v /0000-cover-letter)
t checkpatch each checkpatch "${pfiles[@]}"
# The new files once more as whole files: file mode sees all of a file,
# not only its added lines with their context.
mapfile -t nfiles < <(git -C "$KSRC" diff --name-only --diff-filter=A pristine pvm |
	grep -E '\.(c|h|S)$' | sed "s|^|$KSRC/|")
t checkpatch_new_files each checkpatch_file "${nfiles[@]}"
t build_host "$ROOT/scripts/kbuild.sh" host
t build_guest "$ROOT/scripts/kbuild.sh" guest
t build_selftests "$ROOT/scripts/selftests.sh"
t uapi_header_c90 uapi_c90
t pvm_abi_test "$BUILD/selftests/pvm/pvm_abi_test"
t image_guest "$ROOT/scripts/mkinitramfs.sh" guest
t image_l1 "$ROOT/scripts/mkinitramfs.sh" l1
t guest_native_boot ktap_of "$BUILD/runs/guest-native/ktap.log" boot_guest_native
t guest_native_log_clean log_clean "$BUILD/runs/guest-native/console.log"
# Moved, and with page table isolation on (TCG's CPU does not ask for it):
# a PVM guest runs user mode on PTI's user page tables, and the native PTI
# entry code must work in a moved kernel too.
t guest_native_relocated ktap_of "$BUILD/runs/guest-native-reloc/ktap.log" \
	boot_guest_native guest-native-reloc "pie_range=$PIE_TEST_RANGE pti=on"
t guest_native_relocated_log_clean log_clean "$BUILD/runs/guest-native-reloc/console.log"
t guest_native_bad_range ktap_of "$BUILD/runs/guest-native-bad-range/ktap.log" \
	boot_guest_native guest-native-bad-range "pie_range=$PIE_BAD_RANGE pvmtest.filter=pie_layout"
t l1_boot l1_boot
t l1_log_clean log_clean "$BUILD/runs/l1/console.log"

{ echo "KTAP version 1"; echo "1..$n"; cat "$body"; } >"$out/results.ktap"
echo "== results (build/check/results.ktap)"
python3 "$ROOT/scripts/ktap.py" "$out/results.ktap"
