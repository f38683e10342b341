// What the v1/hybrid and v2 managers have in common: the directories of
// dirs.ts, made with bookkeeping of what we made, joined by writing
// cgroup.procs, with resources applied and statistics read.

import type { LinuxResources } from "../../spec/types.ts";
import { CgroupDirs } from "./dirs.ts";
import type { PlanOptions, Probe, ResourcePlan } from "./resources.ts";
import type { Stats } from "./stats.ts";
import { joinDirs } from "./sub-cgroups.ts";
import { mkdirTracked, removeCreated, writeProcs } from "./tree.ts";
import type { CgroupManager } from "./types.ts";
import { makeProbe, performWrites } from "./apply.ts";

export abstract class BaseManager extends CgroupDirs implements CgroupManager {
  readonly startsOnJoin = false;

  abstract stats(): Stats;
  abstract oomKillCount(): number | undefined;
  /** The control-file writes for resources (v1 or v2 files). */
  protected abstract plan(resources: LinuxResources | undefined, probe: Probe, opts: PlanOptions): ResourcePlan;
  /** What apply does besides writing files (v2: the device program). */
  protected afterWrites(_resources: LinuxResources | undefined, _opts: PlanOptions): void {}
  /** Set-up needed after mkdir (v2: delegate controllers). */
  protected afterCreate(_made: string[]): void {}
  /** Set-up needed before a process can join (v1: cpuset values). */
  protected beforeJoin(): void {}

  create(): string[] {
    const made: string[] = [];
    try {
      for (const dir of this.uniqueDirs()) made.push(...mkdirTracked(this.fs, dir));
      this.created = [...new Set([...this.created, ...made])];
      this.afterCreate(made);
    } catch (err) {
      this.undoCreate(made);
      throw err;
    }
    return [...this.created];
  }

  // A half-made container cgroup is worse than none: take back what this
  // call made. The original error matters more than a failed cleanup.
  private undoCreate(made: string[]): void {
    try {
      removeCreated(this.fs, made, new Set(this.uniqueDirs()));
    } catch {
      // keep the original error
    }
    this.created = this.created.filter((d) => !made.includes(d) || this.fs.exists(d));
  }

  addProcess(pid: number, sub?: ReadonlyMap<string, string>, opts: { bornInUnified?: boolean } = {}): void {
    this.beforeJoin();
    const skip = opts.bornInUnified ? this.birthDir() : undefined;
    for (const dir of joinDirs(this.dirs, sub)) if (dir !== skip) writeProcs(this.fs, dir, pid);
  }

  birthDir(): string | undefined {
    return this.dirs[""];
  }

  apply(resources: LinuxResources | undefined, opts: PlanOptions = {}): string[] {
    const plan = this.plan(resources, makeProbe(this.fs, this.dirs), opts);
    performWrites(this.fs, this.dirs, plan.writes);
    this.afterWrites(resources, opts);
    return plan.warnings;
  }
}
