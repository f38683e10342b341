/*
 * `wait`: what a foreground `run` becomes once its container has run a
 * while (runtime/container/handoff.ts). The runtime execs this program in
 * its own process, so the pid whoever started `run` waits on and signals
 * stays the same, while the process holds under a hundred KiB instead of the
 * engine's tens of MiB. It does what the runtime did until then:
 *
 *   - passes SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2 and SIGTERM on to
 *     the container's process, through a pidfd taken while that process
 *     was known to be the container's, so that no signal reaches a process
 *     that merely got its pid later;
 *   - waits for STUB, the init stage's parent, which exits with the
 *     container's status (128+n when a signal ended it);
 *   - given a command after DIRFD and EXEFD, runs the runtime (EXEFD, open
 *     on its executable) with it to delete the container, but only while
 *     DIR is still the directory DIRFD holds open: a container deleted and
 *     made again under the same id meanwhile is another's;
 *   - exits with the container's status.
 *
 * Usage: runb wait STUB CONTAINER DIR DIRFD EXEFD [RUNTIME-ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stage.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

extern char **environ;

static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM };

/* Written before the handlers are installed, cleared before the container
 * is known gone: a handler sees either a live target or none. */
static volatile int target_pidfd = -1;

static void forward(int sig)
{
	int saved = errno;
	if (target_pidfd >= 0)
		syscall(SYS_pidfd_send_signal, target_pidfd, sig, NULL, 0);
	errno = saved;
}

static int parse_fd(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return (*s && !*end && v >= 0 && v < 1 << 20) ? (int)v : -1;
}

/* The exit status the runtime reports for the init stage's parent. */
static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

static int same_directory(const char *dir, int dirfd)
{
	struct stat a, b;
	if (stat(dir, &a) < 0 || fstat(dirfd, &b) < 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Runs the runtime with `args` (NULL-terminated, args[0] its name) and
 * waits for it; what it says goes to the same stderr as everything else. */
static void run_runtime(int exefd, char **args)
{
	pid_t child = fork();
	if (child == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
			signal(forwarded[i], SIG_DFL);
		syscall(SYS_execveat, exefd, "", args, environ, AT_EMPTY_PATH);
		_exit(127);
	}
	if (child < 0)
		return;
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
}

int wait_mode(int argc, char **argv)
{
	if (argc < 7)
		return 2;
	pid_t stub = (pid_t)atoi(argv[2]);
	pid_t container = (pid_t)atoi(argv[3]);
	const char *dir = argv[4];
	int dirfd = parse_fd(argv[5]);
	int exefd = parse_fd(argv[6]);
	if (stub <= 0 || container <= 0 || dirfd < 0 || exefd < 0)
		return 2;
	prctl(PR_SET_NAME, "runb", 0, 0, 0);
	fcntl(dirfd, F_SETFD, FD_CLOEXEC);
	fcntl(exefd, F_SETFD, FD_CLOEXEC);

	/* The runtime blocked these signals before exec: one sent meanwhile is
	 * pending, and goes on to the container once the handlers are in. The
	 * container's process is ours to signal only while the stub, its
	 * parent, has not been reaped. */
	int status;
	pid_t done = waitpid(stub, &status, WNOHANG);
	if (done == 0)
		target_pidfd = (int)syscall(SYS_pidfd_open, container, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	while (done == 0 || (done < 0 && errno == EINTR))
		done = waitpid(stub, &status, 0);
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	int pidfd = target_pidfd;
	target_pidfd = -1;
	if (pidfd >= 0)
		close(pidfd);
	int code = done == stub ? status_code(status) : 1;

	if (argc > 7 && same_directory(dir, dirfd))
		run_runtime(exefd, &argv[7]);
	return code;
}
