// A container as the commands that act on its cgroups see it (kill,
// delete, pause, exec ...): the view of view.ts plus its cgroup manager.
import { fromChecked, type CgroupManager, type SavedCgroups } from "../cgroups/index.ts";
import type { SavedState } from "./state.ts";
import { checkedCgroups, checkedOnHost, statusNow, type ContainerView } from "./view.ts";
import { loadState } from "./state.ts";
import { validateId } from "./id.ts";

export { stateDocument } from "./view.ts";

export interface Container extends ContainerView {
  cgroups: CgroupManager | undefined;
}

function frozen(cgroups: CgroupManager | undefined): boolean {
  try {
    return cgroups?.freezerState() === "frozen";
  } catch {
    return false;
  }
}

/** The manager of a record checked by its names already (a view's), once its paths pass the host's check. */
export function managerOf(id: string, record: SavedCgroups | undefined): CgroupManager | undefined {
  return record === undefined ? undefined : fromChecked(checkedOnHost(id, record));
}

export async function loadContainer(root: string, id: string): Promise<Container> {
  validateId(id);
  const state = await loadState(root, id);
  const record = checkedCgroups(id, state.cgroup, state.facts.cgroupsPath);
  return withStatus(root, state, managerOf(id, record), record);
}

/** A container whose state and cgroups are at hand (its creator's), with the status the kernel's facts give now. */
export function withStatus(root: string, state: SavedState, cgroups: CgroupManager | undefined, record = cgroups?.saved()): Container {
  return { root, state, status: statusNow(root, state, () => frozen(cgroups)), cgroups, cgroupRecord: record };
}
