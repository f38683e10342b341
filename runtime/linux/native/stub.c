/*
 * The container's first process, until it execs the user's program.
 *
 * runb itself is a Bun process: multi-threaded, so it can neither fork nor
 * enter a new user namespace, and far too large to sit inside a container
 * with a small memory limit. This program is the part that must run inside.
 * It has no policy: the TypeScript side computes a program of steps (see
 * runtime/process/plan.ts) and sends it over a SOCK_SEQPACKET socket; this
 * file runs the steps in order and reports the first failure as
 * (step index, errno, detail). Every decision lives on the TypeScript side.
 *
 * Usage: runb-stub SOCKET_FD
 * (and the helper modes `prime FILE`, below, and `wait ...`, in wait.c)
 *
 * This file: the plan's parsing and dispatch, the conversation with the
 * runtime, fork and exec. fs.c, creds.c and tty.c hold the other steps.
 * Messages to the runtime: see runtime/process/protocol.ts.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#include "ops.h"
#include "stage.h"

/* The plan may be large (thousands of mounts, a long environment). */
#define MAX_PLAN (256u << 20)

int sock = -1;
static int exec_fifo_fd = -1;
static int cwd_pending;
static int step_index = -1;
static char resolved_exec[4096];

void send_msg(uint32_t type, int32_t a, int32_t b, const char *text)
{
	char buf[4096];
	size_t n = text ? strlen(text) : 0;
	if (n > sizeof(buf) - 12)
		n = sizeof(buf) - 12;
	memcpy(buf, &type, 4);
	memcpy(buf + 4, &a, 4);
	memcpy(buf + 8, &b, 4);
	if (n)
		memcpy(buf + 12, text, n);
	while (send(sock, buf, 12 + n, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

/* Hand a terminal's master to whoever drives it, the way runc's console
 * socket protocol does: the fd as SCM_RIGHTS, the pty's name as data. */
void send_fd(int via, int fd, const char *data, size_t len)
{
	char ctrl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {(void *)data, len};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof(ctrl)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	memset(ctrl, 0, sizeof(ctrl));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(via, &msg, MSG_NOSIGNAL) < 0)
		fail(errno, "send a descriptor");
}

/* A message to the runtime like send_msg's, carrying FD. */
void send_msg_fd(uint32_t type, int fd, const char *text)
{
	char buf[12 + 256];
	int32_t zero = 0;
	size_t n = strlen(text);
	if (n > sizeof(buf) - 12)
		n = sizeof(buf) - 12;
	memcpy(buf, &type, 4);
	memcpy(buf + 4, &zero, 4);
	memcpy(buf + 8, &zero, 4);
	memcpy(buf + 12, text, n);
	send_fd(sock, fd, buf, 12 + n);
}

/* Report the failing step and leave: the runtime turns this into a message. */
__attribute__((noreturn)) void fail(int err, const char *detail)
{
	if (sock >= 0)
		send_msg(MSG_ERROR, step_index, err, detail);
	else /* after create returned, only the container's stderr is left */
		dprintf(2, "runb init: %s: %s\n", detail ? detail : "", strerror(err));
	_exit(1);
}

/* execve itself failed: after create, only the container's stderr is
 * left to say so, in runc's words ("exec /x: no such file or directory"). */
__attribute__((noreturn)) static void exec_failed(int err)
{
	char msg[64];
	if (sock >= 0)
		fail(err, resolved_exec);
	snprintf(msg, sizeof(msg), "%s", strerror(err));
	msg[0] = (char)tolower((unsigned char)msg[0]);
	dprintf(2, "exec %s: %s\n", resolved_exec, msg);
	_exit(1);
}

uint64_t arg_u64(const struct op *op, uint32_t i)
{
	uint64_t v = 0;
	if (i >= op->nargs || op->len[i] != 8)
		fail(EINVAL, "malformed step argument");
	memcpy(&v, op->arg[i], 8);
	return v;
}

/* String arguments are sent NUL-terminated; an empty one means NULL. */
const char *arg_str(const struct op *op, uint32_t i)
{
	if (i >= op->nargs || op->len[i] == 0 || op->arg[i][op->len[i] - 1] != '\0')
		fail(EINVAL, "malformed step argument");
	return op->len[i] == 1 ? NULL : op->arg[i];
}

/* Wait for the runtime's answer to a sync point; anything but ACK aborts.
 * Meanwhile the runtime works on this process from outside (id maps,
 * hooks entering its namespaces), which needs it dumpable; nothing of the
 * container runs yet that could use that. */
static void sync_with_runtime(const char *tag)
{
	uint32_t reply = 0;
	ssize_t n;
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	send_msg(MSG_SYNC, step_index, 0, tag);
	do
		n = recv(sock, &reply, sizeof(reply), 0);
	while (n < 0 && errno == EINTR);
	if (n != sizeof(reply) || reply != MSG_ACK)
		_exit(1);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* PATH search as execvp does it, but reporting instead of executing. */
static void resolve_exec(const char *name, const char *path_list)
{
	struct stat st;
	int saw_eacces = 0;
	if (strchr(name, '/')) {
		if (stat(name, &st) < 0)
			fail(errno, name);
		if (S_ISDIR(st.st_mode) || faccessat(AT_FDCWD, name, X_OK, AT_EACCESS) < 0)
			fail(EACCES, name);
		snprintf(resolved_exec, sizeof(resolved_exec), "%s", name);
		return;
	}
	const char *p = path_list ? path_list : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*p) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char cand[4096];
		snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, n ? p : ".", name);
		if (stat(cand, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (faccessat(AT_FDCWD, cand, X_OK, AT_EACCESS) == 0) {
				snprintf(resolved_exec, sizeof(resolved_exec), "%s", cand);
				return;
			}
			saw_eacces = 1;
		}
		p += n;
		if (*p == ':')
			p++;
	}
	fail(saw_eacces ? EACCES : ENOENT, name);
}

/* Block until `start` opens the fifo for reading, then tell it we go on.
 * The stage holds only an O_PATH descriptor of the fifo itself, never of
 * the state directory: a descriptor of a host directory would be a way
 * out of the container for anything that can reach /proc/1/fd. */
static void wait_exec_fifo(void)
{
	char path[32];
	fd_path(path, exec_fifo_fd);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, "open exec fifo");
	if (write(fd, "0", 1) != 1)
		fail(errno, "write exec fifo");
	close(fd);
	close(exec_fifo_fd);
}

