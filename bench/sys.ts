// The few libc calls the benchmark needs beyond Bun's own APIs: becoming a
// child subreaper (so that containers whose runtime process has exited are
// reparented to the benchmark, which reaps them, instead of to PID 1), and
// waiting for a process that is not our child through a pidfd.

import { dlopen, FFIType, ptr } from "bun:ffi";
import { readdirSync, readFileSync } from "node:fs";

const { i32, i64, u64, ptr: p } = FFIType;

let lib: ReturnType<typeof open> | undefined;

function open() {
  return dlopen("libc.so.6", {
    prctl: { args: [i32, u64, u64, u64, u64], returns: i32 },
    waitpid: { args: [i32, p, i32], returns: i32 },
    syscall: { args: [i64, i64, i64], returns: i64 },
    poll: { args: [p, u64, i32], returns: i32 },
    close: { args: [i32], returns: i32 },
  });
}

function libc() {
  lib ??= open();
  return lib.symbols;
}

const PR_SET_CHILD_SUBREAPER = 36;
const WNOHANG = 1;
const SYS_PIDFD_OPEN = 434; // the same number on every architecture
const POLLIN = 1;

/** Makes orphaned descendants (container init processes) our children. */
export function becomeSubreaper(): boolean {
  return libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0;
}

/**
 * Reaps pid if it is a zombie child of ours. Returns true when the pid is
 * gone from our point of view (reaped now, or not our child at all).
 */
export function reap(pid: number): boolean {
  const status = new Int32Array(1);
  const r = libc().waitpid(pid, ptr(status), WNOHANG);
  return r !== 0;
}

/**
 * Blocks until pid has exited (a zombie counts as exited), up to timeoutMs.
 * Returns false on timeout. Falls back to polling /proc without pidfds.
 */
export function waitExit(pid: number, timeoutMs: number): boolean {
  const fd = Number(libc().syscall(SYS_PIDFD_OPEN, pid, 0));
  if (fd < 0) return pollProc(pid, timeoutMs);
  try {
    const pfd = new Int32Array(2);
    pfd[0] = fd;
    pfd[1] = POLLIN; // events in the low half, revents in the high half
    return libc().poll(ptr(pfd), 1, timeoutMs) > 0;
  } finally {
    libc().close(fd);
  }
}

/** The process state letter from /proc/PID/stat, or undefined when gone. */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const end = stat.lastIndexOf(")");
    return stat.slice(end + 2, end + 3);
  } catch {
    return undefined;
  }
}

/**
 * Our zombie children: as a subreaper we adopt what runtimes leave behind
 * when they exit (crun's intermediate processes, for one), and those that
 * are not container inits are never waited for by name.
 */
export function zombieChildren(): number[] {
  const found: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state === "Z" && Number(ppid) === process.pid) found.push(Number(e));
    } catch {}
  }
  return found;
}

/**
 * Our live children named `comm`: a runb command hands the freeing of its
 * memory to a helper that outlives it by a few milliseconds, and as a
 * subreaper we adopt that helper when the command exits.
 */
export function liveChildrenNamed(comm: string): number[] {
  const found: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (name === comm && state !== "Z" && Number(ppid) === process.pid) found.push(Number(e));
    } catch {}
  }
  return found;
}

function pollProc(pid: number, timeoutMs: number): boolean {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const s = procState(pid);
    if (s === undefined || s === "Z" || s === "X") return true;
    if (performance.now() > deadline) return false;
    Bun.sleepSync(0.2);
  }
}
