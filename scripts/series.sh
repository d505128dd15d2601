#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The PVM series as patches: written back from build/linux, written out
# for sending, checked with git am, and built at every patch.
#
#   series.sh export        build/linux's pristine..HEAD -> patches/ (the
#                           source of truth) and patches/series
#   series.sh send          build/series/: git format-patch --cover-letter
#                           --base output of the series, numbered 01/N..N/N,
#                           the cover letter from patches/cover-letter
#   series.sh am-check      build/series applies with 'git am' to the
#                           pristine source and gives build/linux's tree
#   series.sh bisect-check  build the host and guest configs at every patch
#                           boundary (FROM=N starts at patch N); one line a
#                           patch, the logs of failures in build/logs/
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -e "$KSRC/.git" ] || die "no build/linux: run 'make tree'"

g()
{
	git -C "$KSRC" "$@"
}

# format-patch options shared by patches/ and build/series: no commit ids
# and no version trailer, so that an export only changes what changed.
# A fixed abbreviation: git's own grows with the repository.
fp=(format-patch --zero-commit --no-signature --stat=80 --summary --abbrev=12)

export_series()
{
	local n tmp

	[ -z "$(g status --porcelain --untracked-files=no)" ] ||
		die "build/linux has uncommitted edits: commit them there first"
	g merge-base --is-ancestor pristine HEAD ||
		die "build/linux's HEAD does not descend from 'pristine'"
	n=$(g rev-list --count pristine..HEAD)
	[ "$n" -gt 0 ] || die "build/linux has no commit on top of 'pristine'"
	g log --format='%H %s' pristine..HEAD | while read -r h s; do
		g log -1 --format=%b "$h" | grep -q '^Signed-off-by: ' ||
			die "commit ${h:0:12} ($s) has no Signed-off-by"
	done
	tmp=$(mktemp -d "$BUILD/.export.XXXXXX")
	trap 'rm -rf "$tmp"' RETURN
	g "${fp[@]}" --no-numbered -q -o "$tmp" pristine..HEAD
	rm -f "$ROOT"/patches/[0-9][0-9][0-9][0-9]-*.patch
	mv "$tmp"/*.patch "$ROOT/patches/"
	{ sed -n '/^#/p' "$ROOT/patches/series"; cd "$ROOT/patches" && ls [0-9][0-9][0-9][0-9]-*.patch; } \
		>"$tmp/series"
	mv "$tmp/series" "$ROOT/patches/series"
	echo "exported $n patches to patches/ ($(g rev-parse --short HEAD))"
}

send_series()
{
	local out=$BUILD/series cover subject

	[ -f "$ROOT/patches/cover-letter" ] || die "no patches/cover-letter"
	rm -rf "$out"
	g "${fp[@]}" -q --numbered --cover-letter --base=pristine -o "$out" pristine..pvm
	cover=$(ls "$out"/0000-cover-letter.patch)
	subject=$(head -n 1 "$ROOT/patches/cover-letter")
	python3 - "$cover" "$subject" "$ROOT/patches/cover-letter" <<'EOF'
import sys
path, subject, blurb = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
body = open(blurb).read().split('\n', 1)[1].strip('\n')
if '*** SUBJECT HERE ***' not in text or '*** BLURB HERE ***' not in text:
    sys.exit('format-patch wrote no cover-letter placeholders')
text = text.replace('*** SUBJECT HERE ***', subject).replace('*** BLURB HERE ***', body)
open(path, 'w').write(text)
EOF
	echo "wrote $(ls "$out" | wc -l) files to build/series ($(($(ls "$out" | wc -l) - 1)) patches and the cover letter)"
}

am_check()
{
	local wt=$BUILD/am-check rc=0

	[ -d "$BUILD/series" ] || die "no build/series: run 'make series'"
	g worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
	g worktree prune
	# Check out only what the series touches: git am needs no more, and
	# the whole tree would take a minute.
	g worktree add -q --no-checkout --detach "$wt" pristine
	(
		cd "$wt"
		git sparse-checkout set --no-cone $(git diff --name-only pristine pvm | sed 's|^|/|')
		git checkout -q
		git -c user.name=am-check -c user.email=am-check@localhost \
			am -q --committer-date-is-author-date $(ls "$BUILD"/series/[0-9][0-9][0-9][0-9]-*.patch | grep -v /0000-cover-letter)
		[ "$(git rev-parse HEAD^{tree})" = "$(git rev-parse pvm^{tree})" ] ||
			{ echo "git am of build/series gives another tree than build/linux"; exit 1; }
		echo "git am applied $(git rev-list --count pristine..HEAD) patches of build/series to 'pristine': the tree is build/linux's"
	) || rc=1
	g worktree remove --force "$wt"
	return $rc
}

# Builds at every boundary in build/linux itself, into build/host and
# build/guest: the same paths as the ordinary builds, so that ccache finds
# what they compiled and make rebuilds only what a patch touched.  The
# tree goes back to branch pvm at the end, whatever happens.
bisect_check()
{
	local from=${FROM:-1} i=0 h s t0 fail=0 cfg head

	[ -z "$(g status --porcelain --untracked-files=no)" ] ||
		die "build/linux has uncommitted edits: commit or drop them first"
	head=$(g symbolic-ref -q HEAD || g rev-parse HEAD)
	mkdir -p "$LOGDIR"
	# Expanded now: at EXIT the function's locals are gone (set -u).
	trap "g checkout -q '${head#refs/heads/}'" EXIT
	for h in $(g rev-list --reverse pristine..pvm); do
		i=$((i + 1))
		[ $i -ge "$from" ] || continue
		s=$(g log -1 --format=%s "$h")
		t0=$(now)
		g checkout -q --detach "$h"
		for cfg in host guest; do
			if ! KCONFIG_LENIENT=1 "$ROOT/scripts/kbuild.sh" "$cfg" >"$LOGDIR/bisect-$cfg.log" 2>&1; then
				printf '%02d FAILED %-6s %s\n' $i "$cfg" "$s"
				cp "$LOGDIR/bisect-$cfg.log" "$LOGDIR/bisect-$(printf %02d $i)-$cfg.log"
				{ grep -E 'error:|Error [0-9]|undefined reference' "$LOGDIR/bisect-$cfg.log" | head -n 10
				  tail -n 3 "$LOGDIR/bisect-$cfg.log"; } | sed 's/^/   | /'
				fail=1
				continue 2
			fi
		done
		printf '%02d ok     %7s %s\n' $i "$(elapsed "$t0")" "$s"
	done
	return $fail
}

case ${1:-} in
export) export_series ;;
send) send_series ;;
am-check) am_check ;;
bisect-check) bisect_check ;;
*) die "usage: series.sh export|send|am-check|bisect-check" ;;
esac
