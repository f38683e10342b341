// Facts about processes from /proc.
import { readLink, readTextFile, readTextFileIfExists } from "./ffi.ts";

interface ProcStat {
  state: string;
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string | undefined;
  try {
    text = readTextFileIfExists(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", startTime: fields[19] ?? "" };
}

export function processStartTime(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

/** Alive, not a zombie, and the same process we saw start. */
export function isAlive(pid: number, startTime: string): boolean {
  if (pid <= 0) return false;
  const st = readStat(pid);
  return st !== undefined && st.state !== "Z" && st.state !== "X" && st.startTime === startTime;
}

/** Wait until the process is gone or a zombie; false on timeout. */
export function waitGone(pid: number, startTime: string, timeoutMs: number): boolean {
  const end = Date.now() + timeoutMs;
  while (isAlive(pid, startTime)) {
    if (Date.now() > end) return false;
    Bun.sleepSync(2);
  }
  return true;
}

/** The namespace of a type a process is in ("pid:[4026531836]"), if it can be read. */
export function namespaceOf(pid: number, type: "pid" | "mnt"): string | undefined {
  try {
    return readLink(`/proc/${pid}/ns/${type}`);
  } catch {
    return undefined;
  }
}

/** Whether the process is the first process (pid 1) of a pid namespace below ours. */
export function isPidNamespaceInit(pid: number): boolean {
  let text: string;
  try {
    text = readTextFile(`/proc/${pid}/status`);
  } catch {
    return false;
  }
  return statusSaysNamespaceInit(text);
}

/** Whether a /proc/PID/status text gives the process two or more pids (NSpid), the last 1. */
export function statusSaysNamespaceInit(status: string): boolean {
  return lastTwoOrMore(fieldOf(status, "NSpid")) === "1";
}

/** The value of a "Name:\tvalue" line of a /proc status file, or undefined. */
function fieldOf(text: string, name: string): string | undefined {
  const key = `${name}:`;
  let at = 0;
  if (!text.startsWith(key)) {
    const nl = text.indexOf(`\n${key}`);
    if (nl < 0) return undefined;
    at = nl + 1;
  }
  const end = text.indexOf("\n", at);
  return text.slice(at + key.length, end < 0 ? text.length : end);
}

/** The last of the words (tab- or space-separated) of `value` when it has two or more: the pid in the innermost namespace. */
function lastTwoOrMore(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let count = 0;
  let last: string | undefined;
  let start = -1;
  for (let i = 0; i <= value.length; i++) {
    const c = value.charCodeAt(i);
    if (i === value.length || c === 9 || c === 32) {
      if (start >= 0) {
        count++;
        last = value.slice(start, i);
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  return count >= 2 ? last : undefined;
}
