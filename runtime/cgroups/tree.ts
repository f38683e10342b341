// Directory-level cgroup operations shared by the v1 and v2 managers:
// creating paths while remembering what was created, moving processes,
// listing them, and removing cgroups.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import { cgroupError, errnoOf, sleepMs, type CgroupFs } from "./io.ts";

/** One mkdir: true if this call made it, false if it exists (not ours); throws ENOENT as it is. */
function makeDir(fs: CgroupFs, dir: string): boolean {
  try {
    fs.mkdir(dir);
    return true;
  } catch (err) {
    if (errnoOf(err) === "EEXIST") return false;
    throw err;
  }
}

/**
 * mkdir -p that returns the directories it made itself, shallowest first.
 * The mkdir comes first: for a new cgroup under an existing parent, the
 * usual case, that one call is all it takes.
 */
export function mkdirTracked(fs: CgroupFs, dir: string): string[] {
  try {
    return makeDir(fs, dir) ? [dir] : [];
  } catch (err) {
    const parent = posix.dirname(dir);
    if (errnoOf(err) !== "ENOENT" || parent === dir) throw cgroupError("mkdir", dir, err);
  }
  const above = mkdirTracked(fs, posix.dirname(dir));
  try {
    return makeDir(fs, dir) ? [...above, dir] : above;
  } catch (err) {
    throw cgroupError("mkdir", dir, err);
  }
}

const PROCS_WRITE = { tries: 5, delayMs: 30 };

/** Moves a process (all its threads) into the cgroup at dir. */
export function writeProcs(fs: CgroupFs, dir: string, pid: number): void {
  const file = posix.join(dir, "cgroup.procs");
  for (let attempt = 1; ; attempt++) {
    try {
      fs.write(file, String(pid));
      return;
    } catch (err) {
      // EINVAL can mean the task is still being set up by fork (TASK_NEW);
      // it goes away on its own, so runc retries it too.
      if (errnoOf(err) !== "EINVAL" || attempt >= PROCS_WRITE.tries) {
        throw cgroupError("write", file, err);
      }
      sleepMs(PROCS_WRITE.delayMs);
    }
  }
}

function readProcs(fs: CgroupFs, dir: string): number[] | undefined {
  const file = posix.join(dir, "cgroup.procs");
  let text: string;
  try {
    text = fs.read(file);
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return undefined;
    throw cgroupError("read", file, err);
  }
  // Plain loops here and below: delete and kill --all read these, and an
  // array method's first use in a process costs more than the reading.
  const pids: number[] = [];
  for (const line of text.split("\n")) if (line.trim() !== "") pids.push(Number.parseInt(line, 10));
  return pids;
}

function subdirsOf(fs: CgroupFs, dir: string): string[] {
  try {
    return fs.subdirs(dir);
  } catch (err) {
    // A child cgroup can vanish between listing and descending.
    if (errnoOf(err) === "ENOENT") return [];
    throw cgroupError("readdir", dir, err);
  }
}

/** PIDs in the cgroup at dir and all its descendants; [] if it does not exist. */
export function procsRecursive(fs: CgroupFs, dir: string): number[] {
  const own = readProcs(fs, dir);
  if (own === undefined) return [];
  for (const name of subdirsOf(fs, dir)) for (const pid of procsRecursive(fs, posix.join(dir, name))) own.push(pid);
  return own;
}

// A cgroup whose last process has just exited can report EBUSY for a moment.
// Same schedule as runc: 10 tries, 1ms doubling (about one second in all).
const RMDIR_RETRY = { tries: 10, firstDelayMs: 1 };

function rmdirWithRetry(fs: CgroupFs, dir: string): void {
  let delay = RMDIR_RETRY.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      fs.rmdir(dir);
      return;
    } catch (err) {
      const code = errnoOf(err);
      if (code === "ENOENT") return;
      if (code !== "EBUSY" || attempt >= RMDIR_RETRY.tries) throw cgroupError("rmdir", dir, err);
      sleepMs(delay);
      delay *= 2;
    }
  }
}

/** Removes the cgroup at dir and, first, any child cgroups below it. */
export function removeCgroupTree(fs: CgroupFs, dir: string): void {
  // Most have no children and no process left: one rmdir does it. Any
  // other refusal is met the long way, children first.
  try {
    fs.rmdir(dir);
    return;
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return;
  }
  for (const name of subdirsOf(fs, dir)) removeCgroupTree(fs, posix.join(dir, name));
  rmdirWithRetry(fs, dir);
}

// An ancestor we created may since hold another container's cgroup; then it
// is not ours to remove any more, and rmdir says so with EBUSY/ENOTEMPTY.
const ANCESTOR_IN_USE = new Set(["ENOENT", "EBUSY", "ENOTEMPTY"]);

function removeAncestor(fs: CgroupFs, dir: string): void {
  try {
    fs.rmdir(dir);
  } catch (err) {
    if (!ANCESTOR_IN_USE.has(errnoOf(err) ?? "")) throw cgroupError("rmdir", dir, err);
  }
}

const depth = (p: string) => p.split("/").length;

/**
 * Removes the directories in `created`, deepest first. Container cgroups
 * (`targets`) are removed with their children and retried while busy;
 * created ancestors are left alone once something else lives in them.
 * Tries every directory, then reports all failures at once. The container
 * cgroups it removed go into `removed`.
 */
export function removeCreated(fs: CgroupFs, created: string[], targets: Set<string>, removed?: Set<string>): void {
  const failures: RuntimeError[] = [];
  for (const dir of [...created].sort((a, b) => depth(b) - depth(a))) {
    try {
      if (targets.has(dir)) {
        removeCgroupTree(fs, dir);
        removed?.add(dir);
      } else removeAncestor(fs, dir);
    } catch (err) {
      failures.push(err instanceof RuntimeError ? err : cgroupError("rmdir", dir, err));
    }
  }
  const [first] = failures;
  if (first === undefined) return;
  if (failures.length === 1) throw first;
  throw new RuntimeError("CGROUP", failures.map((f) => f.message).join("; "), { cause: first });
}

/** Whether `dir` is `path` or one of its ancestors. */
export function isAncestorOrSelf(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}
