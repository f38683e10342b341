// v1 / hybrid manager against a fake hierarchy of plain directories.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { RuntimeError } from "../errors.ts";
import {
  fakeCgroupFs,
  fakeTree,
  HYBRID_MOUNTINFO,
  HYBRID_SELF,
  V1_MOUNTINFO,
  type FakeTree,
} from "./fixtures.test-support.ts";
import type { CgroupFs } from "./io.ts";
import { createCgroupManager, fromSaved, fromSavedChecked } from "./manager.ts";

const HIERARCHIES = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd", "unified"];

let tree: FakeTree;
let fs: CgroupFs;

beforeEach(() => {
  tree = fakeTree();
  fs = fakeCgroupFs();
  for (const h of HIERARCHIES) tree.mkdir(h);
  tree.mkdir("memory/machine");
  tree.write("cpuset/cpuset.cpus", "0-3\n");
  tree.write("cpuset/cpuset.mems", "0\n");
});

afterEach(() => tree.cleanup());

function hybrid(cgroupsPath: string | undefined, containerId = "c1") {
  return createCgroupManager({
    cgroupsPath,
    containerId,
    root: tree.root,
    mountinfo: HYBRID_MOUNTINFO,
    selfCgroup: HYBRID_SELF,
    fs,
  });
}

describe("create", () => {
  test("makes the cgroup in every hierarchy and reports what it made", () => {
    const m = hybrid(undefined);
    expect(m.mode).toBe("hybrid");
    const created = m.create();
    const paths = m.paths();
    expect(paths.memory).toBe(tree.file("memory/machine/c1"));
    expect(paths[""]).toBe(tree.file("unified/c1"));
    expect(paths["name=systemd"]).toBe(tree.file("systemd/c1"));
    for (const dir of Object.values(paths)) expect(tree.isDir(dir.slice(tree.root.length + 1))).toBe(true);
    // memory/machine existed before: not ours
    expect(created).toContain(tree.file("memory/machine/c1"));
    expect(created).not.toContain(tree.file("memory/machine"));
    expect(created).toHaveLength(HIERARCHIES.length);
    expect(m.exists()).toBe(true);
  });

  test("nested paths record every level made, and cpuset levels inherit cpus/mems", () => {
    const m = hybrid("/runb/a/c1");
    const created = m.create();
    expect(created).toContain(tree.file("cpuset/runb"));
    expect(created).toContain(tree.file("cpuset/runb/a"));
    for (const dir of ["cpuset/runb", "cpuset/runb/a", "cpuset/runb/a/c1"]) {
      expect(tree.read(`${dir}/cpuset.cpus`)).toBe("0-3");
      expect(tree.read(`${dir}/cpuset.mems`)).toBe("0");
    }
  });

  test("pre-existing empty cpuset parents inherit cpus/mems too", () => {
    tree.mkdir("cpuset/pre");
    tree.mkdir("cpuset/pre/inner");
    for (const dir of ["cpuset/pre", "cpuset/pre/inner"]) {
      tree.write(`${dir}/cpuset.cpus`, "\n");
      tree.write(`${dir}/cpuset.mems`, "\n");
    }
    const m = hybrid("/pre/inner/c1");
    const created = m.create();
    expect(created).not.toContain(tree.file("cpuset/pre"));
    for (const dir of ["cpuset/pre", "cpuset/pre/inner", "cpuset/pre/inner/c1"]) {
      expect(tree.read(`${dir}/cpuset.cpus`)).toBe("0-3");
      expect(tree.read(`${dir}/cpuset.mems`)).toBe("0");
    }
  });

  test("a parent that has its values stops the walk and keeps them", () => {
    tree.mkdir("cpuset/pre");
    tree.write("cpuset/pre/cpuset.cpus", "1\n");
    tree.write("cpuset/pre/cpuset.mems", "0\n");
    hybrid("/pre/c1").create();
    expect(tree.read("cpuset/pre/cpuset.cpus")).toBe("1\n");
    expect(tree.read("cpuset/pre/c1/cpuset.cpus")).toBe("1");
  });

  test("keeps values already set in the container's cpuset", () => {
    const m = hybrid("/c1");
    m.create();
    tree.write("cpuset/c1/cpuset.cpus", "1");
    m.addProcess(42);
    expect(tree.read("cpuset/c1/cpuset.cpus")).toBe("1");
  });

  test("a failing hierarchy takes back what the call made", () => {
    tree.write("pids/runb", "a file where a directory should be");
    const m = hybrid("/runb/c1");
    expect(() => m.create()).toThrow(`mkdir ${tree.file("pids/runb/c1")}: not a directory`);
    expect(tree.isDir("cpu/runb")).toBe(false);
    expect(tree.isDir("memory/runb")).toBe(false);
    expect(m.saved().created).toEqual([]);
  });

  test("pure v1 co-mounts are one directory", () => {
    for (const h of ["cpu,cpuacct", "net_cls,net_prio"]) tree.mkdir(h);
    const m = createCgroupManager({ cgroupsPath: "/c1", containerId: "c1", root: tree.root, mountinfo: V1_MOUNTINFO, fs });
    expect(m.mode).toBe("v1");
    const created = m.create();
    expect(created.filter((d) => d.includes("cpu,cpuacct"))).toEqual([tree.file("cpu,cpuacct/c1")]);
    expect(m.paths().cpuacct).toBe(tree.file("cpu,cpuacct/c1"));
    expect(m.paths()[""]).toBeUndefined();
  });
});

