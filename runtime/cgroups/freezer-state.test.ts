import { afterEach, expect, test } from "bun:test";
import { fakeCgroupFs, fakeTree, type FakeTree } from "./fixtures.test-support.ts";
import { savedFreezerState } from "./freezer-state.ts";
import { fromSaved } from "./manager.ts";

let tree: FakeTree | undefined;
afterEach(() => tree?.cleanup());

// The short commands read the state straight from the record; the managers
// read it through their own objects: both must say the same.
function bothSay(mode: "v1" | "v2", paths: Record<string, string>): [unknown, unknown] {
  const fs = fakeCgroupFs();
  const light = savedFreezerState(fs, mode, paths);
  const manager = fromSaved({ mode, root: tree!.root, paths, created: [] }, fs).freezerState();
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
  expect(() => savedFreezerState(fakeCgroupFs(), "v2", paths)).toThrow("unknown value 2");
});
