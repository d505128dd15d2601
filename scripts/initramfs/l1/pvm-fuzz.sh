#!/bin/sh
# kvm-pvm's fuzzer (tools/testing/selftests/pvm/pvm_fuzz.c).  With
# arguments it runs with those (the fixed-seed slice of the L1 list);
# without, as 'make fuzz' asks on the kernel command line:
# pvmtest.fuzz_min=MINUTES (default 30) and pvmtest.fuzz_seed=SEED
# (default: the time), and pvmtest.fuzz_args=ARG+ARG... for more of the
# fuzzer's options.  Its last line is the summary make fuzz reads.
modprobe kvm-pvm || exit 1
if [ $# -eq 0 ]; then
	min=30 seed= args=
	for arg in $(cat /proc/cmdline); do
		case "$arg" in
		pvmtest.fuzz_min=*) min=${arg#pvmtest.fuzz_min=} ;;
		pvmtest.fuzz_seed=*) seed=${arg#pvmtest.fuzz_seed=} ;;
		pvmtest.fuzz_args=*) args=$(echo "${arg#pvmtest.fuzz_args=}" | tr + ' ') ;;
		esac
	done
	# shellcheck disable=SC2086 # the options are words
	set -- -t $((min * 60)) ${seed:+-s "$seed"} $args
fi
exec /tests/pvm/pvm_fuzz "$@"
