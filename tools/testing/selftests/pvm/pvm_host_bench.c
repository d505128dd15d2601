// SPDX-License-Identifier: GPL-2.0
/*
 * Round trips through kvm-pvm, timed ('make bench', not a test): a
 * hypercall, a supervisor-mode #UD handled at entry +256 and returned from
 * with ERETS, and a user-mode #UD handled at entry +0 and returned from with
 * ERETU.  The guest loops by itself; only the last exit reaches this
 * program.  Prints one line per measurement.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pvm_vm.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run the loop at @code (user mode when @user), @n iterations; ns each. */
static double measure(uint64_t code, int user, long n)
{
	struct kvm_regs regs;
	struct pvm_vm v;
	double t0, t1;
	int port;

	pvm_vm_create(&v);
	pvm_vm_setup(&v, user ? GUEST_SYM(t_eretu) : code);
	if (pvm_set_msr(&v, MSR_PVM_EVENT_ENTRY,
			hi_addr(&v, GPA_CODE + GUEST_SYM(ev2_entry))) != 1)
		errx(1, "MSR_PVM_EVENT_ENTRY");
	pvm_get_regs(&v, &regs);
	regs.r12 = n;
	regs.r13 = PVM_HC_TLB_FLUSH_CURRENT;
	regs.r15 = hi_addr(&v, GPA_PVCS);
	pvm_set_regs(&v, &regs);
	if (user) {
		struct pvm_vcpu_struct *p = pvcs(&v);

		p->user_cs = USER_CS;
		p->user_ss = USER_DS;
		p->rip = GPA_CODE + code;
		p->rsp = GPA_USER_STACK_TOP;
		p->eflags = 0x202;
	}

	t0 = now();
	port = pvm_run_io(&v);
	t1 = now();
	if (port != (user ? PORT_EV_SYSCALL : PORT_DONE))
		errx(1, "loop ended with %d", port);
	pvm_get_regs(&v, &regs);
	if (regs.r12)
		errx(1, "loop stopped early, %llu left", (unsigned long long)regs.r12);
	pvm_vm_destroy(&v);
	return (t1 - t0) * 1e9 / n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;

	printf("pvm_round_trip hypercall %.0f ns (%ld iterations)\n",
	       measure(GUEST_SYM(t_syscall_loop), 0, n), n);
	printf("pvm_round_trip supervisor_ud_erets %.0f ns (%ld iterations)\n",
	       measure(GUEST_SYM(t_ud_loop), 0, n), n);
	printf("pvm_round_trip user_ud_eretu %.0f ns (%ld iterations)\n",
	       measure(GUEST_SYM(u_ud_loop), 1, n), n);
	return 0;
}
