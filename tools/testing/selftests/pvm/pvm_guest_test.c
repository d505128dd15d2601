// SPDX-License-Identifier: GPL-2.0
/*
 * What user mode of a PVM guest relies on, run inside the guest: system
 * calls, signals and sigreturn, the user-mode exceptions, page faults and
 * copy-on-write after fork, fork/exec/wait, FS/GS bases, timers and
 * sleep (interrupt delivery), ptrace single-step, the vDSO, INT 0x80,
 * the kernel's own MSR accesses (paravirtualised under PVM), and a kernel
 * that runs with a user data segment loaded.
 * Every case also passes on a native kernel; the first one checks that
 * the kernel knows which of the two it is.  "pvmtest.pvm=1" on the
 * kernel command line says that it must be a PVM guest, its absence
 * that it must not be.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"

static int file_has_word(const char *path, const char *word)
{
	char buf[256];
	FILE *f = fopen(path, "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fscanf(f, "%255s", buf) == 1)
		found = !strcmp(buf, word);
	fclose(f);
	return found;
}

TEST(knows_what_it_runs_on)
{
	int want = file_has_word("/proc/cmdline", "pvmtest.pvm=1");
	unsigned short cs;

	ASSERT_GE(want, 0);
	EXPECT_EQ(file_has_word("/proc/cpuinfo", "pvm_guest"), want);
	/* User mode runs on __USER_CS either way. */
	asm volatile("mov %%cs, %0" : "=r" (cs));
	EXPECT_EQ(cs, 0x33);
}

TEST(system_calls)
{
	int p[2];
	char c = 0;

	EXPECT_EQ(syscall(SYS_getpid), getpid());
	EXPECT_EQ(syscall(SYS_getppid), getppid());
	/* An unknown number fails cleanly. */
	EXPECT_EQ(syscall(100000), -1);
	ASSERT_EQ(pipe(p), 0);
	EXPECT_EQ(write(p[1], "x", 1), 1);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'x');
}

/*
 * Set by signal handlers.  Every read follows a call or an asm statement
 * with a memory clobber, so the compiler reloads them.
 */
static sigjmp_buf jump;
static int last_sig;
static void *last_addr;

static void catch(int sig, siginfo_t *si, void *uc)
{
	last_sig = sig;
	last_addr = si->si_addr;
	siglongjmp(jump, 1);
}

static void catch_all(void)
{
	struct sigaction sa = { .sa_sigaction = catch, .sa_flags = SA_SIGINFO };
	int sigs[] = { SIGFPE, SIGILL, SIGTRAP, SIGSEGV, SIGBUS };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Run @insn; returns the signal it raised, 0 for none. */
#define RAISED(insn, ...) ({						\
	last_sig = 0;							\
	if (!sigsetjmp(jump, 1))					\
		asm volatile(insn ::: "memory", ##__VA_ARGS__);	\
	last_sig;							\
})

TEST(user_mode_exceptions)
{
	catch_all();
	/* #DE */
	EXPECT_EQ(RAISED("xor %%ecx, %%ecx; mov $1, %%eax; cdq; idiv %%ecx",
			 "eax", "ecx", "edx"), SIGFPE);
	/* #UD */
	EXPECT_EQ(RAISED("ud2"), SIGILL);
	/* #BP */
	EXPECT_EQ(RAISED("int3"), SIGTRAP);
	/* #GP: a privileged instruction, and a non-canonical address */
	EXPECT_EQ(RAISED("hlt"), SIGSEGV);
	EXPECT_EQ(RAISED("movabs $0x8000000000000000, %%rax; mov (%%rax), %%rax",
			 "rax"), SIGSEGV);
	/* #PF, with the address */
	EXPECT_EQ(RAISED("movq $0, 0x18"), SIGSEGV);
	EXPECT_EQ(last_addr, (void *)0x18);
	/* The top of the address space is no user memory. */
	EXPECT_EQ(RAISED("movabs $0xffffffff81000000, %%rax; mov (%%rax), %%rax",
			 "rax"), SIGSEGV);
}

