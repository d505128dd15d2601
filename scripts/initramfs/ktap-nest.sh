# SPDX-License-Identifier: GPL-2.0
# nest: indent a test's output by one KTAP level; lines that are not KTAP
# become diagnostics so that a parser never mistakes them for results.
#
# Sourced, not run, by scripts/lib.sh on the build machine (bash) and by
# the images' init (busybox sh), which cannot reach the repository:
# mkinitramfs.sh copies this file to /lib/ktap-nest.sh in both images.
# Keep it POSIX sh.
nest()
{
	awk '/^[ ]*(KTAP version|TAP version|[0-9]+\.\.[0-9]+|ok |not ok |#)/ { print "    " $0; next }
	     { print "    # " $0 }'
}
