// OCI seccomp actions and filter flags as the kernel's numbers
// (linux/seccomp.h), with runc's defaults for the return data.
import { RuntimeError } from "../../errors.ts";
import type { LinuxSeccomp, LinuxSeccompAction } from "../../../spec/types.ts";

export const SECCOMP_RET = {
  KILL_PROCESS: 0x80000000,
  KILL_THREAD: 0x00000000,
  TRAP: 0x00030000,
  ERRNO: 0x00050000,
  USER_NOTIF: 0x7fc00000,
  TRACE: 0x7ff00000,
  LOG: 0x7ffc0000,
  ALLOW: 0x7fff0000,
} as const;
export const SECCOMP_RET_DATA = 0xffff;

export const EPERM = 1;
export const ENOSYS = 38;

export const SECCOMP_FILTER_FLAG = {
  TSYNC: 1 << 0,
  LOG: 1 << 1,
  SPEC_ALLOW: 1 << 2,
  NEW_LISTENER: 1 << 3,
  WAIT_KILLABLE_RECV: 1 << 5,
} as const;

const invalid = (message: string) => new RuntimeError("INVALID_CONFIG", `seccomp: ${message}`);

function returnData(errnoRet: number | undefined, what: string): number {
  // runc defaults both ERRNO and TRACE to EPERM when no errnoRet is given.
  const value = errnoRet ?? EPERM;
  if (!Number.isInteger(value) || value < 0 || value > SECCOMP_RET_DATA) {
    throw invalid(`${what}: errnoRet ${value} is not an integer in 0..${SECCOMP_RET_DATA}`);
  }
  return value;
}

/** The filter's return value for an action. errnoRet only matters for ERRNO
 * and TRACE, as in runc. */
export function actionValue(action: LinuxSeccompAction, errnoRet: number | undefined, what: string): number {
  switch (action) {
    case "SCMP_ACT_KILL":
    case "SCMP_ACT_KILL_THREAD":
      return SECCOMP_RET.KILL_THREAD;
    case "SCMP_ACT_KILL_PROCESS":
      return SECCOMP_RET.KILL_PROCESS;
    case "SCMP_ACT_TRAP":
      return SECCOMP_RET.TRAP;
    case "SCMP_ACT_ERRNO":
      return (SECCOMP_RET.ERRNO | returnData(errnoRet, what)) >>> 0;
    case "SCMP_ACT_TRACE":
      return (SECCOMP_RET.TRACE | returnData(errnoRet, what)) >>> 0;
    case "SCMP_ACT_ALLOW":
      return SECCOMP_RET.ALLOW;
    case "SCMP_ACT_LOG":
      return SECCOMP_RET.LOG;
    case "SCMP_ACT_NOTIFY":
      // The syscall waits for a supervisor at listenerPath to decide.
      if (what === "defaultAction") throw invalid("SCMP_ACT_NOTIFY cannot be used as the default action");
      return SECCOMP_RET.USER_NOTIF;
    default:
      throw invalid(`${what}: unknown action "${String(action)}"`);
  }
}

/** Actions after which a syscall still runs: runc adds no -ENOSYS stub when
 * the default action is one of these. */
export function isPermissive(action: number): boolean {
  const kind = action & ~SECCOMP_RET_DATA;
  return kind === SECCOMP_RET.ALLOW || kind === SECCOMP_RET.LOG || kind === SECCOMP_RET.TRACE;
}

/** The flags argument of seccomp(SECCOMP_SET_MODE_FILTER). */
export function filterFlags(flags: LinuxSeccomp["flags"], notify = false): number {
  let out = notify ? SECCOMP_FILTER_FLAG.NEW_LISTENER : 0;
  for (const flag of flags ?? []) {
    switch (flag) {
      case "SECCOMP_FILTER_FLAG_TSYNC":
        // runc accepts and drops it: the stage is single-threaded and exec
        // ends every other thread anyway.
        break;
      case "SECCOMP_FILTER_FLAG_LOG":
        out |= SECCOMP_FILTER_FLAG.LOG;
        break;
      case "SECCOMP_FILTER_FLAG_SPEC_ALLOW":
        out |= SECCOMP_FILTER_FLAG.SPEC_ALLOW;
        break;
      case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV":
        // The kernel accepts it only with a notify listener.
        if (!notify) throw invalid("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs an SCMP_ACT_NOTIFY rule");
        out |= SECCOMP_FILTER_FLAG.WAIT_KILLABLE_RECV;
        break;
      default:
        throw invalid(`unknown filter flag "${String(flag)}"`);
    }
  }
  return out;
}
