// `delete`: remove a stopped container; with --force, kill it first. With
// --force, a container whose state cannot be read is still removed, from
// what its init record says.
import { linkStat } from "../linux/files.ts";
import { RuntimeError } from "../errors.ts";
import { log } from "../log.ts";
import type { CgroupHandle } from "../cgroups/types.ts";
import { cgroupHandle } from "./cgroup-handle.ts";
import { loadContainerView, type ContainerView } from "./view.ts";
import { allows } from "./status.ts";
import { destroyContainer, destroyRemains } from "./destroy.ts";
import { containerDir, loadRemains } from "./state.ts";

function present(path: string): boolean {
  try {
    linkStat(path);
    return true;
  } catch {
    return false;
  }
}

/** `delete [--force] ID`, including the containers whose state or cgroup record is refused. */
export async function deleteById(root: string, id: string, force: boolean): Promise<void> {
  let c: ContainerView;
  let cgroups: CgroupHandle | undefined;
  try {
    c = await loadContainerView(root, id);
    cgroups = await cgroupHandle(id, c.cgroupRecord);
  } catch (e) {
    if (!(e instanceof RuntimeError) || (e.code !== "STATE_DAMAGED" && e.code !== "CONTAINER_NOT_FOUND")) throw e;
    // Nothing there at all: containerd and Podman delete with --force to
    // clean up whatever is left, and expect success.
    if (!present(containerDir(root, id))) {
      if (force) return;
      throw e;
    }
    if (!force) throw new RuntimeError(e.code, e.message, { cause: e, hint: "delete --force removes it" });
    if (e.code === "STATE_DAMAGED") log.warn(e.message);
    await destroyRemains(root, id, loadRemains(root, id));
    return;
  }
  if (!force && !allows(c.status, "delete")) {
    throw new RuntimeError("INVALID_STATE", `cannot delete container ${c.state.id} that is not stopped: ${c.status}`);
  }
  await destroyContainer(root, c.state, cgroups);
}