describe("processes", () => {
  test("addProcess writes the pid in every hierarchy, unified included", () => {
    const m = hybrid("/c1");
    m.create();
    m.addProcess(4242);
    for (const dir of new Set(Object.values(m.paths()))) {
      expect(tree.read(`${dir.slice(tree.root.length + 1)}/cgroup.procs`)).toBe("4242");
    }
  });

  test("pids() lists the freezer cgroup and its children", () => {
    const m = hybrid("/c1");
    m.create();
    tree.write("freezer/c1/cgroup.procs", "10\n11\n");
    tree.mkdir("freezer/c1/sub");
    tree.write("freezer/c1/sub/cgroup.procs", "12\n");
    expect(m.pids().sort()).toEqual([10, 11, 12]);
  });

  test("pids() of a cgroup that is gone is empty", () => {
    expect(hybrid("/c1").pids()).toEqual([]);
  });
});

describe("destroy", () => {
  test("removes only what create made, deepest first, and is repeatable", () => {
    tree.mkdir("memory/shared");
    const m = hybrid("/shared/c1");
    m.create();
    tree.mkdir("devices/shared/c1/child");
    m.destroy();
    expect(tree.isDir("devices/shared")).toBe(false);
    expect(tree.isDir("memory/shared")).toBe(true);
    expect(tree.isDir("memory/shared/c1")).toBe(false);
    expect(m.exists()).toBe(false);
    expect(m.saved().created).toEqual([]);
    m.destroy();
  });

  test("leaves a created parent that now holds another cgroup", () => {
    const m = hybrid("/runb/c1");
    m.create();
    tree.mkdir("memory/runb/other");
    m.destroy();
    expect(tree.isDir("memory/runb/c1")).toBe(false);
    expect(tree.isDir("memory/runb/other")).toBe(true);
  });

  test("retries while the kernel says busy", () => {
    const busy = new Map<string, number>();
    fs = fakeCgroupFs(busy);
    const m = hybrid("/c1");
    m.create();
    busy.set(tree.file("freezer/c1"), 3);
    m.destroy();
    expect(tree.isDir("freezer/c1")).toBe(false);
  });

  test("a cgroup that stays busy is reported by path and kept in the saved list", () => {
    const m = hybrid("/c1");
    m.create();
    tree.write("freezer/c1/cgroup.procs", "77\n");
    const run = () => m.destroy();
    expect(run).toThrow(RuntimeError);
    expect(run).toThrow(`rmdir ${tree.file("freezer/c1")}: device or resource busy`);
    expect(m.saved().created).toContain(tree.file("freezer/c1"));
  });
});

