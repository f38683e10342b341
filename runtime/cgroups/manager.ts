// Building a CgroupManager: from the container's config for a new container
// (createCgroupManager), or from saved state for one that exists
// (fromSaved). The /proc files are read here, at the edge, unless passed in.

import { posix } from "node:path";
import { RuntimeError } from "../errors.ts";
import { detectLayout, type CgroupMode } from "./detect.ts";
import type { AttachDevices } from "./devices-attach.ts";
import { cgroupError, nodeFs, type CgroupFs } from "./io.ts";
import { innerCgroupPath, parseSelfCgroup, parseSystemdCgroupsPath, systemdCgroupPath } from "./path.ts";
import { checkSavedUnit, newSystemdManager, savedSystemdManager } from "./systemd/build.ts";
import type { SystemdDeps } from "./systemd/manager.ts";
import { resolvePaths } from "./resolve.ts";
import { foreignCgroupReason, hierarchiesOf, refuseForeignCgroups } from "./guard.ts";
import { isAncestorOrSelf } from "./tree.ts";
import type { CgroupManager, SavedCgroups } from "./types.ts";
import { V1Manager } from "./v1.ts";
import { V2Manager } from "./v2.ts";

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

const MODES: readonly CgroupMode[] = ["v1", "v2", "hybrid"];

function readProcFile(fs: CgroupFs, path: string): string {
  try {
    return fs.read(path);
  } catch (err) {
    throw cgroupError("open", path, err);
  }
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

function invalidSaved(reason: string): RuntimeError {
  return new RuntimeError("CGROUP", `invalid saved cgroup state: ${reason}`);
}

const isAbsoluteString = (v: unknown): v is string => typeof v === "string" && posix.isAbsolute(v);

function checkPaths(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidSaved("paths is not a JSON object");
  const entries = Object.entries(value);
  const bad = entries.find(([, v]) => !isAbsoluteString(v));
  if (bad !== undefined) throw invalidSaved(`path for "${bad[0]}" is not absolute`);
  return Object.fromEntries(entries) as Record<string, string>;
}

// destroy() rmdirs `created`; a tampered state file must not make it remove
// anything but the container's cgroups and the parents made for them.
function checkCreated(value: unknown, paths: Record<string, string>): string[] {
  if (!Array.isArray(value)) throw invalidSaved("created is not a list");
  const targets = Object.values(paths);
  for (const dir of value) {
    if (!isAbsoluteString(dir)) throw invalidSaved("created holds a relative path");
    if (!targets.some((t) => isAncestorOrSelf(dir, t))) throw invalidSaved(`${dir} is not on a container cgroup path`);
  }
  return value as string[];
}

/** Rebuilds the manager of an existing container from SavedCgroups (as parsed JSON). */
export function fromSaved(saved: unknown, fs: CgroupFs = nodeFs, systemdDeps?: SystemdDeps): CgroupManager {
  if (typeof saved !== "object" || saved === null) throw invalidSaved("not a JSON object");
  const s = saved as Record<string, unknown>;
  if (!MODES.includes(s.mode as CgroupMode)) throw invalidSaved(`unknown mode ${JSON.stringify(s.mode)}`);
  if (!isAbsoluteString(s.root)) throw invalidSaved("root is not an absolute path");
  const paths = checkPaths(s.paths);
  const created = checkCreated(s.created, paths);
  const files = build({ mode: s.mode as CgroupMode, root: s.root, paths, created }, fs);
  return s.systemd === undefined ? files : savedSystemdManager(checkSavedUnit(s.systemd), files, systemdDeps);
}

/** What a saved record is checked against: the config it was made from. */
export interface ExpectedCgroups {
  cgroupsPath?: string;
  containerId: string;
  root?: string;
  mountinfo?: string;
  fs?: CgroupFs;
}

/**
 * fromSaved for a record read back from disk, which is input like any
 * other: every path must be what the container's cgroupsPath gives on this
 * host (relative paths may have started from another cgroup of the
 * runtime's, so only their tail is fixed), and none may be a hierarchy's
 * root.
 */
export function fromSavedChecked(saved: unknown, expected: ExpectedCgroups): CgroupManager {
  const fs = expected.fs ?? nodeFs;
  const manager = fromSaved(saved, fs);
  const record = manager.saved();
  // A systemd unit's cgroup is where its slice nests it ("a-b.slice" is
  // a.slice/a-b.slice), below the cgroup of the systemd instance in charge
  // (the user's, rootless): only that tail is fixed.
  const systemd = typeof saved === "object" && saved !== null && (saved as { systemd?: unknown }).systemd !== undefined;
  const inner = systemd
    ? systemdCgroupPath(parseSystemdCgroupsPath(expected.cgroupsPath, expected.containerId)).replace(/^\/+/, "")
    : innerCgroupPath(expected.cgroupsPath, expected.containerId);
  const layout = detectLayout(expected.mountinfo ?? readProcFile(fs, "/proc/self/mountinfo"));
  // The runtime's own cgroup is not held against a saved record: whoever
  // runs this command may sit anywhere, even in the container's cgroup.
  const self = new Map<string, string>();
  const root = expected.root ?? layout.cgroupRoot;
  if (record.mode !== layout.mode) throw invalidSaved(`mode ${record.mode} is not this host's ${layout.mode}`);
  if (record.root !== root) throw invalidSaved(`root ${record.root} is not ${root}`);
  const hierarchies = hierarchiesOf(layout, root);
  for (const [key, dir] of Object.entries(record.paths)) {
    const h = hierarchies.get(key);
    if (h === undefined) throw invalidSaved(`no ${key === "" ? "unified" : key} hierarchy is mounted`);
    const fits = inner.startsWith("/") ? dir === posix.join(h.mountDir, inner).replace(/(.)\/$/, "$1") : dir.endsWith(`/${inner}`);
    if (!fits) throw invalidSaved(`${dir} is not where cgroupsPath ${expected.cgroupsPath ?? inner} leads`);
    const reason = foreignCgroupReason(layout, root, self, key, dir, hierarchies);
    if (reason !== undefined) throw invalidSaved(reason);
  }
  return manager;
}
