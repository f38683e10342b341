/* The init stage's root switch: pivot_root, or MS_MOVE and chroot. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "stage.h"

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
	set_root("/");
}

/* Whether PATH is DIR or below it. */
static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return 1;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* Call FN for each mount of this namespace with its mount point and its
 * optional fields ("shared:N master:M"), read before FN changes anything. */
static void each_mount(void (*fn)(const char *mp, const char *optional, void *arg), void *arg)
{
	static char buf[1 << 20];
	size_t len = 0;
	ssize_t n;
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, "/proc/self/mountinfo");
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0)
		fail(errno, "/proc/self/mountinfo");
	close(fd);
	buf[len] = '\0';
	/* Lines: id parent major:minor root mount-point options [optional...] - ... */
	for (char *line = buf; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char *mp = line;
		for (int field = 0; field < 4 && mp; field++) {
			mp = strchr(mp, ' ');
			if (mp)
				mp++;
		}
		char *opts = mp ? strchr(mp, ' ') : NULL;
		char *optional = opts ? strchr(opts + 1, ' ') : NULL;
		char *dash = optional ? strstr(optional, " - ") : NULL;
		if (dash) {
			*opts = '\0';
			*dash = '\0';
			fn(mp, optional + 1, arg);
		}
		line = end ? end + 1 : NULL;
	}
}

static void detach_unless_rootfs(const char *mp, const char *optional, void *rootfs)
{
	(void)optional;
	/* Keep the rootfs, what is in it, and what holds it. */
	if (!under(mp, rootfs) && !under(rootfs, mp))
		umount2(mp, MNT_DETACH);
}

/* Without pivot_root the host's mounts stay in the namespace, under the
 * moved rootfs: a nested user namespace could reach them (a visible host
 * procfs lets it mount a fresh one). Detach every mount that is neither
 * the rootfs, inside it, nor one of the mounts that hold it; one the
 * kernel keeps (locked in a user namespace) stays hidden under the rootfs. */
static void detach_host_mounts(const char *rootfs)
{
	each_mount(detach_unless_rootfs, (void *)rootfs);
}

struct holder {
	const char *rootfs;
	char mp[4096];
	int shared;
};

static void find_holder(const char *mp, const char *optional, void *arg)
{
	struct holder *h = arg;
	if (under(h->rootfs, mp) && strlen(mp) >= strlen(h->mp) && strlen(mp) < sizeof(h->mp)) {
		strcpy(h->mp, mp);
		h->shared = strstr(optional, "shared:") != NULL;
	}
}

/* pivot_root refuses a new root whose parent mount is shared, and a bind
 * of the rootfs on a shared mount would propagate to its peers: make the
 * mount that holds the rootfs private when it is shared (in this
 * namespace only). Mounts below it keep their propagation, so a shared
 * volume still reaches the host. */
void make_holder_private(const char *rootfs)
{
	struct holder h = {.rootfs = rootfs, .mp = "", .shared = 0};
	each_mount(find_holder, &h);
	if (h.shared && mount(NULL, h.mp, NULL, MS_PRIVATE, NULL) < 0)
		fail(errno, h.mp);
}

void do_move_chroot(const char *rootfs)
{
	detach_host_mounts(rootfs);
	if (chdir(rootfs) < 0)
		fail(errno, rootfs);
	if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
		fail(errno, "move rootfs to /");
	if (chroot(".") < 0)
		fail(errno, "chroot");
	if (chdir("/") < 0)
		fail(errno, "chdir /");
	set_root("/");
}
