#!/bin/sh
# Dynamic ftrace works on the guest kernel.  Built position independent,
# its __fentry__ calls go through the GOT and objtool turns them into NOPs
# at build time; ftrace then patches 5-byte calls into them at run time,
# to trampolines in the module area, which moves with the kernel.  Tracing
# one function must record its calls, function_graph must see it return,
# a tracing instance (its own trampoline) must work too, and switching
# tracing off must stop the records.
set -e
t=/sys/kernel/tracing
grep -q " $t tracefs " /proc/mounts || mount -t tracefs tracefs $t
f=do_sys_openat2

grep -qx "$f" $t/available_filter_functions ||
	{ echo "$f is not in available_filter_functions"; exit 1; }
echo "$(wc -l <$t/available_filter_functions) traceable functions"

# trace DIR TRACER: trace $f with TRACER in DIR, open a file, print the
# records of $f.  (Changing the tracer empties the buffer: read it first.)
trace()
{
	echo nop >"$1/current_tracer"
	echo "$f" >"$1/set_ftrace_filter"
	echo "$2" >"$1/current_tracer"
	cat /proc/version >/dev/null
	echo 0 >"$1/tracing_on"
	grep "$f" "$1/trace" || true
	echo nop >"$1/current_tracer"
	echo 1 >"$1/tracing_on"
}

n=$(trace $t function | grep -c "$f <-" || true)
echo "function tracer: $n records of $f"
[ "$n" -gt 0 ] || { echo "the function tracer saw no call of $f"; exit 1; }

n=$(trace $t function_graph | grep -c "$f()" || true)
echo "function_graph tracer: $n records of $f"
[ "$n" -gt 0 ] || { echo "the function_graph tracer saw no return of $f"; exit 1; }

i=$t/instances/pvm_ftrace_test
mkdir $i
n=$(trace $i function | grep -c "$f <-" || true)
rmdir $i
echo "instance function tracer: $n records of $f"
[ "$n" -gt 0 ] || { echo "the instance's function tracer saw no call of $f"; exit 1; }

# Tracing is off now: nothing may be recorded any more.
echo >$t/trace
cat /proc/version >/dev/null
if grep -q "$f" $t/trace; then
	echo "$f still traced after the tracer was switched off"
	exit 1
fi
echo >$t/set_ftrace_filter
