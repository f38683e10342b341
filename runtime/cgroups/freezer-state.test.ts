import { afterEach, expect, test } from "bun:test";
import { fakeCgroupFs, fakeTree, type FakeTree } from "./fixtures.test-support.ts";
import { CgroupDirs } from "./dirs.ts";
import { fromSaved } from "./manager.ts";
import { freezerPathFault } from "./saved.ts";

let tree: FakeTree | undefined;
afterEach(() => tree?.cleanup());

// The short commands read the state through the record's directories
// alone; the managers, built from the same record, must say the same.
function bothSay(mode: "v1" | "v2", paths: Record<string, string>): [unknown, unknown] {
  const fs = fakeCgroupFs(undefined, { root: tree!.root, v2: mode === "v2" });
  const record = { mode, root: tree!.root, paths, created: [] };
  const light = new CgroupDirs(record, fs).freezerState();
  const manager = fromSaved(record, fs).freezerState();
  return [light, manager];
}

test("v1: FROZEN by itself, FROZEN only through an ancestor, THAWED, gone", () => {
  tree = fakeTree();
  tree.mkdir("freezer/c");
  const paths = { freezer: tree.file("freezer/c") };
  tree.write("freezer/c/freezer.state", "FROZEN\n");
  tree.write("freezer/c/freezer.self_freezing", "1\n");
  expect(bothSay("v1", paths)).toEqual(["frozen", "frozen"]);
  tree.write("freezer/c/freezer.self_freezing", "0\n");
  expect(bothSay("v1", paths)).toEqual(["thawed", "thawed"]);
  tree.write("freezer/c/freezer.state", "THAWED\n");
  expect(bothSay("v1", paths)).toEqual(["thawed", "thawed"]);
  expect(bothSay("v1", { freezer: tree.file("freezer/gone") })).toEqual([undefined, undefined]);
});

test("v2: asked to freeze and frozen, asked and not yet, not asked", () => {
  tree = fakeTree();
  tree.mkdir("c");
  const paths = { "": tree.file("c") };
  tree.write("c/cgroup.freeze", "1\n");
  tree.write("c/cgroup.events", "populated 1\nfrozen 1\n");
  expect(bothSay("v2", paths)).toEqual(["frozen", "frozen"]);
  tree.write("c/cgroup.events", "populated 1\nfrozen 0\n");
  expect(bothSay("v2", paths)).toEqual(["freezing", "freezing"]);
  tree.write("c/cgroup.freeze", "0\n");
  expect(bothSay("v2", paths)).toEqual(["thawed", "thawed"]);
  tree.write("c/cgroup.freeze", "2\n");
  expect(() => new CgroupDirs({ mode: "v2", root: tree!.root, paths, created: [] }, fakeCgroupFs()).freezerState()).toThrow("unknown value 2");
});

test("the one path read is checked on the host", () => {
  tree = fakeTree();
  tree.mkdir("freezer");
  tree.write("freezer/freezer.state", "FROZEN\n");
  const fs = fakeCgroupFs(undefined, { root: tree.root, v2: false });
  const record = (dir: string) => ({ mode: "v1" as const, root: tree!.root, paths: { freezer: dir }, created: [] });
  expect(freezerPathFault(fs, record(tree!.file("freezer")))).toContain("is the root of its hierarchy");
  tree.mkdir("unified/c");
  tree.write("unified/c/freezer.state", "FROZEN\n");
  expect(freezerPathFault(fs, record(tree!.file("unified/c")))).toContain("is not in a cgroup v1 hierarchy");
  tree.mkdir("freezer/c");
  expect(freezerPathFault(fs, record(tree!.file("freezer/c")))).toBeUndefined();
});
