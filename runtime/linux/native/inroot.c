/*
 * Paths inside the container, resolved at the moment they are used.
 *
 * Every path a step names inside the rootfs is looked up with openat2()
 * and RESOLVE_IN_ROOT from a descriptor of the rootfs: symlinks, "..",
 * and absolute links all stay inside it, magic links (/proc/PID/fd/N)
 * are refused, and the step then acts on the descriptor it got
 * (mount on /proc/self/fd/N, mknodat/symlinkat under the parent's fd,
 * fchdir). A path resolved earlier could be swapped for a symlink to the
 * host by the time it is used; a descriptor cannot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/openat2.h>

#include "stage.h"

/* The rootfs before pivot_root, "/" after; -1: the process's "/" (exec). */
static int root_fd = -1;

void set_root(const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, path);
	if (root_fd >= 0)
		close(root_fd);
	root_fd = fd;
}

/* Resolve PATH inside the root; a descriptor, or -errno. */
int in_root(const char *path, int flags, uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
	};
	int dir = root_fd >= 0 ? root_fd : open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = -1, tries = 0;
	if (dir < 0)
		return -errno;
	while (*path == '/')
		path++;
	/* EAGAIN: a rename raced the lookup of ".."; the kernel asks to retry. */
	do
		fd = (int)syscall(SYS_openat2, dir, *path ? path : ".", &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < 32);
	int err = fd < 0 ? errno : 0;
	if (dir != root_fd)
		close(dir);
	if (err == ENOSYS)
		fail(ENOSYS, "openat2 (Linux 5.6 or later is needed to resolve paths inside the rootfs)");
	return fd < 0 ? -err : fd;
}

/* in_root, or fail naming the path. */
int in_root_or_fail(const char *path, int flags, uint64_t resolve)
{
	int fd = in_root(path, flags, resolve);
	if (fd < 0)
		fail(-fd, path);
	return fd;
}

void fd_path(char buf[32], int fd)
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
}

/* Split PATH into its parent, opened inside the root, and its last name. */
static int parent_of(const char *path, char *base, size_t size)
{
	char dir[PATH_MAX];
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n >= sizeof(dir))
		fail(ENAMETOOLONG, path);
	memcpy(dir, path, n);
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	const char *name = slash ? slash + 1 : dir;
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		fail(EINVAL, path);
	if (strlen(name) >= size)
		fail(ENAMETOOLONG, path);
	strcpy(base, name);
	if (slash)
		*slash = '\0';
	return in_root_or_fail(slash && *dir ? dir : "/", O_PATH | O_DIRECTORY, 0);
}

/* An existing directory, or a new one made under its parent (mkdirat never
 * follows a symlink in the last name: a dangling link is EEXIST, and the
 * lookup after it resolves the link inside the root). */
static int dir_in_root(const char *path, mode_t mode, int plain)
{
	uint64_t resolve = plain ? RESOLVE_NO_SYMLINKS : 0;
	int fd = in_root(path, O_PATH | O_DIRECTORY, resolve);
	if (fd == -ELOOP && plain)
		fail(ENOTDIR, "must be mounted on ordinary directory");
	if (fd == -ENOENT) {
		char name[NAME_MAX + 1];
		int parent = parent_of(path, name, sizeof(name));
		if (mkdirat(parent, name, mode) < 0 && errno != EEXIST)
			fail(errno, path);
		close(parent);
		fd = in_root(path, O_PATH | O_DIRECTORY, resolve);
	}
	if (fd < 0)
		fail(-fd, path);
	return fd;
}

/* The parent of PATH, looked up as RESOLVE says, and PATH's last name; a
 * descriptor, or -1 when that is not the plain case (no parent there, or a
 * name such as ".." that only the walk below handles). */
static int plain_parent(const char *path, uint64_t resolve, char name[NAME_MAX + 1])
{
	char dir[PATH_MAX];
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n >= sizeof(dir))
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	const char *last = slash ? slash + 1 : dir;
	if (!*last || !strcmp(last, ".") || !strcmp(last, "..") || strlen(last) > NAME_MAX)
		return -1;
	strcpy(name, last);
	if (slash)
		*slash = '\0';
	int fd = in_root(slash && *dir ? dir : "/", O_PATH | O_DIRECTORY, resolve);
	return fd < 0 ? -1 : fd;
}

/* mkdir -p inside the root; PLAIN: no symlinks on the way (a mount point
 * for /proc or /sys). A directory that is there, or whose parent is, takes
 * a lookup or two; otherwise the walk goes one component at a time, and
 * says which one is wrong. */
