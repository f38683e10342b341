// Where a container's cgroup lives (pure functions; callers pass the file
// contents in).
//
// runc (cgroupfs driver, libcontainer/specconv + cgroups/fs and fs2):
//   - linux.cgroupsPath absolute, e.g. "/runb/abc": used as is below every
//     hierarchy's mount, <root>/<hierarchy>/runb/abc.
//   - relative, e.g. "runb/abc": relative to the cgroup the runtime process
//     itself is in, read per hierarchy from /proc/self/cgroup (v1: the line of
//     that controller; v2: the "0::" line). On pure v2 it is relative to the
//     *parent* of that cgroup: the runtime's own cgroup holds processes, and a
//     cgroup with processes cannot hand controllers down to children.
//   - absent or empty: specconv sets Path "" and Name = container id, and the
//     fs managers join Parent ("") with Name, so the default is the relative
//     path "<id>": /sys/fs/cgroup/<hierarchy>/<runtime's cgroup>/<id> on v1,
//     /sys/fs/cgroup/<parent of runtime's cgroup>/<id> on v2.
// runc lexically cleans the path and clamps ".." at the top; runb rejects a
// path whose ".." would leave its starting point instead of silently moving it.
//
// With --systemd-cgroup the path is "slice:prefix:name" and names a systemd
// unit: "system.slice:docker:abc" is /system.slice/docker-abc.scope.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";

/**
 * Lexically cleans a cgroups path ("a//b/./c" → "a/b/c"). Returns "" for an
 * empty path and throws when ".." climbs above the start.
 */
export function cleanCgroupPath(path: string): string {
  if (path === "") return "";
  if (path.includes("\0")) throw new RuntimeError("CGROUP", `invalid cgroups path ${JSON.stringify(path)}: contains a NUL byte`);
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") parts.push(part);
    else if (parts.pop() === undefined) {
      throw new RuntimeError("CGROUP", `invalid cgroups path ${path}: ".." leaves its parent`);
    }
  }
  if (absolute) return "/" + parts.join("/");
  return parts.length === 0 ? "." : parts.join("/");
}

/** The cgroupfs driver's cgroup path: cleaned cgroupsPath, or "<id>" when unset. */
export function innerCgroupPath(cgroupsPath: string | undefined, containerId: string): string {
  const cleaned = cleanCgroupPath(cgroupsPath ?? "");
  return cleaned !== "" ? cleaned : cleanCgroupPath(containerId);
}

/** Parses /proc/self/cgroup: controller (or "name=x", or "" for v2) → path. */
export function parseSelfCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    // hierarchy-id:controller-list:path; the path may itself contain ':'.
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first < 0 || second < 0) continue;
    const path = line.slice(second + 1);
    for (const controller of line.slice(first + 1, second).split(",")) out.set(controller, path);
  }
  return out;
}

/**
 * The runtime's own cgroup as a path below the hierarchy's mount: the
 * /proc/self/cgroup path taken relative to the mounted subtree.
 */
export function ownCgroupBelowMount(mountRoot: string, ownPath: string): string {
  const rel = posix.relative(mountRoot, ownPath);
  if (rel === ".." || rel.startsWith("../")) {
    throw new RuntimeError("CGROUP", `own cgroup ${ownPath} is outside the mounted cgroup ${mountRoot}`);
  }
  return "/" + rel;
}

export interface HierarchyDirInput {
  /** The hierarchy's directory on disk, e.g. /sys/fs/cgroup/cpu,cpuacct. */
  mountDir: string;
  /** Result of innerCgroupPath (or systemdCgroupPath). */
  inner: string;
  /** The runtime's own cgroup below the mount (ownCgroupBelowMount); needed for relative paths. */
  own?: string;
  /** Pure v2: relative paths start at the parent of the runtime's cgroup. */
  parentOfOwn?: boolean;
}

// posix.join keeps a trailing slash ("/x" + "/" → "/x/"); cgroup paths are
// compared and stored, so they need one spelling.
function joinDir(...parts: string[]): string {
  const joined = posix.join(...parts);
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
}

/** Absolute directory of the container's cgroup in one hierarchy. */
export function hierarchyDir(input: HierarchyDirInput): string {
  const { mountDir, inner, own, parentOfOwn } = input;
  if (inner.startsWith("/")) return joinDir(mountDir, inner);
  if (own === undefined) {
    throw new RuntimeError("CGROUP", `no own cgroup known for ${mountDir} to resolve ${inner} against`);
  }
  const base = parentOfOwn === true ? posix.dirname(own) : own;
  return joinDir(mountDir, base, inner);
}

// ---- systemd driver -------------------------------------------------------

export interface SystemdCgroupName {
  slice: string;
  prefix: string;
  name: string;
}

const DEFAULT_SLICE = "system.slice";
const DEFAULT_SCOPE_PREFIX = "runb";

/** Parses "slice:prefix:name"; unset → system.slice, prefix "runb", name = id (runc says "runc"). */
export function parseSystemdCgroupsPath(cgroupsPath: string | undefined, containerId: string): SystemdCgroupName {
  if (cgroupsPath === undefined || cgroupsPath === "") {
    return { slice: DEFAULT_SLICE, prefix: DEFAULT_SCOPE_PREFIX, name: containerId };
  }
  const parts = cgroupsPath.split(":");
  if (parts.length !== 3) {
    throw new RuntimeError(
      "CGROUP",
      `expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got "${cgroupsPath}" instead`,
    );
  }
  const [slice = "", prefix = "", name = ""] = parts;
  if (name === "" || name.includes("/")) {
    throw new RuntimeError("CGROUP", `invalid systemd unit name "${name}" in cgroupsPath ${cgroupsPath}`);
  }
  return { slice: slice === "" ? DEFAULT_SLICE : slice, prefix, name };
}

/**
 * systemd nests slices by their dash-separated name:
 * "a-b-c.slice" → "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" is the root.
 */
export function expandSlice(slice: string): string {
  const suffix = ".slice";
  const invalid = () => new RuntimeError("CGROUP", `invalid slice name: ${slice}`);
  if (!slice.endsWith(suffix) || slice.length === suffix.length || slice.includes("/")) throw invalid();
  const base = slice.slice(0, -suffix.length);
  if (base === "-") return "/";
  let path = "";
  let prefix = "";
  for (const component of base.split("-")) {
    // "a--b.slice", "-a.slice" and "a-.slice" are not valid slice names.
    if (component === "") throw invalid();
    path += `/${prefix}${component}${suffix}`;
    prefix += `${component}-`;
  }
  return path;
}

/** A scope "<prefix>-<name>.scope", unless the name already is a slice. */
export function systemdUnitName(n: SystemdCgroupName): string {
  if (n.name.endsWith(".slice")) return n.name;
  return n.prefix === "" ? `${n.name}.scope` : `${n.prefix}-${n.name}.scope`;
}

/** The absolute cgroup path a systemd unit ends up at, e.g. /system.slice/runb-abc.scope. */
export function systemdCgroupPath(n: SystemdCgroupName): string {
  return posix.join(expandSlice(n.slice), systemdUnitName(n));
}
