/*
 * Test helper for kernel.test.ts: installs a seccomp filter read from a file
 * (struct sock_filter[]) and makes one system call, then prints "ok RET" or
 * "errno N". A failure to install prints "load errno N" and exits 3.
 *
 *   seccomp-run FILTER-FILE FLAGS NR [ARG...]
 *
 * NR is a syscall number; "i386:NR" makes the call through int $0x80, so the
 * kernel sees an i386 task (AUDIT_ARCH_I386) with 32-bit arguments. An ARG is
 * a number (0x... for hex, up to 64 bits) or "s:TEXT" for a pointer to TEXT.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INSNS 4096

static struct sock_filter insns[MAX_INSNS];

/* The i386 entry: returns -errno like the raw instruction does. */
static long i386_syscall(long nr, const unsigned long *a)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
			 : "memory");
	return ret;
}

static unsigned long parse_arg(const char *s)
{
	if (strncmp(s, "s:", 2) == 0)
		return (unsigned long)(s + 2);
	return strtoull(s, NULL, 0);
}

int main(int argc, char **argv)
{
	unsigned long a[6] = { 0 };
	FILE *f;
	size_t n;
	long ret;
	int i;

	if (argc < 4 || argc > 10) {
		fprintf(stderr, "usage: %s FILTER-FILE FLAGS NR [ARG...]\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	n = fread(insns, sizeof(insns[0]), MAX_INSNS, f);
	fclose(f);
	for (i = 4; i < argc; i++)
		a[i - 4] = parse_arg(argv[i]);

	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
	/* Without CAP_SYS_ADMIN the kernel only accepts a filter under no_new_privs. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, strtoul(argv[2], NULL, 0), &prog) < 0) {
		printf("load errno %d\n", errno);
		return 3;
	}
	if (strncmp(argv[3], "i386:", 5) == 0) {
		ret = i386_syscall(strtol(argv[3] + 5, NULL, 0), a);
		if (ret < 0 && ret > -4096) {
			errno = (int)-ret;
			ret = -1;
		}
	} else {
		ret = syscall(strtol(argv[3], NULL, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	if (ret < 0)
		printf("errno %d\n", errno);
	else
		printf("ok %ld\n", ret);
	return 0;
}
