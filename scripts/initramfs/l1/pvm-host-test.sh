#!/bin/sh
# The kvm-pvm host selftests: PVM VMs through /dev/kvm.  One program per
# behaviour (tools/testing/selftests/pvm/host/); each is reported as a
# subtest with its own KTAP nested under it, so the leaves keep the case
# names (pvm.CASE) whichever program runs them.  Exit status as the init
# expects: 0 all passed, 4 all skipped, 1 otherwise.
modprobe kvm-pvm || exit 1

set -- /tests/pvm/host/*_test
[ -x "$1" ] || { echo "no host test programs in /tests/pvm/host"; exit 1; }

# nest: one KTAP level down, as the init does (its shared definition).
. /lib/ktap-nest.sh

echo "KTAP version 1"
echo "1..$#"
i=0 failed=0 skipped=0
for t; do
	i=$((i + 1))
	name=${t##*/}
	"$t" </dev/null >/tmp/host-test.out 2>&1
	rc=$?
	nest </tmp/host-test.out
	case $rc in
	0) echo "ok $i $name" ;;
	4) echo "ok $i $name # SKIP"; skipped=$((skipped + 1)) ;;
	*) echo "not ok $i $name # exit $rc"; failed=$((failed + 1)) ;;
	esac
done
[ $failed -eq 0 ] || exit 1
[ $skipped -lt $# ] || exit 4
exit 0
