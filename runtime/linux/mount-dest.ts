// Where a mount may land inside the container, decided from the config
// alone: the stage resolves the destination inside the rootfs when it
// mounts (so symlinks cannot lead it out), and these rules say what it
// may find there.
import { fileSystemType } from "./ffi.ts";
import { PROC_SUPER_MAGIC } from "./fs-types.ts";
import * as posix from "./paths.ts";
import { RuntimeError } from "../errors.ts";
import type { Mount } from "../../spec/types.ts";
import { MountHow } from "../process/protocol.ts";

// Files under /proc that a container may have mounted over: the ones lxcfs
// emulates, as runc allows them.
const PROC_FILES_ALLOWED = new Set([
  "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps",
  "/proc/uptime", "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
]);

/** The destination as a clean absolute path inside the container ("/a/../b" → "/b"). */
export function cleanDestination(dest: string): string {
  if (dest.includes("\0")) throw new RuntimeError("INVALID_CONFIG", `mount destination ${JSON.stringify(dest)} contains a NUL byte`);
  return posix.normalize(`/${dest}`).replace(/(.)\/+$/, "$1");
}

function isProcfs(path: string): boolean {
  try {
    return fileSystemType(path) === PROC_SUPER_MAGIC;
  } catch {
    return false;
  }
}

/** How the stage treats this mount's target (MountHow flags); throws for
 * destinations runc refuses: inside /proc, or /proc itself not as procfs. */
export function mountHow(m: Mount, bind: boolean): number {
  const dest = cleanDestination(m.destination);
  let how = MountHow.IN_ROOT;
  if (dest === "/proc") {
    const proc = m.type === "proc" || (bind && m.source !== undefined && isProcfs(m.source));
    if (!proc) throw new RuntimeError("INVALID_CONFIG", `"${dest}" cannot be mounted because it is not of type proc`);
    how |= MountHow.PLAIN_DIR;
  } else if (dest.startsWith("/proc/")) {
    if (!PROC_FILES_ALLOWED.has(dest)) throw new RuntimeError("INVALID_CONFIG", `"${dest}" cannot be mounted because it is inside /proc`);
    how |= MountHow.PROC_OK;
  } else if (dest === "/sys") {
    how |= MountHow.PLAIN_DIR;
  }
  return how;
}