void mkdir_in_root(const char *path, mode_t mode, int plain)
{
	uint64_t resolve = plain ? RESOLVE_NO_SYMLINKS : 0;
	int fd = in_root(path, O_PATH | O_DIRECTORY, resolve);
	if (fd >= 0) {
		close(fd);
		return;
	}
	char name[NAME_MAX + 1];
	int parent = fd == -ENOENT ? plain_parent(path, resolve, name) : -1;
	if (parent >= 0) {
		if (mkdirat(parent, name, mode) < 0 && errno != EEXIST)
			fail(errno, path);
		close(parent);
		close(dir_in_root(path, mode, plain));
		return;
	}
	char buf[PATH_MAX];
	size_t n = strlen(path);
	if (n >= sizeof(buf))
		fail(ENAMETOOLONG, path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if ((buf[i] != '/' && buf[i] != '\0') || buf[i - 1] == '/')
			continue;
		char saved = buf[i];
		buf[i] = '\0';
		close(dir_in_root(buf, mode, plain));
		buf[i] = saved;
	}
}

/* An empty file to bind a file over; an existing one is used as it is. */
void touch_in_root(const char *path)
{
	char name[NAME_MAX + 1];
	int fd = in_root(path, O_PATH, 0);
	if (fd >= 0) {
		close(fd);
		return;
	}
	if (fd != -ENOENT)
		fail(-fd, path);
	int parent = parent_of(path, name, sizeof(name));
	fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fail(errno, path);
	close(fd);
	close(parent);
}

/* A device node, its mode and owner. An existing file of that name is left
 * as it is, as runc leaves it: never chmod or chown what we did not make. */
