// Performing a plan of control-file writes, and the Probe the plans ask.
// A refused write becomes an error naming the value and the file, with the
// kernel's reason and, where it helps, what the reason means.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import { cgroupError, errnoOf, readControlIfExists, type CgroupFs } from "./io.ts";
import type { Probe, Write } from "./resources.ts";

type Dirs = Readonly<Record<string, string>>;

export function makeProbe(fs: CgroupFs, dirs: Dirs): Probe {
  const path = (key: string, file: string) => (dirs[key] === undefined ? undefined : posix.join(dirs[key], file));
  return {
    mounted: (key) => dirs[key] !== undefined,
    exists: (key, file) => {
      const p = path(key, file);
      return p !== undefined && fs.exists(p);
    },
    read: (key, file) => {
      const p = path(key, file);
      return p === undefined ? undefined : readControlIfExists(fs, p)?.trim();
    },
  };
}

function firstLine(fs: CgroupFs, dir: string, file: string): string {
  return readControlIfExists(fs, posix.join(dir, file))?.trim() ?? "unknown";
}

// What an errno means for a particular file, where the kernel's one word
// does not say it.
type Explain = (fs: CgroupFs, dir: string, w: Write) => string;
const EXPLAIN: Record<string, Partial<Record<string, Explain>>> = {
  "memory.limit_in_bytes": {
    EBUSY: (fs, dir, w) =>
      `unable to set memory limit to ${w.value} (current usage: ${firstLine(fs, dir, "memory.usage_in_bytes")}, peak usage: ${firstLine(fs, dir, "memory.max_usage_in_bytes")})`,
  },
  "memory.memsw.limit_in_bytes": {
    EINVAL: (_fs, _dir, w) => `memory+swap limit ${w.value} must not be below the memory limit`,
  },
  "cpuset.cpus": { EINVAL: (fs, dir, w) => `cpus ${w.value} are not within the parent's ${firstLine(fs, posix.dirname(dir), "cpuset.cpus")}` },
  "cpuset.mems": { EINVAL: (fs, dir, w) => `mems ${w.value} are not within the parent's ${firstLine(fs, posix.dirname(dir), "cpuset.mems")}` },
};

function writeError(fs: CgroupFs, dir: string, w: Write, err: unknown): RuntimeError {
  const path = posix.join(dir, w.file);
  // cgroupfs refuses to create a file (EACCES), which says nothing useful.
  const missing = ["EACCES", "ENOENT"].includes(errnoOf(err) ?? "") && !fs.exists(path);
  if (missing) {
    const what = w.setting === undefined ? w.file : `linux.resources.${w.setting}`;
    return new RuntimeError("CGROUP", `${what} is not supported on this host: ${path} does not exist`, { cause: err });
  }
  const base = cgroupError("write", path, err);
  const explain = EXPLAIN[w.file]?.[errnoOf(err) ?? ""];
  const detail = explain === undefined ? "" : ` (${explain(fs, dir, w)})`;
  return new RuntimeError("CGROUP", `failed to write ${JSON.stringify(w.value)}: ${base.message}${detail}`, { cause: err });
}

function dirOf(dirs: Dirs, w: Write): string {
  const dir = dirs[w.key];
  if (dir !== undefined) return dir;
  const what = w.key === "" ? "the unified (v2) hierarchy" : `the ${w.key} controller`;
  throw new RuntimeError("CGROUP", `cannot set ${w.file} to ${JSON.stringify(w.value)}: ${what} is not mounted`);
}

function verify(fs: CgroupFs, dir: string, w: Write): void {
  if (w.check === undefined) return;
  const problem = w.check(readControlIfExists(fs, posix.join(dir, w.file))?.trim() ?? "");
  if (problem !== undefined) throw new RuntimeError("CGROUP", problem);
}

/** Performs the writes in order. Stops at the first refusal. */
export function performWrites(fs: CgroupFs, dirs: Dirs, writes: readonly Write[]): void {
  const queue = [...writes];
  for (let i = 0; i < queue.length; i++) {
    const w = queue[i]!;
    const dir = dirOf(dirs, w);
    const path = posix.join(dir, w.file);
    if (w.optional === true && !fs.exists(path)) continue;
    try {
      fs.write(path, w.value);
    } catch (err) {
      // Once: the retry itself carries no retryAfterNext.
      if (w.retryAfterNext === true && errnoOf(err) === "EINVAL" && i + 1 < queue.length) {
        queue.splice(i + 2, 0, { ...w, retryAfterNext: false });
        continue;
      }
      throw writeError(fs, dir, w, err);
    }
    verify(fs, dir, w);
  }
}