/* A kernel symbol's address, from /proc/kallsyms; 0 if not found. */
static unsigned long kernel_symbol(const char *sym)
{
	unsigned long addr;
	char type, name[128];
	FILE *f;

	f = fopen("/proc/sys/kernel/kptr_restrict", "w");
	if (f) {
		fputs("0\n", f);
		fclose(f);
	}
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return 0;
	while (fscanf(f, "%lx %c %127s%*[^\n]", &addr, &type, name) == 3) {
		if (!strcmp(name, sym)) {
			fclose(f);
			return addr;
		}
	}
	fclose(f);
	return 0;
}

/*
 * Kernel text, and data the kernel touches all the time (so that, under
 * PVM, the hypervisor's shadow of it certainly exists), can be neither
 * read nor written from user mode.  Under PVM the U/S bit protects
 * nothing (both modes run at CPL 3); only the separate user page table
 * does.  Each access must fault with the address.
 */
TEST(kernel_memory_is_not_user_memory)
{
	static const char * const syms[] = { "_text", "jiffies_64", "init_task" };
	unsigned long addr;
	unsigned int i;

	catch_all();
	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		addr = kernel_symbol(syms[i]);
		ASSERT_NE(addr, 0) TH_LOG("no %s in /proc/kallsyms", syms[i]);
		last_sig = 0;
		if (!sigsetjmp(jump, 1))
			asm volatile("mov (%0), %%rax" :: "r" (addr) : "rax", "memory");
		EXPECT_EQ(last_sig, SIGSEGV) TH_LOG("reading %s", syms[i]);
		EXPECT_EQ(last_addr, (void *)addr) TH_LOG("reading %s", syms[i]);
		/* A write that would leave the byte as it is, if it worked. */
		last_sig = 0;
		if (!sigsetjmp(jump, 1))
			asm volatile("lock orb $0, (%0)" :: "r" (addr) : "memory");
		EXPECT_EQ(last_sig, SIGSEGV) TH_LOG("writing %s", syms[i]);
		EXPECT_EQ(last_addr, (void *)addr) TH_LOG("writing %s", syms[i]);
	}
}

static int handled;

static void count(int sig)
{
	handled++;
}

