// The systemd cgroup driver: the container's cgroup is a transient scope
// (or slice) that systemd makes and removes; everything systemd has no
// property for is written to the cgroup files by the cgroupfs manager of
// the same paths, as runc does. A scope needs a process to exist, so the
// unit is started when the container's first process joins (addProcess),
// with the resources apply() was given before that.

import type { LinuxResources } from "../../../spec/types.ts";
import type { PlanOptions } from "../resources.ts";
import type { Stats } from "../stats.ts";
import type { CgroupManager, FreezerState, SavedCgroups, SavedUnit } from "../types.ts";
import type { Connection } from "./dbus/connection.ts";
import { parseProcDevices } from "./device-properties.ts";
import { resourceProperties, unitProperties, type PropertyContext } from "./properties.ts";
import { managerProperty, parseVersion, setUnitProperties, startTransientUnit, stopUnit } from "./systemd1.ts";

export interface SystemdDeps {
  /** An authenticated connection to the bus of the systemd instance in charge. */
  connect(): Connection;
  /** Contents of /proc/devices, for device groups in DeviceAllow. */
  procDevices(): string;
}

interface Pending {
  resources: LinuxResources | undefined;
  opts: PlanOptions;
}

export class SystemdManager implements CgroupManager {
  private conn: Connection | undefined;
  private version: number | undefined;
  private pending: Pending = { resources: undefined, opts: {} };
  /** The resources the unit was started with: apply() need not send them again. */
  private startedWith: LinuxResources | undefined;

  constructor(
    private readonly files: CgroupManager,
    private readonly unit: SavedUnit,
    private readonly deps: SystemdDeps,
  ) {}

  get mode() {
    return this.files.mode;
  }

  get startsOnJoin(): boolean {
    return !this.unit.started;
  }

  /** Reuses one connection while this manager is in use; release() closes it. */
  private bus(): Connection {
    this.conn ??= this.deps.connect();
    return this.conn;
  }

  release(): void {
    this.conn?.close();
    this.conn = undefined;
  }

  private context(opts: PlanOptions): PropertyContext {
    this.version ??= parseVersion(managerProperty(this.bus(), "Version"));
    return {
      unified: this.files.mode === "v2",
      systemdVersion: this.version,
      skipDevices: opts.skipDevices === true,
      deviceGroup: parseProcDevices(this.deps.procDevices()),
      linuxDevices: opts.linuxDevices,
    };
  }

  paths(): Record<string, string> {
    return this.files.paths();
  }

  /** cgroup.kill on the unit's cgroup, where the kernel has it. */
  killAll(): boolean {
    return this.files.killAll();
  }

  /** The unit is started for this container alone: all it holds is the container's. */
  owns(): boolean {
    return true;
  }

  /** Nothing exists before the first process: systemd makes the cgroup then. */
  create(): string[] {
    return this.files.saved().created;
  }

  addProcess(pid: number, sub?: ReadonlyMap<string, string>): void {
    if (this.unit.started) return this.files.addProcess(pid, sub);
    this.start(pid);
  }

  private start(pid: number): void {
    const { resources, opts } = this.pending;
    const properties = [
      ...unitProperties({ slice: this.unit.slice, unit: this.unit.name, pid, description: this.unit.description, unified: this.mode === "v2" }),
      ...resourceProperties(resources, this.context(opts)),
    ];
    startTransientUnit(this.bus(), this.unit.name, properties);
    this.unit.started = true;
    this.startedWith = resources;
    // The controllers systemd does not manage (v1), and delegation of every
    // controller below the unit (v2), are the cgroupfs manager's to set up.
    this.files.create();
    if (this.mode !== "v2") this.files.addProcess(pid);
  }

  apply(resources: LinuxResources | undefined, opts: PlanOptions = {}): string[] {
    if (!this.unit.started) {
      this.pending = { resources, opts };
      return [];
    }
    if (resources !== this.startedWith) setUnitProperties(this.bus(), this.unit.name, resourceProperties(resources, this.context(opts)));
    this.startedWith = undefined;
    return this.files.apply(resources, opts);
  }

  /** Stops the unit (systemd removes its cgroup), then what the cgroupfs side made. */
  destroy(): void {
    try {
      stopUnit(this.bus(), this.unit.name);
    } catch (e) {
      // A unit never started has nothing to stop, and failing here would
      // keep a create that failed to reach the bus from being undone.
      if (this.unit.started) throw e;
    } finally {
      this.release();
    }
    this.files.destroy();
  }

  pids(): number[] {
    return this.files.pids();
  }

  freezerState(): FreezerState | undefined {
    return this.files.freezerState();
  }

  freeze(): void {
    this.files.freeze();
  }

  thaw(): void {
    this.files.thaw();
  }

  exists(): boolean {
    return this.files.exists();
  }

  stats(): Stats {
    return this.files.stats();
  }

  oomKillCount(): number | undefined {
    return this.files.oomKillCount();
  }

  saved(): SavedCgroups {
    return { ...this.files.saved(), systemd: { ...this.unit } };
  }
}
