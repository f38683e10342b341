// Undo everything a container has on the host: its processes, its cgroups
// and its state directory. Shared by a failed create, by delete, and by
// delete --force of a container whose state.json is damaged.
import { listNames, readTextFile } from "../linux/files.ts";
import type { CgroupHandle } from "../cgroups/types.ts";
import { detachMount, sendSignal } from "../linux/ffi.ts";
import { namespaceOf, processStartTime, waitGone } from "../linux/procfs.ts";
import { log } from "../log.ts";
import { cgroupHandle } from "./cgroup-handle.ts";
import { checkedCgroups } from "./view.ts";
import type { InitRecord } from "./init-record.ts";
import { inMountNamespace, inPidNamespace, initOf, othersWhere, type Reach } from "./reach.ts";
import { containerDir, removeContainerDir, type SavedState } from "./state.ts";
import { runPoststopHooks } from "./hooks.ts";

export const SIGKILL = 9;
const GONE_TIMEOUT_MS = 5000;

/** A container without a mount namespace made its mounts in ours, under a
 * bind of its rootfs onto itself: detaching that takes them all away. */
function releaseSharedNamespaceMounts(state: SavedState): void {
  if (!state.rootfs || state.facts.mountNamespace) return;
  if (!isMountedByUs(state.rootfs)) return;
  try {
    detachMount(state.rootfs);
  } catch {
    // already gone
  }
}

/** Whether the top mount at `path` is the bind create made: a bind of a
 * directory that was no mount point (its root is not its filesystem's),
 * or one stacked on a mount at the same place. */
function isMountedByUs(path: string): boolean {
  // Plain loops (see cgroups/tree.ts).
  const mounts: string[][] = [];
  for (const line of readTextFile("/proc/self/mountinfo").split("\n")) mounts.push(line.split(" "));
  let top: string[] | undefined;
  for (const f of mounts) if (f[4] === path) top = f;
  if (!top) return false;
  if (top[3] !== "/") return true;
  for (const f of mounts) if (f[0] === top[1]) return f[4] === path;
  return false;
}

function isEmptyDir(dir: string): boolean {
  try {
    return listNames(dir).length === 0;
  } catch {
    return false;
  }
}

async function handleOf(id: string, cgroup: unknown, cgroupsPath: string | undefined): Promise<CgroupHandle | undefined> {
  try {
    return await cgroupHandle(id, checkedCgroups(id, cgroup, cgroupsPath));
  } catch (e) {
    log.warn(`${e instanceof Error ? e.message : String(e)}: its cgroups are left alone`);
    return undefined;
  }
}

function thawIfFrozen(cgroups: CgroupHandle | undefined): void {
  try {
    const freezer = cgroups?.exists() ? cgroups.freezerState() : undefined;
    // A frozen process cannot act on SIGKILL until it is thawed.
    if (freezer === "frozen" || freezer === "freezing") cgroups?.thaw();
  } catch (e) {
    log.warn(`cannot thaw the container's cgroup: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Kill every process in a cgroup this runtime made, frozen first so none can fork meanwhile. */
function sweep(cgroups: CgroupHandle): void {
  // Where the kernel can (cgroup.kill), the whole subtree goes in one
  // write; the rounds below then only wait for it to empty.
  cgroups.killAll();
  for (let round = 0; round < 100; round++) {
    const pids = othersWhere(cgroups.pids());
    if (pids.length === 0) return;
    let frozen = false;
    if (round === 0) {
      try {
        cgroups.freeze();
        frozen = true;
      } catch {
        // no freezer: kill them as they are
      }
    }
    for (const pid of pids) sendSignal(pid, SIGKILL);
    if (frozen) cgroups.thaw();
    Bun.sleepSync(2);
  }
}

// The kernel kills the rest of a pid namespace when its init dies, but not
// at once: wait so that the cgroup can be removed.
function waitNamespaceGone(cgroups: CgroupHandle | undefined, ns: string | undefined): void {
  const end = Date.now() + GONE_TIMEOUT_MS;
  while (inPidNamespace(cgroups, ns).length > 0 && Date.now() < end) Bun.sleepSync(2);
}

// In a cgroup this runtime did not make: the init's fellow processes, by
// their mount namespace, without freezing anyone else's.
function sweepMountNamespace(cgroups: CgroupHandle | undefined, ns: string | undefined): void {
  for (let round = 0; round < 100; round++) {
    const pids = inMountNamespace(cgroups, ns);
    if (pids.length === 0) return;
    for (const pid of pids) sendSignal(pid, SIGKILL);
    Bun.sleepSync(2);
  }
}

/** Stops the container's processes, and only those (see reach.ts). */
export function stopProcesses(r: Reach): void {
  thawIfFrozen(r.cgroups);
  const owned = r.cgroups?.owns() === true;
  const init = initOf(r);
  if (init !== undefined) {
    const pidNs = r.ownPidNamespace ? namespaceOf(init, "pid") : undefined;
    const mntNs = !r.ownPidNamespace && !owned ? namespaceOf(init, "mnt") : undefined;
    const startTime = r.startTime || processStartTime(init);
    sendSignal(init, SIGKILL);
    if (startTime) waitGone(init, startTime, GONE_TIMEOUT_MS);
    if (pidNs !== undefined) waitNamespaceGone(r.cgroups, pidNs);
    if (mntNs !== undefined) sweepMountNamespace(r.cgroups, mntNs);
  }
  if (!r.ownPidNamespace && owned && r.cgroups !== undefined) sweep(r.cgroups);
}

/**
 * `freshPid`: the pid was learnt by this very process a moment ago (a failing
 * create), so it is ours even before its start time is known.
 */
export async function destroyContainer(
  root: string,
  state: SavedState,
  cgroups: CgroupHandle | undefined,
  freshPid = false,
): Promise<void> {
  const ownPidNamespace = state.facts.ownPidNamespace;
  stopProcesses({ id: state.id, pid: state.pid, startTime: state.startTime, ownPidNamespace, cgroups, freshPid });
  cgroups?.destroy();
  releaseSharedNamespaceMounts(state);
  removeContainerDir(root, state.id);
  // Failures are warnings: the container is gone whatever they say.
  await runPoststopHooks(state);
}

/** Removes a container known only from its init record (state.json is damaged or missing). */
export async function destroyRemains(root: string, id: string, record: InitRecord | undefined): Promise<void> {
  if (record === undefined) {
    // An empty directory is a create that died before writing anything.
    if (!isEmptyDir(containerDir(root, id))) {
      log.warn(`container ${id}: no readable record of its processes; removing its state directory only`);
    }
  } else {
    const cgroups = await handleOf(id, record.cgroup, record.cgroupsPath || undefined);
    stopProcesses({ id, pid: record.pid, startTime: record.startTime, ownPidNamespace: record.ownPidNamespace, cgroups, freshPid: false });
    cgroups?.destroy();
  }
  removeContainerDir(root, id);
}
