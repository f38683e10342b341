// What the v1/hybrid and v2 managers have in common: one cgroup directory per
// hierarchy, created with bookkeeping of what we made, joined by writing
// cgroup.procs, removed again by destroy().

import type { LinuxResources } from "../../spec/types.ts";
import type { CgroupMode } from "./detect.ts";
import type { CgroupFs } from "./io.ts";
import type { PlanOptions, Probe, ResourcePlan } from "./resources.ts";
import type { Stats } from "./stats.ts";
import { joinDirs } from "./sub-cgroups.ts";
import { mkdirTracked, procsRecursive, removeCreated, writeProcs } from "./tree.ts";
import type { CgroupManager, FreezerState, SavedCgroups } from "./types.ts";
import { makeProbe, performWrites } from "./apply.ts";

export abstract class BaseManager implements CgroupManager {
  readonly mode: CgroupMode;
  readonly startsOnJoin = false;
  protected readonly root: string;
  protected readonly dirs: Readonly<Record<string, string>>;
  protected readonly fs: CgroupFs;
  protected created: string[];

  constructor(saved: SavedCgroups, fs: CgroupFs) {
    this.mode = saved.mode;
    this.root = saved.root;
    this.dirs = { ...saved.paths };
    this.created = [...saved.created];
    this.fs = fs;
  }

  abstract freezerState(): FreezerState | undefined;
  abstract freeze(): void;
  abstract thaw(): void;
  abstract stats(): Stats;
  abstract oomKillCount(): number | undefined;
  /** The control-file writes for resources (v1 or v2 files). */
  protected abstract plan(resources: LinuxResources | undefined, probe: Probe, opts: PlanOptions): ResourcePlan;
  /** What apply does besides writing files (v2: the device program). */
  protected afterWrites(_resources: LinuxResources | undefined, _opts: PlanOptions): void {}
  /** Directory whose subtree lists the container's processes. */
  protected abstract pidsDir(): string | undefined;
  /** Directory whose existence means "the container's cgroup exists". */
  protected abstract primaryDir(): string | undefined;
  /** Set-up needed after mkdir (v2: delegate controllers). */
  protected afterCreate(_made: string[]): void {}
  /** Set-up needed before a process can join (v1: cpuset values). */
  protected beforeJoin(): void {}

  paths(): Record<string, string> {
    return { ...this.dirs };
  }

  /** Each directory once: v1 co-mounts (cpu,cpuacct) share one. */
  protected uniqueDirs(): string[] {
    return [...new Set(Object.values(this.dirs))];
  }

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

  owns(): boolean {
    const dir = this.pidsDir();
    return dir !== undefined && this.created.includes(dir);
  }

  pids(): number[] {
    const dir = this.pidsDir();
    if (dir === undefined) return [];
    const seen = new Set<number>();
    const pids: number[] = [];
    for (const pid of procsRecursive(this.fs, dir)) {
      if (!seen.has(pid)) pids.push(pid);
      seen.add(pid);
    }
    return pids;
  }

  killAll(): boolean {
    return false;
  }

  destroy(): void {
    const removed = new Set<string>();
    try {
      removeCreated(this.fs, this.created, new Set(this.uniqueDirs()), removed);
    } finally {
      const left: string[] = [];
      for (const d of this.created) if (!removed.has(d) && this.fs.exists(d)) left.push(d);
      this.created = left;
    }
  }

  apply(resources: LinuxResources | undefined, opts: PlanOptions = {}): string[] {
    const plan = this.plan(resources, makeProbe(this.fs, this.dirs), opts);
    performWrites(this.fs, this.dirs, plan.writes);
    this.afterWrites(resources, opts);
    return plan.warnings;
  }

  exists(): boolean {
    const dir = this.primaryDir();
    return dir !== undefined && this.fs.exists(dir);
  }

  saved(): SavedCgroups {
    return { mode: this.mode, root: this.root, paths: { ...this.dirs }, created: [...this.created] };
  }
}
