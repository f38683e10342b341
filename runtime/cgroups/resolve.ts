// From layout + cgroup path + the runtime's own cgroups to one absolute
// directory per hierarchy (pure). Keys follow runc's state.json: controller
// names on v1 ("cpu" and "cpuacct" both, when co-mounted), "name=systemd",
// and "" for the unified hierarchy.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import type { CgroupLayout, UnifiedHierarchy, V1Hierarchy } from "./detect.ts";
import { hierarchyDir, ownCgroupBelowMount } from "./path.ts";

// v1 hierarchies a container joins: runc's list of subsystems plus the
// systemd named hierarchy (so systemd sees the processes as the container's,
// not as part of whatever unit started the runtime). Other named hierarchies
// belong to someone else.
export const V1_JOINED = new Set([
  "cpuset",
  "devices",
  "memory",
  "cpu",
  "cpuacct",
  "pids",
  "blkio",
  "hugetlb",
  "net_cls",
  "net_prio",
  "perf_event",
  "freezer",
  "rdma",
  "misc",
  "name=systemd",
]);

export interface ResolveInput {
  layout: CgroupLayout;
  /** innerCgroupPath(...) or systemdCgroupPath(...). */
  inner: string;
  /** parseSelfCgroup(/proc/self/cgroup). */
  self: Map<string, string>;
  /** Directory holding the hierarchies on disk (the layout's cgroupRoot unless overridden). */
  root: string;
}

// The runtime's own cgroup in a hierarchy; only relative paths need it.
function ownIn(input: ResolveInput, key: string, mountRoot: string): string | undefined {
  if (input.inner.startsWith("/")) return undefined;
  const own = input.self.get(key);
  if (own === undefined) {
    throw new RuntimeError("CGROUP", `no ${key === "" ? "unified" : key} entry in /proc/self/cgroup`);
  }
  return ownCgroupBelowMount(mountRoot, own);
}

function v1Dir(input: ResolveInput, h: V1Hierarchy): string {
  const key = h.controllers[0] ?? "";
  return hierarchyDir({
    mountDir: posix.join(input.root, h.dir),
    inner: input.inner,
    own: ownIn(input, key, h.root),
  });
}

function unifiedDir(input: ResolveInput, u: UnifiedHierarchy, parentOfOwn: boolean): string {
  return hierarchyDir({
    mountDir: posix.join(input.root, u.dir),
    inner: input.inner,
    own: ownIn(input, "", u.root),
    parentOfOwn,
  });
}

function v1Paths(input: ResolveInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of input.layout.v1) {
    const joined = h.controllers.filter((c) => V1_JOINED.has(c));
    if (joined.length === 0) continue;
    const dir = v1Dir(input, h);
    for (const c of joined) out[c] = dir;
  }
  // runc refuses to run without the devices controller on v1: it is what
  // keeps the container away from the host's devices.
  if (out.devices === undefined) {
    throw new RuntimeError("CGROUP", `devices cgroup is not mounted under ${input.layout.cgroupRoot}`);
  }
  return out;
}

/** Hierarchy key → absolute cgroup directory for the container. */
export function resolvePaths(input: ResolveInput): Record<string, string> {
  const { layout } = input;
  if (layout.mode === "v2") {
    if (layout.unified === undefined) throw new RuntimeError("CGROUP", "no cgroup2 mount found");
    // Pure v2: relative to the parent of the runtime's cgroup (see path.ts).
    return { "": unifiedDir(input, layout.unified, true) };
  }
  const out = v1Paths(input);
  // Hybrid: the unified hierarchy has no controllers, so no "no internal
  // processes" rule applies and the runtime's own cgroup is the base, as on v1.
  if (layout.unified !== undefined) out[""] = unifiedDir(input, layout.unified, false);
  return out;
}
