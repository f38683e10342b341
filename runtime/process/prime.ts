// Taking the kernel's cgroup migration lock early (see cgroups/prime.ts):
// the init stage's executable, started in its "prime" mode, writes its own
// pid to the runtime's own cgroup.procs and exits. A process of its own
// waits out the grace period, so the runtime's thread never does, and no
// file API with threads of its own is needed for one write.
import { expeditedGrace, migrationLockFile } from "../cgroups/prime.ts";
import { closeFd } from "../linux/ffi.ts";
import { stubImage, stubMemfd } from "./stub.ts";

/** Starts the lock's wait in the background, unless that wait is short anyway; never throws, never waits. */
export async function primeCgroupMigration(mountinfo?: string, selfCgroup?: string): Promise<void> {
  if (expeditedGrace()) return;
  const file = migrationLockFile(mountinfo, selfCgroup);
  if (file === undefined) return;
  try {
    const memfd = stubMemfd(await stubImage());
    try {
      Bun.spawn([`/proc/${process.pid}/fd/${memfd}`, "prime", file], { argv0: "runb-prime", stdio: ["ignore", "ignore", "ignore"] });
    } finally {
      closeFd(memfd);
    }
  } catch {
    // the real join waits for the lock itself
  }
}
