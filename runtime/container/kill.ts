// `kill`: signal the container's process, or with --all every process in
// its cgroup.
import { RuntimeError } from "../errors.ts";
import type { CgroupManager } from "../cgroups/index.ts";
import { sendSignal } from "../linux/ffi.ts";
import type { Container } from "./container.ts";
import { allows } from "./status.ts";

/**
 * Whether `kill` may go ahead. --all also works on a stopped container, as
 * in runc: its init is gone, but processes it left in the cgroup (no pid
 * namespace of its own) are still there, holding its stdout open.
 */
export function killAllowed(status: Container["status"], all: boolean): boolean {
  return allows(status, "kill") || (all && status === "stopped");
}

/** Signals everything in the cgroup, frozen meanwhile so that nothing forks
 * out of reach; a cgroup the user paused stays paused. */
function signalCgroup(cgroups: CgroupManager, signal: number): void {
  if (!cgroups.exists()) return;
  let froze = false;
  try {
    if (cgroups.freezerState() === "thawed") {
      cgroups.freeze();
      froze = true;
    }
  } catch {
    // No freezer, or it would not settle: signal as things are.
  }
  try {
    for (const pid of cgroups.pids()) sendSignal(pid, signal);
  } finally {
    if (froze) cgroups.thaw();
  }
}

export function killContainer(c: Container, signal: number, all: boolean): void {
  if (!killAllowed(c.status, all)) {
    throw new RuntimeError("CONTAINER_NOT_RUNNING", "container not running");
  }
  if (all) {
    // A stopped container's saved pid may belong to someone else by now.
    if (c.cgroups) signalCgroup(c.cgroups, signal);
    if (c.cgroups || c.status === "stopped") return;
  }
  if (!sendSignal(c.state.pid, signal)) throw new RuntimeError("CONTAINER_NOT_RUNNING", "no such process");
}
