// runc's words for a hook that did not succeed. runc runs hooks with Go's
// os/exec, so its messages are Go's: the wait status as ProcessState prints
// it, and a failed exec as "fork/exec PATH: <errno text>". Callers (and
// people grepping logs) see these strings, so they are kept verbatim.
import { errnoMessage } from "../runtime/linux/errno.ts";

// Go's names for the Linux signals (syscall.Signal.String()).
const GO_SIGNALS: Record<string, string> = {
  SIGHUP: "hangup",
  SIGINT: "interrupt",
  SIGQUIT: "quit",
  SIGILL: "illegal instruction",
  SIGTRAP: "trace/breakpoint trap",
  SIGABRT: "aborted",
  SIGBUS: "bus error",
  SIGFPE: "floating point exception",
  SIGKILL: "killed",
  SIGUSR1: "user defined signal 1",
  SIGSEGV: "segmentation fault",
  SIGUSR2: "user defined signal 2",
  SIGPIPE: "broken pipe",
  SIGALRM: "alarm clock",
  SIGTERM: "terminated",
  SIGSTKFLT: "stack fault",
  SIGCHLD: "child exited",
  SIGCONT: "continued",
  SIGSTOP: "stopped (signal)",
  SIGTSTP: "stopped",
  SIGTTIN: "stopped (tty input)",
  SIGTTOU: "stopped (tty output)",
  SIGURG: "urgent I/O condition",
  SIGXCPU: "CPU time limit exceeded",
  SIGXFSZ: "file size limit exceeded",
  SIGVTALRM: "virtual timer expired",
  SIGPROF: "profiling timer expired",
  SIGWINCH: "window changed",
  SIGIO: "I/O possible",
  SIGPWR: "power failure",
  SIGSYS: "bad system call",
};

/** How a finished process ended, as Go's ProcessState.String() puts it. */
export function waitStatus(exitCode: number | null, signal: string | number | undefined | null): string {
  if (signal === undefined || signal === null) return `exit status ${exitCode ?? -1}`;
  if (typeof signal === "number") return `signal: signal ${signal}`;
  return `signal: ${GO_SIGNALS[signal] ?? signal}`;
}

/** A hook that ran and failed: runc's inner message, output included raw. */
export function failedRun(status: string, stdout: string, stderr: string): string {
  return `error running hook: ${status}, stdout: ${stdout}, stderr: ${stderr}`;
}

/** A hook that could not be started at all. `errno` is positive or negative. */
export function failedExec(path: string, errno: number | undefined, fallback: string): string {
  const text = errno === undefined || errno === 0 ? fallback : errnoMessage(Math.abs(errno));
  return `fork/exec ${path}: ${text}`;
}

/** Go formats the limit with %.1f of its seconds: 1 → "1.0s". */
export function timedOut(seconds: number): string {
  return `hook ran past specified timeout of ${seconds.toFixed(1)}s`;
}

/** The outer message, as runc's HookList.RunHooks wraps each failure. */
export function numbered(index: number, detail: string): string {
  return `error running hook #${index}: ${detail}`;
}
