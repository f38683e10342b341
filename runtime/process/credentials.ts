// The container process's identity and limits, from process in config.json:
// rlimits, keyring, capabilities, user and groups, security labels, I/O and
// CPU scheduling, working directory and the program to exec.
import { RuntimeError } from "../errors.ts";
import { pathExists, readTextFile } from "../linux/ffi.ts";
import { log } from "../log.ts";
import type { Process } from "../../spec/types.ts";
import { capabilitySets } from "../linux/capabilities.ts";
import { rlimitResource } from "../linux/rlimits.ts";
import { ioPriorityValue, schedulerAttr } from "../linux/scheduling.ts";
import { Op, type Step } from "./protocol.ts";
import { step } from "./steps.ts";

function envValue(env: readonly string[], name: string): string | null {
  const hit = env.findLast((e) => e.startsWith(`${name}=`));
  return hit === undefined ? null : hit.slice(name.length + 1);
}

function apparmorEnabled(): boolean {
  try {
    return readTextFile("/sys/module/apparmor/parameters/enabled").trim() === "Y";
  } catch {
    return false;
  }
}

/** Labels are written by the process for itself and take effect at exec. */
function labelSteps(proc: Process): Step[] {
  const steps: Step[] = [];
  if (proc.apparmorProfile) {
    if (!apparmorEnabled()) {
      throw new RuntimeError("INVALID_CONFIG", `apparmor profile "${proc.apparmorProfile}" set, but AppArmor is not enabled on this host`);
    }
    steps.push(step(Op.WRITE_PROC, "apply apparmor profile", "self/attr/apparmor/exec", new TextEncoder().encode(`exec ${proc.apparmorProfile}`)));
  }
  if (proc.selinuxLabel) {
    if (!pathExists("/sys/fs/selinux/enforce")) {
      throw new RuntimeError("INVALID_CONFIG", `selinux label "${proc.selinuxLabel}" set, but SELinux is not enabled on this host`);
    }
    steps.push(step(Op.WRITE_PROC, "set selinux label", "self/attr/exec", new TextEncoder().encode(proc.selinuxLabel)));
  }
  return steps;
}

function schedulingSteps(proc: Process): Step[] {
  const steps: Step[] = [];
  if (proc.ioPriority) steps.push(step(Op.IOPRIO, "set I/O priority", ioPriorityValue(proc.ioPriority)));
  if (proc.scheduler) steps.push(step(Op.SCHED_SETATTR, "set scheduler", schedulerAttr(proc.scheduler)));
  return steps;
}

export interface ProcessStepsOptions {
  /** Skip the new session keyring (`--no-new-keyring`, and every exec). */
  noNewKeyring: boolean;
  keyringName: string;
  /** What to exec, when not args[0] (a hook: its path, with its own argv). */
  program?: string;
  /** The compiled seccomp filter, if the config has one. */
  seccomp?: { program: Uint8Array; flags: number };
  /** setgroups(2) is off in the container's user namespace: skip it (runc does). */
  setgroupsDenied?: boolean;
}

function groupSteps(gids: readonly number[], denied: boolean): Step[] {
  if (!denied) return [step(Op.SETGROUPS, "set additional groups", ...gids)];
  if (gids.length > 0) throw new RuntimeError("INVALID_CONFIG", "cannot set gids as setgroups is disabled in the user namespace");
  return [];
}

/** Credentials, limits and the program, everything up to exec. */
export function processSteps(proc: Process, opts: ProcessStepsOptions): Step[] {
  const args = proc.args ?? [];
  if (args.length === 0) throw new RuntimeError("INVALID_CONFIG", "args must not be empty");
  const user = proc.user ?? { uid: 0, gid: 0 };
  const resolved = proc.capabilities ? capabilitySets(proc.capabilities) : undefined;
  // runc's warning, word for word: tools match on it.
  if (resolved?.ignored.length) log.warn(`ignoring unknown or unavailable capabilities: [${resolved.ignored.join(" ")}]`);
  const caps = resolved?.sets;
  const seccomp = opts.seccomp && step(Op.SECCOMP, "load seccomp filter", opts.seccomp.program, opts.seccomp.flags);
  const steps: Step[] = (proc.rlimits ?? []).map((r) =>
    step(Op.SETRLIMIT, `set rlimit ${r.type}`, rlimitResource(r.type), r.soft, r.hard),
  );
  if (!opts.noNewKeyring) steps.push(step(Op.KEYRING, "join a new session keyring", opts.keyringName));
  steps.push(...schedulingSteps(proc), ...labelSteps(proc));
  // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: do it while we have it.
  if (seccomp && !proc.noNewPrivileges) steps.push(seccomp);
  if (caps) steps.push(step(Op.CAPS_BOUNDING, "drop bounding capabilities", caps.bounding));
  const chdir = (phase: number) => step(Op.CHDIR, `chdir to cwd ("${proc.cwd}") set in config.json`, proc.cwd, phase);
  steps.push(
    chdir(0),
    step(Op.KEEP_CAPS, "keep capabilities across setuid", 1),
    ...groupSteps(user.additionalGids ?? [], opts.setgroupsDenied === true),
    step(Op.SETGID, "set gid", user.gid ?? 0),
    step(Op.SETUID, "set uid", user.uid ?? 0),
  );
  if (caps) {
    steps.push(step(Op.CAPS_SET, "set capabilities", caps.effective, caps.permitted, caps.inheritable));
    if (caps.ambient) steps.push(step(Op.CAPS_AMBIENT, "raise ambient capabilities", caps.ambient));
  }
  steps.push(
    step(Op.UMASK, "set umask", user.umask ?? 0o022),
    chdir(1),
    step(Op.RESOLVE_EXEC, "find the executable", opts.program ?? args[0]!, envValue(proc.env ?? [], "PATH")),
  );
  if (proc.noNewPrivileges) steps.push(step(Op.NO_NEW_PRIVS, "set no_new_privs"));
  if (seccomp && proc.noNewPrivileges) steps.push(seccomp);
  return steps;
}

export function execStep(proc: Process): Step {
  const args = proc.args ?? [];
  return step(Op.EXEC, `exec ${args[0]}`, ...args, new Uint8Array(0), ...(proc.env ?? []));
}
