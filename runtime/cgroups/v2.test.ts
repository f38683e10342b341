// Pure v2 manager against a fake unified hierarchy of plain directories.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { basename, dirname, join } from "node:path";
import { fakeCgroupFs, fakeTree, V2_MOUNTINFO, type FakeTree } from "./fixtures.test-support.ts";
import type { CgroupFs } from "./io.ts";
import { createCgroupManager } from "./manager.ts";
import { flatKey } from "./v2.ts";

let tree: FakeTree;
let fs: CgroupFs;

// The kernel's side of the files the v2 manager writes: subtree_control
// accumulates "+ctrl" writes, and cgroup.freeze is reflected in cgroup.events.
function kernelLikeFs(): CgroupFs {
  const base = fakeCgroupFs();
  return {
    ...base,
    write(path, data) {
      const name = basename(path);
      if (name === "cgroup.subtree_control") {
        const current = base.exists(path) ? base.read(path).trim() : "";
        return base.write(path, `${current} ${data.slice(1)}`.trim());
      }
      base.write(path, data);
      if (name === "cgroup.freeze") base.write(join(dirname(path), "cgroup.events"), `populated 1\nfrozen ${data}\n`);
    },
  };
}

beforeEach(() => {
  tree = fakeTree();
  fs = kernelLikeFs();
  tree.mkdir("user.slice/login-1.scope");
  tree.write("cgroup.controllers", "cpu memory pids\n");
  tree.write("cgroup.subtree_control", "memory\n");
  tree.write("user.slice/cgroup.controllers", "cpu memory pids\n");
  tree.write("user.slice/cgroup.subtree_control", "");
});

afterEach(() => tree.cleanup());

function v2(cgroupsPath: string | undefined) {
  return createCgroupManager({
    cgroupsPath,
    containerId: "c1",
    root: tree.root,
    mountinfo: V2_MOUNTINFO,
    selfCgroup: "0::/user.slice/login-1.scope\n",
    fs,
  });
}

test("default path sits next to the runtime's cgroup, with controllers delegated", () => {
  const m = v2(undefined);
  expect(m.mode).toBe("v2");
  expect(m.paths()).toEqual({ "": tree.file("user.slice/c1") });
  expect(m.create()).toEqual([tree.file("user.slice/c1")]);
  expect(tree.read("cgroup.subtree_control")).toBe("memory cpu pids");
  expect(tree.read("user.slice/cgroup.subtree_control")).toBe("cpu memory pids");
});

test("addProcess, pids, destroy", () => {
  const m = v2("/runb/c1");
  m.create();
  m.addProcess(99);
  expect(m.pids()).toEqual([99]);
  tree.write("runb/c1/cgroup.procs", "");
  m.destroy();
  expect(tree.isDir("runb")).toBe(false);
  expect(m.exists()).toBe(false);
});

test("freeze waits for cgroup.events, thaw clears it", () => {
  const m = v2("/c1");
  m.create();
  expect(m.freezerState()).toBeUndefined();
  tree.write("c1/cgroup.freeze", "0\n");
  expect(m.freezerState()).toBe("thawed");
  m.freeze();
  expect(m.freezerState()).toBe("frozen");
  tree.write("c1/cgroup.events", "populated 1\nfrozen 0\n");
  expect(m.freezerState()).toBe("freezing");
  m.thaw();
  expect(m.freezerState()).toBe("thawed");
});

test("flatKey reads one key of a flat-keyed file", () => {
  expect(flatKey("populated 1\nfrozen 0\n", "frozen")).toBe("0");
  expect(flatKey("populated 1\n", "frozen")).toBeUndefined();
});

test("killAll writes cgroup.kill where the kernel has it, and says so", () => {
  const m = v2("/c1");
  m.create();
  // A kernel before 5.14: no cgroup.kill, the caller signals pid by pid.
  expect(m.killAll()).toBe(false);
  tree.write("c1/cgroup.kill", "");
  expect(m.killAll()).toBe(true);
  expect(tree.read("c1/cgroup.kill")).toBe("1");
  // No cgroup any more: nothing to kill through it.
  tree.write("c1/cgroup.procs", "");
  m.destroy();
  expect(m.killAll()).toBe(false);
});
