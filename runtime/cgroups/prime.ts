// Starting the kernel's wait for a cgroup migration early.
//
// Every write to a cgroup.procs file takes one global lock (the cgroup
// threadgroup rwsem) for writing, and the first writer after a quiet spell
// waits for an RCU grace period before it gets it: 5 to 20 ms on the
// machines we measured, longer than the rest of a `run`. Writers that come
// while the lock is still in its slow mode, or while that first wait is
// going on, share it. So as soon as the runtime knows it will put a process
// into a cgroup, a process of its own moves itself into the cgroup it is
// already in (the kernel does nothing for such a move but take the lock),
// and the grace period passes while the runtime goes on to start the init
// stage. Nothing depends on that write: it may fail, and nobody waits for
// it. The kernel holds its cgroup mutex through the wait, and mkdir, a
// fork into a cgroup (CLONE_INTO_CGROUP) and reading /proc/PID/cgroup
// need that mutex too: where the join is by writes anyway, the runtime
// starts the wait first and makes the directories at the join; where the
// process is born in its cgroup, no wait is needed. This file finds the
// cgroup.procs to write; process/prime.ts starts the process that writes.
//
// A kernel booted with expedited grace periods (rcupdate.rcu_expedited,
// common on virtual machines) makes that first wait about 0.1 ms, less
// than starting the process that would take it: there the runtime does
// not prime.

import * as posix from "../linux/paths.ts";
import { readTextFile, readTextFileIfExists } from "../linux/ffi.ts";
import { detectLayout, type CgroupLayout } from "./detect.ts";
import { parseSelfCgroup } from "./path.ts";

/** The cgroup.procs file of the runtime's own cgroup in some hierarchy. */
export function ownProcsFile(layout: CgroupLayout, self: ReadonlyMap<string, string>): string | undefined {
  const hierarchies = layout.v1.map((h) => ({ dir: h.dir, root: h.root, key: h.controllers[0] ?? "" }));
  if (layout.unified !== undefined) hierarchies.push({ dir: layout.unified.dir, root: layout.unified.root, key: "" });
  for (const h of hierarchies) {
    const own = self.get(h.key);
    if (own === undefined) continue;
    const rel = posix.relative(h.root, own);
    if (rel === ".." || rel.startsWith("../")) continue;
    return posix.join(layout.cgroupRoot, h.dir, rel, "cgroup.procs");
  }
  return undefined;
}

/**
 * The cgroup.procs a write to takes the migration lock, or undefined when
 * there is none to speak of (the real join then reports it); never throws.
 * The texts of /proc/self/mountinfo and /proc/self/cgroup are read when
 * the caller has not read them already.
 */
export function migrationLockFile(mountinfo?: string, selfCgroup?: string): string | undefined {
  try {
    const layout = detectLayout(mountinfo ?? readTextFile("/proc/self/mountinfo"));
    return ownProcsFile(layout, parseSelfCgroup(selfCgroup ?? readTextFile("/proc/self/cgroup")));
  } catch {
    return undefined;
  }
}

/**
 * Whether the kernel expedites RCU grace periods (and so the migration
 * lock's first wait): rcu_expedited set and rcu_normal, which overrides
 * it, not. `read` gives a file's text or undefined when it is missing.
 */
export function expeditedGrace(read: (path: string) => string | undefined = readTextFileIfExists): boolean {
  try {
    return read("/sys/kernel/rcu_expedited")?.trim() === "1" && read("/sys/kernel/rcu_normal")?.trim() !== "1";
  } catch {
    return false;
  }
}
