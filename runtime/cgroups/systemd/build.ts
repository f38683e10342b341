// A systemd-driver manager for a new container (from "slice:prefix:name"),
// or for an existing one (from its saved unit). The cgroup paths are where
// systemd will put the unit: below the slice on the system instance, below
// the user manager's own cgroup on a user instance.

import { readTextFile } from "../../linux/files.ts";
import * as posix from "../../linux/paths.ts";
import { RuntimeError } from "../../errors.ts";
import type { CgroupLayout } from "../detect.ts";
import { expandSlice, parseSystemdCgroupsPath, systemdUnitName } from "../path.ts";
import { resolvePaths } from "../resolve.ts";
import type { CgroupManager, SavedCgroups, SavedUnit } from "../types.ts";
import { busAddress, connectBus } from "./dbus/bus.ts";
import type { Connection } from "./dbus/connection.ts";
import { SystemdManager, type SystemdDeps } from "./manager.ts";
import { managerProperty } from "./systemd1.ts";

export interface SystemdBuildOptions {
  cgroupsPath?: string;
  containerId: string;
  /** Talk to the user's systemd (rootless) rather than the system's. */
  user: boolean;
  /** The uid the bus daemon sees for this process. */
  uid: number;
  layout: CgroupLayout;
  self: Map<string, string>;
  root: string;
  deps?: SystemdDeps;
}

export function defaultDeps(user: boolean, uid: number): SystemdDeps {
  return {
    connect: (): Connection => connectBus(busAddress(user, process.env), uid),
    procDevices: () => readTextFile("/proc/devices"),
  };
}

/** The manager's own cgroup (ControlGroup), which a user instance's units are below. */
function managerCgroup(deps: SystemdDeps): string {
  using conn = deps.connect();
  const cg = String(managerProperty(conn, "ControlGroup"));
  return cg === "" ? "/" : cg;
}

export function newSystemdManager(opts: SystemdBuildOptions, wrap: (saved: SavedCgroups) => CgroupManager): SystemdManager {
  const n = parseSystemdCgroupsPath(opts.cgroupsPath, opts.containerId);
  const name = systemdUnitName(n);
  if (opts.user && opts.layout.mode !== "v2") {
    throw new RuntimeError("CGROUP", `cannot create ${name}: the systemd driver of a rootless container needs cgroup v2`, {
      hint: "run rootless containers without --systemd-cgroup on this host",
    });
  }
  const deps = opts.deps ?? defaultDeps(opts.user, opts.uid);
  const base = opts.user ? managerCgroup(deps) : "/";
  const inner = posix.join(base, expandSlice(n.slice), name);
  const paths = resolvePaths({ layout: opts.layout, inner, self: opts.self, root: opts.root });
  const unit: SavedUnit = { name, slice: n.slice, description: `runb container ${opts.containerId}`, user: opts.user, uid: opts.uid, started: false };
  return new SystemdManager(wrap({ mode: opts.layout.mode, root: opts.root, paths, created: [] }), unit, deps);
}

export { checkSavedUnit } from "../saved.ts";

export function savedSystemdManager(unit: SavedUnit, files: CgroupManager, deps?: SystemdDeps): SystemdManager {
  return new SystemdManager(files, { ...unit }, deps ?? defaultDeps(unit.user, unit.uid));
}
