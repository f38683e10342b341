// The lifecycle's entry point: run a phase's hooks for a container, with
// the state document built the way the phase table says (status, and which
// view of the pid), so each call site only says which phase and which pid.
import { readTextFile } from "../runtime/linux/files.ts";
import type { HookName, Spec } from "../spec/types.ts";
import { phase, type Phase } from "./phases.ts";
import { runHooks, type RunHooksOptions } from "./run.ts";
import { hookState, type HookState } from "./state.ts";

export interface HookTarget {
  id: string;
  /** Absolute path of the bundle. */
  bundle: string;
  spec: Spec;
  /** The container process as the host sees it; 0 when there is none. */
  pid: number;
}

/**
 * The pid a process has in its own pid namespace: the last NSpid entry of
 * /proc/PID/status (1 for a container's init with a pid namespace of its
 * own). Falls back to the host pid when that line cannot be read.
 */
export function namespacePid(hostPid: number): number {
  try {
    const status = readTextFile(`/proc/${hostPid}/status`);
    const line = /^NSpid:\s*(.*)$/m.exec(status)?.[1];
    const last = line?.trim().split(/\s+/).pop();
    return last ? Number(last) : hostPid;
  } catch {
    return hostPid;
  }
}

const PID_VIEWS: Record<Phase["pid"], (hostPid: number) => number> = {
  host: (pid) => pid,
  container: (pid) => (pid > 0 ? namespacePid(pid) : 0),
  none: () => 0,
};

/** The document a phase's hooks read on stdin. */
export function phaseState(name: HookName, t: HookTarget): HookState {
  const p = phase(name);
  return hookState({
    ociVersion: t.spec.ociVersion,
    id: t.id,
    status: p.status,
    pid: PID_VIEWS[p.pid](t.pid),
    bundle: t.bundle,
    annotations: t.spec.annotations,
  });
}

/** Whether the config has a hook in any of these phases: lets a caller skip
 * work (such as a sync point with the init stage) that only hooks need. */
export function hasHooks(spec: Spec, ...names: HookName[]): boolean {
  return names.some((n) => (spec.hooks?.[n]?.length ?? 0) > 0);
}

/** Runs one phase's hooks for a container; see runHooks for failures. */
export function runPhase(name: HookName, t: HookTarget, opts: RunHooksOptions = {}): void {
  if (!hasHooks(t.spec, name)) return;
  runHooks(name, t.spec.hooks, phaseState(name, t), opts);
}
