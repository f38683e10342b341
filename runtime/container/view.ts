// A container as the commands that only report or release it see it
// (state, list, start): its saved state, its cgroup record checked, and
// the status worked out from the kernel's facts right now. The cgroup
// managers are not loaded: the freezer state is read straight from the
// checked record, and loading the managers' code cost these commands more
// than everything else they do.
import { nodeFs } from "../cgroups/io.ts";
import { checkOnHost, checkSaved, freezerPathFault, invalidSaved } from "../cgroups/saved.ts";
import { CgroupDirs } from "../cgroups/dirs.ts";
import type { SavedCgroups } from "../cgroups/types.ts";
import { RuntimeError } from "../errors.ts";
import { isAlive } from "../linux/procfs.ts";
import { validateId } from "./id.ts";
import { fifoExists, loadState, type SavedState } from "./state.ts";
import { statusOf, type Status } from "./status.ts";

export interface ContainerView {
  root: string;
  state: SavedState;
  status: Status;
  /** state.cgroup, checked (cgroups/saved.ts); undefined without cgroups. */
  cgroupRecord: SavedCgroups | undefined;
}

/** The error a record that fails its check becomes: the state is damaged. */
export function damagedCgroups(id: string, e: unknown): RuntimeError {
  const reason = e instanceof Error ? e.message : String(e);
  return new RuntimeError("STATE_DAMAGED", `state of container ${id}: ${reason}`, { cause: e });
}

/** The saved cgroup record, checked against the container's cgroupsPath (see cgroups/saved.ts). */
export function checkedCgroups(id: string, cgroup: unknown, cgroupsPath: string | undefined): SavedCgroups | undefined {
  if (cgroup === null || cgroup === undefined) return undefined;
  try {
    return checkSaved(cgroup, { cgroupsPath, containerId: id });
  } catch (e) {
    throw damagedCgroups(id, e);
  }
}

/** A record checked by its names (checkedCgroups), once its paths pass the host's check too. */
export function checkedOnHost(id: string, record: SavedCgroups): SavedCgroups {
  try {
    return checkOnHost(record);
  } catch (e) {
    throw damagedCgroups(id, e);
  }
}

/** The status the kernel's facts give now. Each fact is looked up only
 * when statusOf would use it: a process's stat file or a fifo's inode
 * read for nothing costs every short command its time. */
export function statusNow(root: string, state: SavedState, frozen: () => boolean): Status {
  const creating = state.creating;
  const alive = !creating && state.startTime !== "" && isAlive(state.pid, state.startTime);
  return statusOf({
    creating,
    creatorAlive: creating && isAlive(state.creator.pid, state.creator.startTime),
    alive,
    fifoExists: alive && fifoExists(root, state.id),
    frozen: alive && frozen(),
  });
}

export async function loadContainerView(root: string, id: string): Promise<ContainerView> {
  validateId(id);
  const state = await loadState(root, id);
  const record = checkedCgroups(id, state.cgroup, state.facts.cgroupsPath);
  const frozen = () => {
    if (record === undefined) return false;
    let fault: string | undefined;
    try {
      fault = freezerPathFault(nodeFs, record);
      if (fault === undefined) return new CgroupDirs(record, nodeFs).freezerState() === "frozen";
    } catch {
      // What cannot be looked at or read is not reported as paused.
      return false;
    }
    // A record this host refuses is damaged, as one whose names do not fit.
    throw damagedCgroups(id, invalidSaved(fault));
  };
  return { root, state, status: statusNow(root, state, frozen), cgroupRecord: record };
}

/** The document `state` prints: runc's fields, in runc's order. */
export function stateDocument(c: ContainerView) {
  const s = c.state;
  return {
    ociVersion: s.facts.ociVersion,
    id: s.id,
    pid: c.status === "stopped" ? 0 : s.pid,
    status: c.status,
    bundle: s.bundle,
    rootfs: s.rootfs,
    created: s.created,
    annotations: s.facts.annotations,
    owner: s.owner,
  };
}
