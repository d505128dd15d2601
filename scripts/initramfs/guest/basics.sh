#!/bin/sh
# The guest's userspace works: fork/exec, /proc, a pipe, a signal.
set -e
test "$(echo hello | cat)" = hello
grep -q '^processor' /proc/cpuinfo
sleep 0.1 & wait $!
if sh -c 'kill -TERM $$'; then exit 1; fi
echo "guest kernel $(uname -r) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
