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
 *
 * Messages to the runtime: see runtime/process/protocol.ts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "ops.h"

#define MAX_PLAN (1 << 20)
#define MAX_ARGS 64

static int sock = -1;
static int state_dir_fd = -1;
static int step_index = -1;
static char resolved_exec[4096];

struct op {
	uint32_t code;
	uint32_t nargs;
	const char *arg[MAX_ARGS];
	uint32_t len[MAX_ARGS];
};

static void send_msg(uint32_t type, int32_t a, int32_t b, const char *text)
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

/* Report the failing step and leave: the runtime turns this into a message. */
__attribute__((noreturn)) static void fail(int err, const char *detail)
{
	if (sock >= 0)
		send_msg(MSG_ERROR, step_index, err, detail);
	else /* after create returned, only the container's stderr is left */
		dprintf(2, "runb init: %s: %s\n", detail ? detail : "", strerror(err));
	_exit(1);
}

static uint64_t arg_u64(const struct op *op, uint32_t i)
{
	uint64_t v = 0;
	if (i >= op->nargs || op->len[i] != 8)
		fail(EINVAL, "malformed step argument");
	memcpy(&v, op->arg[i], 8);
	return v;
}

/* String arguments are sent NUL-terminated; an empty one means NULL. */
static const char *arg_str(const struct op *op, uint32_t i)
{
	if (i >= op->nargs || op->len[i] == 0 || op->arg[i][op->len[i] - 1] != '\0')
		fail(EINVAL, "malformed step argument");
	return op->len[i] == 1 ? NULL : op->arg[i];
}

/* Wait for the runtime's answer to a sync point; anything but ACK aborts. */
static void sync_with_runtime(const char *tag)
{
	uint32_t reply = 0;
	ssize_t n;
	send_msg(MSG_SYNC, step_index, 0, tag);
	do
		n = recv(sock, &reply, sizeof(reply), 0);
	while (n < 0 && errno == EINTR);
	if (n != sizeof(reply) || reply != MSG_ACK)
		_exit(1);
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n >= sizeof(buf))
		return ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return errno;
	return 0;
}

static void do_pivot_root(const char *rootfs)
{
	int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (oldroot < 0 || chdir(rootfs) < 0)
		fail(errno, rootfs);
	/* pivot_root(".", ".") stacks the old root on top of the new one, so no
	 * directory inside the rootfs is needed to hold it. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		fail(errno, "pivot_root");
	if (fchdir(oldroot) < 0)
		fail(errno, "fchdir");
	/* Keep unmount events of the old root from reaching the host. */
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		fail(errno, "make old root rslave");
	if (umount2(".", MNT_DETACH) < 0)
		fail(errno, "umount old root");
	close(oldroot);
	if (chdir("/") < 0)
		fail(errno, "chdir /");
}

static void do_move_chroot(const char *rootfs)
{
	if (chdir(rootfs) < 0)
		fail(errno, rootfs);
	if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
		fail(errno, "move rootfs to /");
	if (chroot(".") < 0)
		fail(errno, "chroot");
	if (chdir("/") < 0)
		fail(errno, "chdir /");
}

