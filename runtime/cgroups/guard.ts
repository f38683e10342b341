// Which cgroup directories may be a container's (pure). A container's
// cgroup is swept of processes and removed on delete, so it must never be a
// hierarchy's root or the runtime's own cgroup or one of its ancestors: that
// would put every process of the host (the runtime included) in reach.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import type { CgroupLayout } from "./detect.ts";
import { V1_JOINED } from "./resolve.ts";
import { isAncestorOrSelf } from "./tree.ts";

interface Hierarchy {
  /** Directory the hierarchy is mounted on. */
  mountDir: string;
  /** Cgroup shown at the mount point. */
  mountRoot: string;
}

/** Hierarchy key ("memory", "" for unified) → where it is mounted. */
function hierarchiesOf(layout: CgroupLayout, root: string): Map<string, Hierarchy> {
  const out = new Map<string, Hierarchy>();
  for (const h of layout.v1) {
    for (const c of h.controllers) {
      if (V1_JOINED.has(c)) out.set(c, { mountDir: posix.join(root, h.dir), mountRoot: h.root });
    }
  }
  if (layout.unified !== undefined) {
    out.set("", { mountDir: posix.join(root, layout.unified.dir), mountRoot: layout.unified.root });
  }
  return out;
}

// The runtime's own cgroup in one hierarchy, as a directory on disk.
function ownDir(h: Hierarchy, self: Map<string, string>, key: string): string | undefined {
  const own = self.get(key);
  if (own === undefined) return undefined;
  const rel = posix.relative(h.mountRoot, own);
  // Outside the mounted subtree: nothing below the mount can contain it.
  if (rel === ".." || rel.startsWith("../")) return undefined;
  return posix.join(h.mountDir, rel);
}

/**
 * Why `dir` cannot be a container's cgroup in hierarchy `key`, or undefined
 * when it can: it must lie strictly below the hierarchy's mount and must not
 * hold the runtime's own cgroup. `hierarchies`: hierarchiesOf(layout, root),
 * when the caller asks about several keys.
 */
function foreignCgroupReason(
  layout: CgroupLayout,
  root: string,
  self: Map<string, string>,
  key: string,
  dir: string,
  hierarchies = hierarchiesOf(layout, root),
): string | undefined {
  const h = hierarchies.get(key);
  if (h === undefined) return `${dir}: no ${key === "" ? "unified" : key} hierarchy is mounted`;
  if (!isAncestorOrSelf(h.mountDir, dir) || dir === h.mountDir) {
    return dir === h.mountDir ? `${dir} is the root of its hierarchy` : `${dir} is not below ${h.mountDir}`;
  }
  const own = ownDir(h, self, key);
  if (own !== undefined && isAncestorOrSelf(dir, own)) return `${dir} holds the runtime's own cgroup ${own}`;
  return undefined;
}

/** Refuses container cgroup paths that reach beyond the container. */
export function refuseForeignCgroups(
  layout: CgroupLayout,
  root: string,
  self: Map<string, string>,
  paths: Record<string, string>,
  cgroupsPath: string | undefined,
): void {
  const hierarchies = hierarchiesOf(layout, root);
  for (const [key, dir] of Object.entries(paths)) {
    const reason = foreignCgroupReason(layout, root, self, key, dir, hierarchies);
    if (reason !== undefined) {
      throw new RuntimeError("CGROUP", `invalid cgroups path ${cgroupsPath ?? ""}: ${reason}`);
    }
  }
}
