// Every failure the runtime reports is a RuntimeError with a stable code.
// The message is what runc would print (callers such as containerd and
// Podman match on some of these words); the code maps to an exit status in
// one place, main.ts.

export type ErrorCode =
  | "USAGE" // bad flags or arguments
  | "INVALID_ID"
  | "INVALID_CONFIG" // config.json missing, unreadable or invalid
  | "CONTAINER_EXISTS"
  | "CONTAINER_NOT_FOUND"
  | "CONTAINER_NOT_RUNNING"
  | "INVALID_STATE" // operation not allowed in the current status
  | "STATE_DAMAGED" // a file in the container's state directory is unreadable or not what runb writes
  | "SYSCALL" // a kernel call failed; see cause
  | "EXEC_NOT_FOUND" // the container's program does not exist
  | "EXEC_DENIED" // the container's program is not executable
  | "CGROUP"
  | "HOOK"
  | "EXEC_FAILED" // anything that kept `exec` from running its process
  | "INTERNAL";

export class RuntimeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RuntimeError";
    this.code = code;
    this.hint = options.hint;
  }
}

/** A failed system call: which call, on what, and the errno. */
export class SyscallError extends Error {
  readonly syscall: string;
  readonly errno: number;
  readonly errnoName: string;

  constructor(syscall: string, errno: number, errnoName: string, message: string, subject?: string) {
    super(subject === undefined ? `${syscall}: ${message}` : `${syscall} ${subject}: ${message}`);
    this.name = "SyscallError";
    this.syscall = syscall;
    this.errno = errno;
    this.errnoName = errnoName;
  }

  /** The errno name under the property Node's fs errors use, so code that
   * tells ENOENT from other failures works with either. */
  get code(): string {
    return this.errnoName;
  }
}

/** Exit status for an error: runc exits 1, but 255 when `exec` fails, so
 * that a caller can tell it from the exit status of the process it ran. */
export function exitCodeFor(err: unknown): number {
  return err instanceof RuntimeError && err.code === "EXEC_FAILED" ? 255 : 1;
}

/** The one-line message printed for an error, whatever threw it. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
