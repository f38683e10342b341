// A container's saved cgroup record, checked: first its shape, then
// against this host and the container's cgroupsPath. A record read back
// from disk is input like any other, and kill and delete act on what it
// names. Kept apart from the managers so that the commands that only
// need the check and the freezer state (state, list, start) do not load
// the cgroup code that applies resources, reads stats or talks to systemd.
import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import { isUnitName, trimLeadingSlashes } from "../chars.ts";
import { detectLayout, type CgroupMode } from "./detect.ts";
import { foreignCgroupReason, hierarchiesOf } from "./guard.ts";
import { cgroupError, nodeFs, type CgroupFs } from "./io.ts";
import { innerCgroupPath, parseSystemdCgroupsPath, systemdCgroupPath } from "./path.ts";
import { isAncestorOrSelf } from "./tree.ts";
import type { SavedCgroups, SavedUnit } from "./types.ts";

const MODES: readonly CgroupMode[] = ["v1", "v2", "hybrid"];

export function invalidSaved(reason: string): RuntimeError {
  return new RuntimeError("CGROUP", `invalid saved cgroup state: ${reason}`);
}

export function readProcFile(fs: CgroupFs, path: string): string {
  try {
    return fs.read(path);
  } catch (err) {
    throw cgroupError("open", path, err);
  }
}

const isAbsoluteString = (v: unknown): v is string => typeof v === "string" && posix.isAbsolute(v);

function checkPaths(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidSaved("paths is not a JSON object");
  // Plain loops on this path (see cli/flags.ts).
  const paths: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!isAbsoluteString(v)) throw invalidSaved(`path for "${key}" is not absolute`);
    paths[key] = v;
  }
  return paths;
}

// destroy() rmdirs `created`; a tampered state file must not make it remove
// anything but the container's cgroups and the parents made for them.
function checkCreated(value: unknown, paths: Record<string, string>): string[] {
  if (!Array.isArray(value)) throw invalidSaved("created is not a list");
  const targets = Object.values(paths);
  for (const dir of value) {
    if (!isAbsoluteString(dir)) throw invalidSaved("created holds a relative path");
    let onPath = false;
    for (let i = 0; i < targets.length && !onPath; i++) onPath = isAncestorOrSelf(dir, targets[i]!);
    if (!onPath) throw invalidSaved(`${dir} is not on a container cgroup path`);
  }
  return value as string[];
}

/** Checks the unit part of saved state: a tampered file must not name another unit kind or bus. */
export function checkSavedUnit(v: unknown): SavedUnit {
  if (typeof v !== "object" || v === null) throw invalidSaved("systemd is not an object");
  const u = v as Record<string, unknown>;
  if (typeof u.name !== "string" || !isUnitName(u.name)) throw invalidSaved(`bad unit name ${String(u.name)}`);
  if (typeof u.slice !== "string" || typeof u.description !== "string") throw invalidSaved("bad slice or description");
  if (typeof u.user !== "boolean" || typeof u.started !== "boolean" || !Number.isInteger(u.uid)) throw invalidSaved("bad unit flags");
  return { name: u.name, slice: u.slice, description: u.description, user: u.user, uid: u.uid as number, started: u.started };
}

/** The record's shape, its systemd unit included: what a manager can be rebuilt from. */
export function checkSavedShape(saved: unknown): SavedCgroups {
  if (typeof saved !== "object" || saved === null) throw invalidSaved("not a JSON object");
  const s = saved as Record<string, unknown>;
  if (!MODES.includes(s.mode as CgroupMode)) throw invalidSaved(`unknown mode ${JSON.stringify(s.mode)}`);
  if (!isAbsoluteString(s.root)) throw invalidSaved("root is not an absolute path");
  const paths = checkPaths(s.paths);
  const created = checkCreated(s.created, paths);
  const record: SavedCgroups = { mode: s.mode as CgroupMode, root: s.root, paths, created };
  if (s.systemd !== undefined) record.systemd = checkSavedUnit(s.systemd);
  return record;
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
 * The record checked in full: every path must be what the container's
 * cgroupsPath gives on this host (relative paths may have started from
 * another cgroup of the runtime's, so only their tail is fixed), and none
 * may be a hierarchy's root. Returns the shape-checked record.
 */
export function checkSaved(saved: unknown, expected: ExpectedCgroups): SavedCgroups {
  const fs = expected.fs ?? nodeFs;
  const record = checkSavedShape(saved);
  const systemd = record.systemd !== undefined;
  // A systemd unit's cgroup is where its slice nests it ("a-b.slice" is
  // a.slice/a-b.slice), below the cgroup of the systemd instance in charge
  // (the user's, rootless): only that tail is fixed.
  const inner = systemd
    ? trimLeadingSlashes(systemdCgroupPath(parseSystemdCgroupsPath(expected.cgroupsPath, expected.containerId)))
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
    const fits = inner.startsWith("/") ? dir === posix.trimTrailing(posix.join(h.mountDir, inner)) : dir.endsWith(`/${inner}`);
    if (!fits) throw invalidSaved(`${dir} is not where cgroupsPath ${expected.cgroupsPath ?? inner} leads`);
    const reason = foreignCgroupReason(layout, root, self, key, dir, hierarchies);
    if (reason !== undefined) throw invalidSaved(reason);
  }
  return record;
}
