// Building a CgroupManager: from the container's config for a new container
// (createCgroupManager), or from saved state for one that exists
// (fromSaved). The /proc files are read here, at the edge, unless passed in.

import { RuntimeError } from "../errors.ts";
import { detectLayout } from "./detect.ts";
import type { AttachDevices } from "./devices-attach.ts";
import { nodeFs, type CgroupFs } from "./io.ts";
import { innerCgroupPath, parseSelfCgroup, parseSystemdCgroupsPath, systemdCgroupPath } from "./path.ts";
import { checkOnHost, checkSaved, checkSavedShape, readProcFile, type ExpectedCgroups } from "./saved.ts";
import type { SystemdDeps } from "./systemd/manager.ts";
import { resolvePaths } from "./resolve.ts";
import { refuseForeignCgroups } from "./guard.ts";
import type { CgroupManager, SavedCgroups } from "./types.ts";
import { V1Manager } from "./v1.ts";
import { V2Manager } from "./v2.ts";
import { newSystemdManager, savedSystemdManager } from "./systemd/build.ts";

export interface CgroupManagerOptions {
  /** linux.cgroupsPath from config.json. */
  cgroupsPath?: string;
  containerId: string;
  /** --systemd-cgroup: cgroupsPath is "slice:prefix:name". */
  systemd?: boolean;
  /** Rootless: the systemd driver talks to the user's instance. */
  rootless?: boolean;
  /** The uid the bus daemon sees for the runtime (the host uid). */
  busUid?: number;
  /** Tests stand in for systemd. */
  systemdDeps?: SystemdDeps;
  /** Directory holding the hierarchies; defaults to where mountinfo has them (normally /sys/fs/cgroup). */
  root?: string;
  /** Contents of /proc/self/mountinfo; read when absent. */
  mountinfo?: string;
  /** Contents of /proc/self/cgroup; read when absent. */
  selfCgroup?: string;
  fs?: CgroupFs;
  /** How v2 device rules reach the kernel; tests replace the bpf(2) calls. */
  attachDevices?: AttachDevices;
}


// systemd's own test for "booted with systemd".
function requireSystemd(opts: CgroupManagerOptions, fs: CgroupFs): void {
  if (opts.systemdDeps !== undefined || fs.exists("/run/systemd/system")) return;
  const path = systemdCgroupPath(parseSystemdCgroupsPath(opts.cgroupsPath, opts.containerId));
  throw new RuntimeError("CGROUP", `systemd cgroup driver requested, but systemd is not running on this host: cannot create ${path}`, {
    hint: "run without --systemd-cgroup to use the cgroupfs driver",
  });
}

function build(saved: SavedCgroups, fs: CgroupFs, attachDevices?: AttachDevices): CgroupManager {
  return saved.mode === "v2" ? new V2Manager(saved, fs, attachDevices) : new V1Manager(saved, fs);
}

/** A manager for a new container; nothing is created until create(). */
export function createCgroupManager(opts: CgroupManagerOptions): CgroupManager {
  const fs = opts.fs ?? nodeFs;
  if (opts.systemd === true) requireSystemd(opts, fs);
  const layout = detectLayout(opts.mountinfo ?? readProcFile(fs, "/proc/self/mountinfo"));
  const self = parseSelfCgroup(opts.selfCgroup ?? readProcFile(fs, "/proc/self/cgroup"));
  const root = opts.root ?? layout.cgroupRoot;
  if (opts.systemd === true) {
    const common = { cgroupsPath: opts.cgroupsPath, containerId: opts.containerId, layout, self, root, deps: opts.systemdDeps };
    const user = opts.rootless === true;
    return newSystemdManager({ ...common, user, uid: opts.busUid ?? 0 }, (saved) => build(saved, fs, opts.attachDevices));
  }
  const inner = innerCgroupPath(opts.cgroupsPath, opts.containerId);
  const paths = resolvePaths({ layout, inner, self, root });
  refuseForeignCgroups(layout, root, self, paths, opts.cgroupsPath);
  return build({ mode: layout.mode, root, paths, created: [] }, fs, opts.attachDevices);
}

/** Rebuilds the manager of an existing container from SavedCgroups (as parsed JSON). */
export function fromSaved(saved: unknown, fs: CgroupFs = nodeFs, systemdDeps?: SystemdDeps): CgroupManager {
  return fromChecked(checkSavedShape(saved), fs, systemdDeps);
}

/** The manager of a record checked already (checkSavedShape or checkSaved). */
export function fromChecked(record: SavedCgroups, fs: CgroupFs = nodeFs, systemdDeps?: SystemdDeps): CgroupManager {
  const { systemd: unit, ...files } = record;
  const manager = build(files, fs);
  return unit === undefined ? manager : savedSystemdManager(unit, manager, systemdDeps);
}

export type { ExpectedCgroups };

/** fromSaved for a record read back from disk, checked by its names and on this host first (see saved.ts). */
export function fromSavedChecked(saved: unknown, expected: ExpectedCgroups, fs: CgroupFs = nodeFs): CgroupManager {
  return fromChecked(checkOnHost(checkSaved(saved, expected), fs), fs);
}
