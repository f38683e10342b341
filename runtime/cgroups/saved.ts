// A container's saved cgroup record, checked: its shape, its paths
// against the container's cgroupsPath (by name), then each path against
// this host's file systems (a few system calls, before anything acts on
// it). A record read back from disk is input like any other, and kill and
// delete act on what it names. Kept apart from the managers so that the
// commands that only need the check and the directories (state, list,
// start, kill, delete; dirs.ts) do not load the cgroup code that applies
// resources, reads stats or talks to systemd.
import * as posix from "../linux/paths.ts";
import { CGROUP2_SUPER_MAGIC, CGROUP_SUPER_MAGIC } from "../linux/fs-types.ts";
import { RuntimeError } from "../errors.ts";
import { isUnitName, trimLeadingSlashes } from "../chars.ts";
import type { CgroupMode } from "./detect.ts";
import { cgroupError, nodeFs, type CgroupFs } from "./io.ts";
import { V1_JOINED } from "./resolve.ts";
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
}

/** A path with nothing to resolve away: absolute, no `.`, `..`, empty or trailing parts. */
function isClean(path: string): boolean {
  return path !== "/" && !path.endsWith("/") && posix.normalize(path) === path;
}

/**
 * Where a cgroupsPath leads below a hierarchy's directory: an absolute
 * path exactly (`exact`), a relative one only by its tail, as it may have
 * started from another cgroup of the runtime's. Worked out once for all
 * of a record's paths.
 */
function expectedBelow(inner: string): { exact: boolean; path: string } {
  return inner.startsWith("/") ? { exact: true, path: posix.trimTrailing(posix.join("/", inner)) } : { exact: false, path: `/${inner}` };
}

/**
 * Whether `dir` is where the container's cgroupsPath leads: `<root>/<inner>`
 * on v2, `<root>/<hierarchy dir>/<inner>` on v1 and hybrid (see
 * expectedBelow). Always strictly below the hierarchy's directory.
 */
function leadsTo(record: SavedCgroups, dir: string, expected: { exact: boolean; path: string }): boolean {
  if (!isClean(dir) || !dir.startsWith(`${record.root}/`)) return false;
  let below = dir.slice(record.root.length);
  if (record.mode !== "v2") {
    // The hierarchy's directory: "memory", "cpu,cpuacct", "unified" ...
    const end = below.indexOf("/", 1);
    if (end < 0) return false;
    below = below.slice(end);
  }
  if (below === "" || below === "/") return false;
  return expected.exact ? below === expected.path : below.endsWith(expected.path);
}

/**
 * The record checked by its names, without a look at the host: every path
 * is where the container's cgroupsPath leads (see leadsTo), under a key its
 * mode has. What the paths are on this host, checkOnHost says; the
 * commands that only read a freezer file check that one (freezerPathFault).
 */
export function checkSaved(saved: unknown, expected: ExpectedCgroups): SavedCgroups {
  const record = checkSavedShape(saved);
  const systemd = record.systemd !== undefined;
  // A systemd unit's cgroup is where its slice nests it ("a-b.slice" is
  // a.slice/a-b.slice), below the cgroup of the systemd instance in charge
  // (the user's, rootless): only that tail is fixed.
  const inner = systemd
    ? trimLeadingSlashes(systemdCgroupPath(parseSystemdCgroupsPath(expected.cgroupsPath, expected.containerId)))
    : innerCgroupPath(expected.cgroupsPath, expected.containerId);
  if (!isClean(record.root)) throw invalidSaved(`root ${record.root} is not a clean path`);
  const below = expectedBelow(inner);
  for (const [key, dir] of Object.entries(record.paths)) {
    const known = key === "" ? record.mode !== "v1" : record.mode !== "v2" && V1_JOINED.has(key);
    if (!known) throw invalidSaved(`a ${record.mode} record has no ${key === "" ? "unified" : key} hierarchy`);
    if (!leadsTo(record, dir, below)) throw invalidSaved(`${dir} is not where cgroupsPath ${expected.cgroupsPath ?? inner} leads`);
  }
  return record;
}

/**
 * Why `dir`, saved under `key`, cannot be a container's cgroup on this
 * host, or undefined when it can (or is not there: nothing can act on it).
 * It must be a directory of the cgroup file system its key belongs to
 * (cgroup2 for "", v1 for the controllers; either for a directory the
 * record says was made, key undefined), and not the root of a hierarchy
 * (inode 1 of its file system) nor of any mount of one (a cgroup
 * namespace's view, on another device than its parent): kill and delete
 * would reach every process below it. stat and statfs of it and of its
 * parent, where the layout from /proc/self/mountinfo would cost a host
 * with many mounts milliseconds.
 */
export function foreignOnHost(fs: CgroupFs, key: string | undefined, dir: string): string | undefined {
  const node = fs.identify(dir);
  if (node === undefined) return undefined;
  const fits =
    key === undefined
      ? node.fsType === CGROUP_SUPER_MAGIC || node.fsType === CGROUP2_SUPER_MAGIC
      : node.fsType === (key === "" ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC);
  if (!fits) return `${dir} is not in a ${key === undefined ? "cgroup" : key === "" ? "cgroup2" : "cgroup v1"} hierarchy`;
  const parent = fs.identify(posix.dirname(dir));
  if (node.ino === 1 || parent === undefined || parent.dev !== node.dev) return `${dir} is the root of its hierarchy`;
  return undefined;
}

/**
 * A record checkSaved passed, checked against this host's file systems:
 * what kill, delete and exec act on. The directories it says were made
 * too, which delete removes: an empty directory anywhere else would go
 * with them.
 */
export function checkOnHost(record: SavedCgroups, fs: CgroupFs = nodeFs): SavedCgroups {
  for (const [key, dir] of Object.entries(record.paths)) {
    const reason = foreignOnHost(fs, key, dir);
    if (reason !== undefined) throw invalidSaved(reason);
  }
  const checked = Object.values(record.paths);
  for (const dir of record.created) {
    // Most were made as the paths themselves, checked just above.
    let named = false;
    for (const path of checked) if (path === dir) named = true;
    if (named) continue;
    const reason = foreignOnHost(fs, undefined, dir);
    if (reason !== undefined) throw invalidSaved(reason);
  }
  return record;
}

/** Where the freezer state of a checked record's cgroups is read: v2, the unified cgroup; else the freezer hierarchy's. */
function freezerPath(record: SavedCgroups): { key: string; dir: string | undefined } {
  const key = record.mode === "v2" ? "" : "freezer";
  return { key, dir: record.paths[key] };
}

/**
 * Why the one path of a checked record that the commands reporting a
 * status read (the freezer's) cannot be the container's on this host:
 * the one look at the host they need. Undefined when it can.
 */
export function freezerPathFault(fs: CgroupFs, record: SavedCgroups): string | undefined {
  const { key, dir } = freezerPath(record);
  return dir === undefined ? undefined : foreignOnHost(fs, key, dir);
}
