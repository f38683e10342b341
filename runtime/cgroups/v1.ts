// cgroup v1 (and hybrid, which is v1 plus the controller-less unified
// hierarchy under the "" key): one directory per mounted hierarchy. Freezing
// uses the v1 freezer controller.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import type { LinuxResources } from "../../spec/types.ts";
import { BaseManager } from "./base.ts";
import { readControl, readControlIfExists, sleepMs, writeControl } from "./io.ts";
import type { PlanOptions, Probe, ResourcePlan } from "./resources.ts";
import { parseFlatKeyed, type Stats } from "./stats.ts";
import { isAncestorOrSelf } from "./tree.ts";
import type { FreezerState } from "./types.ts";
import { v1FreezerState } from "./freezer-state.ts";
import { planV1 } from "./resources-v1.ts";
import { readV1Stats } from "./stats-v1.ts";

const CPUSET_FILES = ["cpuset.cpus", "cpuset.mems"];


// A v1 cgroup can stay FREEZING while processes keep forking or joining;
// retrying the write, thawing now and then, and pausing with growing waits
// gets it through (schedule modelled on runc's; gives up after a few seconds).
const FREEZE_RETRY = {
  attempts: 1000,
  thawEvery: 50,
  thawPauseMs: 10,
  shortPauseEvery: 25,
  shortPauseMs: 1,
  longPauseEvery: 200,
  firstLongPauseMs: 100,
};

export class V1Manager extends BaseManager {
  protected pidsDir(): string | undefined {
    return this.dirs.freezer ?? this.dirs.pids ?? this.dirs.devices ?? this.uniqueDirs()[0];
  }

  protected primaryDir(): string | undefined {
    return this.dirs.devices ?? this.uniqueDirs()[0];
  }

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

  private freezerFile(): string | undefined {
    const dir = this.dirs.freezer;
    return dir === undefined ? undefined : posix.join(dir, "freezer.state");
  }

  freezerState(): FreezerState | undefined {
    const dir = this.dirs.freezer;
    return dir === undefined ? undefined : v1FreezerState(this.fs, dir);
  }

  freeze(): void {
    const file = this.freezerFile();
    if (file === undefined) throw new RuntimeError("CGROUP", "cannot freeze: the container has no freezer cgroup");
    try {
      this.freezeLoop(file);
    } catch (err) {
      // Never leave a container half frozen behind a failure.
      try {
        writeControl(this.fs, file, "THAWED");
      } catch {
        // the original error says more
      }
      throw err;
    }
  }

  private freezeLoop(file: string): void {
    const r = FREEZE_RETRY;
    let longPause = r.firstLongPauseMs;
    for (let i = 1; i <= r.attempts; i++) {
      if (i % r.thawEvery === 0) {
        writeControl(this.fs, file, "THAWED");
        sleepMs(r.thawPauseMs);
      }
      writeControl(this.fs, file, "FROZEN");
      if (i % r.shortPauseEvery === 0) sleepMs(r.shortPauseMs);
      if (i % r.longPauseEvery === 0) {
        sleepMs(longPause);
        longPause *= 2;
      }
      const state = readControl(this.fs, file).trim();
      if (state === "FROZEN") return;
      if (state !== "FREEZING") throw new RuntimeError("CGROUP", `unexpected freezer state ${state} in ${file}`);
    }
    throw new RuntimeError("CGROUP", `unable to freeze ${posix.dirname(file)}: still freezing`);
  }

  thaw(): void {
    const file = this.freezerFile();
    if (file === undefined) throw new RuntimeError("CGROUP", "cannot thaw: the container has no freezer cgroup");
    writeControl(this.fs, file, "THAWED");
  }
}
