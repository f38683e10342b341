// A container's cgroup directories as its checked record names them: the
// processes in them, freezing them, killing them all, and removing those
// made for the container. That is all kill and delete need; the managers
// (base.ts) add making, joining, resources and statistics, and delete
// loads none of that code for a record of the cgroupfs driver.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import type { CgroupMode } from "./detect.ts";
import { writeControl, type CgroupFs } from "./io.ts";
import { procsRecursive, removeCreated } from "./tree.ts";
import type { CgroupHandle, FreezerState, SavedCgroups } from "./types.ts";
import { v1FreezerState, v2FreezerState } from "./freezer-state.ts";
import { v1Freeze, v1Thaw, v2Freeze, v2Thaw } from "./freezer.ts";

export class CgroupDirs implements CgroupHandle {
  readonly mode: CgroupMode;
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

  /** The unified directory of a pure v2 layout; undefined on v1 and hybrid. */
  private v2Dir(): string | undefined {
    return this.mode === "v2" ? this.dirs[""] : undefined;
  }

  /** Directory whose subtree lists the container's processes. */
  protected pidsDir(): string | undefined {
    if (this.mode === "v2") return this.dirs[""];
    return this.dirs.freezer ?? this.dirs.pids ?? this.dirs.devices ?? this.uniqueDirs()[0];
  }

  /** Directory whose existence means "the container's cgroup exists". */
  protected primaryDir(): string | undefined {
    if (this.mode === "v2") return this.dirs[""];
    return this.dirs.devices ?? this.uniqueDirs()[0];
  }

  paths(): Record<string, string> {
    return { ...this.dirs };
  }

  /** Each directory once: v1 co-mounts (cpu,cpuacct) share one. */
  protected uniqueDirs(): string[] {
    return [...new Set(Object.values(this.dirs))];
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
    const dir = this.v2Dir();
    const file = dir === undefined ? undefined : posix.join(dir, "cgroup.kill");
    if (file === undefined || !this.fs.exists(file)) return false;
    writeControl(this.fs, file, "1");
    return true;
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

  exists(): boolean {
    const dir = this.primaryDir();
    return dir !== undefined && this.fs.exists(dir);
  }

  saved(): SavedCgroups {
    return { mode: this.mode, root: this.root, paths: { ...this.dirs }, created: [...this.created] };
  }

  /** The freezer's directory: v2's unified one, else the v1 freezer controller's. */
  private freezerDir(): string | undefined {
    return this.mode === "v2" ? this.dirs[""] : this.dirs.freezer;
  }

  freezerState(): FreezerState | undefined {
    const dir = this.freezerDir();
    if (dir === undefined) return undefined;
    return this.mode === "v2" ? v2FreezerState(this.fs, dir) : v1FreezerState(this.fs, dir);
  }

  freeze(): void {
    const dir = this.freezerDir();
    if (dir === undefined) throw new RuntimeError("CGROUP", this.noFreezer("freeze"));
    if (this.mode === "v2") v2Freeze(this.fs, dir);
    else v1Freeze(this.fs, dir);
  }

  thaw(): void {
    const dir = this.freezerDir();
    if (dir === undefined) throw new RuntimeError("CGROUP", this.noFreezer("thaw"));
    if (this.mode === "v2") v2Thaw(this.fs, dir);
    else v1Thaw(this.fs, dir);
  }

  private noFreezer(what: string): string {
    return this.mode === "v2" ? `cannot ${what}: the container has no cgroup` : `cannot ${what}: the container has no freezer cgroup`;
  }
}
