// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of a position-independent kernel (CONFIG_X86_PIE) where it
 * shows: kernel entry and exit (getppid) and anonymous page faults.
 * Prints ns per operation as KTAP diagnostics; 'make bench' compares the
 * figures of the PIE kernel, moved or not, with an ordinary build.  It
 * measures, it does not judge: the exit status is 0 unless a call fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SYSCALLS	1000000L
#define FAULT_BYTES	(64L << 20)
#define FAULT_ROUNDS	8

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE), faults = 0, i;
	double t0, syscall_ns, fault_ns;
	int round;

	t0 = now_ns();
	for (i = 0; i < SYSCALLS; i++)
		syscall(SYS_getppid);
	syscall_ns = (now_ns() - t0) / SYSCALLS;

	t0 = now_ns();
	for (round = 0; round < FAULT_ROUNDS; round++) {
		char *p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		for (i = 0; i < FAULT_BYTES; i += page, faults++)
			p[i] = 1;
		munmap(p, FAULT_BYTES);
	}
	fault_ns = (now_ns() - t0) / faults;

	printf("# pie_bench syscall_ns %.1f\n", syscall_ns);
	printf("# pie_bench fault_ns %.1f\n", fault_ns);
	return 0;
}
