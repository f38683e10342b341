import { describe, expect, test } from "bun:test";
import { checkControllers, joinDirs, parseSubCgroups } from "./sub-cgroups.ts";

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

  test("the path stays below the container's cgroup, in runc's words", () => {
    for (const bad of ["..", "../x", "a/../../x"]) {
      expect(() => parseSubCgroups([bad], "v1")).toThrow(`${bad} is not a sub cgroup path`);
    }
    expect(() => parseSubCgroups(["cpu:../x"], "v1")).toThrow("../x is not a sub cgroup path");
    expect(parseSubCgroups(["a/../b"], "v1").get("")).toBe("b");
    expect(parseSubCgroups(["a/b/"], "v1").get("")).toBe("a/b");
  });

  test("/ (or an empty path) is the container's own cgroup", () => {
    for (const top of ["/", ".", "/x/..", "//"]) expect(parseSubCgroups([top], "v1").get("")).toBe("");
    expect(parseSubCgroups(["cpu:"], "v1").get("cpu")).toBe("");
    expect(parseSubCgroups(["cpu:/"], "v1").get("cpu")).toBe("");
  });

  test("controllers must be ones the container has", () => {
    const dirs = { cpu: "/c", memory: "/m" };
    expect(() => checkControllers(new Map([["nosuch", "a"]]), dirs)).toThrow("unknown controller nosuch in --cgroup argument");
    expect(() => checkControllers(new Map([["cpu", "a"], ["", "b"]]), dirs)).not.toThrow();
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

  test("the top: the container's own directories", () => {
    expect(joinDirs(dirs, new Map([["", ""]]))).toEqual(joinDirs(dirs, undefined));
  });
});
