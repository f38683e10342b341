import { describe, expect, test } from "bun:test";
import { joinDirs, parseSubCgroups } from "./sub-cgroups.ts";

describe("parseSubCgroups", () => {
  test("one path alone applies to every hierarchy", () => {
    expect(parseSubCgroups(["sub/a"], "hybrid")).toEqual(new Map([["", "sub/a"]]));
    expect(parseSubCgroups(["/sub"], "v2")).toEqual(new Map([["", "sub"]]));
  });

  test("controller lists, each controller once", () => {
    expect(parseSubCgroups(["memory,pids:a", "cpu:b"], "v1")).toEqual(
      new Map([
        ["memory", "a"],
        ["pids", "a"],
        ["cpu", "b"],
      ]),
    );
    expect(() => parseSubCgroups(["memory:a", "memory:b"], "v1")).toThrow("controller memory specified multiple times");
  });

  test("bad arguments are refused in runc's words", () => {
    expect(() => parseSubCgroups(["a", "b"], "v1")).toThrow("invalid --cgroup argument: a (missing <controller>: prefix)");
    expect(() => parseSubCgroups([",memory:a"], "v1")).toThrow("(empty <controller> prefix)");
    expect(() => parseSubCgroups(["memory:a:b"], "v1")).toThrow("invalid --cgroup argument: memory:a:b");
    expect(() => parseSubCgroups(["memory:a"], "v2")).toThrow("no controllers on cgroup v2");
  });

  test("the path stays below the container's cgroup", () => {
    for (const bad of ["..", "../x", "a/../../x", "/", "."]) {
      expect(() => parseSubCgroups([bad], "v1")).toThrow("must name a cgroup below the container's");
    }
    expect(parseSubCgroups(["a/../b"], "v1").get("")).toBe("b");
  });
});

describe("joinDirs", () => {
  const dirs = { memory: "/sys/fs/cgroup/memory/c", pids: "/sys/fs/cgroup/pids/c", cpu: "/sys/fs/cgroup/cpu,cpuacct/c", cpuacct: "/sys/fs/cgroup/cpu,cpuacct/c" };

  test("without sub-cgroups: the container's directories, each once", () => {
    expect(joinDirs(dirs, undefined)).toEqual(["/sys/fs/cgroup/memory/c", "/sys/fs/cgroup/pids/c", "/sys/fs/cgroup/cpu,cpuacct/c"]);
  });

  test("a sub-cgroup for one controller, or for all", () => {
    expect(joinDirs(dirs, new Map([["pids", "s"]]))).toEqual(["/sys/fs/cgroup/memory/c", "/sys/fs/cgroup/pids/c/s", "/sys/fs/cgroup/cpu,cpuacct/c"]);
    expect(joinDirs(dirs, new Map([["", "s"]]))).toEqual(["/sys/fs/cgroup/memory/c/s", "/sys/fs/cgroup/pids/c/s", "/sys/fs/cgroup/cpu,cpuacct/c/s"]);
  });
});