/* PATH search as execvp does it, but reporting instead of executing. */
static void resolve_exec(const char *name, const char *path_list)
{
	struct stat st;
	int saw_eacces = 0;
	if (strchr(name, '/')) {
		if (stat(name, &st) < 0)
			fail(errno, name);
		if (S_ISDIR(st.st_mode) || access(name, X_OK) < 0)
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
			if (access(cand, X_OK) == 0) {
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

/* Block until `start` opens the fifo for reading, then tell it we go on. */
static void wait_exec_fifo(void)
{
	int fd = openat(state_dir_fd, "exec.fifo", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, "open exec.fifo");
	if (write(fd, "0", 1) != 1)
		fail(errno, "write exec.fifo");
	close(fd);
	close(state_dir_fd);
}

static char **collect_strings(const struct op *op, uint32_t from)
{
	static char *vec[2][MAX_ARGS + 1];
	static int which;
	char **v = vec[which++ & 1];
	uint32_t k = 0;
	for (uint32_t i = from; i < op->nargs; i++)
		v[k++] = (char *)op->arg[i];
	v[k] = NULL;
	return v;
}

static void set_caps(const struct op *op)
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

static void drop_bounding(uint64_t keep)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			fail(errno, "drop bounding capability");
	}
}

static void raise_ambient(uint64_t set)
{
	for (int cap = 0; cap <= 63; cap++)
		/* EPERM: not in both permitted and inheritable. runc skips those
		 * too, and configs (its own `spec` among them) rely on it. */
		if ((set & (1ULL << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EPERM)
			fail(errno, "raise ambient capability");
}

static void set_groups(const struct op *op)
{
	gid_t groups[MAX_ARGS];
	for (uint32_t i = 0; i < op->nargs; i++)
		groups[i] = (gid_t)arg_u64(op, i);
	if (setgroups(op->nargs, groups) < 0)
		fail(errno, "setgroups");
}

static void load_seccomp(const struct op *op)
{
	struct sock_fprog prog = {
		.len = (unsigned short)(op->len[0] / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)op->arg[0],
	};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned long)arg_u64(op, 1), &prog) < 0)
		fail(errno, "seccomp");
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, path);
	if (write(fd, data, len) != (ssize_t)len)
		fail(errno, path);
	close(fd);
}

/* A masked directory gets an empty read-only tmpfs, anything else /dev/null. */
static void mask_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return;
		fail(errno, path);
	}
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
			fail(errno, path);
	} else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
		fail(errno, path);
	}
}

/* A bind remount replaces the per-mount flags: keep the ones already set
 * (nosuid, nodev, ...), as a remount that drops them would (and, in a user
 * namespace, must fail to) loosen the mount. */
static unsigned long kept_flags(const char *path)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ST_NOSUID, MS_NOSUID}, {ST_NODEV, MS_NODEV}, {ST_NOEXEC, MS_NOEXEC},
		{ST_NOATIME, MS_NOATIME}, {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
	};
	struct statvfs sv;
	unsigned long flags = 0;
	if (statvfs(path, &sv) < 0)
		fail(errno, path);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			flags |= map[i].ms;
	return flags;
}

static void remount_readonly(const char *path, unsigned long extra)
{
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | extra | kept_flags(path), NULL) < 0)
		fail(errno, path);
}

static void readonly_path(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return;
		fail(errno, path);
	}
	remount_readonly(path, MS_REC);
}

/* Hand a terminal's master to whoever drives it, the way runc's console
 * socket protocol does: the fd as SCM_RIGHTS, the pty's name as data. */
static void send_fd(int via, int fd, const char *data, size_t len)
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
		fail(errno, "send the terminal to the console socket");
}

/* A pty from the container's own devpts, made the controlling terminal
 * and the stdio of this process; the master leaves through `via`. */
