import { expect, test } from "bun:test";
import { statusSaysNamespaceInit } from "./procfs.ts";

// What the multiline regular expression it replaced said.
const byRegExp = (text: string) => {
  const ids = /^NSpid:\s*(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  return ids.length >= 2 && ids[ids.length - 1] === "1";
};

test("NSpid read as before: two or more pids, the innermost 1", () => {
  const samples = [
    "Name:\tsh\nNSpid:\t4242\t1\nNSpgid:\t4242\t1\n",
    "NSpid:\t4242\t1\n",
    "Name:\tsh\nNSpid:\t4242\n",
    "Name:\tsh\nNSpid:\t4242\t77\t1\n",
    "Name:\tsh\nNSpid:\t1\n",
    "Name:\tsh\nNSpid:\t4242\t11\n",
    "Name:\tsh\nNSpid:\t4242 1",
    "Name:\tsh\nNSpgid:\t4242\t1\n",
    "Name:\tsh\n",
    "",
    "Name:\tsh\nNSpid:   4242   1   \nX:\t1\n",
  ];
  for (const s of samples) expect([s, statusSaysNamespaceInit(s)]).toEqual([s, byRegExp(s)]);
  // The real status of this process: not the first of a namespace below ours.
  expect(statusSaysNamespaceInit(require("node:fs").readFileSync("/proc/self/status", "utf8"))).toBe(false);
});
