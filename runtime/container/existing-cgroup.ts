// A container's cgroup that is there before the container: runc 1.1 warns
// when processes are in it, and refuses it when it is frozen (the container's
// process would hang on its first step inside it).
import type { CgroupManager } from "../cgroups/index.ts";
import { RuntimeError } from "../errors.ts";
import { log } from "../log.ts";

/** Returns `cgroups` once it is fit to hold a new container. */
export function checkExistingCgroup(cgroups: CgroupManager): CgroupManager {
  // Asked of the freezer itself: on v1, exists() looks at one hierarchy only.
  if (cgroups.freezerState() === "frozen") throw new RuntimeError("CGROUP", "container's cgroup unexpectedly frozen");
  const n = cgroups.exists() ? cgroups.pids().length : 0;
  if (n > 0) log.warn(`container's cgroup is not empty: ${n} process(es) found`);
  return cgroups;
}
