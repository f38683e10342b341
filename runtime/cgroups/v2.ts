// cgroup v2 (pure unified hierarchy): one directory under the "" key.

import * as posix from "../linux/paths.ts";
import type { LinuxResources } from "../../spec/types.ts";
import { BaseManager } from "./base.ts";
import { attachDeviceProgram, type AttachDevices } from "./devices-attach.ts";
import { errnoOf, readControlIfExists, type CgroupFs } from "./io.ts";
import type { PlanOptions, Probe, ResourcePlan } from "./resources.ts";
import { parseFlatKeyed, type Stats } from "./stats.ts";
import type { SavedCgroups } from "./types.ts";
import { flatKey } from "./freezer-state.ts";
import { planV2 } from "./resources-v2.ts";
import { deviceProgram, encodeProgram } from "./devices-bpf.ts";
import { deviceRules } from "./devices.ts";
import { readV2Stats } from "./stats-v2.ts";

export { flatKey };

export class V2Manager extends BaseManager {
  private readonly attachDevices: AttachDevices;

  constructor(saved: SavedCgroups, fs: CgroupFs, attachDevices: AttachDevices = attachDeviceProgram) {
    super(saved, fs);
    this.attachDevices = attachDevices;
  }

  private dir(): string | undefined {
    return this.dirs[""];
  }

  protected plan(resources: LinuxResources | undefined, probe: Probe): ResourcePlan {
    return planV2(resources, probe);
  }

  // Device rules are an eBPF program on v2, attached after the files are written.
  protected override afterWrites(resources: LinuxResources | undefined, opts: PlanOptions): void {
    const dir = this.dir();
    if (opts.skipDevices === true || dir === undefined) return;
    this.attachDevices(dir, encodeProgram(deviceProgram(deviceRules(resources?.devices, opts))));
  }

  stats(): Stats {
    return readV2Stats(this.fs, this.dir());
  }

  oomKillCount(): number | undefined {
    const dir = this.dir();
    const text = dir === undefined ? undefined : readControlIfExists(this.fs, posix.join(dir, "memory.events"));
    if (text === undefined) return undefined;
    return Number(parseFlatKeyed(text).get("oom_kill") ?? 0n);
  }

  // Controllers only reach a cgroup that every ancestor delegates them to
  // through cgroup.subtree_control. Enable what each ancestor has, top-down.
  // Best effort: an ancestor that holds processes itself cannot delegate
  // (EBUSY), and the resource code reports a controller it then lacks.
  protected override afterCreate(): void {
    const dir = this.dir();
    if (dir === undefined || !dir.startsWith(`${this.root}/`)) return;
    const below = posix.relative(this.root, posix.dirname(dir));
    let ancestor = this.root;
    this.delegate(ancestor);
    for (const part of below === "" ? [] : below.split("/")) {
      ancestor = posix.join(ancestor, part);
      this.delegate(ancestor);
    }
  }

  private delegate(dir: string): void {
    const available = readControlIfExists(this.fs, posix.join(dir, "cgroup.controllers"));
    const enabled = readControlIfExists(this.fs, posix.join(dir, "cgroup.subtree_control"));
    if (available === undefined || enabled === undefined) return;
    const have = new Set(enabled.split(/\s+/));
    for (const controller of available.split(/\s+/).filter((c) => c !== "" && !have.has(c))) {
      try {
        this.fs.write(posix.join(dir, "cgroup.subtree_control"), `+${controller}`);
      } catch (err) {
        if (errnoOf(err) === undefined) throw err;
      }
    }
  }
}
