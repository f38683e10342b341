import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SyscallError } from "../errors.ts";
import { linkStat, linkStatIfExists, listNames, listOfKind, makeDirectories, pathExists, readTextFile, readTextFileIfExists, removeTree, writeTextFile } from "./files.ts";
import { closeFd, fileStat, mkfifo, openFile, readToEnd, writeAll } from "./ffi.ts";

const O_WRONLY = 0o1;
const O_NONBLOCK = 0o4000;

const dir = mkdtempSync(join(tmpdir(), "runb-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a file written is read back, with the mode asked for", () => {
  const p = join(dir, "a.txt");
  writeTextFile(p, "héllo\n", 0o600);
  expect(readTextFile(p)).toBe("héllo\n");
  expect(readFileSync(p, "utf8")).toBe("héllo\n");
  expect(statSync(p).mode & 0o777).toBe(0o600);
  writeTextFile(p, "x");
  expect(readTextFile(p)).toBe("x");
});

test("reads of any size, and /proc files that report no size", () => {
  const p = join(dir, "big");
  const text = "0123456789".repeat(100_000);
  writeTextFile(p, text);
  expect(readTextFile(p).length).toBe(text.length);
  expect(readTextFile("/proc/self/status")).toContain("Pid:");
  const fd = openFile(p, 0);
  try {
    expect(fileStat(fd)).toEqual({ kind: "file", regular: true, size: text.length });
    expect(() => readToEnd(fd, 4096, p)).toThrow("file too large");
  } finally {
    closeFd(fd);
  }
});

test("failures carry the errno name as Node's fs errors do", () => {
  let err: unknown;
  try {
    readTextFile(join(dir, "missing"));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SyscallError);
  expect((err as SyscallError).code).toBe("ENOENT");
  expect((err as Error).message).toBe(`open ${join(dir, "missing")}: no such file or directory`);
});

test("the IfExists calls answer undefined for a missing path and fail as the others otherwise", () => {
  const p = join(dir, "present");
  writeTextFile(p, "here");
  expect(readTextFileIfExists(p)).toBe("here");
  expect(readTextFileIfExists(join(dir, "absent"))).toBeUndefined();
  expect(linkStatIfExists(p)).toEqual(linkStat(p));
  expect(linkStatIfExists(join(dir, "absent"))).toBeUndefined();
  // Only a missing path is an answer: reading a directory is still an error.
  expect(() => readTextFileIfExists(dir)).toThrow(SyscallError);
  expect(() => linkStatIfExists(join(p, "below-a-file"))).toThrow("not a directory");
});

test("makeDirectories makes what is missing and accepts what is there", () => {
  const p = join(dir, "x/y/z");
  makeDirectories(p, 0o711);
  expect(statSync(p).isDirectory()).toBe(true);
  expect(statSync(p).mode & 0o777).toBe(0o711);
  makeDirectories(p, 0o711);
  writeFileSync(join(dir, "x/file"), "");
  expect(() => makeDirectories(join(dir, "x/file"), 0o755)).toThrow("file exists");
  // A link to a directory is a directory that is there (as mkdir -p has it).
  symlinkSync(join(dir, "x/y"), join(dir, "x/link"));
  makeDirectories(join(dir, "x/link"), 0o755);
});

test("listings by kind, and link kinds not followed", () => {
  const p = join(dir, "list");
  mkdirSync(join(p, "sub"), { recursive: true });
  writeFileSync(join(p, "f"), "");
  symlinkSync(join(p, "sub"), join(p, "l"));
  expect(listNames(p).sort()).toEqual(["f", "l", "sub"]);
  expect(listOfKind(p, "dir")).toEqual(["sub"]);
  expect(listOfKind(p, "file")).toEqual(["f"]);
  expect(linkStat(join(p, "l")).kind).toBe("link");
  expect(pathExists(join(p, "l"))).toBe(true);
  expect(pathExists(join(p, "nope"))).toBe(false);
});

test("removeTree removes a tree and never what a link in it points to", () => {
  const outside = join(dir, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "keep"), "k");
  const t = join(dir, "tree");
  mkdirSync(join(t, "a/b"), { recursive: true });
  writeFileSync(join(t, "a/b/f"), "");
  symlinkSync(outside, join(t, "a/out"));
  symlinkSync(join(outside, "keep"), join(t, "keep-link"));
  removeTree(t);
  expect(existsSync(t)).toBe(false);
  expect(readFileSync(join(outside, "keep"), "utf8")).toBe("k");
  removeTree(t); // gone already: no error
  // A link given as the tree itself is removed, not followed.
  symlinkSync(outside, join(dir, "top-link"));
  removeTree(join(dir, "top-link"));
  expect(existsSync(join(outside, "keep"))).toBe(true);
});

test("writeAll waits while a non-blocking pipe is full, and writes it all", async () => {
  const fifo = join(dir, "fifo");
  const out = join(dir, "fifo.out");
  mkfifo(fifo, 0o600);
  // The reader opens first, so the writer's non-blocking open succeeds.
  const reader = Bun.spawn(["sh", "-c", 'exec cat "$1" > "$2"', "sh", fifo, out]);
  let fd = -1;
  for (let i = 0; i < 500 && fd < 0; i++) {
    try {
      fd = openFile(fifo, O_WRONLY | O_NONBLOCK);
    } catch {
      await Bun.sleep(2);
    }
  }
  const text = "y".repeat(1_000_000); // many times a pipe's 64 KiB
  writeAll(fd, text);
  closeFd(fd);
  expect(await reader.exited).toBe(0);
  expect(statSync(out).size).toBe(text.length);
});