void mknod_in_root(const char *path, mode_t mode, dev_t dev, mode_t perm, uid_t uid, gid_t gid)
{
	char name[NAME_MAX + 1], proc[32];
	struct stat st;
	int parent = parent_of(path, name, sizeof(name));
	if (mknodat(parent, name, mode, dev) < 0) {
		if (errno == EEXIST) {
			close(parent);
			return;
		}
		fail(errno, path);
	}
	int fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		fail(errno, path);
	if ((st.st_mode & S_IFMT) != (mode & S_IFMT) || st.st_rdev != dev)
		fail(EEXIST, path); /* swapped under us */
	fd_path(proc, fd);
	if (chmod(proc, perm) < 0 || fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
		fail(errno, path);
	close(fd);
	close(parent);
}

void symlink_in_root(const char *target, const char *path, int replace)
{
	char name[NAME_MAX + 1];
	int parent = parent_of(path, name, sizeof(name));
	if (replace && unlinkat(parent, name, 0) < 0 && errno != ENOENT)
		fail(errno, path);
	if (symlinkat(target, parent, name) < 0 && errno != EEXIST)
		fail(errno, path);
	close(parent);
}

/* A mount target inside the root, checked as HOW (MOUNT_* in ops.h) says;
 * *ST gets what is there now. */
static int mount_target(const char *target, uint64_t how, struct stat *st)
{
	struct statfs sf;
	int fd = in_root(target, O_PATH, (how & MOUNT_PLAIN_DIR) ? RESOLVE_NO_SYMLINKS : 0);
	if (fd == -ELOOP && (how & MOUNT_PLAIN_DIR))
		fail(ENOTDIR, "must be mounted on ordinary directory");
	if (fd < 0)
		fail(-fd, target);
	if (fstatfs(fd, &sf) < 0 || fstat(fd, st) < 0)
		fail(errno, target);
	/* A mount that lands in procfs could redirect the runtime's own writes
	 * there (sysctls, attr): only the places the runtime allows. */
	if (sf.f_type == PROC_SUPER_MAGIC && !(how & MOUNT_PROC_OK))
		fail(EPERM, "mount destination resolves inside /proc");
	if ((how & MOUNT_PLAIN_DIR) && !S_ISDIR(st->st_mode))
		fail(ENOTDIR, "must be mounted on ordinary directory");
	return fd;
}

void mount_in_root(const char *source, const char *target, const char *fstype, unsigned long flags,
		   const char *data, uint64_t how)
{
	char proc[32], with_mode[4096];
	struct stat st;
	if (!(how & MOUNT_IN_ROOT)) {
		if (mount(source, target, fstype, flags, data) < 0)
			fail(errno, target);
		return;
	}
	int fd = mount_target(target, how, &st);
	if ((how & MOUNT_KEEP_MODE) && !(flags & MS_REMOUNT)) {
		/* runc's rule: the tmpfs looks like the directory it covers. */
		snprintf(with_mode, sizeof(with_mode), "%s%smode=%o", data ? data : "", data ? "," : "",
			 (unsigned)(st.st_mode & 07777));
		data = with_mode;
	}
	fd_path(proc, fd);
	if (mount(source, proc, fstype, flags, data) < 0)
		fail(errno, target);
	close(fd);
}

/* Attach a detached mount tree (open_tree by the runtime) at TARGET. */
void attach_in_root(int tree, const char *target, uint64_t how)
{
	struct stat st;
	int fd = mount_target(target, how, &st);
	if (syscall(SYS_move_mount, tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		fail(errno, target);
	close(fd);
	close(tree);
}

/* The recursive mount options: attributes of the mount at PATH and of
 * every mount below it. */
void mount_setattr_in_root(const char *path, uint64_t set, uint64_t clear)
{
	struct {
		uint64_t set, clear, propagation, userns_fd;
	} attr = {set, clear, 0, 0};
	int fd = in_root_or_fail(path, O_PATH, 0);
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		fail(errno, errno == ENOSYS ? "recursive mount options need Linux 5.12 or later" : path);
	close(fd);
}

/* A write to a file of the container's procfs (sysctl, attr), through a
 * descriptor that is checked to be procfs and reached without symlinks
 * out of it or mounts over it. */
void write_proc(const char *rel, const char *data, size_t len)
{
	struct statfs sf;
	struct stat st;
	struct open_how how = {
		.flags = O_WRONLY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int proc = in_root_or_fail("/proc", O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
	if (fstatfs(proc, &sf) < 0 || fstat(proc, &st) < 0)
		fail(errno, "/proc");
	if (sf.f_type != PROC_SUPER_MAGIC || st.st_ino != 1 /* PROC_ROOT_INO */)
		fail(EXDEV, "/proc is not the root of a procfs");
	int fd = (int)syscall(SYS_openat2, proc, rel, &how, sizeof(how));
	if (fd < 0 || fstatfs(fd, &sf) < 0)
		fail(errno, rel);
	if (sf.f_type != PROC_SUPER_MAGIC)
		fail(EXDEV, rel);
	if (write(fd, data, len) != (ssize_t)len)
		fail(errno, rel);
	close(fd);
	close(proc);
}

/* Masking hides a path with the container's own /dev/null, checked to be
 * the null device (never whatever a symlink named /dev/null points at),
 * or a directory with an empty read-only tmpfs. */
void mask_path(const char *path)
{
	char src[32], dst[32];
	struct stat st, null;
	int fd = in_root(path, O_PATH, 0);
	if (fd == -ENOENT)
		return;
	if (fd < 0)
		fail(-fd, path);
	if (fstat(fd, &st) < 0)
		fail(errno, path);
	fd_path(dst, fd);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", dst, "tmpfs", MS_RDONLY, NULL) < 0)
			fail(errno, path);
		close(fd);
		return;
	}
	int dev = in_root_or_fail("/dev/null", O_PATH, RESOLVE_NO_SYMLINKS);
	if (fstat(dev, &null) < 0)
		fail(errno, "/dev/null");
	if (!S_ISCHR(null.st_mode) || null.st_rdev != makedev(1, 3))
		fail(ENODEV, "/dev/null is not the null device");
	fd_path(src, dev);
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
		fail(errno, path);
	close(dev);
	close(fd);
}

/* A bind remount replaces the per-mount flags: keep the ones already set
 * (nosuid, nodev, ...), as a remount that drops them would (and, in a user
 * namespace, must fail to) loosen the mount. */
static unsigned long kept_flags(int fd, const char *path)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ST_NOSUID, MS_NOSUID}, {ST_NODEV, MS_NODEV}, {ST_NOEXEC, MS_NOEXEC},
		{ST_NOATIME, MS_NOATIME}, {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
	};
	struct statvfs sv;
	unsigned long flags = 0;
	if (fstatvfs(fd, &sv) < 0)
		fail(errno, path);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			flags |= map[i].ms;
	return flags;
}

void remount_readonly(const char *path, unsigned long extra)
{
	char proc[32];
	int fd = in_root_or_fail(path, O_PATH, 0);
	fd_path(proc, fd);
	if (mount(NULL, proc, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | extra | kept_flags(fd, path), NULL) < 0)
		fail(errno, path);
	close(fd);
}

void readonly_path(const char *path)
{
	char proc[32];
	int fd = in_root(path, O_PATH, 0);
	if (fd == -ENOENT)
		return;
	if (fd < 0)
		fail(-fd, path);
	fd_path(proc, fd);
	if (mount(proc, proc, NULL, MS_BIND | MS_REC, NULL) < 0)
		fail(errno, path);
	close(fd);
	/* The new mount is on top now: find it again for the remount. */
	remount_readonly(path, MS_REC);
}

/* chdir inside the root, then make sure the result is inside it: getcwd
 * names a directory outside the root "(unreachable)/...". Returns 0, or
 * the errno of a refused permission when SOFT (the caller tries again
 * with the container's own credentials). */
int chdir_in_root(const char *path, int soft)
{
	char cwd[PATH_MAX];
	int fd = in_root(path, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0 && fchdir(fd) < 0)
		fd = -errno;
	if (fd < 0) {
		if (soft && (fd == -EACCES || fd == -EPERM))
			return -fd;
		fail(-fd, path);
	}
	close(fd);
	long n = syscall(SYS_getcwd, cwd, sizeof(cwd));
	if (n < 0)
		fail(errno, path);
	if (cwd[0] != '/')
		fail(EPERM, "current working directory is outside of the container's root");
	return 0;
}