TEST(signals_and_sigreturn)
{
	register unsigned long r12 asm("r12") = 0x1234567887654321ul;
	sigset_t set;

	signal(SIGUSR1, count);
	handled = 0;
	asm volatile("" : "+r" (r12));
	raise(SIGUSR1);
	asm volatile("" : "+r" (r12));
	EXPECT_EQ(__atomic_load_n(&handled, __ATOMIC_RELAXED), 1);
	/* sigreturn gave back the interrupted registers. */
	EXPECT_EQ(r12, 0x1234567887654321ul);

	/* A blocked signal waits, and arrives when unblocked. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	EXPECT_EQ(handled, 1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	EXPECT_EQ(handled, 2);
}

TEST(page_faults_and_cow_after_fork)
{
	size_t size = 64 * 4096;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	size_t i;
	pid_t pid;

	ASSERT_NE(m, MAP_FAILED);
	for (i = 0; i < size; i += 4096)
		m[i] = 1;
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		for (i = 0; i < size; i += 4096)
			m[i] = 2;
		for (i = 0; i < size; i += 4096)
			if (m[i] != 2)
				_exit(1);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	for (i = 0; i < size; i += 4096)
		ASSERT_EQ(m[i], 1);
	munmap(m, size);
}

TEST(fork_exec_wait)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit 7", NULL);
		_exit(99);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 7);
}

static unsigned long read_gs_word(void)
{
	unsigned long v;

	asm volatile("mov %%gs:0, %0" : "=r" (v));
	return v;
}

static __thread unsigned long tls_word = 0x5555;

TEST(fs_gs_base_and_tls)
{
	static unsigned long gs_area[2] = { 0x600dcafe, 0 };
	unsigned long base = 0;
	int status;
	pid_t pid;

	ASSERT_EQ(syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)gs_area), 0);
	ASSERT_EQ(syscall(SYS_arch_prctl, ARCH_GET_GS, &base), 0);
	EXPECT_EQ(base, (unsigned long)gs_area);
	EXPECT_EQ(read_gs_word(), 0x600dcafe);
	/* The bases survive being switched out. */
	usleep(20000);
	sched_yield();
	EXPECT_EQ(read_gs_word(), 0x600dcafe);
	EXPECT_EQ(tls_word, 0x5555);
	/* And are inherited by a child. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(read_gs_word() == 0x600dcafe && tls_word == 0x5555 ? 0 : 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	syscall(SYS_arch_prctl, ARCH_SET_GS, 0ul);
}

/*
 * The kernel runs with user mode's DS loaded (neither x86-64 Linux nor
 * PVM switches it), so a DS selector with a base must not disturb it: in
 * 64-bit mode the base of DS is ignored, even with a DS prefix, which a
 * uniprocessor kernel puts where LOCK prefixes were.  Pipe I/O takes
 * locks on every call; the sleeps let timer interrupts hit the window.
 */
TEST(kernel_runs_with_user_data_segment)
{
	struct user_desc *d;
	unsigned short sel, old, now_ds;
	char buf[8] = "pvm-ds!", back[8];
	int fds[2], i, bad = 0;
	long ret;

	d = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_ANONYMOUS | MAP_PRIVATE | MAP_32BIT, -1, 0);
	ASSERT_NE(d, MAP_FAILED);
	d->entry_number = -1;
	d->base_addr = 0x40000000;
	d->limit = 0xfffff;
	d->seg_32bit = 1;
	d->limit_in_pages = 1;
	/* set_thread_area is 243 in the 32-bit table. */
	asm volatile("int $0x80" : "=a" (ret) : "0" (243L), "b" (d)
		     : "memory", "r8", "r9", "r10", "r11");
	ASSERT_EQ(ret, 0);
	sel = d->entry_number << 3 | 3;
	ASSERT_EQ(pipe(fds), 0);

	asm volatile("mov %%ds, %0" : "=r" (old));
	for (i = 0; i < 100; i++) {
		struct timespec ts = { 0, 200000 };

		asm volatile("mov %0, %%ds" : : "r" (sel));
		if (write(fds[1], buf, sizeof(buf)) != sizeof(buf) ||
		    read(fds[0], back, sizeof(back)) != sizeof(back) ||
		    memcmp(buf, back, sizeof(buf)))
			bad++;
		nanosleep(&ts, NULL);
		asm volatile("mov %%ds, %0" : "=r" (now_ds));
		asm volatile("mov %0, %%ds" : : "r" (old));
		if (now_ds != sel)
			bad++;
	}
	EXPECT_EQ(bad, 0);
	close(fds[0]);
	close(fds[1]);
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int alarms;

static void on_alarm(int sig)
{
	alarms++;
}

TEST(timers_and_sleep)
{
	struct itimerval it = { .it_interval.tv_usec = 10000, .it_value.tv_usec = 10000 };
	struct itimerval off = { };
	struct timespec ts = { .tv_nsec = 50 * 1000 * 1000 };
	double t0 = now(CLOCK_MONOTONIC), t1;

	ASSERT_EQ(nanosleep(&ts, NULL), 0);
	t1 = now(CLOCK_MONOTONIC);
	EXPECT_GE(t1 - t0, 0.05);
	EXPECT_LT(t1 - t0, 5.0);

	/* A periodic timer interrupts a busy loop in user mode. */
	signal(SIGALRM, on_alarm);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = now(CLOCK_MONOTONIC);
	while (__atomic_load_n(&alarms, __ATOMIC_RELAXED) < 3 &&
	       now(CLOCK_MONOTONIC) - t0 < 10)
		;
	setitimer(ITIMER_REAL, &off, NULL);
	EXPECT_GE(alarms, 3);
}

TEST(ptrace_single_step)
{
	struct user_regs_struct regs;
	unsigned long last = 0;
	int status, steps, moved = 0;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		for (int i = 0; i < 100; i++)
			asm volatile("" ::: "memory");
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	for (steps = 0; steps < 20; steps++) {
		ASSERT_EQ(ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL), 0);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		ASSERT_TRUE(WIFSTOPPED(status));
		EXPECT_EQ(WSTOPSIG(status), SIGTRAP);
		ASSERT_EQ(ptrace(PTRACE_GETREGS, pid, NULL, &regs), 0);
		moved += regs.rip != last;
		last = regs.rip;
	}
	EXPECT_GE(moved, 15);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

TEST(vdso_and_vsyscall)
{
	time_t (*vtime)(time_t *) = (void *)0xffffffffff600400ul;
	double vdso = now(CLOCK_REALTIME);
	unsigned int cpu = 99;
	struct timespec ts;
	cpu_set_t set;

	ASSERT_EQ(syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0);
	EXPECT_LT(ts.tv_sec + ts.tv_nsec / 1e9 - vdso, 1.0);
	EXPECT_GE(ts.tv_sec + ts.tv_nsec / 1e9 - vdso, 0.0);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
	/* The vDSO's getcpu() and the system call agree. */
	ASSERT_EQ(syscall(SYS_getcpu, &cpu, NULL, NULL), 0);
	EXPECT_EQ(cpu, 0);
	EXPECT_EQ(sched_getcpu(), 0);
	/* vsyscall=emulate or xonly: calling time() there works. */
	if (file_has_word("/proc/self/maps", "[vsyscall]") == 1)
		EXPECT_LT(labs(vtime(NULL) - time(NULL)), 2);
}

TEST(int80_system_call)
{
	long ret;

	/* getpid is 20 in the 32-bit table. */
	asm volatile("int $0x80" : "=a" (ret) : "0" (20L)
		     : "memory", "r8", "r9", "r10", "r11");
	EXPECT_EQ(ret, getpid());
}

#define MSR_IA32_APICBASE	0x1b
#define MSR_TSC_AUX		0xc0000103
#define MSR_NONE		0x4b564dffu	/* in KVM's range, not defined */

static unsigned int rdtscp_aux(void)
{
	unsigned int lo, hi, aux;

	asm volatile("rdtscp" : "=a" (lo), "=d" (hi), "=c" (aux));
	return aux;
}

/*
 * The kernel's MSR accesses, through the msr driver on CPU 0 (rdmsr and
 * wrmsr "safe" variants; under PVM they are hypercalls).  A value the
 * kernel reads, a write that user mode sees take effect (the TSC_AUX
 * that RDTSCP returns), and an MSR that does not exist: EIO both ways.
 */
TEST(kernel_msr_access)
{
	uint64_t val, aux, probe;
	cpu_set_t cpu0;
	FILE *f;
	int fd;

	/* RDTSCP below must run on the CPU whose MSR is written. */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	ASSERT_EQ(sched_setaffinity(0, sizeof(cpu0), &cpu0), 0);
	/* Writes are for testing here, not a tainting surprise. */
	f = fopen("/sys/module/msr/parameters/allow_writes", "w");
	if (f) {
		fputs("on\n", f);
		fclose(f);
	}
	fd = open("/dev/cpu/0/msr", O_RDWR);
	if (fd < 0)
		SKIP(return, "no /dev/cpu/0/msr: %s", strerror(errno));
	ASSERT_EQ(pread(fd, &val, 8, MSR_IA32_APICBASE), 8);
	/* Enabled, the boot CPU, at the architectural default address. */
	EXPECT_EQ(val & 0xfffff900, 0xfee00900);

	ASSERT_EQ(pread(fd, &aux, 8, MSR_TSC_AUX), 8);
	probe = 0x5a5;
	ASSERT_EQ(pwrite(fd, &probe, 8, MSR_TSC_AUX), 8);
	val = 0;
	EXPECT_EQ(pread(fd, &val, 8, MSR_TSC_AUX), 8);
	EXPECT_EQ(val, probe);
	EXPECT_EQ(rdtscp_aux(), probe);
	ASSERT_EQ(pwrite(fd, &aux, 8, MSR_TSC_AUX), 8);
	EXPECT_EQ(rdtscp_aux(), aux);

	/*
	 * Only kvm-pvm is sure to refuse an undefined MSR: QEMU's TCG, the
	 * native case here, reads it as 0 and ignores writes.
	 */
	if (file_has_word("/proc/cpuinfo", "pvm_guest") == 1) {
		errno = 0;
		EXPECT_EQ(pread(fd, &val, 8, MSR_NONE), -1);
		EXPECT_EQ(errno, EIO);
		errno = 0;
		EXPECT_EQ(pwrite(fd, &probe, 8, MSR_NONE), -1);
		EXPECT_EQ(errno, EIO);
	} else {
		TH_LOG("not a PVM guest: the undefined MSR is not checked");
	}
	close(fd);
}

TEST_HARNESS_MAIN
