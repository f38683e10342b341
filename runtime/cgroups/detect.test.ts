import { describe, expect, test } from "bun:test";
import { RuntimeError } from "../errors.ts";
import { detectLayout, hierarchyOf, parseMountinfoLine } from "./detect.ts";
import { HYBRID_MOUNTINFO, V1_MOUNTINFO, V2_MOUNTINFO } from "./fixtures.test-support.ts";

describe("parseMountinfoLine", () => {
  test("splits at the separator after the optional fields", () => {
    const line = "29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:13 master:2 - cgroup cgroup rw,cpu,cpuacct";
    expect(parseMountinfoLine(line)).toEqual({
      root: "/",
      mountPoint: "/sys/fs/cgroup/cpu,cpuacct",
      fstype: "cgroup",
      superOptions: ["rw", "cpu", "cpuacct"],
    });
  });

  test("unescapes octal escapes in paths", () => {
    const line = "40 31 0:37 /a\\040b /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw";
    expect(parseMountinfoLine(line)?.mountPoint).toBe("/mnt/my cgroups");
    expect(parseMountinfoLine(line)?.root).toBe("/a b");
  });

  test("rejects lines without a separator", () => {
    expect(parseMountinfoLine("garbage")).toBeUndefined();
    expect(parseMountinfoLine("")).toBeUndefined();
  });
});

describe("detectLayout", () => {
  test("hybrid: v1 controllers, name=systemd and the unified mount", () => {
    const layout = detectLayout(HYBRID_MOUNTINFO);
    expect(layout.mode).toBe("hybrid");
    expect(layout.cgroupRoot).toBe("/sys/fs/cgroup");
    expect(layout.unified).toEqual({ dir: "unified", root: "/" });
    expect(layout.v1.map((h) => h.dir)).toEqual([
      "cpu",
      "cpuacct",
      "cpuset",
      "memory",
      "devices",
      "freezer",
      "blkio",
      "pids",
      "systemd",
    ]);
    expect(hierarchyOf(layout, "name=systemd")?.dir).toBe("systemd");
  });

  test("pure v1: co-mounted controllers share a hierarchy; flags are not controllers", () => {
    const layout = detectLayout(V1_MOUNTINFO);
    expect(layout.mode).toBe("v1");
    expect(layout.unified).toBeUndefined();
    expect(hierarchyOf(layout, "cpu")).toEqual({ dir: "cpu,cpuacct", root: "/", controllers: ["cpu", "cpuacct"] });
    expect(hierarchyOf(layout, "cpuacct")?.dir).toBe("cpu,cpuacct");
    expect(hierarchyOf(layout, "net_prio")?.dir).toBe("net_cls,net_prio");
    expect(hierarchyOf(layout, "name=systemd")?.controllers).toEqual(["name=systemd"]);
    expect(hierarchyOf(layout, "cpuset")?.controllers).toEqual(["cpuset"]);
    expect(hierarchyOf(layout, "hugetlb")).toBeUndefined();
  });

  test("pure v2: the cgroup2 mount is the root", () => {
    const layout = detectLayout(V2_MOUNTINFO);
    expect(layout).toEqual({ mode: "v2", cgroupRoot: "/sys/fs/cgroup", v1: [], unified: { dir: "", root: "/" } });
  });

  test("keeps the mount root of hierarchies mounted from a subtree", () => {
    const text = "30 25 0:27 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
    expect(detectLayout(text).v1).toEqual([{ dir: "memory", root: "/docker/abc", controllers: ["memory"] }]);
  });

  test("ignores second mounts of a hierarchy outside the cgroup root", () => {
    const text = `${V1_MOUNTINFO}90 22 0:28 / /var/lib/other/memory rw - cgroup cgroup rw,memory\n`;
    const layout = detectLayout(text);
    expect(layout.v1.filter((h) => h.controllers.includes("memory"))).toHaveLength(1);
  });

  test("finds hierarchies mounted somewhere other than /sys/fs/cgroup", () => {
    const text = "30 25 0:27 / /cgroup/memory rw - cgroup cgroup rw,memory\n31 25 0:28 / /cgroup/devices rw - cgroup cgroup rw,devices\n";
    const layout = detectLayout(text);
    expect(layout.cgroupRoot).toBe("/cgroup");
    expect(layout.v1.map((h) => h.dir)).toEqual(["memory", "devices"]);
  });

  test("without any cgroup mount it fails with a CGROUP error", () => {
    const run = () => detectLayout("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
    expect(run).toThrow(RuntimeError);
    expect(run).toThrow("no cgroup mount found in mountinfo");
  });
});
