// The cgroup manager's public shape, shared by the v1/hybrid and v2
// implementations. Resource limits plug in by writing control files under
// paths(): per-controller keys on v1 ("memory", "cpu", ...), "" for the
// unified (v2) hierarchy, the same keys runc keeps in its state.json.

import type { LinuxResources } from "../../spec/types.ts";
import type { CgroupMode } from "./detect.ts";
import type { PlanOptions } from "./resources.ts";
import type { Stats } from "./stats.ts";

export type FreezerState = "thawed" | "frozen" | "freezing";

/** A systemd unit holding the container's cgroup (the systemd driver). */
export interface SavedUnit {
  /** "runb-ID.scope" */
  name: string;
  /** The slice it is in ("system.slice"). */
  slice: string;
  description: string;
  /** The user's systemd instance rather than the system's. */
  user: boolean;
  /** The uid the bus daemon sees for the runtime. */
  uid: number;
  /** Whether StartTransientUnit has succeeded. */
  started: boolean;
}

/** What a later process needs to operate on the same cgroups (goes into the container's state). */
export interface SavedCgroups {
  mode: CgroupMode;
  /** Directory holding the hierarchies, normally /sys/fs/cgroup. */
  root: string;
  /** Hierarchy key → absolute cgroup directory. */
  paths: Record<string, string>;
  /** Directories create() made; destroy() removes exactly these. */
  created: string[];
  /** Set by the systemd driver. */
  systemd?: SavedUnit;
}

/**
 * What acts on a container's existing cgroups: finding, freezing and
 * killing its processes, and removing what was made for it. Enough for
 * kill and delete; a record of the cgroupfs driver gets one without the
 * managers' code (dirs.ts).
 */
export interface CgroupHandle {
  readonly mode: CgroupMode;
  /** Hierarchy key ("cpu", "name=systemd", "" for unified) → absolute directory. */
  paths(): Record<string, string>;
  /**
   * Whether this runtime made the cgroup the container's processes are
   * listed from (it is in `created`): only then are all of them the
   * container's, and only then may they all be killed.
   */
  owns(): boolean;
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
  /** State to persist; fromSaved(saved) rebuilds an equivalent manager. */
  saved(): SavedCgroups;
}

export interface CgroupManager extends CgroupHandle {
  /**
   * True while the cgroup can only come to exist with its first process
   * (a systemd scope): apply() then takes effect at addProcess().
   */
  readonly startsOnJoin: boolean;
  /** mkdir -p in every hierarchy; returns every directory this manager created. */
  create(): string[];
  /**
   * Moves pid into the container's cgroup in every hierarchy, or into the
   * existing sub-cgroups given per controller ("" for all; parseSubCgroups).
   */
  addProcess(pid: number, sub?: ReadonlyMap<string, string>, opts?: { bornInUnified?: boolean }): void;
  /**
   * The cgroup v2 directory a new process can be born in (clone3 with
   * CLONE_INTO_CGROUP), if this manager has one; addProcess then skips it
   * when told the process was born there.
   */
  birthDir?(): string | undefined;
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
}
