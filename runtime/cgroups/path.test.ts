import { describe, expect, test } from "bun:test";
import { detectLayout } from "./detect.ts";
import { HYBRID_MOUNTINFO, HYBRID_SELF, V1_MOUNTINFO, V2_MOUNTINFO } from "./fixtures.test-support.ts";
import {
  cleanCgroupPath,
  expandSlice,
  innerCgroupPath,
  ownCgroupBelowMount,
  parseSelfCgroup,
  parseSystemdCgroupsPath,
  systemdCgroupPath,
  systemdUnitName,
} from "./path.ts";
import { resolvePaths } from "./resolve.ts";

describe("cleanCgroupPath", () => {
  test.each([
    ["", ""],
    ["/a/b", "/a/b"],
    ["/a//b/./c/", "/a/b/c"],
    ["a/b", "a/b"],
    ["a/x/../b", "a/b"],
    ["/", "/"],
    [".", "."],
  ])("%p → %p", (input, output) => {
    expect(cleanCgroupPath(input)).toBe(output);
  });

  test.each(["..", "../x", "a/../../x", "/..", "/a/../../etc"])("rejects %p", (input) => {
    expect(() => cleanCgroupPath(input)).toThrow(`invalid cgroups path ${input}`);
  });
});

describe("innerCgroupPath", () => {
  test("uses cgroupsPath when set", () => {
    expect(innerCgroupPath("/runb/c1", "c1")).toBe("/runb/c1");
    expect(innerCgroupPath("runb/c1", "c1")).toBe("runb/c1");
  });

  test("defaults to the container id, relative (as runc)", () => {
    expect(innerCgroupPath(undefined, "c1")).toBe("c1");
    expect(innerCgroupPath("", "c1")).toBe("c1");
  });
});

describe("parseSelfCgroup", () => {
  test("maps every controller, named hierarchy and the v2 line", () => {
    const self = parseSelfCgroup("4:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/s.scope\n0::/a:b\n");
    expect(self.get("cpu")).toBe("/user.slice");
    expect(self.get("cpuacct")).toBe("/user.slice");
    expect(self.get("name=systemd")).toBe("/user.slice/s.scope");
    expect(self.get("")).toBe("/a:b");
  });

  test("ownCgroupBelowMount strips the mounted subtree", () => {
    expect(ownCgroupBelowMount("/", "/user.slice")).toBe("/user.slice");
    expect(ownCgroupBelowMount("/docker/abc", "/docker/abc/sub")).toBe("/sub");
    expect(ownCgroupBelowMount("/docker/abc", "/docker/abc")).toBe("/");
    expect(() => ownCgroupBelowMount("/docker/abc", "/other")).toThrow("outside the mounted cgroup /docker/abc");
  });
});

