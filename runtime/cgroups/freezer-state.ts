// Reading whether a cgroup is frozen (dirs.ts), for the managers and for
// the short commands, which do not load the managers at all.
import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import { readControl, readControlIfExists, type CgroupFs } from "./io.ts";
import type { FreezerState } from "./types.ts";
import { words } from "../chars.ts";

// freezer.state values and what they mean to callers; FROZEN still needs a
// look at freezer.self_freezing (frozen by us, or only by an ancestor?).
const V1_STATES: Record<string, FreezerState> = {
  THAWED: "thawed",
  FREEZING: "freezing",
  FROZEN: "frozen",
};

/** Value of one "key value" line of a flat-keyed file such as cgroup.events. */
export function flatKey(text: string, key: string): string | undefined {
  for (const line of text.split("\n")) {
    const [k, v] = words(line);
    if (k === key) return v;
  }
  return undefined;
}

/** A v1 freezer cgroup's state; undefined when it is gone. */
export function v1FreezerState(fs: CgroupFs, dir: string): FreezerState | undefined {
  const file = posix.join(dir, "freezer.state");
  const raw = readControlIfExists(fs, file)?.trim();
  if (raw === undefined) return undefined;
  const state = V1_STATES[raw];
  if (state === undefined) throw new RuntimeError("CGROUP", `unknown freezer state ${raw} in ${file}`);
  if (state !== "frozen") return state;
  // FROZEN is also reported when only an ancestor is frozen; the container
  // itself is then not paused (runc reports it as thawed, too).
  const self = readControlIfExists(fs, posix.join(dir, "freezer.self_freezing"))?.trim();
  return self === "0" ? "thawed" : "frozen";
}

export function v2IsFrozen(fs: CgroupFs, dir: string): boolean {
  return flatKey(readControl(fs, posix.join(dir, "cgroup.events")), "frozen") === "1";
}

/** A v2 cgroup's state; undefined when it is gone. */
export function v2FreezerState(fs: CgroupFs, dir: string): FreezerState | undefined {
  const wanted = readControlIfExists(fs, posix.join(dir, "cgroup.freeze"))?.trim();
  if (wanted === undefined) return undefined;
  if (wanted === "0") return "thawed";
  if (wanted !== "1") throw new RuntimeError("CGROUP", `unknown value ${wanted} in ${posix.join(dir, "cgroup.freeze")}`);
  return v2IsFrozen(fs, dir) ? "frozen" : "freezing";
}
