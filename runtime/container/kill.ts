// `kill`: signal the container's process, or with --all every process of
// the container (reach.ts says which those are).
import { RuntimeError } from "../errors.ts";
import type { CgroupHandle } from "../cgroups/types.ts";
import { sendSignal } from "../linux/ffi.ts";
import type { ContainerView } from "./view.ts";
import { containerPids, initOf, type Reach } from "./reach.ts";
import { allows } from "./status.ts";
// One SIGKILL for both ways of stopping a container. It also puts the
// code that stops a container's processes for delete in the chunk kill
// loads anyway: delete then loads one chunk fewer (a heap block less).
import { SIGKILL } from "./destroy.ts";

/**
 * Whether `kill` may go ahead. --all also works on a stopped container, as
 * in runc: its init is gone, but processes it left in the cgroup (no pid
 * namespace of its own) are still there, holding its stdout open.
 */
export function killAllowed(status: ContainerView["status"], all: boolean): boolean {
  return allows(status, "kill") || (all && status === "stopped");
}

/** Runs `signal` with the container's own cgroup frozen, so that nothing
 * forks out of reach meanwhile; a cgroup the user paused stays paused, and
 * one the container shares with others is never frozen. */
function whileFrozen(cgroups: CgroupHandle | undefined, signal: () => void): void {
  if (!cgroups?.owns() || !cgroups.exists()) return signal();
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
    signal();
  } finally {
    if (froze) cgroups.thaw();
  }
}

/** What kill works on: the cgroup manager is needed only for --all, or without a pid namespace of the container's own. */
type Killable = ContainerView & { cgroups?: CgroupHandle };

/** Whether kill needs the container's cgroup manager (else the checked init alone is signalled). */
export function killNeedsCgroups(c: ContainerView, all: boolean): boolean {
  return all || !c.state.facts.ownPidNamespace;
}

function reachOf(c: Killable): Reach {
  const s = c.state;
  return { id: s.id, pid: s.pid, startTime: s.startTime, ownPidNamespace: s.facts.ownPidNamespace, cgroups: c.cgroups, freshPid: false };
}

export function killContainer(c: Killable, signal: number, all: boolean): void {
  if (!killAllowed(c.status, all)) {
    throw new RuntimeError("CONTAINER_NOT_RUNNING", "container not running");
  }
  const reach = reachOf(c);
  if (all) {
    // A stopped container's init is gone; what it left in its cgroup is not.
    // In a cgroup made for it, one cgroup.kill write reaches what a
    // pid-by-pid sweep could miss (forked after the list was read).
    if (signal === SIGKILL && c.cgroups?.owns() && c.cgroups.killAll()) return;
    whileFrozen(c.cgroups, () => {
      for (const pid of containerPids(reach)) sendSignal(pid, signal);
    });
    return;
  }
  const init = initOf(reach);
  if (init === undefined || !sendSignal(init, signal)) throw new RuntimeError("CONTAINER_NOT_RUNNING", "no such process");
}
