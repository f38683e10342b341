// Undo everything a container has on the host: its processes, its cgroups
// and its state directory. Shared by a failed create and by delete.
import { fromSaved, type CgroupManager } from "../cgroups/index.ts";
import { sendSignal } from "../linux/ffi.ts";
import { isAlive, processStartTime, waitGone } from "../linux/procfs.ts";
import { removeContainerDir, type SavedState } from "./state.ts";
import { runPhase } from "../../hooks/lifecycle.ts";

const SIGKILL = 9;

function managerOf(state: SavedState): CgroupManager | undefined {
  if (!state.cgroup) return undefined;
  return fromSaved(state.cgroup);
}

/** Kill every process still in the container's cgroup (no pid namespace
 * means killing the init does not take the rest with it). */
function killCgroup(cgroups: CgroupManager): void {
  if (!cgroups.exists()) return;
  // Where the kernel can, kill the whole subtree in one write; the sweep
  // below then only waits for the cgroup to empty.
  cgroups.killAll();
  for (let round = 0; round < 50; round++) {
    const pids = cgroups.pids();
    if (pids.length === 0) return;
    for (const pid of pids) sendSignal(pid, SIGKILL);
    Bun.sleepSync(2);
  }
}

/**
 * `freshPid`: the pid was learnt by this very process a moment ago (a failing
 * create), so it is ours even before its start time is known. A pid read back
 * from disk without a start time may have been reused: only the cgroup sweep
 * touches those.
 */
export function destroyContainer(root: string, state: SavedState, cgroups = managerOf(state), freshPid = false): void {
  if (state.pid > 0 && (freshPid || (state.startTime !== "" && isAlive(state.pid, state.startTime)))) {
    sendSignal(state.pid, SIGKILL);
    const startTime = state.startTime || processStartTime(state.pid);
    if (startTime) waitGone(state.pid, startTime, 5000);
  }
  if (cgroups) {
    // A frozen process cannot act on SIGKILL until it is thawed.
    const freezer = cgroups.exists() ? cgroups.freezerState() : undefined;
    if (freezer === "frozen" || freezer === "freezing") cgroups.thaw();
    killCgroup(cgroups);
    cgroups.destroy();
  }
  removeContainerDir(root, state.id);
  // Failures are warnings: the container is gone whatever they say.
  runPhase("poststop", { id: state.id, bundle: state.bundle, spec: state.config, pid: 0 });
}
