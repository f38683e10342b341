// Taking the kernel's cgroup migration lock early (see cgroups/prime.ts):
// the init stage's executable, started in its "prime" mode, hands the
// write of a pid to the runtime's own cgroup.procs to a child of its own
// and exits at once. That child waits out the grace period, so the
// runtime's thread never does, and no file API with threads of its own is
// needed for one write. The runtime reaps the stage, which is gone as soon
// as it has forked; the child, orphaned, is reaped by whoever reaps
// orphans (a subreaper such as a shim, or init).
import { expeditedGrace, migrationLockFile } from "../cgroups/prime.ts";
import { spawnProgram, waitChild } from "../linux/ffi.ts";
import { log } from "../log.ts";
import { spareStubMemfd, stubImage, stubMemfd } from "./stub.ts";

/** Starts the lock's wait in the background, unless that wait is short anyway; never throws, never waits for the lock. */
export async function primeCgroupMigration(mountinfo?: string, selfCgroup?: string): Promise<void> {
  if (expeditedGrace()) return;
  const file = migrationLockFile(mountinfo, selfCgroup);
  if (file === undefined) return;
  try {
    const memfd = stubMemfd(await stubImage());
    try {
      // posix_spawn rather than Bun.spawn: no subprocess object, pipes or
      // exit watch for a process that lives a fork's time (3 ms of CPU
      // less per container, measured).
      const pid = spawnProgram(`/proc/${process.pid}/fd/${memfd}`, ["runb-prime", "prime", file]);
      waitChild(pid);
      log.debug(`cgroup migration lock: taken early through ${file} by a child of pid ${pid}`);
    } finally {
      spareStubMemfd(memfd); // the init stage runs from the same copy
    }
  } catch {
    // the real join waits for the lock itself
  }
}
