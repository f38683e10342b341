import { describe, expect, test } from "bun:test";
import { posix } from "node:path";
import * as paths from "./paths.ts";

// The module stands in for node:path: every case must give node's answer.
const samples = ["", ".", "..", "/", "//", "a", "a/", "/a", "/a/", "a//b", "/a/./b/../c", "../a", "a/../..", "/..", "/../a/", "./", "a/b/c/", "///a//b//", "/sys/fs/cgroup/memory/x"];

describe("paths", () => {
  test("normalize, dirname, basename, isAbsolute", () => {
    for (const p of samples) {
      expect([p, paths.normalize(p)]).toEqual([p, posix.normalize(p)]);
      // node keeps a leading "//" in a dirname (POSIX leaves it to the system); runb never has one.
      if (!p.startsWith("//")) expect([p, paths.dirname(p)]).toEqual([p, posix.dirname(p)]);
      expect([p, paths.basename(p)]).toEqual([p, posix.basename(p)]);
      expect([p, paths.isAbsolute(p)]).toEqual([p, posix.isAbsolute(p)]);
    }
  });

  test("join and resolve", () => {
    for (const a of samples)
      for (const b of samples) {
        expect([a, b, paths.join(a, b)]).toEqual([a, b, posix.join(a, b)]);
        expect([a, b, paths.resolve(a, b)]).toEqual([a, b, posix.resolve(a, b)]);
      }
    expect(paths.join()).toBe(posix.join());
    expect(paths.join("/a", "b", "", "../c")).toBe(posix.join("/a", "b", "", "../c"));
  });

  test("relative", () => {
    for (const a of samples) for (const b of samples) expect([a, b, paths.relative(a, b)]).toEqual([a, b, posix.relative(a, b)]);
  });
});

test("trimTrailing on a joined path is replace(/(.)\\/$/, \"$1\"), which the saved cgroup check used", () => {
  for (const [a, b] of [["/sys/fs/cgroup/cpu", "/x/"], ["/sys/fs/cgroup", "/"], ["/", "/"], ["/a", "b//"], ["/m", "/c1"]] as const) {
    const j = paths.join(a, b);
    expect(paths.trimTrailing(j)).toBe(j.replace(/(.)\/$/, "$1"));
  }
  expect(paths.trimTrailing("/a//")).toBe("/a");
  expect(paths.trimTrailing("/")).toBe("/");
});
