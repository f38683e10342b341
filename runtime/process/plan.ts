// The init stage's program for a new container: every decision made here,
// in order, as steps the C stage runs without judgement. See protocol.ts
// for the conversation around it.
import { RuntimeError } from "../errors.ts";
import type { Process, Spec } from "../../spec/types.ts";
import { capabilitySets } from "../linux/capabilities.ts";
import { NAMESPACES, namespaceKind } from "../linux/namespaces.ts";
import { rlimitResource } from "../linux/rlimits.ts";
import { rootfsSteps, type RootfsContext } from "../linux/rootfs.ts";
import { Op, type Step } from "./protocol.ts";

export interface InitContext extends RootfsContext {
  stateDir: string;
  /** `run` in the foreground: the stage's parent stays to pass the exit status on. */
  foreground: boolean;
  noNewKeyring: boolean;
  id: string;
  /** Set when process.terminal asks for a pty. */
  terminal?: TerminalPlan;
}

export const SYNC_USERNS = "userns";
export const SYNC_CGROUP = "cgroup";

const step = (op: Step["op"], what: string, ...args: Step["args"]): Step => ({ op, args, what });

const CLONE_NEWUSER = namespaceKind("user")!.flag;
const CLONE_NEWCGROUP = namespaceKind("cgroup")!.flag;

export interface NamespacePlan {
  join: { path: string; flag: number; type: string }[];
  /** Flags for unshare before the fork; a new cgroup ns comes later. */
  unshare: number;
  newCgroupNs: boolean;
  newMountNs: boolean;
}

export function namespacePlan(spec: Spec): NamespacePlan {
  const seen = new Set<string>();
  const plan: NamespacePlan = { join: [], unshare: 0, newCgroupNs: false, newMountNs: false };
  for (const ns of spec.linux?.namespaces ?? []) {
    const kind = namespaceKind(ns.type);
    if (!kind) throw new RuntimeError("INVALID_CONFIG", `unknown namespace type "${ns.type}"`);
    if (seen.has(ns.type)) throw new RuntimeError("INVALID_CONFIG", `duplicate namespace type "${ns.type}"`);
    seen.add(ns.type);
    if (ns.path) plan.join.push({ path: ns.path, flag: kind.flag, type: ns.type });
    else if (kind.type === "cgroup") plan.newCgroupNs = true;
    else plan.unshare |= kind.flag;
    if (kind.type === "mount" && !ns.path) plan.newMountNs = true;
  }
  if (!seen.has("mount")) throw new RuntimeError("INVALID_CONFIG", "a mount namespace is required");
  plan.join.sort((a, b) => joinOrder(a.type) - joinOrder(b.type));
  return plan;
}

/** User first (it grants the rights to join the rest), mount last: once in
 * the container's mounts, host paths such as /proc/PID/ns/* are gone. */
function joinOrder(type: string): number {
  return type === "mount" ? NAMESPACES.length : NAMESPACES.findIndex((n) => n.type === type);
}

/** Steps that put the stage in every namespace of a running container. */
export function joinContainerSteps(spec: Spec, initPid: number): Step[] {
  const types = (spec.linux?.namespaces ?? []).map((n) => n.type).sort((a, b) => joinOrder(a) - joinOrder(b));
  return types.map((t) => {
    const kind = namespaceKind(t)!;
    const path = `/proc/${initPid}/ns/${kind.procName}`;
    return step(Op.SETNS, `join ${t} namespace ${path}`, path, kind.flag);
  });
}

export interface TerminalPlan {
  /** The stage's fd of the console socket, or -1 to send it to the runtime. */
  via: number;
  uid: number;
  rows: number;
  cols: number;
}

export function terminalStep(t: TerminalPlan): Step {
  return step(Op.SETUP_TTY, "set up the terminal", t.via, t.uid, t.rows, t.cols);
}

function namespaceSteps(ns: NamespacePlan): Step[] {
  const steps = ns.join.map((j) => step(Op.SETNS, `join ${j.type} namespace ${j.path}`, j.path, j.flag));
  if (ns.unshare) steps.push(step(Op.UNSHARE, "create namespaces", ns.unshare));
  if (ns.unshare & CLONE_NEWUSER) steps.push(step(Op.SYNC, "map user ids", SYNC_USERNS));
  return steps;
}

function envValue(env: readonly string[], name: string): string | null {
  const hit = env.findLast((e) => e.startsWith(`${name}=`));
  return hit === undefined ? null : hit.slice(name.length + 1);
}

