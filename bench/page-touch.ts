// The cost of a page fault here, measured by page-touch.c. A Bun
// program's start-up is largely the engine filling fresh pages of heap and
// reading pages of its own executable, so on a machine where faults are
// dear (a virtual machine) they bound every figure of the table. Built
// with the system's C compiler into the work directory.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { summarize, type Summary } from "./report.ts";

export interface PageTouchCost {
  /** µs per first write to a page of fresh anonymous memory. */
  anonUs: Summary;
  /** µs per first read of a page of a file in the page cache. */
  fileUs: Summary;
}

/** Runs the probe `rounds` times on `file` (any file of 8 MB or more, e.g. runb itself). */
export function pageTouchCost(source: string, dir: string, file: string, rounds: number): PageTouchCost {
  const bin = join(dir, "page-touch");
  const cc = spawnSync("cc", ["-O2", "-o", bin, source], { encoding: "utf8" });
  if (cc.status !== 0) throw new Error(`cc ${source} failed: ${cc.error?.message ?? cc.stderr}`);
  const anonUs: number[] = [];
  const fileUs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const r = spawnSync(bin, [file], { encoding: "utf8" });
    const [a, f] = r.stdout.trim().split(" ").map(Number);
    if (r.status !== 0 || a === undefined || f === undefined || !Number.isFinite(a) || !Number.isFinite(f)) {
      throw new Error(`${bin} ${file} failed (status ${r.status}): ${r.stderr}`);
    }
    anonUs.push(a);
    fileUs.push(f);
  }
  return { anonUs: summarize(anonUs), fileUs: summarize(fileUs) };
}
