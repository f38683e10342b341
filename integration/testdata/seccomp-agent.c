/*
 * A seccomp supervisor for the tests: takes one listener at the unix
 * socket SOCKET (with the container process state, written to STATE),
 * then answers every notification "done, returned 0" without running
 * the syscall, until the filter has no users left.
 *
 * Usage: seccomp-agent SOCKET STATE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int take_listener(const char *path, const char *state_path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	static char data[1 << 16];
	char ctrl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof(ctrl)};
	int fd = -1, ls = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(ls, 1) < 0)
		return perror("listen"), -1;
	int c = accept(ls, NULL, NULL);
	ssize_t n = c < 0 ? -1 : recvmsg(c, &msg, 0);
	if (n < 0)
		return perror("recvmsg"), -1;
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	FILE *out = fopen(state_path, "w");
	if (out) {
		fwrite(data, 1, (size_t)n, out);
		fclose(out);
	}
	close(c);
	close(ls);
	return fd;
}

int main(int argc, char **argv)
{
	struct seccomp_notif_sizes sizes;
	if (argc != 3)
		return 2;
	int fd = take_listener(argv[1], argv[2]);
	if (fd < 0 || syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return 1;
	struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
	struct seccomp_notif_resp *resp = calloc(1, sizes.seccomp_notif_resp);
	for (;;) {
		memset(req, 0, sizes.seccomp_notif);
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR)
				continue;
			return 0; /* no process uses the filter any more */
		}
		memset(resp, 0, sizes.seccomp_notif_resp);
		resp->id = req->id;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
	}
}
