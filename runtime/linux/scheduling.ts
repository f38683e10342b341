// process.ioPriority and process.scheduler → the values ioprio_set(2) and
// sched_setattr(2) take.
import { RuntimeError } from "../errors.ts";
import type { IOPriority, Scheduler } from "../../spec/types.ts";

const IOPRIO_CLASSES: Record<string, number> = {
  IOPRIO_CLASS_RT: 1,
  IOPRIO_CLASS_BE: 2,
  IOPRIO_CLASS_IDLE: 3,
};

export function ioPriorityValue(p: IOPriority): number {
  const cls = IOPRIO_CLASSES[p.class];
  if (cls === undefined) throw new RuntimeError("INVALID_CONFIG", `unknown ioPriority class "${p.class}"`);
  const prio = p.priority ?? 0;
  if (prio < 0 || prio > 7) throw new RuntimeError("INVALID_CONFIG", `ioPriority priority ${prio} out of range 0-7`);
  return (cls << 13) | prio;
}

const POLICIES: Record<string, number> = {
  SCHED_OTHER: 0, SCHED_FIFO: 1, SCHED_RR: 2, SCHED_BATCH: 3, SCHED_ISO: 4, SCHED_IDLE: 5, SCHED_DEADLINE: 6,
};

const FLAGS: Record<string, number> = {
  SCHED_FLAG_RESET_ON_FORK: 0x01, SCHED_FLAG_RECLAIM: 0x02, SCHED_FLAG_DL_OVERRUN: 0x04,
  SCHED_FLAG_KEEP_POLICY: 0x08, SCHED_FLAG_KEEP_PARAMS: 0x10, SCHED_FLAG_UTIL_CLAMP_MIN: 0x20,
  SCHED_FLAG_UTIL_CLAMP_MAX: 0x40,
};

/** struct sched_attr, the first version's 48 bytes. */
export function schedulerAttr(s: Scheduler): Uint8Array {
  const policy = POLICIES[s.policy];
  if (policy === undefined) throw new RuntimeError("INVALID_CONFIG", `unknown scheduler policy "${s.policy}"`);
  let flags = 0;
  for (const f of s.flags ?? []) {
    const bit = FLAGS[f];
    if (bit === undefined) throw new RuntimeError("INVALID_CONFIG", `unknown scheduler flag "${f}"`);
    flags |= bit;
  }
  const out = new Uint8Array(48);
  const v = new DataView(out.buffer);
  v.setUint32(0, 48, true);
  v.setUint32(4, policy, true);
  v.setBigUint64(8, BigInt(flags), true);
  v.setInt32(16, s.nice ?? 0, true);
  v.setUint32(20, s.priority ?? 0, true);
  v.setBigUint64(24, BigInt(s.runtime ?? 0), true);
  v.setBigUint64(32, BigInt(s.deadline ?? 0), true);
  v.setBigUint64(40, BigInt(s.period ?? 0), true);
  return out;
}