/* fork, but born in the cgroup CGROUP_FD names (a cgroup v2 directory):
 * no later move through cgroup.procs, whose first use after a quiet spell
 * waits for the kernel's migration lock. Falls back to a plain fork where
 * the kernel refuses; *IN_CGROUP says which it was. */
static pid_t fork_into_cgroup(int cgroup_fd, int *in_cgroup)
{
	struct clone_args args = {.flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = (uint64_t)cgroup_fd};
	*in_cgroup = 0;
	/* A failed first fork into a new pid namespace leaves it unusable:
	 * try only where the kernel will agree. It wants write access to the
	 * cgroup's procs file, which a user namespace's root may lack. */
	if (cgroup_fd >= 0 && faccessat(cgroup_fd, "cgroup.procs", W_OK, AT_EACCESS) == 0) {
		pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		if (pid >= 0) {
			*in_cgroup = 1;
			return pid;
		}
	}
	return fork();
}

/* Parent side of OP_FORK: report the child's pid, then leave or wait. */
static void after_fork_parent(pid_t child, int wait_for_child)
{
	int status;
	if (!wait_for_child)
		_exit(0);
	close(sock);
	/* In the foreground the runtime waits on us: pass the status through,
	 * 128+signal for a killed child as a shell reports it. */
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			_exit(255);
	if (WIFSIGNALED(status))
		_exit(128 + WTERMSIG(status));
	_exit(WEXITSTATUS(status));
}