describe("resolvePaths", () => {
  const root = "/sys/fs/cgroup";

  test("v1 absolute: below every hierarchy's mount, co-mounts share a dir", () => {
    const layout = detectLayout(V1_MOUNTINFO);
    const paths = resolvePaths({ layout, inner: "/runb/c1", self: new Map(), root });
    expect(paths).toEqual({
      "name=systemd": "/sys/fs/cgroup/systemd/runb/c1",
      cpu: "/sys/fs/cgroup/cpu,cpuacct/runb/c1",
      cpuacct: "/sys/fs/cgroup/cpu,cpuacct/runb/c1",
      net_cls: "/sys/fs/cgroup/net_cls,net_prio/runb/c1",
      net_prio: "/sys/fs/cgroup/net_cls,net_prio/runb/c1",
      memory: "/sys/fs/cgroup/memory/runb/c1",
      devices: "/sys/fs/cgroup/devices/runb/c1",
      freezer: "/sys/fs/cgroup/freezer/runb/c1",
      cpuset: "/sys/fs/cgroup/cpuset/runb/c1",
      pids: "/sys/fs/cgroup/pids/runb/c1",
      blkio: "/sys/fs/cgroup/blkio/runb/c1",
    });
  });

  test("hybrid relative: below the runtime's own cgroup in each hierarchy, unified included", () => {
    const layout = detectLayout(HYBRID_MOUNTINFO);
    const paths = resolvePaths({ layout, inner: "c1", self: parseSelfCgroup(HYBRID_SELF), root });
    expect(paths.memory).toBe("/sys/fs/cgroup/memory/machine/c1");
    expect(paths.cpu).toBe("/sys/fs/cgroup/cpu/c1");
    expect(paths["name=systemd"]).toBe("/sys/fs/cgroup/systemd/c1");
    expect(paths[""]).toBe("/sys/fs/cgroup/unified/c1");
  });

  test("v2 relative: below the parent of the runtime's own cgroup", () => {
    const layout = detectLayout(V2_MOUNTINFO);
    const self = parseSelfCgroup("0::/user.slice/user-0.slice/login-1.scope\n");
    expect(resolvePaths({ layout, inner: "c1", self, root })).toEqual({
      "": "/sys/fs/cgroup/user.slice/user-0.slice/c1",
    });
    expect(resolvePaths({ layout, inner: "/runb/c1", self, root })).toEqual({ "": "/sys/fs/cgroup/runb/c1" });
  });

  test("the root override moves every hierarchy", () => {
    const layout = detectLayout(V2_MOUNTINFO);
    expect(resolvePaths({ layout, inner: "/c1", self: new Map(), root: "/tmp/x" })).toEqual({ "": "/tmp/x/c1" });
  });

  test("relative paths need the hierarchy's line in /proc/self/cgroup", () => {
    const layout = detectLayout(V1_MOUNTINFO);
    const run = () => resolvePaths({ layout, inner: "c1", self: new Map(), root });
    expect(run).toThrow("no name=systemd entry in /proc/self/cgroup");
  });

  test("v1 without the devices controller is refused", () => {
    const layout = detectLayout("30 25 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    expect(() => resolvePaths({ layout, inner: "/c1", self: new Map(), root })).toThrow(
      "devices cgroup is not mounted under /sys/fs/cgroup",
    );
  });
});

describe("systemd cgroupsPath", () => {
  test("parses slice:prefix:name and maps it to a scope below the slice", () => {
    const n = parseSystemdCgroupsPath("system.slice:docker:abc", "id");
    expect(n).toEqual({ slice: "system.slice", prefix: "docker", name: "abc" });
    expect(systemdUnitName(n)).toBe("docker-abc.scope");
    expect(systemdCgroupPath(n)).toBe("/system.slice/docker-abc.scope");
  });

  test("defaults as runc does with its own name: system.slice, prefix runb, the container id", () => {
    expect(systemdCgroupPath(parseSystemdCgroupsPath(undefined, "c1"))).toBe("/system.slice/runb-c1.scope");
    expect(systemdCgroupPath(parseSystemdCgroupsPath(":p:c1", "id"))).toBe("/system.slice/p-c1.scope");
  });

  test("nested slices, the root slice, an empty prefix, a slice as name", () => {
    expect(systemdCgroupPath({ slice: "a-b.slice", prefix: "x", name: "n" })).toBe("/a.slice/a-b.slice/x-n.scope");
    expect(systemdCgroupPath({ slice: "-.slice", prefix: "x", name: "n" })).toBe("/x-n.scope");
    expect(systemdCgroupPath({ slice: "system.slice", prefix: "", name: "n" })).toBe("/system.slice/n.scope");
    expect(systemdCgroupPath({ slice: "a.slice", prefix: "x", name: "b.slice" })).toBe("/a.slice/b.slice");
  });

  test("expandSlice", () => {
    expect(expandSlice("test-a-b.slice")).toBe("/test.slice/test-a.slice/test-a-b.slice");
    for (const bad of ["a", ".slice", "a--b.slice", "-a.slice", "a-.slice", "a/b.slice"]) {
      expect(() => expandSlice(bad)).toThrow(`invalid slice name: ${bad}`);
    }
  });

  test("rejects other shapes", () => {
    expect(() => parseSystemdCgroupsPath("/a/b", "id")).toThrow('expected cgroupsPath to be of format "slice:prefix:name"');
    expect(() => parseSystemdCgroupsPath("a:b:c:d", "id")).toThrow("slice:prefix:name");
    expect(() => parseSystemdCgroupsPath("a.slice:p:", "id")).toThrow("invalid systemd unit name");
    expect(() => parseSystemdCgroupsPath("a.slice:p:x/y", "id")).toThrow("invalid systemd unit name");
  });
});
