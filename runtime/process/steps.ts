// Building one step: the op, a description for error messages, the arguments.
import type { Step } from "./protocol.ts";

export const step = (op: Step["op"], what: string, ...args: Step["args"]): Step => ({ op, args, what });

export const SYNC_NAMESPACES = "namespaces";
export const SYNC_CGROUP = "cgroup";
export const SYNC_HOOKS = "hooks";