static void setup_tty(int via, uid_t uid, unsigned short rows, unsigned short cols)
{
	int unlock = 0, n = 0;
	char name[64];
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		fail(errno, "open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		fail(errno, "unlock pty");
	snprintf(name, sizeof(name), "/dev/pts/%d", n);
	int slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		fail(errno, name);
	if (fchown(slave, uid, (gid_t)-1) < 0)
		fail(errno, name);
	if (rows || cols) {
		struct winsize ws = {.ws_row = rows, .ws_col = cols};
		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			fail(errno, "set terminal size");
	}
	if (via >= 0) {
		send_fd(via, master, name, strlen(name));
	} else {
		/* To the runtime itself: a message like the others, plus the fd. */
		char buf[12 + sizeof(name)];
		uint32_t type = MSG_TTY;
		int32_t zero = 0;
		size_t n = strlen(name);
		memcpy(buf, &type, 4);
		memcpy(buf + 4, &zero, 4);
		memcpy(buf + 8, &zero, 4);
		memcpy(buf + 12, name, n);
		send_fd(sock, master, buf, 12 + n);
	}
	close(master);
	if (via >= 0)
		close(via);
	if (setsid() < 0 && errno != EPERM)
		fail(errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		fail(errno, "set controlling terminal");
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			fail(errno, "dup2 terminal");
	if (slave > 2)
		close(slave);
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
		pid_t pid = fork();
		if (pid < 0)
			fail(errno, "fork");
		if (pid > 0) {
			close(gate[0]);
			send_msg(MSG_PID, pid, 0, NULL);
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
		if (mount(arg_str(op, 0), arg_str(op, 1), arg_str(op, 2), (unsigned long)arg_u64(op, 3), arg_str(op, 4)) < 0)
			fail(errno, arg_str(op, 1));
		break;
	case OP_UMOUNT:
		if (umount2(arg_str(op, 0), (int)arg_u64(op, 1)) < 0)
			fail(errno, arg_str(op, 0));
		break;
	case OP_MKDIR_P: {
		int err = mkdir_p(arg_str(op, 0), (mode_t)arg_u64(op, 1));
		if (err)
			fail(err, arg_str(op, 0));
		break;
	}
	case OP_TOUCH: {
		int fd = open(arg_str(op, 0), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			fail(errno, arg_str(op, 0));
		close(fd);
		break;
	}
	case OP_MKNOD:
		if (mknod(arg_str(op, 0), (mode_t)arg_u64(op, 1), (dev_t)arg_u64(op, 2)) < 0 && errno != EEXIST)
			fail(errno, arg_str(op, 0));
		break;
	case OP_CHOWN:
		if (chown(arg_str(op, 0), (uid_t)arg_u64(op, 1), (gid_t)arg_u64(op, 2)) < 0)
			fail(errno, arg_str(op, 0));
		break;
	case OP_CHMOD:
		if (chmod(arg_str(op, 0), (mode_t)arg_u64(op, 1)) < 0)
			fail(errno, arg_str(op, 0));
		break;
	case OP_SYMLINK:
		if (symlink(arg_str(op, 0), arg_str(op, 1)) < 0 && errno != EEXIST)
			fail(errno, arg_str(op, 1));
		break;
	case OP_WRITE_FILE:
		write_file(arg_str(op, 0), op->arg[1], op->len[1]);
		break;
	case OP_STATE_DIR_FD:
		state_dir_fd = (int)arg_u64(op, 0);
		if (fcntl(state_dir_fd, F_SETFD, FD_CLOEXEC) < 0)
			fail(errno, "state directory fd");
		break;
	case OP_PIVOT_ROOT:
		do_pivot_root(arg_str(op, 0));
		break;
	case OP_MOVE_CHROOT:
		do_move_chroot(arg_str(op, 0));
		break;
	case OP_CHDIR:
		if (chdir(arg_str(op, 0)) < 0)
			fail(errno, arg_str(op, 0));
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
		/* args: argv..., then an empty separator, then envp... */
		uint32_t sep = 0;
		while (sep < op->nargs && op->len[sep] != 0)
			sep++;
		char **argv = collect_strings(op, 0);
		argv[sep] = NULL;
		char **envp = collect_strings(op, sep + 1);
		execve(resolved_exec, argv, envp);
		fail(errno, resolved_exec);
	}
	case OP_MASK_PATH:
		mask_path(arg_str(op, 0));
		break;
	case OP_READONLY_PATH:
		readonly_path(arg_str(op, 0));
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
	TAKE_U32(count);
	for (uint32_t s = 0; s < count; s++) {
		struct op op;
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

int main(int argc, char **argv)
{
	static char plan[MAX_PLAN];
	ssize_t n;
	if (argc < 2)
		return 2;
	sock = atoi(argv[1]);
	fcntl(sock, F_SETFD, FD_CLOEXEC);
	reset_signals();
	prctl(PR_SET_NAME, "runb-init", 0, 0, 0);
	do
		n = recv(sock, plan, sizeof(plan), 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 1;
	parse_and_run(plan, (size_t)n);
	fail(EINVAL, "plan ended without exec");
	return 1;
}
