// What the container sees under /sys/fs/cgroup, from the host's layout and
// the container's own cgroup directories.
import * as posix from "../linux/paths.ts";
import { detectLayout, parseSelfCgroup, type CgroupLayout } from "../cgroups/index.ts";
import type { CgroupManager } from "../cgroups/index.ts";
import type { CgroupMountSource } from "../linux/rootfs.ts";

export interface CgroupView {
  sources: CgroupMountSource[];
  links: [string, string][];
}

// A rootless container without a cgroup of its own sees the runtime's.
function ownPaths(layout: CgroupLayout, selfCgroup: string): Record<string, string> {
  const self = parseSelfCgroup(selfCgroup);
  const out: Record<string, string> = {};
  const add = (key: string, dir: string, root: string) => {
    const own = self.get(key);
    if (own !== undefined) out[key] = posix.join(layout.cgroupRoot, dir, posix.relative(root, own));
  };
  for (const h of layout.v1) for (const c of h.controllers) add(c, h.dir, h.root);
  if (layout.unified !== undefined) add("", layout.unified.dir, layout.unified.root);
  return out;
}

/** From the texts of /proc/self/mountinfo and /proc/self/cgroup, as the caller read them. */
export function cgroupView(manager: CgroupManager | undefined, mountinfo: string, selfCgroup: string): CgroupView {
  const layout = detectLayout(mountinfo);
  const paths = manager?.paths() ?? ownPaths(layout, selfCgroup);
  if (layout.mode === "v2") {
    return { sources: [{ name: "", fstype: "cgroup2", options: "", hostPath: paths[""] ?? "" }], links: [] };
  }
  const sources: CgroupMountSource[] = [];
  const links: [string, string][] = [];
  for (const h of layout.v1) {
    const hostPath = paths[h.controllers[0] ?? ""];
    if (hostPath === undefined) continue;
    sources.push({ name: h.dir, fstype: "cgroup", options: h.controllers.join(","), hostPath });
    // "cpu" and "cpuacct" both lead to a co-mounted "cpu,cpuacct".
    if (h.controllers.length > 1) for (const c of h.controllers) if (c !== h.dir) links.push([c, h.dir]);
  }
  // The controller-less unified hierarchy of a hybrid host is not shown
  // inside, as runc does not show it.
  return { sources, links };
}
