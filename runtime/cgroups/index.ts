// Placing a container's processes in cgroups (v1, v2 and hybrid layouts),
// enforcing linux.resources there (CgroupManager.apply), reading usage back
// (stats, oomKillCount), and removing those cgroups again.

export { detectLayout, hierarchyOf, parseCgroupMounts, DEFAULT_CGROUP_ROOT } from "./detect.ts";
export type { CgroupLayout, CgroupMode, UnifiedHierarchy, V1Hierarchy } from "./detect.ts";
export { nodeFs } from "./io.ts";
export type { CgroupFs } from "./io.ts";
export { createCgroupManager, fromChecked, fromSaved, fromSavedChecked } from "./manager.ts";
export type { CgroupManagerOptions, ExpectedCgroups } from "./manager.ts";
export {
  cleanCgroupPath,
  expandSlice,
  innerCgroupPath,
  parseSelfCgroup,
  parseSystemdCgroupsPath,
  systemdCgroupPath,
  systemdUnitName,
} from "./path.ts";
export type { SystemdCgroupName } from "./path.ts";
export { resolvePaths } from "./resolve.ts";
export type { CgroupManager, FreezerState, SavedCgroups } from "./types.ts";
export type { PlanOptions } from "./resources.ts";
export { statsDocument, toJson } from "./stats.ts";
export type { Stats } from "./stats.ts";
