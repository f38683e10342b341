/*
 * What the parts of the init stage share: a decoded step, argument access,
 * and the one way to fail. See stub.c for the whole story.
 */
#ifndef RUNB_STAGE_H
#define RUNB_STAGE_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "ops.h"

/* Arguments of one step: an exec's argv and env together may be many. */
#define MAX_ARGS (1 << 18)

/* One step; arg and len have room for nargs + 1 entries. */
struct op {
	uint32_t code;
	uint32_t nargs;
	const char **arg;
	uint32_t *len;
};

/* The socket to the runtime; -1 once closed. */
extern int sock;

void send_msg(uint32_t type, int32_t a, int32_t b, const char *text);
void send_fd(int via, int fd, const char *data, size_t len);
void send_msg_fd(uint32_t type, int fd, const char *text);
__attribute__((noreturn)) void fail(int err, const char *detail);
uint64_t arg_u64(const struct op *op, uint32_t i);
const char *arg_str(const struct op *op, uint32_t i);

/* wait.c: what a foreground run becomes (`wait ...`) */
int wait_mode(int argc, char **argv);

/* inroot.c: paths inside the container, resolved when used */
void set_root(const char *path);
int in_root(const char *path, int flags, uint64_t resolve);
void fd_path(char buf[32], int fd);
void mkdir_in_root(const char *path, mode_t mode, int plain);
void touch_in_root(const char *path);
void mknod_in_root(const char *path, mode_t mode, dev_t dev, mode_t perm, uid_t uid, gid_t gid);
void symlink_in_root(const char *target, const char *path, int replace);
void mount_in_root(const char *source, const char *target, const char *fstype, unsigned long flags,
		   const char *data, uint64_t how);
void mount_setattr_in_root(const char *path, uint64_t set, uint64_t clear);
void attach_in_root(int tree, const char *target, uint64_t how);
void write_proc(const char *rel, const char *data, size_t len);
void mask_path(const char *path);
void remount_readonly(const char *path, unsigned long extra);
void readonly_path(const char *path);
int chdir_in_root(const char *path, int soft);

/* fs.c: the root switch */
void do_pivot_root(const char *rootfs);
void do_move_chroot(const char *rootfs);
void make_holder_private(const char *rootfs);

/* creds.c: capabilities, groups, seccomp */
void set_caps(const struct op *op);
void drop_bounding(uint64_t keep);
void raise_ambient(uint64_t set);
void set_groups(const struct op *op);
void load_seccomp(const struct op *op);

/* tty.c: the container's terminal */
void setup_tty(int via, uid_t uid, unsigned short rows, unsigned short cols);

#endif
