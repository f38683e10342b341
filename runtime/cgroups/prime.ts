// Starting the kernel's wait for a cgroup migration early.
//
// Every write to a cgroup.procs file takes one global lock (the cgroup
// threadgroup rwsem) for writing, and the first writer after a quiet spell
// waits for an RCU grace period before it gets it: 5 to 20 ms on the
// machines we measured, longer than the rest of a `run`. Writers that come
// while the lock is still in its slow mode, or while that first wait is
// going on, share it. So as soon as the runtime knows it will put a process
// into a cgroup, it moves itself into the cgroup it is already in (the
// kernel does nothing for such a move but take the lock) on a worker
// thread, and the grace period passes while it creates the cgroups and
// starts the init stage. Nothing depends on that write: it may fail, and
// nobody waits for it. The lock stays in its slow mode for one more grace
// period after a write, so taking it again shortly before the real join
// either costs nothing or starts a wait the join would otherwise start.

import { readFileSync, writeFile } from "node:fs";
import { posix } from "node:path";
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
 * Takes the cgroup migration lock once, off the main thread; never throws.
 * The texts of /proc/self/mountinfo and /proc/self/cgroup are read when
 * the caller has not read them already. Returns what takes it again.
 */
export function primeCgroupMigration(mountinfo?: string, selfCgroup?: string): () => void {
  let file: string | undefined;
  try {
    const layout = detectLayout(mountinfo ?? readFileSync("/proc/self/mountinfo", "utf8"));
    file = ownProcsFile(layout, parseSelfCgroup(selfCgroup ?? readFileSync("/proc/self/cgroup", "utf8")));
  } catch {
    file = undefined; // no cgroups to speak of: the real join reports it
  }
  const target = file;
  if (target === undefined) return () => undefined;
  // The callback form runs on a worker thread without loading node:fs/promises.
  const take = () => writeFile(target, String(process.pid), () => undefined);
  take();
  return take;
}