/** Credentials, limits and the program, ending in exec. */
export function processSteps(proc: Process, noNewKeyring: boolean, id: string): Step[] {
  const args = proc.args ?? [];
  if (args.length === 0) throw new RuntimeError("INVALID_CONFIG", "args must not be empty");
  const env = proc.env ?? [];
  const user = proc.user ?? { uid: 0, gid: 0 };
  const steps: Step[] = [];
  for (const r of proc.rlimits ?? []) {
    steps.push(step(Op.SETRLIMIT, `set ${r.type}`, rlimitResource(r.type), r.soft, r.hard));
  }
  if (!noNewKeyring) steps.push(step(Op.KEYRING, "join a new session keyring", id));
  const caps = proc.capabilities ? capabilitySets(proc.capabilities) : undefined;
  if (caps) steps.push(step(Op.CAPS_BOUNDING, "drop bounding capabilities", caps.bounding));
  steps.push(
    step(Op.KEEP_CAPS, "keep capabilities across setuid", 1),
    step(Op.SETGROUPS, "set additional groups", ...(user.additionalGids ?? [])),
    step(Op.SETGID, "set gid", user.gid ?? 0),
    step(Op.SETUID, "set uid", user.uid ?? 0),
  );
  if (caps) {
    steps.push(step(Op.CAPS_SET, "set capabilities", caps.effective, caps.permitted, caps.inheritable));
    if (caps.ambient) steps.push(step(Op.CAPS_AMBIENT, "raise ambient capabilities", caps.ambient));
  }
  steps.push(
    step(Op.UMASK, "set umask", user.umask ?? 0o022),
    step(Op.CHDIR, `chdir to cwd ("${proc.cwd}")`, proc.cwd),
    step(Op.RESOLVE_EXEC, "find the executable", args[0]!, envValue(env, "PATH")),
  );
  if (proc.noNewPrivileges) steps.push(step(Op.NO_NEW_PRIVS, "set no_new_privs"));
  return steps;
}

export function execStep(proc: Process): Step {
  const args = proc.args ?? [];
  return step(Op.EXEC, `exec ${args[0]}`, ...args, new Uint8Array(0), ...(proc.env ?? []));
}

/** The whole program for a container's first process. */
export function initPlan(spec: Spec, ctx: InitContext): Step[] {
  if (!spec.process) throw new RuntimeError("INVALID_CONFIG", "process property must not be empty");
  const ns = namespacePlan(spec);
  const steps: Step[] = [
    ...namespaceSteps(ns),
    step(Op.FORK, "fork the container's init", ctx.foreground ? 1 : 0),
    step(Op.SYNC, "join cgroups", SYNC_CGROUP),
  ];
  if (ns.newCgroupNs) steps.push(step(Op.UNSHARE, "create cgroup namespace", CLONE_NEWCGROUP));
  steps.push(step(Op.SETSID, "create a session"), step(Op.OPEN_STATE_DIR, "open the state directory", ctx.stateDir));
  steps.push(...rootfsSteps(spec, { ...ctx, cgroupNs: ns.newCgroupNs || ctx.cgroupNs }));
  if (spec.hostname !== undefined) steps.push(step(Op.SETHOSTNAME, "set hostname", new TextEncoder().encode(spec.hostname)));
  if (spec.domainname !== undefined) {
    steps.push(step(Op.SETDOMAINNAME, "set domainname", new TextEncoder().encode(spec.domainname)));
  }
  if (ctx.terminal) steps.push(terminalStep(ctx.terminal));
  steps.push(
    ...processSteps(spec.process, ctx.noNewKeyring, ctx.id),
    step(Op.READY, "report ready"),
    step(Op.CLOSE_SOCKET, "close the runtime's socket"),
    step(Op.WAIT_EXEC_FIFO, "wait for start"),
    execStep(spec.process),
  );
  return steps;
}

/** The program for a process joining a running container (`exec`). */
export function execPlan(spec: Spec, proc: Process, ctx: { initPid: number; foreground: boolean; id: string; terminal?: TerminalPlan }): Step[] {
  const steps: Step[] = [
    ...joinContainerSteps(spec, ctx.initPid),
    step(Op.FORK, "fork the new process", ctx.foreground ? 1 : 0),
    step(Op.SYNC, "join cgroups", SYNC_CGROUP),
  ];
  if (ctx.terminal) steps.push(terminalStep(ctx.terminal));
  steps.push(
    ...processSteps(proc, true, ctx.id),
    step(Op.READY, "report ready"),
    step(Op.CLOSE_SOCKET, "close the runtime's socket"),
    execStep(proc),
  );
  return steps;
}
