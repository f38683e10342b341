// The cgroup manager's public shape, shared by the v1/hybrid and v2
// implementations. Resource limits plug in by writing control files under
// paths(): per-controller keys on v1 ("memory", "cpu", ...), "" for the
// unified (v2) hierarchy, the same keys runc keeps in its state.json.

import type { LinuxResources } from "../../spec/types.ts";
import type { CgroupMode } from "./detect.ts";
import type { PlanOptions } from "./resources.ts";
import type { Stats } from "./stats.ts";

export type FreezerState = "thawed" | "frozen" | "freezing";

/** What a later process needs to operate on the same cgroups (goes into the container's state). */
export interface SavedCgroups {
  mode: CgroupMode;
  /** Directory holding the hierarchies, normally /sys/fs/cgroup. */
  root: string;
  /** Hierarchy key → absolute cgroup directory. */
  paths: Record<string, string>;
  /** Directories create() made; destroy() removes exactly these. */
  created: string[];
}

export interface CgroupManager {
  readonly mode: CgroupMode;
  /** Hierarchy key ("cpu", "name=systemd", "" for unified) → absolute directory. */
  paths(): Record<string, string>;
  /** mkdir -p in every hierarchy; returns every directory this manager created. */
  create(): string[];
  /**
   * Moves pid into the container's cgroup in every hierarchy, or into the
   * existing sub-cgroups given per controller ("" for all; parseSubCgroups).
   */
  addProcess(pid: number, sub?: ReadonlyMap<string, string>): void;
  /** PIDs in the container's cgroup and its descendants. */
  pids(): number[];
  /**
   * SIGKILLs every process in the container's cgroup and its descendants at
   * once (cgroup.kill, Linux 5.14+), forks in flight included. False where
   * the kernel has no such file (v1, older v2): signal pids() one by one.
   */
  killAll(): boolean;
  /** undefined when there is no freezer (or no cgroup any more). */
  freezerState(): FreezerState | undefined;
  /** Freezes the container and waits until the kernel reports it frozen. */
  freeze(): void;
  thaw(): void;
  /** Removes the directories create() made, deepest first; missing ones are fine. */
  destroy(): void;
  exists(): boolean;
  /**
   * Puts linux.resources in place (device rules included unless skipped):
   * writes in runc's order, stopping at the first the kernel refuses.
   * Returns warnings about settings accepted but not enforced.
   */
  apply(resources: LinuxResources | undefined, opts?: PlanOptions): string[];
  /** Usage counters and limits, as runc's `events --stats` reports them. */
  stats(): Stats;
  /** Processes the OOM killer has killed in the cgroup; undefined without a memory controller or cgroup. */
  oomKillCount(): number | undefined;
  /** State to persist; fromSaved(saved) rebuilds an equivalent manager. */
  saved(): SavedCgroups;
}
