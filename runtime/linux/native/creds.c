/* The init stage's credential steps: capability sets, groups, seccomp. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "stage.h"

void set_caps(const struct op *op)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	uint64_t eff = arg_u64(op, 0), perm = arg_u64(op, 1), inh = arg_u64(op, 2);
	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(eff >> (32 * i));
		data[i].permitted = (uint32_t)(perm >> (32 * i));
		data[i].inheritable = (uint32_t)(inh >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		fail(errno, "capset");
}

void drop_bounding(uint64_t keep)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			fail(errno, "drop bounding capability");
	}
}

void raise_ambient(uint64_t set)
{
	for (int cap = 0; cap <= 63; cap++)
		/* EPERM: not in both permitted and inheritable. runc skips those
		 * too, and configs (its own `spec` among them) rely on it. */
		if ((set & (1ULL << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EPERM)
			fail(errno, "raise ambient capability");
}

void set_groups(const struct op *op)
{
	static gid_t groups[NGROUPS_MAX];
	if (op->nargs > NGROUPS_MAX)
		fail(E2BIG, "setgroups");
	for (uint32_t i = 0; i < op->nargs; i++)
		groups[i] = (gid_t)arg_u64(op, i);
	if (setgroups(op->nargs, groups) < 0)
		fail(errno, "setgroups");
}

void load_seccomp(const struct op *op)
{
	struct sock_fprog prog = {
		.len = (unsigned short)(op->len[0] / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)op->arg[0],
	};
	unsigned long flags = (unsigned long)arg_u64(op, 1);
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (fd < 0)
		fail(errno, "seccomp");
	/* A notify filter's listener goes to the runtime, which hands it to
	 * the supervisor at listenerPath. */
	if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
		send_msg_fd(MSG_SECCOMP, (int)fd, "");
		close((int)fd);
	}
}
