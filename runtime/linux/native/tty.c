/* The init stage's terminal: a pty from the container's devpts, its master
 * handed over the console socket (or to the runtime), its slave made the
 * controlling terminal and stdio. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "ops.h"
#include "stage.h"

/* A pty from the container's own devpts, made the controlling terminal
 * and the stdio of this process; the master leaves through `via`. */
void setup_tty(int via, uid_t uid, unsigned short rows, unsigned short cols)
{
	int unlock = 0, n = 0;
	char name[64];
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		fail(errno, "open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		fail(errno, "unlock pty");
	snprintf(name, sizeof(name), "/dev/pts/%d", n);
	/* The peer of this master, never whatever /dev/pts/N names now. */
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0 && errno == EINVAL)
		slave = open(name, O_RDWR | O_NOCTTY | O_NOFOLLOW);
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
		/* The runtime copies the output to its own terminal, which
		 * turns \n into \r\n already: as runc, not twice. */
		struct termios t;
		if (tcgetattr(slave, &t) < 0)
			fail(errno, "get terminal attributes");
		t.c_oflag &= ~(tcflag_t)ONLCR;
		if (tcsetattr(slave, TCSANOW, &t) < 0)
			fail(errno, "clear ONLCR");
		send_msg_fd(MSG_TTY, master, name);
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
