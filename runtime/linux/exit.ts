// Exiting without waiting for the kernel to free the address space.
//
// The kernel frees a process's memory as its last user leaves, and only
// then tells the parent it has exited: for a Bun process, with its tens of
// megabytes mapped, that takes 2 to 4 ms on the machines we measured, as
// long as a short command's own work. A helper that shares the memory and
// sleeps a little longer than this process takes to exit becomes that last
// user: the caller learns of the exit at once, and the freeing happens
// after, off its path. If the helper cannot be started, or wakes first,
// the process frees its memory itself as it always would.
//
// The helper holds what this process held at the moment it started, so
// first: every file the caller could be waiting on (a pipe read to its end,
// a fifo, a socket) is swapped for /dev/null, keeping the descriptor
// numbers valid for whatever runs at exit; and the working directory
// becomes "/", so that no mount is kept busy. Terminals are left as they
// are, for whatever sets a terminal's mode back as the process exits.
import { changeDirectory, closeFd, descriptorClass, libcIsOpen, openFds, openFile, replaceFd, startMemoryHolder } from "./ffi.ts";

// Long enough for process.exit to finish, short enough to go unnoticed.
const HOLD_MICROS = 20_000;
const O_RDWR = 2;

/** Every open file but the engine's own (epoll, eventfd, pidfd: anonymous
 * inodes nobody waits on) and terminals swapped for /dev/null. */
function releaseFiles(): void {
  const devNull = openFile("/dev/null", O_RDWR);
  try {
    for (const fd of openFds()) {
      if (fd === devNull) continue;
      try {
        if (descriptorClass(fd) === "other") replaceFd(devNull, fd);
      } catch {
        // closed since it was listed
      }
    }
  } finally {
    closeFd(devNull);
  }
}

// valgrind runs the process under its own scheduler and refuses a clone
// that shares memory without being a thread.
function underValgrind(): boolean {
  return process.env.LD_PRELOAD?.includes("vgpreload") === true;
}

/** process.exit(status), with the memory's freeing left to a helper where that is cheap to arrange. */
export function exitProcess(status: number): never {
  // Opening libc only for this would cost more than it saves (--version).
  if (libcIsOpen() && !underValgrind()) {
    try {
      releaseFiles();
      changeDirectory("/");
      startMemoryHolder(HOLD_MICROS);
    } catch {
      // the process frees its memory itself
    }
  }
  process.exit(status);
}
