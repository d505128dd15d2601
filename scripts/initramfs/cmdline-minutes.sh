# SPDX-License-Identifier: GPL-2.0
# cmdline_minutes NAME DEFAULT: print the minutes that NAME=MINUTES on the
# kernel command line asks for (DEFAULT without it), or say what is wrong
# with it and fail.  Sourced by the test images' scripts from /lib.
cmdline_minutes()
{
	local arg m=$2

	for arg in $(cat /proc/cmdline); do
		case $arg in
		"$1"=*) m=${arg#"$1"=} ;;
		esac
	done
	case $m in
	'' | *[!0-9]*) echo "$1=$m is not a number of minutes"; return 1 ;;
	esac
	m=$(echo "$m" | sed 's/^0*//')
	[ -n "$m" ] || { echo "$1=0: nothing to run"; return 1; }
	echo "$m"
}
