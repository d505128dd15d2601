#!/bin/sh
# Round-trip timings through kvm-pvm (make bench), not a test.
modprobe kvm-pvm || exit 1
exec /tests/pvm/pvm_host_bench "$@"
