#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble build/linux: Debian's linux-source-6.12 with the PVM series
# (patches/series, git format-patch files) on top, one commit a patch.
#
# build/linux is a git repository whose tag 'pristine' is the unpacked
# source and whose branch 'pvm' is the series as last applied.  Each patch
# is applied the way 'git am' applies it (mailinfo for the author, date
# and message, then the diff), but through a private index: the work tree
# is only moved at the end, with one 'git reset --hard', so files the
# change does not touch keep their mtimes and an incremental kernel build
# stays incremental.  Committer and author are the patch's, and so are the
# dates, so the same series gives the same commits on every run.
#
# To change the series, commit in build/linux (amend, 'git rebase -i
# pristine', new commits on top) and run 'make export'; tree.sh refuses
# to throw away commits or edits that were not exported.
#
#   tree.sh          assemble or refresh build/linux
#   tree.sh --check  only verify that the series applies to the pristine
#                    source (used by 'make check'); changes nothing
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-assemble}

pkg_version()
{
	dpkg-query -W -f='${Version}' "$SOURCE_PKG" 2>/dev/null || echo unknown
}

unpack()
{
	local tmp=$KSRC.tmp stamp=$1 date

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
	# The tarball's own date and a fixed identity: the same package gives
	# the same base commit everywhere ('base-commit:' in make series).
	date="@$(stat -c %Y "$TARBALL") +0000"
	GIT_AUTHOR_NAME=$SOURCE_PKG GIT_AUTHOR_EMAIL=$SOURCE_PKG@packages.debian.org \
	GIT_COMMITTER_NAME=$SOURCE_PKG GIT_COMMITTER_EMAIL=$SOURCE_PKG@packages.debian.org \
	GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
		git -C "$tmp" commit -q -m "Debian $SOURCE_PKG $(pkg_version) (Linux $(make -s -C "$tmp" kernelversion))"
	git -C "$tmp" tag pristine
	echo "$stamp" >"$tmp/.git/pvm-source"
	mv "$tmp" "$KSRC"
}

# Apply the series to 'pristine' in a private index and print the last
# commit.
compose()
{
	local idx parent tree p info msg kver

	kver=$(make -s -C "$KSRC" kernelversion)
	idx=$(mktemp "$BUILD/.tree-index.XXXXXX")
	info=$(mktemp "$BUILD/.tree-info.XXXXXX")
	msg=$(mktemp "$BUILD/.tree-msg.XXXXXX")
	trap 'rm -f "$idx" "$info" "$msg"' RETURN
	export GIT_DIR=$KSRC/.git GIT_INDEX_FILE=$idx

	git read-tree pristine
	parent=$(git rev-parse pristine)
	for p in $(series_list); do
		[ -f "$ROOT/patches/$p" ] || die "patches/series names $p, which does not exist"
		git mailinfo "$msg" /dev/null <"$ROOT/patches/$p" >"$info"
		if ! git apply --cached --whitespace=nowarn "$ROOT/patches/$p" >&2; then
			die "patch $p does not apply to Linux $kver ($SOURCE_PKG $(pkg_version)); rebase it on that version"
		fi
		tree=$(git write-tree)
		parent=$(mailinfo_commit "$info" "$msg" "$tree" "$parent")
	done
	echo "$parent"
}

# mailinfo_commit INFO MSG TREE PARENT: the commit 'git am
# --committer-date-is-author-date' would make from one patch.
mailinfo_commit()
{
	local info=$1 msg=$2 subject name email date

	subject=$(sed -n 's/^Subject: //p' "$info")
	name=$(sed -n 's/^Author: //p' "$info")
	email=$(sed -n 's/^Email: //p' "$info")
	date=$(sed -n 's/^Date: //p' "$info")
	[ -n "$subject" ] && [ -n "$name" ] && [ -n "$date" ] ||
		die "a patch of patches/series lacks a subject, author or date"
	printf '%s\n\n%s\n' "$subject" "$(cat "$msg")" |
		GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
		GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
		git commit-tree "$3" -p "$4"
}

mkdir -p "$BUILD"
stamp="$TARBALL $(stat -c '%s %Y' "$TARBALL" 2>/dev/null || echo missing)"

if [ "$mode" = --check ]; then
	[ -d "$KSRC/.git" ] || unpack "$stamp"
	compose >/dev/null
	echo "patches/series ($(series_list | wc -l) patches) applies to Linux $(make -s -C "$KSRC" kernelversion)"
	exit 0
fi

if [ ! -d "$KSRC/.git" ] || [ "$(cat "$KSRC/.git/pvm-source" 2>/dev/null)" != "$stamp" ]; then
	unpack "$stamp"
fi

new=$(compose)
if [ -z "${FORCE:-}" ]; then
	if [ -n "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ]; then
		git -C "$KSRC" status --short --untracked-files=no | head -n 20 >&2
		die "build/linux has edits (above) that a refresh would discard: commit them there and run 'make export', or run 'make tree FORCE=1'"
	fi
	# Commits made in build/linux since the last refresh (recorded as
	# refs/pvm/applied) would be lost too, unless 'make export' put them
	# into patches/: then the series gives them again, patch for patch.
	last=$(git -C "$KSRC" rev-parse -q --verify refs/pvm/applied || git -C "$KSRC" rev-parse HEAD)
	if [ "$(git -C "$KSRC" rev-parse HEAD)" != "$last" ] &&
	   [ "$(git -C "$KSRC" log --format='%T %s' pristine..HEAD)" != \
	     "$(git -C "$KSRC" log --format='%T %s' "pristine..$new")" ]; then
		git -C "$KSRC" log --oneline "$last..HEAD" | head -n 20 >&2
		die "build/linux has commits that patches/ does not hold (above): run 'make export' to keep them, or 'make tree FORCE=1' to drop them"
	fi
fi

if [ "$(git -C "$KSRC" rev-parse HEAD^{tree})" = "$(git -C "$KSRC" rev-parse "$new^{tree}")" ]; then
	echo "build/linux is up to date"
else
	git -C "$KSRC" reset -q --hard "$new"
	echo "build/linux refreshed: $(series_list | wc -l) patches on $(git -C "$KSRC" log -1 --format=%s pristine)"
fi
# Leave the series checked out as branch 'pvm', so that commits made in
# build/linux extend it, and remember what was applied.
git -C "$KSRC" update-ref refs/heads/pvm "$new"
git -C "$KSRC" update-ref refs/pvm/applied "$new"
git -C "$KSRC" symbolic-ref HEAD refs/heads/pvm
git -C "$KSRC" reset -q --soft "$new"