static void run_op(const struct op *op)
{
	switch (op->code) {
	case OP_SETNS: {
		int fd = open(arg_str(op, 0), O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, (int)arg_u64(op, 1)) < 0)
			fail(errno, arg_str(op, 0));
		close(fd);
		break;
	}
	case OP_UNSHARE:
		if (unshare((int)arg_u64(op, 0)) < 0)
			fail(errno, "unshare");
		break;
	case OP_SYNC:
		sync_with_runtime(arg_str(op, 0));
		break;
	case OP_FORK: {
		/* The child waits until its pid is reported: the runtime must know
		 * it before the child's first message arrives. */
		int gate[2];
		char go;
		if (pipe2(gate, O_CLOEXEC) < 0)
			fail(errno, "pipe");
		int in_cgroup = 0;
		pid_t pid = fork_into_cgroup(op->nargs > 1 ? (int)(int64_t)arg_u64(op, 1) : -1, &in_cgroup);
		if (pid < 0)
			fail(errno, "fork");
		if (op->nargs > 1 && (int64_t)arg_u64(op, 1) >= 0)
			close((int)arg_u64(op, 1));
		if (pid > 0) {
			close(gate[0]);
			send_msg(MSG_PID, pid, in_cgroup, NULL);
			close(gate[1]);
			after_fork_parent(pid, (int)arg_u64(op, 0));
		}
		close(gate[1]);
		if (read(gate[0], &go, 1) < 0 && errno != EINTR)
			fail(errno, "wait for the parent");
		close(gate[0]);
		break;
	}
	case OP_SETSID:
		if (setsid() < 0)
			fail(errno, "setsid");
		break;
	case OP_MOUNT:
		mount_in_root(arg_str(op, 0), arg_str(op, 1), arg_str(op, 2), (unsigned long)arg_u64(op, 3), arg_str(op, 4),
			      arg_u64(op, 5));
		break;
	case OP_UMOUNT:
		if (umount2(arg_str(op, 0), (int)arg_u64(op, 1)) < 0)
			fail(errno, arg_str(op, 0));
		break;
	case OP_MKDIR_P:
		mkdir_in_root(arg_str(op, 0), (mode_t)arg_u64(op, 1), op->nargs > 2 && (arg_u64(op, 2) & MOUNT_PLAIN_DIR));
		break;
	case OP_TOUCH:
		touch_in_root(arg_str(op, 0));
		break;
	case OP_MKNOD:
		mknod_in_root(arg_str(op, 0), (mode_t)arg_u64(op, 1), (dev_t)arg_u64(op, 2), (mode_t)arg_u64(op, 3),
			      (uid_t)arg_u64(op, 4), (gid_t)arg_u64(op, 5));
		break;
	case OP_HOLDER_PRIVATE:
		make_holder_private(arg_str(op, 0));
		break;
	case OP_ROOT_FD:
		set_root(arg_str(op, 0));
		break;
	case OP_SYMLINK:
		symlink_in_root(arg_str(op, 0), arg_str(op, 1), (int)arg_u64(op, 2));
		break;
	case OP_WRITE_PROC:
		write_proc(arg_str(op, 0), op->arg[1], op->len[1]);
		break;
	case OP_EXEC_FIFO_FD:
		exec_fifo_fd = (int)arg_u64(op, 0);
		if (fcntl(exec_fifo_fd, F_SETFD, FD_CLOEXEC) < 0)
			fail(errno, "exec fifo fd");
		break;
	case OP_PIVOT_ROOT:
		do_pivot_root(arg_str(op, 0));
		break;
	case OP_MOVE_CHROOT:
		do_move_chroot(arg_str(op, 0));
		break;
	case OP_CHDIR:
		/* First as the runtime's user, which may reach what the
		 * container's cannot; where it may not, again as the container's. */
		if (arg_u64(op, 1) == 0)
			cwd_pending = chdir_in_root(arg_str(op, 0), 1) != 0;
		else if (cwd_pending)
			chdir_in_root(arg_str(op, 0), 0);
		break;
		break;
	case OP_SETHOSTNAME:
		if (sethostname(op->arg[0], op->len[0]) < 0)
			fail(errno, "sethostname");
		break;
	case OP_SETDOMAINNAME:
		if (setdomainname(op->arg[0], op->len[0]) < 0)
			fail(errno, "setdomainname");
		break;
	case OP_SETRLIMIT: {
		struct rlimit rl = {(rlim_t)arg_u64(op, 1), (rlim_t)arg_u64(op, 2)};
		if (setrlimit((int)arg_u64(op, 0), &rl) < 0)
			fail(errno, "setrlimit");
		break;
	}
	case OP_UMASK:
		umask((mode_t)arg_u64(op, 0));
		break;
	case OP_KEEP_CAPS:
		if (prctl(PR_SET_KEEPCAPS, (unsigned long)arg_u64(op, 0), 0, 0, 0) < 0)
			fail(errno, "keep capabilities");
		break;
	case OP_SETGROUPS:
		set_groups(op);
		break;
	case OP_SETGID:
		if (setresgid((gid_t)arg_u64(op, 0), (gid_t)arg_u64(op, 0), (gid_t)arg_u64(op, 0)) < 0)
			fail(errno, "setresgid");
		break;
	case OP_SETUID:
		if (setresuid((uid_t)arg_u64(op, 0), (uid_t)arg_u64(op, 0), (uid_t)arg_u64(op, 0)) < 0)
			fail(errno, "setresuid");
		break;
	case OP_CAPS_BOUNDING:
		drop_bounding(arg_u64(op, 0));
		break;
	case OP_CAPS_SET:
		set_caps(op);
		break;
	case OP_CAPS_AMBIENT:
		raise_ambient(arg_u64(op, 0));
		break;
	case OP_NO_NEW_PRIVS:
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			fail(errno, "no_new_privs");
		break;
	case OP_SECCOMP:
		load_seccomp(op);
		break;
	case OP_KEYRING:
		if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, arg_str(op, 0)) < 0 && errno != ENOSYS)
			fail(errno, "join session keyring");
		break;
	case OP_PERSONALITY:
		if (syscall(SYS_personality, (unsigned long)arg_u64(op, 0)) < 0)
			fail(errno, "personality");
		break;
	case OP_RESOLVE_EXEC:
		resolve_exec(arg_str(op, 0), arg_str(op, 1));
		break;
	case OP_READY:
		send_msg(MSG_READY, step_index, 0, NULL);
		break;
	case OP_WAIT_EXEC_FIFO:
		wait_exec_fifo();
		break;
	case OP_CLOSE_SOCKET:
		close(sock);
		sock = -1;
		break;
	case OP_EXEC: {
		/* args: argv..., then an empty separator, then envp...; the
		 * separator's slot and the one after the last become the NULLs
		 * that end the two vectors. */
		uint32_t sep = 0;
		while (sep < op->nargs && op->len[sep] != 0)
			sep++;
		char **argv = (char **)op->arg;
		argv[op->nargs] = NULL;
		char **envp = sep < op->nargs ? argv + sep + 1 : argv + op->nargs;
		argv[sep] = NULL;
		execve(resolved_exec, argv, envp);
		exec_failed(errno);
	}
	case OP_MASK_PATH:
		mask_path(arg_str(op, 0));
		break;
	case OP_READONLY_PATH:
		readonly_path(arg_str(op, 0));
		break;
	case OP_ATTACH_TREE:
		attach_in_root((int)arg_u64(op, 0), arg_str(op, 1), arg_u64(op, 2));
		break;
	case OP_CLOEXEC:
		for (uint32_t i = 0; i < op->nargs; i++)
			if (fcntl((int)arg_u64(op, i), F_SETFD, FD_CLOEXEC) < 0)
				fail(errno, "close-on-exec");
		break;
	case OP_CHROOT:
		if (chdir(arg_str(op, 0)) < 0 || chroot(".") < 0 || chdir("/") < 0)
			fail(errno, arg_str(op, 0));
		set_root("/");
		break;
	case OP_MOUNT_SETATTR:
		mount_setattr_in_root(arg_str(op, 0), arg_u64(op, 1), arg_u64(op, 2));
		break;
	case OP_REMOUNT_RO:
		remount_readonly(arg_str(op, 0), 0);
		break;
	case OP_IOPRIO:
		if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (int)arg_u64(op, 0)) < 0)
			fail(errno, "ioprio_set");
		break;
	case OP_SCHED_SETATTR:
		if (syscall(SYS_sched_setattr, 0, op->arg[0], 0) < 0)
			fail(errno, "sched_setattr");
		break;
	case OP_SETUP_TTY:
		setup_tty((int)(int64_t)arg_u64(op, 0), (uid_t)arg_u64(op, 1), (unsigned short)arg_u64(op, 2),
			  (unsigned short)arg_u64(op, 3));
		break;
	default:
		fail(EINVAL, "unknown step");
	}
}

