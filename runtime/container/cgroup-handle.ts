// What kill and delete act on a container's cgroups through: for a record
// of the cgroupfs driver, its directories alone (cgroups/dirs.ts); for
// one of the systemd driver, the manager, which stops the unit over
// D-Bus, loaded only then. Loading the managers' code cost `delete` more
// than all else it does: enough engine heap to start a warm-up thread.
import { CgroupDirs } from "../cgroups/dirs.ts";
import { nodeFs } from "../cgroups/io.ts";
import type { CgroupHandle, SavedCgroups } from "../cgroups/types.ts";
import { checkedOnHost } from "./view.ts";

/** The handle of a record checked by its names (a view's); its paths are checked on the host here. */
export async function cgroupHandle(id: string, record: SavedCgroups | undefined): Promise<CgroupHandle | undefined> {
  if (record === undefined) return undefined;
  if (record.systemd !== undefined) return (await import("./container.ts")).managerOf(id, record);
  return new CgroupDirs(checkedOnHost(id, record), nodeFs);
}
