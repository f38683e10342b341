// Socket activation passed through: when the runtime itself was started
// with sockets (LISTEN_FDS for our pid), the container's process gets them
// as fds 3.. ahead of --preserve-fds, and an environment saying so.
import type { Process } from "../../spec/types.ts";

export function listenFdCount(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number {
  const n = Number(env.LISTEN_FDS ?? "");
  if (!Number.isInteger(n) || n <= 0) return 0;
  return env.LISTEN_PID === String(pid) ? n : 0;
}

/** The process with LISTEN_FDS/LISTEN_PID for the container's view. */
export function withListenEnv(proc: Process, count: number): Process {
  if (count === 0) return proc;
  return { ...proc, env: [...(proc.env ?? []), `LISTEN_FDS=${count}`, "LISTEN_PID=1"] };
}
