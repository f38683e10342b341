/*
 * Step codes and message types shared by stub.c and the TypeScript side
 * (runtime/process/protocol.ts). A unit test checks the two agree.
 */
#ifndef RUNB_OPS_H
#define RUNB_OPS_H

/* steps of a plan */
#define OP_SETNS 1           /* path, nstype */
#define OP_UNSHARE 2         /* flags */
#define OP_SYNC 3            /* tag: wait for the runtime's ack */
#define OP_FORK 4            /* parent waits for the child (1) or exits (0)[, cgroup v2 dir fd to be born in] */
#define OP_SETSID 5
#define OP_MOUNT 6           /* source, target, fstype, flags, data, MOUNT_* */
#define OP_UMOUNT 7          /* target, flags */
#define OP_MKDIR_P 8         /* path in the root, mode[, MOUNT_PLAIN_DIR] */
#define OP_TOUCH 9           /* path in the root */
#define OP_MKNOD 10          /* path in the root, type|mode, dev, permissions, uid, gid */
#define OP_ROOT_FD 11        /* rootfs: paths of later steps resolve inside it */
#define OP_HOLDER_PRIVATE 12 /* rootfs: make the mount holding it private if shared */
#define OP_SYMLINK 13        /* target, linkpath in the root, replace (0/1) */
#define OP_WRITE_PROC 14     /* path under the container's /proc, bytes */
#define OP_EXEC_FIFO_FD 15   /* O_PATH fd of exec.fifo, from the runtime */
#define OP_PIVOT_ROOT 16     /* rootfs */
#define OP_MOVE_CHROOT 17    /* rootfs */
#define OP_CHDIR 18          /* path in the root, 0: before setuid, 1: after, if that failed */
#define OP_SETHOSTNAME 19    /* name (not NUL-terminated) */
#define OP_SETDOMAINNAME 20  /* name (not NUL-terminated) */
#define OP_SETRLIMIT 21      /* resource, soft, hard */
#define OP_UMASK 22          /* mask */
#define OP_KEEP_CAPS 23      /* 0 or 1 */
#define OP_SETGROUPS 24      /* gid... */
#define OP_SETGID 25         /* gid */
#define OP_SETUID 26         /* uid */
#define OP_CAPS_BOUNDING 27  /* mask of capabilities to keep */
#define OP_CAPS_SET 28       /* effective, permitted, inheritable masks */
#define OP_CAPS_AMBIENT 29   /* mask */
#define OP_NO_NEW_PRIVS 30
#define OP_SECCOMP 31        /* BPF program bytes, flags */
#define OP_KEYRING 32        /* name */
#define OP_PERSONALITY 33    /* persona */
#define OP_RESOLVE_EXEC 34   /* name, PATH value */
#define OP_READY 35
#define OP_WAIT_EXEC_FIFO 36
#define OP_CLOSE_SOCKET 37
#define OP_EXEC 38           /* argv..., empty separator, envp... */
#define OP_MASK_PATH 39      /* path in the root: hide it; a missing path is fine */
#define OP_READONLY_PATH 40  /* path in the root: make it read-only; missing is fine */
#define OP_IOPRIO 42         /* ioprio value for this process */
#define OP_SCHED_SETATTR 43  /* struct sched_attr bytes */
#define OP_REMOUNT_RO 44     /* path in the root: read-only, keeping its other flags */
#define OP_ATTACH_TREE 48    /* fd of a detached mount tree, target in the root, MOUNT_* */
#define OP_CLOEXEC 47        /* fd...: close them at exec */
#define OP_CHROOT 46         /* path: chroot there (no mount namespace of its own) */
#define OP_MOUNT_SETATTR 45  /* path in the root, attributes to set, to clear: on it and below */
#define OP_SETUP_TTY 41      /* fd to send the master to (-1: the runtime socket), uid, rows, cols */

/* how OP_MOUNT treats its target */
#define MOUNT_IN_ROOT 1    /* resolve it inside the root (else a host path, used as is) */
#define MOUNT_PROC_OK 2    /* it may resolve into procfs */
#define MOUNT_PLAIN_DIR 4  /* no symlinks on the way, and a directory (/proc, /sys) */
#define MOUNT_KEEP_MODE 8  /* a tmpfs without mode=: the mode of the directory it covers */

/* messages to the runtime: u32 type, i32 a, i32 b, text */
#define MSG_PID 1   /* a = child pid as the runtime sees it, b = 1 if born in the cgroup */
#define MSG_SYNC 2  /* a = step, text = tag */
#define MSG_ERROR 3 /* a = step, b = errno, text = detail */
#define MSG_READY 4 /* a = step */
#define MSG_TTY 5   /* text = pty name; carries the master fd */
#define MSG_SECCOMP 6 /* carries the seccomp notify listener fd */

/* message from the runtime: u32 */
#define MSG_ACK 1

#endif