describe("fromSaved", () => {
  test("a manager rebuilt from JSON state destroys what the first one created", () => {
    const first = hybrid("/runb/c1");
    first.create();
    const again = fromSaved(JSON.parse(JSON.stringify(first.saved())), fs);
    expect(again.mode).toBe("hybrid");
    expect(again.paths()).toEqual(first.paths());
    again.destroy();
    expect(tree.isDir("cpu/runb")).toBe(false);
  });

  test("rejects state that would remove other directories", () => {
    const saved = hybrid("/c1").saved();
    expect(() => fromSaved({ ...saved, created: ["/etc"] })).toThrow("/etc is not on a container cgroup path");
    expect(() => fromSaved({ ...saved, mode: "v3" })).toThrow(`unknown mode "v3"`);
    expect(() => fromSaved({ ...saved, paths: { memory: "rel" } })).toThrow('path for "memory" is not absolute');
    expect(() => fromSaved(null)).toThrow("invalid saved cgroup state");
  });
});

describe("paths that reach beyond the container are refused", () => {
  test("the root of a hierarchy", () => {
    expect(() => hybrid("/")).toThrow(`invalid cgroups path /: ${tree.file("cpu")} is the root of its hierarchy`);
    expect(() => hybrid("/a/..")).toThrow("is the root of its hierarchy");
  });

  test("the runtime's own cgroup or one of its ancestors", () => {
    // HYBRID_SELF puts the runtime in memory:/machine; "." is its own cgroup.
    expect(() => hybrid("/machine")).toThrow(`${tree.file("memory/machine")} holds the runtime's own cgroup`);
    // The runtime sits at the root of the other hierarchies.
    expect(() => hybrid(".")).toThrow("invalid cgroups path .: ");
    expect(hybrid("/machine/c1").paths().memory).toBe(tree.file("memory/machine/c1"));
  });

  test("a NUL byte", () => {
    expect(() => hybrid("/a\0b")).toThrow("contains a NUL byte");
  });
});

describe("owns", () => {
  test("only a cgroup this manager made is the container's alone", () => {
    const made = hybrid("/c1");
    made.create();
    expect(made.owns()).toBe(true);
    expect(fromSaved(made.saved(), fs).owns()).toBe(true);
    tree.mkdir("freezer/shared");
    const shared = hybrid("/shared");
    shared.create();
    expect(shared.owns()).toBe(false);
  });
});

describe("fromSavedChecked", () => {
  const expected = (cgroupsPath: string | undefined) => ({ cgroupsPath, containerId: "c1" });
  const onHost = () => fakeCgroupFs(undefined, { root: tree.root, v2: false });

  test("accepts what the cgroupsPath gives, relative paths from any starting cgroup", () => {
    const m = hybrid("/runb/c1");
    m.create();
    expect(fromSavedChecked(JSON.parse(JSON.stringify(m.saved())), expected("/runb/c1"), onHost()).paths()).toEqual(m.paths());
    const rel = hybrid(undefined);
    rel.create();
    expect(() => fromSavedChecked(rel.saved(), expected(undefined), onHost())).not.toThrow();
  });

  test("refuses a record that points elsewhere", () => {
    const saved = hybrid("/runb/c1").saved();
    const other = { ...saved, paths: { ...saved.paths, freezer: tree.file("freezer/victim") } };
    expect(() => fromSavedChecked(other, expected("/runb/c1"), onHost())).toThrow(
      `${tree.file("freezer/victim")} is not where cgroupsPath /runb/c1 leads`,
    );
    const top = { ...saved, paths: { freezer: tree.file("freezer") }, created: [] };
    expect(() => fromSavedChecked(top, expected("/"), onHost())).toThrow("is not where cgroupsPath / leads");
    expect(() => fromSavedChecked({ ...saved, mode: "v2" }, expected("/runb/c1"), onHost())).toThrow("a v2 record has no cpu hierarchy");
    expect(() => fromSavedChecked({ ...saved, paths: { ...saved.paths, nosuch: tree.file("x/runb/c1") } }, expected("/runb/c1"), onHost())).toThrow(
      "a hybrid record has no nosuch hierarchy",
    );
    const unclean = { ...saved, paths: { ...saved.paths, freezer: `${tree.file("freezer/runb")}/../runb/c1` } };
    expect(() => fromSavedChecked(unclean, expected("/runb/c1"), onHost())).toThrow("is not where cgroupsPath /runb/c1 leads");
  });

  // A record that names the right places may still name something else on
  // this host: a hierarchy's root reached through a link or a mount, a
  // directory of another file system.
  test("refuses what the host says is not a container's cgroup", () => {
    const saved = hybrid("c1").saved();
    tree.mkdir("freezer");
    const asRoot = { ...saved, paths: { freezer: tree.file("freezer") }, created: [] };
    // A relative cgroupsPath fixes only the tail: "freezer" ends the hierarchy's own directory.
    expect(() => fromSavedChecked({ ...asRoot, root: tree.root.slice(0, tree.root.lastIndexOf("/")) }, expected("freezer"), onHost())).toThrow(
      "is the root of its hierarchy",
    );
    tree.mkdir("unified/c1");
    const crossed = { ...saved, paths: { freezer: tree.file("unified/c1") }, created: [] };
    expect(() => fromSavedChecked(crossed, expected("c1"), onHost())).toThrow("is not in a cgroup v1 hierarchy");
    tree.mkdir("freezer/c1");
    const v1InUnified = { ...saved, paths: { "": tree.file("freezer/c1") }, created: [] };
    expect(() => fromSavedChecked(v1InUnified, expected("c1"), onHost())).toThrow("is not in a cgroup2 hierarchy");
    // Gone from the host: nothing there to act on.
    expect(() => fromSavedChecked({ ...saved, paths: { freezer: tree.file("freezer/gone/c1") }, created: [] }, expected("c1"), onHost())).not.toThrow();
    // What delete would remove as made for the container: cgroups only.
    const outside = { ...saved, root: tree.root.slice(0, tree.root.lastIndexOf("/")), paths: { freezer: tree.file("gone/c1") }, created: [tree.root] };
    expect(() => fromSavedChecked(outside, expected("c1"), onHost())).toThrow(`${tree.root} is not in a cgroup hierarchy`);
    expect(() => fromSavedChecked({ ...saved, paths: { freezer: tree.file("freezer/c1") }, created: [tree.file("freezer")] }, expected("c1"), onHost())).toThrow(
      `${tree.file("freezer")} is the root of its hierarchy`,
    );
  });
});

