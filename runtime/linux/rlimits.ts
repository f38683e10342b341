// RLIMIT_* names → resource numbers (asm-generic/resource.h).
import { RuntimeError } from "../errors.ts";

const RLIMITS: Record<string, number> = {
  RLIMIT_CPU: 0, RLIMIT_FSIZE: 1, RLIMIT_DATA: 2, RLIMIT_STACK: 3, RLIMIT_CORE: 4,
  RLIMIT_RSS: 5, RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7, RLIMIT_MEMLOCK: 8, RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10, RLIMIT_SIGPENDING: 11, RLIMIT_MSGQUEUE: 12, RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14, RLIMIT_RTTIME: 15,
};

export function rlimitResource(type: string): number {
  const n = RLIMITS[type];
  if (n === undefined) throw new RuntimeError("INVALID_CONFIG", `unknown rlimit type "${type}"`);
  return n;
}
