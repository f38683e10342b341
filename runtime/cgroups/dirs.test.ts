import { afterEach, expect, test } from "bun:test";
import { CgroupDirs } from "./dirs.ts";
import { fakeCgroupFs, fakeTree, type FakeTree } from "./fixtures.test-support.ts";

let tree: FakeTree | undefined;
afterEach(() => tree?.cleanup());

// What kill and delete do through a record's directories alone, on a
// fake tree of plain files.

test("v1: processes listed from the freezer cgroup down, owned only when made, made ones removed", () => {
  tree = fakeTree();
  for (const d of ["freezer/p/c/sub", "pids/p/c", "devices/p/c"]) tree.mkdir(d);
  tree.write("freezer/p/c/cgroup.procs", "10\n11\n");
  tree.write("freezer/p/c/sub/cgroup.procs", "11\n12\n");
  const paths = { freezer: tree.file("freezer/p/c"), pids: tree.file("pids/p/c"), devices: tree.file("devices/p/c") };
  const made = new CgroupDirs({ mode: "v1", root: tree.root, paths, created: [paths.freezer, paths.pids, tree.file("pids/p")] }, fakeCgroupFs());
  expect(made.pids()).toEqual([10, 11, 12]);
  expect(made.owns()).toBe(true);
  expect(made.exists()).toBe(true);
  expect(made.killAll()).toBe(false);
  const existing = new CgroupDirs({ mode: "v1", root: tree.root, paths, created: [paths.pids] }, fakeCgroupFs());
  expect(existing.owns()).toBe(false);

  tree.write("freezer/p/c/cgroup.procs", "");
  tree.write("freezer/p/c/sub/cgroup.procs", "");
  made.destroy();
  // What was made is gone, its parent too; what existed before stays.
  expect(tree.isDir("freezer/p/c")).toBe(false);
  expect(tree.isDir("pids/p")).toBe(false);
  expect(tree.isDir("devices/p/c")).toBe(true);
  expect(tree.isDir("freezer/p")).toBe(true);
  expect(made.saved().created).toEqual([]);
});

test("v1: freeze writes FROZEN until the kernel says so, thaw THAWED; no freezer cgroup, no freezing", () => {
  tree = fakeTree();
  tree.mkdir("freezer/c");
  const dirs = new CgroupDirs({ mode: "hybrid", root: tree.root, paths: { freezer: tree.file("freezer/c") }, created: [] }, fakeCgroupFs());
  dirs.freeze();
  expect(tree.read("freezer/c/freezer.state")).toBe("FROZEN");
  dirs.thaw();
  expect(tree.read("freezer/c/freezer.state")).toBe("THAWED");
  const none = new CgroupDirs({ mode: "v1", root: tree.root, paths: { pids: tree.file("pids/c") }, created: [] }, fakeCgroupFs());
  expect(() => none.freeze()).toThrow("no freezer cgroup");
  expect(none.freezerState()).toBeUndefined();
});

test("v2: cgroup.kill where the kernel has it, cgroup.freeze for freezing", () => {
  tree = fakeTree();
  tree.mkdir("c");
  const dirs = new CgroupDirs({ mode: "v2", root: tree.root, paths: { "": tree.file("c") }, created: [tree.file("c")] }, fakeCgroupFs());
  expect(dirs.killAll()).toBe(false);
  tree.write("c/cgroup.kill", "");
  expect(dirs.killAll()).toBe(true);
  expect(tree.read("c/cgroup.kill")).toBe("1");
  tree.write("c/cgroup.events", "populated 1\nfrozen 1\n");
  dirs.freeze();
  expect(tree.read("c/cgroup.freeze")).toBe("1");
  dirs.thaw();
  expect(tree.read("c/cgroup.freeze")).toBe("0");
  expect(dirs.owns()).toBe(true);
});