describe("v1 freezer", () => {
  test("freeze, state, thaw", () => {
    const m = hybrid("/c1");
    m.create();
    tree.write("freezer/c1/freezer.state", "THAWED\n");
    expect(m.freezerState()).toBe("thawed");
    m.freeze();
    expect(tree.read("freezer/c1/freezer.state")).toBe("FROZEN");
    expect(m.freezerState()).toBe("frozen");
    tree.write("freezer/c1/freezer.self_freezing", "0\n");
    expect(m.freezerState()).toBe("thawed");
    m.thaw();
    expect(tree.read("freezer/c1/freezer.state")).toBe("THAWED");
  });

  test("no freezer file means no state", () => {
    expect(hybrid("/c1").freezerState()).toBeUndefined();
  });

  // Runs the whole retry schedule (about two seconds of pauses).
  test("gives up on a cgroup stuck in FREEZING and thaws it", () => {
    const file = () => tree.file("freezer/c1/freezer.state");
    const base = fakeCgroupFs();
    fs = { ...base, write: (path, data) => base.write(path, path === file() && data === "FROZEN" ? "FREEZING" : data) };
    const m = hybrid("/c1");
    m.create();
    expect(() => m.freeze()).toThrow(`unable to freeze ${tree.file("freezer/c1")}: still freezing`);
    expect(tree.read("freezer/c1/freezer.state")).toBe("THAWED");
  }, 15_000);
});

describe("systemd driver", () => {
  test("parses the path, then says when systemd is not running", () => {
    const make = (cgroupsPath?: string, booted = false) => () =>
      createCgroupManager({
        cgroupsPath,
        containerId: "c1",
        systemd: true,
        mountinfo: HYBRID_MOUNTINFO,
        fs: { ...fs, exists: (p) => (p === "/run/systemd/system" ? booted : fs.exists(p)) },
      });
    expect(make("system.slice:runb:c1")).toThrow(
      "systemd cgroup driver requested, but systemd is not running on this host: cannot create /system.slice/runb-c1.scope",
    );
    expect(make("system.slice:runb:c1", true)().paths().memory).toBe("/sys/fs/cgroup/memory/system.slice/runb-c1.scope");
    expect(make("/not/systemd")).toThrow('expected cgroupsPath to be of format "slice:prefix:name"');
  });
});
