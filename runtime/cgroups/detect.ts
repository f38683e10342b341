// Finding the cgroup layout from /proc/self/mountinfo (pure; the caller reads
// the file). Three layouts exist in the wild:
//   v1:     one cgroup (v1) mount per hierarchy under /sys/fs/cgroup
//   v2:     a single cgroup2 mount at /sys/fs/cgroup
//   hybrid: v1 hierarchies plus a controller-less cgroup2 mount, normally
//           /sys/fs/cgroup/unified, that systemd uses to track processes.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";

export type CgroupMode = "v1" | "v2" | "hybrid";

export interface MountinfoEntry {
  /** Path of the mounted subtree inside its file system (field 4). */
  root: string;
  mountPoint: string;
  fstype: string;
  superOptions: string[];
}

export interface V1Hierarchy {
  /** Mount directory relative to the layout's cgroupRoot, e.g. "cpu,cpuacct". */
  dir: string;
  /** Cgroup shown at the mount point ("/" unless mounted from a subtree). */
  root: string;
  /** Controllers, and "name=<x>" for named hierarchies, e.g. ["cpu", "cpuacct"]. */
  controllers: string[];
}

export interface UnifiedHierarchy {
  /** "" in pure v2, the mount's name (normally "unified") in hybrid. */
  dir: string;
  root: string;
}

export interface CgroupLayout {
  mode: CgroupMode;
  /** Directory holding the hierarchies, normally /sys/fs/cgroup. */
  cgroupRoot: string;
  v1: V1Hierarchy[];
  unified?: UnifiedHierarchy;
}

export const DEFAULT_CGROUP_ROOT = "/sys/fs/cgroup";

// Super options of a v1 cgroup mount that are flags, not controllers.
const V1_FLAG_OPTIONS = new Set([
  "rw",
  "ro",
  "none",
  "all",
  "noprefix",
  "clone_children",
  "cpuset_v2_mode",
  "xattr",
  "favordynmods",
]);

// mountinfo escapes space, tab, newline and backslash as \ooo.
function unescapeOctal(field: string): string {
  if (!field.includes("\\")) return field;
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses one mountinfo line; undefined for lines that do not fit the format. */
export function parseMountinfoLine(line: string): MountinfoEntry | undefined {
  const fields = line.trim().split(" ");
  // The optional fields (shared:N ...) end at a lone "-".
  const sep = fields.indexOf("-", 6);
  if (sep < 0 || fields.length < sep + 4) return undefined;
  return {
    root: unescapeOctal(fields[3] ?? ""),
    mountPoint: unescapeOctal(fields[4] ?? ""),
    fstype: fields[sep + 1] ?? "",
    superOptions: (fields[sep + 3] ?? "").split(","),
  };
}

/** The cgroup and cgroup2 mounts of a mountinfo text, in file order. */
export function parseCgroupMounts(mountinfo: string): MountinfoEntry[] {
  const out: MountinfoEntry[] = [];
  for (const line of mountinfo.split("\n")) {
    // A host running containers has a mount or more per container: only
    // the few cgroup lines are worth parsing.
    if (!line.includes(" - cgroup")) continue;
    const m = parseMountinfoLine(line);
    if (m !== undefined && (m.fstype === "cgroup" || m.fstype === "cgroup2")) out.push(m);
  }
  return out;
}

// Every command that finds a container's cgroups works the layout out:
// plain loops, as an array method's first use in a process costs more
// than the parsing (see cli/flags.ts).

function v1Controllers(options: string[]): string[] {
  const out: string[] = [];
  for (const o of options) if (o !== "" && !V1_FLAG_OPTIONS.has(o) && !o.startsWith("release_agent=")) out.push(o);
  return out;
}

// All hierarchies must sit in one directory: absolute cgroups paths are
// resolved as <root>/<hierarchy>/<path> (as runc does). Prefer the standard
// location when a hierarchy is also bind-mounted elsewhere.
function pickCgroupRoot(mounts: MountinfoEntry[]): string {
  const v1: string[] = [];
  const v2: string[] = [];
  for (const m of mounts) {
    if (m.fstype === "cgroup") v1.push(posix.dirname(m.mountPoint));
    else if (m.fstype === "cgroup2") v2.push(m.mountPoint);
  }
  const candidates = v1.length > 0 ? v1 : v2;
  if (candidates.includes(DEFAULT_CGROUP_ROOT)) return DEFAULT_CGROUP_ROOT;
  const first = candidates[0];
  if (first === undefined) throw new RuntimeError("CGROUP", "no cgroup mount found in mountinfo");
  return first;
}

function collectV1(mounts: MountinfoEntry[], cgroupRoot: string): V1Hierarchy[] {
  const seen = new Set<string>();
  const out: V1Hierarchy[] = [];
  for (const m of mounts) {
    if (m.fstype !== "cgroup" || posix.dirname(m.mountPoint) !== cgroupRoot) continue;
    const controllers = v1Controllers(m.superOptions);
    const key = controllers.join(",");
    if (controllers.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push({ dir: posix.basename(m.mountPoint), root: m.root, controllers });
  }
  return out;
}

function findUnified(mounts: MountinfoEntry[], cgroupRoot: string, hasV1: boolean): UnifiedHierarchy | undefined {
  const fits = (m: MountinfoEntry) =>
    hasV1 ? posix.dirname(m.mountPoint) === cgroupRoot : m.mountPoint === cgroupRoot;
  for (const m of mounts) if (m.fstype === "cgroup2" && fits(m)) return { dir: hasV1 ? posix.basename(m.mountPoint) : "", root: m.root };
  return undefined;
}

// `list` loads every container's cgroups against the same mountinfo.
let last: { mountinfo: string; layout: CgroupLayout } | undefined;

/** Works out the cgroup layout from the text of /proc/self/mountinfo (not to be modified: the last one is reused). */
export function detectLayout(mountinfo: string): CgroupLayout {
  if (last?.mountinfo === mountinfo) return last.layout;
  const layout = layoutOf(mountinfo);
  last = { mountinfo, layout };
  return layout;
}

function layoutOf(mountinfo: string): CgroupLayout {
  const mounts = parseCgroupMounts(mountinfo);
  const cgroupRoot = pickCgroupRoot(mounts);
  const v1 = collectV1(mounts, cgroupRoot);
  const unified = findUnified(mounts, cgroupRoot, v1.length > 0);
  if (v1.length === 0 && unified === undefined) {
    throw new RuntimeError("CGROUP", `no cgroup hierarchy found under ${cgroupRoot}`);
  }
  const mode: CgroupMode = v1.length === 0 ? "v2" : unified === undefined ? "v1" : "hybrid";
  return { mode, cgroupRoot, v1, ...(unified === undefined ? {} : { unified }) };
}

/** The v1 hierarchy carrying a controller ("memory", "name=systemd"), if mounted. */
export function hierarchyOf(layout: CgroupLayout, controller: string): V1Hierarchy | undefined {
  for (const h of layout.v1) if (h.controllers.includes(controller)) return h;
  return undefined;
}
