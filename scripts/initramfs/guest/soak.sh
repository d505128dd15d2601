#!/bin/sh
# make soak, in the PVM guest (soak_guest, selected by name only): for
# pvmtest.soak_min=MINUTES (default 10) in all, Debian's stress-ng for the
# first half, one stressor after another across the cpu, memory, os, pipe,
# scheduler and vm classes, then Debian's trinity, unprivileged (user
# nobody), for the rest, and for at least 100,000 system calls.  It prints
# one line per tool,
#   soak: stress-ng P stressors passed, F failed, S skipped, R not reached, B bogo ops in T s
#   soak: trinity N syscalls in T s, seed X, R run(s)
# after the end of the logs of what failed, and exits 0 only when no
# stressor failed and trinity reached 100,000 system calls.  The full logs
# stay in /tmp/soak.
. /lib/cmdline-minutes.sh
min=$(cmdline_minutes pvmtest.soak_min 10) || { echo "$min"; exit 1; }

up()
{
	cut -d. -f1 /proc/uptime
}

t0=$(up)
end=$((t0 + min * 60))
sng_end=$((t0 + min * 30))
# trinity goes on past the end, up to this, while it has not reached its
# 100,000 system calls; pvm-soak.sh gives QEMU 600 s more than the soak.
hard_end=$((end + 400))
want=100000

dir=/tmp/soak
mkdir -p $dir $dir/stress-ng $dir/trinity
# Bounded scratch space, so that no stressor (and not trinity) can fill
# the guest's memory through a tmpfs: one mount each, and smaller /tmp and
# /dev/shm, which the tmpfs, dev-shm and shm stressors use.
mount -o remount,size=64m /tmp
mount -o remount,size=16m /dev/shm
mount -t tmpfs -o size=32m tmpfs $dir/stress-ng
mount -t tmpfs -o size=16m,mode=755,uid=65534,gid=65534 tmpfs $dir/trinity
# No "segfault at" line in the console for every child that crashes.
{ echo 0 >/proc/sys/debug/exception-trace; } 2>/dev/null

# --- stress-ng -----------------------------------------------------------

# The stressors that cannot work in this guest, or must not run in it.
excluded()
{
	sed 's/#.*//' <<'EOF'
# stress-ng's pathological ones, which may hang or reboot a machine
bind-mount cpu-online mlockmany oom-pipe smi sysinval watchdog
# hardware or firmware the guest lacks; ioport: PVM has no I/O bitmap
ioport pci rtc kvm efivar memhotplug physpage idle-page numa
# the guest kernel has no IPv4/IPv6, no AF_ALG, no sock_diag
af-alg dccp icmp-flood netlink-proc netlink-task ping-sock rawpkt rawsock
rawudp sock sockabuse sockdiag sockmany tun udp udp-flood
# nor file locking, fsnotify, swap, userfaultfd, keys, tmpfs xattrs,
# secretmem, loop devices, quotas, fs-verity, binderfs, LSMs
fcntl flock lease locka lockf lockofd dnotify fanotify inotify swap
userfaultfd key xattr secretmem loop quota verity binderfs apparmor landlock
# dev pokes every device (the console and KTAP ports too), reboot powers
# off, softlockup spins at real-time priority on the one CPU
dev reboot softlockup
EOF
}

# The classes' stressors in turn (the first of each class, the second of
# each, ...), so that a run that the time cuts short still covers all.
for c in cpu memory os pipe scheduler vm; do
	stress-ng --class "$c?" 2>&1 | sed -n "s/^class '$c' stressors: //p"
done | awk -v ex="$(excluded)" '
	BEGIN { n = split(ex, e); for (i = 1; i <= n; i++) skip[e[i]] = 1 }
	{ for (i = 1; i <= NF; i++) s[NR, i] = $i; nf[NR] = NF; if (NF > max) max = NF }
	END {
		for (i = 1; i <= max; i++)
			for (r = 1; r <= NR; r++)
				if (i <= nf[r] && !(s[r, i] in skip) && !(s[r, i] in seen)) {
					seen[s[r, i]] = 1
					print s[r, i]
				}
	}' >$dir/stressors
total=$(grep -c . $dir/stressors)
[ "$total" -gt 0 ] || { echo "stress-ng lists no stressors"; stress-ng --class 'cpu?'; exit 1; }

# Small sizes (256 MB guest).  --verify checks the data of the stressors
# that can check theirs.
sng_opts="--metrics-brief --verify --oomable --no-rand-seed --temp-path $dir/stress-ng
	--vm-bytes 32M --mmap-bytes 16M --memrate-bytes 16M --mremap-bytes 16M
	--msync-bytes 16M --fallocate-bytes 16M --sync-file-bytes 16M
	--iomix-bytes 16M --readahead-bytes 16M --seek-size 16M --pagemove-bytes 16M"
