// cgroup v1 (and hybrid, which is v1 plus the controller-less unified
// hierarchy under the "" key): one directory per mounted hierarchy.

import * as posix from "../linux/paths.ts";
import type { LinuxResources } from "../../spec/types.ts";
import { BaseManager } from "./base.ts";
import { readControl, readControlIfExists, writeControl } from "./io.ts";
import type { PlanOptions, Probe, ResourcePlan } from "./resources.ts";
import { parseFlatKeyed, type Stats } from "./stats.ts";
import { isAncestorOrSelf } from "./tree.ts";
import { planV1 } from "./resources-v1.ts";
import { readV1Stats } from "./stats-v1.ts";

const CPUSET_FILES = ["cpuset.cpus", "cpuset.mems"];

export class V1Manager extends BaseManager {
  protected plan(resources: LinuxResources | undefined, probe: Probe, opts: PlanOptions): ResourcePlan {
    return planV1(resources, probe, opts);
  }

  stats(): Stats {
    return readV1Stats(this.fs, this.dirs);
  }

  // memory.oom_control counts kills since kernel 4.13.
  oomKillCount(): number | undefined {
    const dir = this.dirs.memory;
    const text = dir === undefined ? undefined : readControlIfExists(this.fs, posix.join(dir, "memory.oom_control"));
    if (text === undefined) return undefined;
    return Number(parseFlatKeyed(text).get("oom_kill") ?? 0n);
  }

  // Set once this manager has filled the cpuset: the join that follows a
  // create need not read it all again.
  private cpusetFilled = false;

  protected override afterCreate(): void {
    this.fillCpuset();
  }

  protected override beforeJoin(): void {
    if (!this.cpusetFilled) this.fillCpuset();
  }

  // A new cpuset cgroup starts with empty cpus and mems, and joining it then
  // fails with ENOSPC. Give every level from the nearest one that has both
  // down to the container's its parent's values, top-down: the levels we
  // made and pre-existing empty ones alike, as runc's ensureParent does.
  // Each file is read once; a parent's value is the one just given to it.
  private fillCpuset(): void {
    const target = this.dirs.cpuset;
    if (target === undefined) return;
    const chain: { dir: string; values: (string | undefined)[] }[] = [];
    for (let dir = target; dir !== this.root && isAncestorOrSelf(this.root, dir); dir = posix.dirname(dir)) {
      const values = CPUSET_FILES.map((file) => this.ownValue(dir, file));
      chain.unshift({ dir, values });
      if (values.every((v) => v !== undefined && v !== "")) break;
    }
    chain.forEach(({ dir, values }, level) => {
      CPUSET_FILES.forEach((file, i) => {
        if (values[i] !== "") return; // set, or no such directory
        const parent = level > 0 ? chain[level - 1]!.values[i] : undefined;
        const parentValue = parent ?? readControl(this.fs, posix.join(posix.dirname(dir), file)).trim();
        if (parentValue === "") return;
        writeControl(this.fs, posix.join(dir, file), parentValue);
        values[i] = parentValue;
      });
    });
    this.cpusetFilled = true;
  }

  /** A cpuset file's value; "" when empty (or missing in an existing directory), undefined when the directory is not there. */
  private ownValue(dir: string, file: string): string | undefined {
    const text = readControlIfExists(this.fs, posix.join(dir, file));
    if (text !== undefined) return text.trim();
    return this.fs.exists(dir) ? "" : undefined;
  }
}
