import { afterEach, expect, test } from "bun:test";
import { fakeTree, type FakeTree } from "./fixtures.test-support.ts";
import { nodeFs, type CgroupFs } from "./io.ts";
import { mkdirTracked } from "./tree.ts";

let tree: FakeTree | undefined;
afterEach(() => tree?.cleanup());

/** nodeFs, counting the mkdir calls. */
function counting(): { fs: CgroupFs; mkdirs: string[] } {
  const mkdirs: string[] = [];
  return { fs: { ...nodeFs, mkdir: (p) => (mkdirs.push(p), nodeFs.mkdir(p)) }, mkdirs };
}

test("mkdirTracked: a new cgroup under an existing parent takes one mkdir", () => {
  tree = fakeTree();
  tree.mkdir("cpu");
  const { fs, mkdirs } = counting();
  expect(mkdirTracked(fs, tree.file("cpu/c1"))).toEqual([tree.file("cpu/c1")]);
  expect(mkdirs).toEqual([tree.file("cpu/c1")]);
});

test("mkdirTracked: missing parents are made and reported, shallowest first", () => {
  tree = fakeTree();
  tree.mkdir("cpu/a");
  const made = mkdirTracked(nodeFs, tree.file("cpu/a/b/c"));
  expect(made).toEqual([tree.file("cpu/a/b"), tree.file("cpu/a/b/c")]);
  expect(tree.isDir("cpu/a/b/c")).toBe(true);
});

test("mkdirTracked: what exists already is not ours", () => {
  tree = fakeTree();
  tree.mkdir("cpu/a/b");
  expect(mkdirTracked(nodeFs, tree.file("cpu/a/b"))).toEqual([]);
  expect(mkdirTracked(nodeFs, tree.file("cpu/a/b/c"))).toEqual([tree.file("cpu/a/b/c")]);
});

test("mkdirTracked: other failures name the directory", () => {
  tree = fakeTree();
  tree.write("file", "x");
  expect(() => mkdirTracked(nodeFs, tree!.file("file/c"))).toThrow(`mkdir ${tree.file("file/c")}: not a directory`);
});
