// Runs the hooks of one phase, one after the other, the way runc's
// Command.Run does: hook.path is executed with hook.args as its argv and
// hook.env as its environment, the state document on stdin, stdout and
// stderr captured for the error message, and hook.timeout enforced.
//
// Synchronous on purpose: the lifecycle calls hooks from points where it is
// blocked anyway (a sync point of the init stage, the middle of delete), and
// the runtime is a short-lived process with nothing else to do meanwhile.
import type { Hook, HookName, Hooks } from "../spec/types.ts";
import { RuntimeError } from "../runtime/errors.ts";
import { log } from "../runtime/log.ts";
import { phase } from "./phases.ts";
import { goJson } from "./state.ts";
import { failedExec, failedRun, numbered, timedOut, waitStatus } from "./wording.ts";

export interface RunHooksOptions {
  /**
   * Turns a hook into the command actually spawned, for phases that run in
   * the container's namespaces (see phases.ts `execute`): e.g. a helper that
   * joins the container's mount namespace and then execs. Gets the hook's
   * argv (argv[0] is the name the hook should see) and its path; returns the
   * command to spawn, whose first element is the program and its argv[0].
   */
  wrap?: (argv: string[], path: string) => string[];
  /** Working directory of the hooks; default: the runtime's own, as in runc. */
  cwd?: string;
  /** Runs each hook through a launcher of its own instead (see Launch). */
  launcher?: (hook: Hook) => Launch;
}

/**
 * A hook started by something that sets it up first (the init stage,
 * inside the container): the command to spawn, descriptors it needs after
 * stdio, what went wrong before the hook itself ran (if anything), and the
 * clean-up.
 */
export interface Launch {
  cmd: string[];
  argv0: string;
  fds: number[];
  failure(): string | undefined;
  close(): void;
}

interface Command {
  cmd: string[];
  argv0: string;
}

/**
 * Runs `hooks[name]` in order with `state` (see hookState) on each one's
 * stdin. In a "fail" phase the first failure throws RuntimeError("HOOK")
 * and the rest are not run; in a "warn" phase (poststop) each failure is
 * logged as a warning and the next hook runs. No hooks: returns at once.
 */
export function runHooks(name: HookName, hooks: Hooks | undefined, state: object, opts: RunHooksOptions = {}): void {
  const list = hooks?.[name];
  if (!list || list.length === 0) return;
  const { onFailure, context } = phase(name);
  const stdin = Buffer.from(goJson(state));
  for (const [i, hook] of list.entries()) {
    const failure = runHook(hook, stdin, opts);
    if (failure === undefined) continue;
    const message = numbered(i, failure);
    if (onFailure === "warn") log.warn(message);
    else throw new RuntimeError("HOOK", context + message);
  }
}

/** Runs one hook; returns what went wrong in runc's words, or undefined. */
export function runHook(hook: Hook, stdin: Uint8Array, opts: RunHooksOptions = {}): string | undefined {
  if (!opts.launcher) return runCommand(hook, stdin, commandOf(hook, opts.wrap), opts);
  const launch = opts.launcher(hook);
  try {
    const failure = runCommand(hook, stdin, launch, opts, launch.fds);
    return launch.failure() ?? failure;
  } finally {
    launch.close();
  }
}

function runCommand(hook: Hook, stdin: Uint8Array, { cmd, argv0 }: Command, opts: RunHooksOptions, fds: number[] = []): string | undefined {
  const timeout = hook.timeout;
  let result: ReturnType<typeof Bun.spawnSync>;
  try {
    result = Bun.spawnSync({
      cmd,
      argv0,
      env: envOf(hook.env),
      cwd: opts.cwd,
      stdio: [stdin, "pipe", "pipe", ...fds] as unknown as ["pipe", "pipe", "pipe"],
      // With a timeout the hook gets a process group of its own, so that
      // whatever it started can be killed with it (below); runc kills only
      // the hook and then waits for its children to close the output pipes.
      ...(timeout === undefined ? {} : { timeout: timeout * 1000, killSignal: "SIGKILL", detached: true }),
    });
  } catch (e) {
    const err = e as { errno?: number; message?: string };
    return failedExec(cmd[0] ?? hook.path, err.errno, err.message ?? String(e));
  }
  if (result.exitedDueToTimeout && timeout !== undefined) {
    killGroup(result.pid);
    return timedOut(timeout);
  }
  if (result.success) return undefined;
  return failedRun(waitStatus(result.exitCode, result.signalCode), text(result.stdout), text(result.stderr));
}

/**
 * argv is hook.args when given, else just the path (Go's exec.Cmd with
 * empty Args). A path without a slash is exec'd relative to the working
 * directory, as execve does; Bun would otherwise search $PATH for it.
 */
export function commandOf(hook: Hook, wrap?: RunHooksOptions["wrap"]): Command {
  const argv = hook.args && hook.args.length > 0 ? [...hook.args] : [hook.path];
  if (wrap) {
    const cmd = wrap(argv, hook.path);
    return { cmd, argv0: cmd[0] ?? hook.path };
  }
  const program = hook.path.includes("/") ? hook.path : `./${hook.path}`;
  return { cmd: [program, ...argv.slice(1)], argv0: argv[0] ?? hook.path };
}

/**
 * No env in the config: the hook inherits the runtime's environment, as
 * with runc (Go's exec.Cmd with a nil Env). An env list, even an empty one,
 * is the whole environment. A repeated name keeps its last value, as Go
 * does; entries without "=" cannot be passed through Bun and are dropped.
 */
export function envOf(env: readonly string[] | undefined): Record<string, string | undefined> {
  // Passed explicitly: Bun's default is the environment the process started with.
  if (env === undefined) return process.env;
  const out: Record<string, string> = {};
  for (const entry of env) {
    const eq = entry.indexOf("=");
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

/** Kills what the timed-out hook left in its group; gone already is fine. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: nothing left.
  }
}

function text(out: Uint8Array | undefined | null): string {
  return out ? Buffer.from(out).toString("utf8") : "";
}
