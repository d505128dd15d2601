# SPDX-License-Identifier: GPL-2.0
#
# PVM for Linux 6.12: the guest patch set, the kvm-pvm host backend and the
# harness that builds both kernels and tests them nested under QEMU.
# See README.md.

S := scripts

.PHONY: help run check bench fuzz soak deps tree export series bisect-check host guest selftests initramfs \
	clean distclean

help:
	@echo "make run        build what is stale, boot L1 nested, run the tests, print results"
	@echo "make check      the test suite: static checks, builds, ABI tests, boot tests"
	@echo "make bench      boot timings (median of RUNS=3 boots; nested ones RUNS_NESTED=1)"
	@echo "make fuzz       kvm-pvm's fuzzer in L1 for FUZZ_MIN minutes (30), FUZZ_SEED"
	@echo "make soak       stress-ng and trinity in the PVM guest for SOAK_MIN minutes (10)"
	@echo "make deps       install the Debian packages the project needs"
	@echo "make tree       assemble build/linux (linux-source-6.12 + patches/series)"
	@echo "make export     write build/linux's commits back to patches/"
	@echo "make series     the series for sending, with a cover letter (build/series)"
	@echo "make bisect-check  build the host and guest configs at every patch (FROM=N)"
	@echo "make host       build the L1 host kernel (build/host)"
	@echo "make guest      build the guest kernel (build/guest)"
	@echo "make selftests  build tools/testing/selftests/pvm (build/selftests)"
	@echo "make initramfs  build the guest and L1 test images"
	@echo "make clean      remove build output, keep the unpacked tree"
	@echo "make distclean  remove build/ entirely"

run:
	@$(S)/run.sh

check:
	@$(S)/check.sh

bench:
	@$(S)/bench.sh

fuzz:
	@$(S)/fuzz.sh

soak:
	@$(S)/soak.sh

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/series.sh export

series: tree
	@$(S)/series.sh send

bisect-check: tree
	@$(S)/series.sh bisect-check

host guest: tree
	@$(S)/kbuild.sh $@

selftests: guest
	@$(S)/selftests.sh

initramfs: host selftests
	@$(S)/mkinitramfs.sh guest
	@$(S)/mkinitramfs.sh l1

clean:
	rm -rf build/host build/guest build/headers build/selftests build/runs \
		build/check build/logs build/initramfs-* build/*.cpio* build/series

distclean:
	rm -rf build
