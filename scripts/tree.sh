#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble build/linux from Debian's linux-source-6.12, patches/series and
# the overlay of new files.
#
# build/linux is a git repository whose tag 'pristine' is the unpacked
# source.  The series and the overlay are committed on top of it through a
# private index, so the work tree is only moved at the end with one
# 'git reset --hard': files the change does not touch keep their mtimes and
# an incremental kernel build stays incremental.
#
#   tree.sh          assemble or refresh build/linux
#   tree.sh --check  only verify that the series applies to the pristine
#                    source (used by 'make check'); changes nothing
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-assemble}
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-pvm-tree}
export GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-pvm-tree@localhost}
export GIT_COMMITTER_NAME=pvm-tree GIT_COMMITTER_EMAIL=pvm-tree@localhost

pkg_version()
{
	dpkg-query -W -f='${Version}' "$SOURCE_PKG" 2>/dev/null || echo unknown
}

unpack()
{
	local tmp=$KSRC.tmp stamp=$1

	[ -r "$TARBALL" ] ||
		die "$TARBALL not found: run 'make deps' (Debian package $SOURCE_PKG)"
	echo "unpacking $TARBALL ($SOURCE_PKG $(pkg_version))"
	rm -rf "$tmp" "$KSRC"
	mkdir -p "$tmp"
	tar -xf "$TARBALL" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q
	git -C "$tmp" config core.autocrlf false
	git -C "$tmp" config gc.auto 0
	git -C "$tmp" add -A -f  # Debian's .gitignore hides the top level
	git -C "$tmp" commit -q -m "Debian $SOURCE_PKG $(pkg_version) (Linux $(make -s -C "$tmp" kernelversion))"
	git -C "$tmp" tag pristine
	echo "$stamp" >"$tmp/.git/pvm-source"
	mv "$tmp" "$KSRC"
}

series()
{
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$ROOT/patches/series"
}

# Build the commit chain pristine -> patches -> overlay in a private index
# and print the final commit.
compose()
{
	local idx parent tree p info msg subject
	local kver

	kver=$(make -s -C "$KSRC" kernelversion)
	idx=$(mktemp "$BUILD/.tree-index.XXXXXX")
	info=$(mktemp "$BUILD/.tree-info.XXXXXX")
	msg=$(mktemp "$BUILD/.tree-msg.XXXXXX")
	trap 'rm -f "$idx" "$info" "$msg"' RETURN
	export GIT_DIR=$KSRC/.git GIT_INDEX_FILE=$idx

	git read-tree pristine
	parent=$(git rev-parse pristine)
	for p in $(series); do
		[ -f "$ROOT/patches/$p" ] || die "patches/series names $p, which does not exist"
		if ! git apply --cached "$ROOT/patches/$p" >&2; then
			die "patch $p does not apply to Linux $kver ($SOURCE_PKG $(pkg_version)); rebase it on that version"
		fi
		git mailinfo "$msg" /dev/null <"$ROOT/patches/$p" >"$info"
		subject=$(sed -n 's/^Subject: //p' "$info")
		tree=$(git write-tree)
		parent=$(printf '%s\n\n%s\n' "${subject:-$p}" "$(cat "$msg")" |
			 GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' "$info") \
			 GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' "$info") \
			 git commit-tree "$tree" -p "$parent")
	done

	(cd "$ROOT" && for d in $OVERLAY_DIRS; do
		[ -d "$d" ] && git --work-tree="$ROOT" add -f --ignore-removal -- "$d"
	done; true)
	tree=$(git write-tree)
	parent=$(echo "overlay: new files of the PVM project" |
		 git commit-tree "$tree" -p "$parent")
	echo "$parent"
}

mkdir -p "$BUILD"
stamp="$TARBALL $(stat -c '%s %Y' "$TARBALL" 2>/dev/null || echo missing)"

if [ "$mode" = --check ]; then
	[ -d "$KSRC/.git" ] || unpack "$stamp"
	compose >/dev/null
	echo "patches/series ($(series | wc -l) patches) applies to Linux $(make -s -C "$KSRC" kernelversion)"
	exit 0
fi

if [ ! -d "$KSRC/.git" ] || [ "$(cat "$KSRC/.git/pvm-source" 2>/dev/null)" != "$stamp" ]; then
	unpack "$stamp"
fi

if [ -n "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] && [ -z "${FORCE:-}" ]; then
	git -C "$KSRC" status --short --untracked-files=no | head -n 20 >&2
	die "build/linux has local edits (above) that a refresh would discard; move them into the overlay or patches/, or run 'make tree FORCE=1'"
fi

new=$(compose)
if [ "$(git -C "$KSRC" rev-parse HEAD^{tree})" = "$(git -C "$KSRC" rev-parse "$new^{tree}")" ]; then
	echo "build/linux is up to date"
else
	git -C "$KSRC" reset -q --hard "$new"
	echo "build/linux refreshed: $(series | wc -l) patches and the overlay on $(git -C "$KSRC" log -1 --format=%s pristine)"
fi
git -C "$KSRC" branch -f pvm "$new" >/dev/null 2>&1 || true
