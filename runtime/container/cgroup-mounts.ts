// What the container sees under /sys/fs/cgroup, from the host's layout and
// the container's own cgroup directories.
import { readFileSync } from "node:fs";
import { detectLayout } from "../cgroups/index.ts";
import type { CgroupManager } from "../cgroups/index.ts";
import type { CgroupMountSource } from "../linux/rootfs.ts";

export interface CgroupView {
  sources: CgroupMountSource[];
  links: [string, string][];
}

export function cgroupView(manager: CgroupManager): CgroupView {
  const layout = detectLayout(readFileSync("/proc/self/mountinfo", "utf8"));
  const paths = manager.paths();
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
