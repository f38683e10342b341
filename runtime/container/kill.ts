// `kill`: signal the container's process, or with --all every process in
// its cgroup.
import { RuntimeError } from "../errors.ts";
import { sendSignal } from "../linux/ffi.ts";
import type { Container } from "./container.ts";
import { allows } from "./status.ts";

const SIGKILL = 9;

export function killContainer(c: Container, signal: number, all: boolean): void {
  if (!allows(c.status, "kill")) {
    throw new RuntimeError("CONTAINER_NOT_RUNNING", "container not running");
  }
  if (all && c.cgroups) {
    // One write reaches processes that a pid-by-pid sweep could miss
    // (forked after the list was read).
    if (signal === SIGKILL && c.cgroups.killAll()) return;
    for (const pid of c.cgroups.pids()) sendSignal(pid, signal);
    return;
  }
  if (!sendSignal(c.state.pid, signal)) throw new RuntimeError("CONTAINER_NOT_RUNNING", "no such process");
}
