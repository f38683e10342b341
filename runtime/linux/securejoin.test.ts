import { expect, test } from "bun:test";
import { secureJoin, type FsView } from "./securejoin.ts";

const links = (m: Record<string, string>): FsView => ({ readlink: (p) => m[p] });

test("plain paths join lexically", () => {
  expect(secureJoin("/r", "/a/b", links({}))).toBe("/r/a/b");
  expect(secureJoin("/r", "a/./b/", links({}))).toBe("/r/a/b");
  expect(secureJoin("/r", "/", links({}))).toBe("/r");
});

test(".. never leaves the root", () => {
  expect(secureJoin("/r", "/../../etc", links({}))).toBe("/r/etc");
});

test("absolute symlinks resolve inside the root", () => {
  expect(secureJoin("/r", "/etc/x", links({ "/r/etc": "/../../host/etc" }))).toBe("/r/host/etc/x");
});

test("relative symlinks resolve from their directory", () => {
  expect(secureJoin("/r", "/a/l/f", links({ "/r/a/l": "../b" }))).toBe("/r/b/f");
});

test("loops are an error", () => {
  expect(() => secureJoin("/r", "/x", links({ "/r/x": "/x" }))).toThrow(/too many levels/);
});
