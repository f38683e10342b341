// A container's status is worked out from facts at each call, never stored:
// a stored "running" goes stale the moment the process dies.

export type Status = "creating" | "created" | "running" | "paused" | "stopped";

export interface StatusFacts {
  /** The state records a create still in progress. */
  creating: boolean;
  /** The runtime process running that create is still alive. */
  creatorAlive: boolean;
  /** The saved pid is alive, not a zombie, and started when we saved it. */
  alive: boolean;
  /** exec.fifo is still there: the process waits for `start`. */
  fifoExists: boolean;
  frozen: boolean;
}

export function statusOf(f: StatusFacts): Status {
  // A create whose runtime died never finished: what it left is dead.
  if (f.creating) return f.creatorAlive ? "creating" : "stopped";
  if (!f.alive) return "stopped";
  if (f.frozen) return "paused";
  return f.fifoExists ? "created" : "running";
}

export type Operation = "start" | "kill" | "delete" | "pause" | "resume" | "exec";

/** Which operations each status allows (`delete --force` ignores this). */
const ALLOWED: Record<Status, readonly Operation[]> = {
  creating: [],
  created: ["start", "kill", "exec", "delete", "pause"],
  running: ["kill", "pause", "exec"],
  paused: ["kill", "resume"],
  stopped: ["delete"],
};

export function allows(status: Status, op: Operation): boolean {
  return ALLOWED[status].includes(op);
}
