// Putting a new container's linux.resources in place, right after its
// cgroups are made and before its first process joins them.
import type { Spec } from "../../spec/types.ts";
import type { CgroupManager } from "../cgroups/index.ts";
import { log } from "../log.ts";

export function applyResources(cgroups: CgroupManager, spec: Spec): void {
  const warnings = cgroups.apply(spec.linux?.resources, { linuxDevices: spec.linux?.devices });
  for (const w of warnings) log.warn(w);
}
