// Freezing and thawing a container's cgroup: the v1 freezer controller's
// freezer.state, or v2's cgroup.freeze. Apart from the managers, so that
// kill and delete get them without the code that makes cgroups.
import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import { readControl, sleepMs, writeControl, type CgroupFs } from "./io.ts";
import { v2IsFrozen } from "./freezer-state.ts";

// A v1 cgroup can stay FREEZING while processes keep forking or joining;
// retrying the write, thawing now and then, and pausing with growing waits
// gets it through (schedule modelled on runc's; gives up after a few seconds).
const FREEZE_RETRY = {
  attempts: 1000,
  thawEvery: 50,
  thawPauseMs: 10,
  shortPauseEvery: 25,
  shortPauseMs: 1,
  longPauseEvery: 200,
  firstLongPauseMs: 100,
};

// v2 freezing is asynchronous: poll cgroup.events for "frozen 1" (runc polls
// the same way, 10ms apart for up to 10s).
const FREEZE_WAIT = { polls: 1000, intervalMs: 10 };

function v1FreezeLoop(fs: CgroupFs, file: string): void {
  const r = FREEZE_RETRY;
  let longPause = r.firstLongPauseMs;
  for (let i = 1; i <= r.attempts; i++) {
    if (i % r.thawEvery === 0) {
      writeControl(fs, file, "THAWED");
      sleepMs(r.thawPauseMs);
    }
    writeControl(fs, file, "FROZEN");
    if (i % r.shortPauseEvery === 0) sleepMs(r.shortPauseMs);
    if (i % r.longPauseEvery === 0) {
      sleepMs(longPause);
      longPause *= 2;
    }
    const state = readControl(fs, file).trim();
    if (state === "FROZEN") return;
    if (state !== "FREEZING") throw new RuntimeError("CGROUP", `unexpected freezer state ${state} in ${file}`);
  }
  throw new RuntimeError("CGROUP", `unable to freeze ${posix.dirname(file)}: still freezing`);
}

/** Freezes the v1 freezer cgroup at dir; never leaves it half frozen behind a failure. */
export function v1Freeze(fs: CgroupFs, dir: string): void {
  const file = posix.join(dir, "freezer.state");
  try {
    v1FreezeLoop(fs, file);
  } catch (err) {
    try {
      writeControl(fs, file, "THAWED");
    } catch {
      // the original error says more
    }
    throw err;
  }
}

export function v1Thaw(fs: CgroupFs, dir: string): void {
  writeControl(fs, posix.join(dir, "freezer.state"), "THAWED");
}

/** Freezes the v2 cgroup at dir and waits until the kernel reports it frozen. */
export function v2Freeze(fs: CgroupFs, dir: string): void {
  writeControl(fs, posix.join(dir, "cgroup.freeze"), "1");
  for (let i = 0; i < FREEZE_WAIT.polls; i++) {
    if (v2IsFrozen(fs, dir)) return;
    sleepMs(FREEZE_WAIT.intervalMs);
  }
  // Do not leave it half frozen.
  writeControl(fs, posix.join(dir, "cgroup.freeze"), "0");
  const waited = FREEZE_WAIT.polls * FREEZE_WAIT.intervalMs;
  throw new RuntimeError("CGROUP", `unable to freeze ${dir}: not frozen after ${waited}ms`);
}

export function v2Thaw(fs: CgroupFs, dir: string): void {
  writeControl(fs, posix.join(dir, "cgroup.freeze"), "0");
}
