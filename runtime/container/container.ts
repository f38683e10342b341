// A container as later commands see it: its saved state plus the status
// worked out from the kernel's facts right now.
import { fromSavedChecked, type CgroupManager } from "../cgroups/index.ts";
import { RuntimeError } from "../errors.ts";
import { isAlive } from "../linux/procfs.ts";
import { validateId } from "./id.ts";
import { fifoExists, loadState, type SavedState } from "./state.ts";
import { statusOf, type Status } from "./status.ts";

export interface Container {
  root: string;
  state: SavedState;
  status: Status;
  cgroups: CgroupManager | undefined;
}

function frozen(cgroups: CgroupManager | undefined): boolean {
  try {
    return cgroups?.freezerState() === "frozen";
  } catch {
    return false;
  }
}

/** The saved cgroups, checked against the container's cgroupsPath: a record
 * pointing elsewhere would turn kill and delete against other processes. */
export function savedCgroups(id: string, cgroup: unknown, cgroupsPath: string | undefined): CgroupManager | undefined {
  if (cgroup === null || cgroup === undefined) return undefined;
  try {
    return fromSavedChecked(cgroup, { cgroupsPath, containerId: id });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new RuntimeError("STATE_DAMAGED", `state of container ${id}: ${reason}`, { cause: e });
  }
}

export function loadContainer(root: string, id: string): Container {
  validateId(id);
  const state = loadState(root, id);
  return withStatus(root, state, savedCgroups(id, state.cgroup, state.config.linux?.cgroupsPath));
}

/** A container whose state and cgroups are at hand (its creator's), with the status the kernel's facts give now. */
export function withStatus(root: string, state: SavedState, cgroups: CgroupManager | undefined): Container {
  const alive = state.startTime !== "" && isAlive(state.pid, state.startTime);
  const status = statusOf({
    creating: state.creating,
    creatorAlive: isAlive(state.creator.pid, state.creator.startTime),
    alive,
    fifoExists: fifoExists(root, state.id),
    frozen: alive && frozen(cgroups),
  });
  return { root, state, status, cgroups };
}

/** The document `state` prints: runc's fields, in runc's order. */
export function stateDocument(c: Container) {
  const s = c.state;
  return {
    ociVersion: s.config.ociVersion,
    id: s.id,
    pid: c.status === "stopped" ? 0 : s.pid,
    status: c.status,
    bundle: s.bundle,
    rootfs: s.rootfs,
    created: s.created,
    annotations: s.config.annotations ?? {},
    owner: s.owner,
  };
}
