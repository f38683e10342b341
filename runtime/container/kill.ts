// `kill`: signal the container's process, or with --all every process of
// the container (reach.ts says which those are).
import { RuntimeError } from "../errors.ts";
import { sendSignal } from "../linux/ffi.ts";
import type { Container } from "./container.ts";
import { hasOwnPidNamespace } from "./init-record.ts";
import { containerPids, initOf, type Reach } from "./reach.ts";
import { allows } from "./status.ts";

function reachOf(c: Container): Reach {
  const s = c.state;
  return { id: s.id, pid: s.pid, startTime: s.startTime, ownPidNamespace: hasOwnPidNamespace(s.config), cgroups: c.cgroups, freshPid: false };
}

export function killContainer(c: Container, signal: number, all: boolean): void {
  if (!allows(c.status, "kill")) {
    throw new RuntimeError("CONTAINER_NOT_RUNNING", "container not running");
  }
  const reach = reachOf(c);
  if (all) {
    for (const pid of containerPids(reach)) sendSignal(pid, signal);
    return;
  }
  const init = initOf(reach);
  if (init === undefined || !sendSignal(init, signal)) throw new RuntimeError("CONTAINER_NOT_RUNNING", "no such process");
}