# Strict overcommit, so that the memory stressors meet ENOMEM rather than
# the OOM killer (whose report is a call trace in the console): what is
# committed now (the image in its tmpfs included) and three quarters of
# what is free; the last quarter stays for the kernel.
overcommit=$(cat /proc/sys/vm/overcommit_memory)
ratio=$(cat /proc/sys/vm/overcommit_ratio)
awk '/^Committed_AS:/ { c = $2 } /^MemFree:/ { f = $2 } END { print c + int(f * 3 / 4) }' \
	/proc/meminfo >/proc/sys/vm/overcommit_kbytes
echo 2 >/proc/sys/vm/overcommit_memory

cd $dir/stress-ng || exit 1
: >$dir/stress-ng.results
: >$dir/failures
i=0
while read -r s; do
	left=$((sng_end - $(up)))
	[ $left -gt 0 ] || break
	# The time left, shared by the stressors left; at least a second.
	t=$((left / (total - i)))
	[ $t -ge 1 ] || t=1
	i=$((i + 1))
	start=$(up)
	# shellcheck disable=SC2086
	timeout -k 10 $((t + 120)) stress-ng --"$s" 1 --timeout "$t" $sng_opts \
		>$dir/out 2>&1 </dev/null
	rc=$?
	took=$(($(up) - start))
	{ echo "== stress-ng --$s 1 --timeout $t: exit $rc after $took s"; cat $dir/out; } >>$dir/stress-ng.log
	# busybox's timeout passes on the exit status of what it stopped.
	[ $took -lt $((t + 120)) ] || rc=timeout
	case $rc in
	0 | 7)	# 7: a pass whose metrics stress-ng does not trust (timing)
		if grep -q -E 'No stress workers invoked|will be skipped|skipping stressor' $dir/out; then
			res=skipped
		else
			res=passed
		fi ;;
	3 | 4) res=skipped ;;	# no resources, not implemented
	*)	res=failed
		{ echo "stress-ng --$s: exit $rc after $took s"; grep -v ' metrc: ' $dir/out | tail -n 5; } >>$dir/failures ;;
	esac
	# The bogo ops: the metrics rows before the miscellaneous ones.
	ops=$(awk '$2 == "metrc:" && /miscellaneous metrics/ { exit }
		$2 == "metrc:" && $5 ~ /^[0-9]+$/ { n += $5 } END { print n + 0 }' $dir/out)
	echo "$s $res $ops" >>$dir/stress-ng.results
done <$dir/stressors
cd / || exit 1
echo "$overcommit" >/proc/sys/vm/overcommit_memory
echo "$ratio" >/proc/sys/vm/overcommit_ratio

head -n 60 $dir/failures
awk -v total="$total" -v secs=$(($(up) - t0)) '
	{ n[$2]++; ops += $3 }
	END {
		printf "soak: stress-ng %d stressors passed, %d failed, %d skipped, %d not reached, %.0f bogo ops in %d s\n",
			n["passed"], n["failed"], n["skipped"], total - NR, ops, secs
	}' $dir/stress-ng.results
grep -q ' failed ' $dir/stress-ng.results && status=1 || status=0

# --- trinity -------------------------------------------------------------

# As nobody from the start (busybox su), not trinity's experimental
# --dropprivs, which keeps its main process, and the files it opens for
# its children, root's.  Without its pool of sockets: trinity 2023.01
# crashes while it builds it.  Its main process sometimes dies while it
# sets up (stack smashing), so a run that ends early is followed by
# another, with the next seed, up to ten runs.
seed=42
calls=0 runs=0 log=
t1=$(up)
while [ $runs -lt 10 ]; do
	now=$(up)
	if [ $calls -lt $want ] && [ $now -lt $hard_end ]; then
		stop=$hard_end n="-N $((want - calls))"
	elif [ $now -lt $end ]; then
		stop=$end n=
	else
		break
	fi
	log=$dir/trinity.$runs.log
	(cd $dir/trinity && timeout -s INT -k 60 $((stop - now)) su -s /bin/sh nobody -c \
		"exec /usr/bin/trinity -q -l off -C 4 -s $((seed + runs)) $n --disable-fds=sockets") \
		>$log 2>&1 </dev/null
	# Children that a dead main process left behind: all of nobody's.
	su -s /bin/sh nobody -c 'kill -KILL -1' 2>/dev/null
	runs=$((runs + 1))
	ran=$(tr -d '\r' <$log | sed -n 's/^.*Ran \([0-9]*\) syscalls\..*/\1/p' | tail -n 1)
	calls=$((calls + ${ran:-0}))
done
if [ $calls -lt $want ]; then
	echo "trinity made $calls system calls, not $want; the end of its last run:"
	[ -z "$log" ] || tail -n 20 $log
	status=1
fi
if [ $runs -gt 1 ]; then
	seeds="seeds $seed-$((seed + runs - 1)), $runs runs"
else
	seeds="seed $seed, 1 run"
fi
echo "soak: trinity $calls syscalls in $(($(up) - t1)) s, $seeds"
exit $status