/* The user's program must start with default dispositions and nothing
 * blocked, whatever the runtime that spawned us had. */
static void reset_signals(void)
{
	sigset_t all;
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/* Plan layout: u32 count, then per step: u32 code, u32 nargs, then per
 * argument u32 length and the bytes. */
static void parse_and_run(const char *buf, size_t size)
{
	size_t pos = 0;
	uint32_t count;
#define TAKE_U32(dst)                                   \
	do {                                            \
		if (pos + 4 > size)                     \
			fail(EINVAL, "truncated plan"); \
		memcpy(&(dst), buf + pos, 4);           \
		pos += 4;                               \
	} while (0)
	static const char *args[MAX_ARGS + 1];
	static uint32_t lens[MAX_ARGS + 1];
	TAKE_U32(count);
	for (uint32_t s = 0; s < count; s++) {
		struct op op = {.arg = args, .len = lens};
		TAKE_U32(op.code);
		TAKE_U32(op.nargs);
		if (op.nargs > MAX_ARGS)
			fail(E2BIG, "too many step arguments");
		for (uint32_t i = 0; i < op.nargs; i++) {
			TAKE_U32(op.len[i]);
			if (pos + op.len[i] > size)
				fail(EINVAL, "truncated plan");
			op.arg[i] = buf + pos;
			pos += op.len[i];
		}
		step_index = (int)s;
		run_op(&op);
	}
#undef TAKE_U32
}

/* The plan comes as a u32 size, then packets until that many bytes. */
static char *receive_plan(size_t *size)
{
	uint32_t total = 0;
	size_t got = 0;
	ssize_t n;
	do
		n = recv(sock, &total, sizeof(total), 0);
	while (n < 0 && errno == EINTR);
	if (n != sizeof(total) || total == 0 || total > MAX_PLAN)
		_exit(1);
	char *plan = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (plan == MAP_FAILED)
		fail(errno, "plan buffer");
	while (got < total) {
		n = recv(sock, plan + got, total - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(1);
		got += (size_t)n;
	}
	*size = got;
	return plan;
}

/* `prime FILE`: have a child write its pid to FILE, a cgroup.procs of the
 * cgroup it is in already, and exit at once. The runtime starts this to
 * have the kernel's cgroup migration lock taken early, off its own thread
 * (see cgroups/prime.ts), and reaps it right away: the child, which waits
 * for the lock, is left to whoever reaps orphans. What the write says is
 * of no interest to anyone; without a child, nothing is written. */
static int prime(const char *file)
{
	prctl(PR_SET_NAME, "runb-prime", 0, 0, 0);
	/* The runtime's descriptors are not the child's to hold: a caller
	 * reading the runtime's output to its end must not wait for it. */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	int null = open("/dev/null", O_RDWR);
	if (null < 0)
		return 1;
	for (int fd = 0; fd < 3; fd++)
		if (null != fd)
			dup2(null, fd);
	if (null > 2)
		close(null);
	pid_t child = fork();
	if (child != 0)
		return child < 0;
	char pid[16];
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(1);
	int n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	int ok = n > 0 && write(fd, pid, (size_t)n) == n;
	_exit(ok ? 0 : 1);
}

int main(int argc, char **argv)
{
	size_t size;
	if (argc == 3 && !strcmp(argv[1], "prime"))
		return prime(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "wait"))
		return wait_mode(argc, argv);
	if (argc < 2)
		return 2;
	sock = atoi(argv[1]);
	fcntl(sock, F_SETFD, FD_CLOEXEC);
	reset_signals();
	prctl(PR_SET_NAME, "runb-init", 0, 0, 0);
	/* Until exec, only the runtime may look into this process (its fds,
	 * its memory): exec resets this. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	char *plan = receive_plan(&size);
	parse_and_run(plan, size);
	fail(EINVAL, "plan ended without exec");
	return 1;
}
