// The six hook phases of runtime-spec v1.3.0 (config.md "POSIX-platform
// Hooks", runtime.md "Lifecycle"), in the spec's order, with
// what runc 1.1 does for each where it settles something the spec leaves
// open or where it departs from the spec: runb is a drop-in for runc, so
// runc's behaviour wins where callers could notice.
//
// poststart follows the spec (step 9 of the lifecycle) and runc 1.2, not
// runc 1.1: it runs in `start`, once the user's program has been released,
// with the status "running"; a failing hook stops the container and fails
// `start`. runc 1.1 ran it at the end of `create`.
//
// This module only describes; hooks/run.ts runs a phase's hooks, and the
// lifecycle code calls it at the point named in `when`.
import type { HookName } from "../spec/types.ts";

/** The spec's two places: the runtime's namespaces, or the container's. */
export type Namespace = "runtime" | "container";

/** The state.status runc puts in the document a phase's hooks read on stdin. */
export type HookStatus = "creating" | "created" | "running" | "stopped";

export interface Phase {
  name: HookName;
  /** The command during which the hooks run. */
  operation: "create" | "start" | "delete";
  /** Where the runtime is in that command when it runs them. */
  when: string;
  /** Where hook.path is looked up. */
  resolve: Namespace;
  /** Where the hook process runs. "container" needs the caller's `wrap`. */
  execute: Namespace;
  status: HookStatus;
  /** Which pid the document carries: the host's view, the container's own
   * view (runc calls getpid() inside the container), or none. */
  pid: "host" | "container" | "none";
  /** "fail": the first failing hook stops the phase and fails the command,
   * and the container is torn down (poststop hooks included).
   * "warn": each failure is logged as a warning and the next hook runs. */
  onFailure: "fail" | "warn";
  /** What runc writes before "error running hook #N: ..." for this phase. */
  context: string;
}

// runc reports hook failures that happen while init is being set up through
// its init error path, which adds these words.
const INIT_CONTEXT = "unable to start container process: error during container init: ";

export const PHASES: readonly Phase[] = [
  {
    // Deprecated; runc runs it with the same timing as createRuntime, just
    // before. It runs during `create`, whose state is "creating" until the
    // process waits for `start`, so that is the status it reads, as in runc.
    name: "prestart",
    operation: "create",
    when: "mounts are set up in the container's mount namespace, before pivot_root",
    resolve: "runtime",
    execute: "runtime",
    status: "creating",
    pid: "host",
    onFailure: "fail",
    context: INIT_CONTEXT,
  },
  {
    name: "createRuntime",
    operation: "create",
    when: "right after prestart, before pivot_root",
    resolve: "runtime",
    execute: "runtime",
    status: "creating",
    pid: "host",
    onFailure: "fail",
    context: INIT_CONTEXT,
  },
  {
    // runc runs these from its init, inside the container's mount namespace
    // but before pivot_root, so host paths still resolve; cwd is the rootfs.
    name: "createContainer",
    operation: "create",
    when: "after createRuntime, in the container's mount namespace, before pivot_root",
    resolve: "runtime",
    execute: "container",
    status: "creating",
    pid: "container",
    onFailure: "fail",
    context: INIT_CONTEXT,
  },
  {
    // runc's init runs these after start opened exec.fifo, after pivot_root,
    // just before exec: the path is looked up in the container's rootfs. A
    // failure there ends init (the container stops, status 1) while `start`
    // itself has already succeeded; the spec asks for an error instead.
    name: "startContainer",
    operation: "start",
    when: "after start released the process, before it execs the user program",
    resolve: "container",
    execute: "container",
    status: "created",
    pid: "container",
    onFailure: "fail",
    context: "",
  },
  {
    // After `start` released the process: the spec's "running", and a failure
    // is an error (v1.3.0): the container is killed and `start` fails.
    name: "poststart",
    operation: "start",
    when: "end of start: the process was released to exec the user's program",
    resolve: "runtime",
    execute: "runtime",
    status: "running",
    pid: "host",
    onFailure: "fail",
    context: "",
  },
  {
    // After the container's cgroups and state directory are gone. runc logs
    // a failure at error level and skips the remaining poststop hooks; the
    // spec's warning-and-continue is followed here, and delete succeeds.
    name: "poststop",
    operation: "delete",
    when: "after the container is destroyed: by delete, by run when it ends, and by a failed create",
    resolve: "runtime",
    execute: "runtime",
    status: "stopped",
    pid: "none",
    onFailure: "warn",
    context: "",
  },
];

const BY_NAME = new Map(PHASES.map((p) => [p.name, p]));

export function phase(name: HookName): Phase {
  const p = BY_NAME.get(name);
  if (!p) throw new Error(`unknown hook phase ${name}`);
  return p;
}
