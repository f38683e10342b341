// `pause` and `resume`: freeze and thaw every process of the container
// through its freezer cgroup. runc pauses created containers too.
import { RuntimeError } from "../errors.ts";
import type { CgroupManager } from "../cgroups/index.ts";
import type { Container } from "./container.ts";
import { allows } from "./status.ts";

function cgroupsOf(c: Container): CgroupManager {
  if (c.cgroups === undefined) throw new RuntimeError("CGROUP", "cannot toggle freezer: cgroups not configured for container");
  return c.cgroups;
}

export function pauseContainer(c: Container): void {
  if (!allows(c.status, "pause")) {
    throw new RuntimeError("CONTAINER_NOT_RUNNING", "container not running");
  }
  cgroupsOf(c).freeze();
}

export function resumeContainer(c: Container): void {
  if (!allows(c.status, "resume")) throw new RuntimeError("INVALID_STATE", "container not paused");
  cgroupsOf(c).thaw();
}
