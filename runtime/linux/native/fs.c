/* The init stage's file and mount steps: mkdir -p, pivot_root, masking
 * and read-only paths. Paths and flags come decided from the runtime. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "stage.h"

int mkdir_p(const char *path, mode_t mode)
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

void do_pivot_root(const char *rootfs)
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

void do_move_chroot(const char *rootfs)
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

void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, path);
	if (write(fd, data, len) != (ssize_t)len)
		fail(errno, path);
	close(fd);
}

/* A masked directory gets an empty read-only tmpfs, anything else /dev/null. */
void mask_path(const char *path)
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

void remount_readonly(const char *path, unsigned long extra)
{
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | extra | kept_flags(path), NULL) < 0)
		fail(errno, path);
}

void readonly_path(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return;
		fail(errno, path);
	}
	remount_readonly(path, MS_REC);
}
