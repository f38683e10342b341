// The C stage's programs: for a new container (initPlan) and for a process
// joining one (execPlan). Every decision is made here, in order, as steps
// the stage runs without judgement; protocol.ts has the conversation around
// them.
import { RuntimeError } from "../errors.ts";
import { pathExists, readTextFile } from "../linux/ffi.ts";
import type { Process, Spec } from "../../spec/types.ts";
import { finishRootfsSteps, rootfsSteps, type RootfsContext } from "../linux/rootfs.ts";
import { sysctlWrites } from "../linux/sysctl.ts";
import { execStep, processSteps, type ProcessStepsOptions } from "./credentials.ts";
import { setgroupsDenied, setgroupsDeniedIn } from "./idmaps.ts";
import { currentIdentity, isUserNamespaceMap } from "../linux/userns.ts";
import { CLONE_NEWCGROUP, joinContainerSteps, namespacePlan, namespaceSteps } from "./namespace-plan.ts";
import { Op, type Step } from "./protocol.ts";
import { step, SYNC_CGROUP, SYNC_HOOKS } from "./steps.ts";
import { hasHooks } from "../../hooks/lifecycle.ts";

export { SYNC_CGROUP, SYNC_HOOKS, SYNC_NAMESPACES } from "./steps.ts";

export interface TerminalPlan {
  /** The stage's fd of the console socket, or -1 to send it to the runtime. */
  via: number;
  uid: number;
  rows: number;
  cols: number;
}

export interface InitContext extends Omit<RootfsContext, "cgroupNs" | "userNs"> {
  /** The stage's O_PATH fd of exec.fifo, opened by the runtime: in a user
   * namespace the stage may not be allowed to reach the path itself, and a
   * descriptor of the state directory would lead out of the container. */
  execFifoFd: number;
  /** `run` in the foreground: the stage's parent stays to pass the exit status on. */
  foreground: boolean;
  noNewKeyring: boolean;
  id: string;
  /** Set when process.terminal asks for a pty. */
  terminal?: TerminalPlan;
  seccomp?: ProcessStepsOptions["seccomp"];
  /** The stage's fd of the container's cgroup v2 directory, to fork the
   * container's process right into it. */
  cgroupFd?: number;
  /** Stage fds that are for the stage alone (bind sources): closed at exec. */
  transientFds?: number[];
}

export function terminalStep(t: TerminalPlan): Step {
  return step(Op.SETUP_TTY, "set up the terminal", t.via, t.uid, t.rows, t.cols);
}

const LINUX_PERSONALITIES: Record<string, number> = { LINUX: 0x0000, LINUX32: 0x0008 };

/** What only makes sense once the rootfs is in place: hostname, sysctls. */
function systemSteps(spec: Spec, created: ReadonlySet<string>): Step[] {
  const encode = (s: string) => new TextEncoder().encode(s);
  const steps: Step[] = [];
  if (spec.hostname !== undefined) steps.push(step(Op.SETHOSTNAME, "set hostname", encode(spec.hostname)));
  if (spec.domainname !== undefined) steps.push(step(Op.SETDOMAINNAME, "set domainname", encode(spec.domainname)));
  for (const [path, value] of sysctlWrites(spec.linux?.sysctl, created)) {
    steps.push(step(Op.WRITE_PROC, `set sysctl ${path}`, path.slice("/proc/".length), encode(value)));
  }
  const persona = spec.linux?.personality;
  if (persona) {
    const domain = LINUX_PERSONALITIES[persona.domain ?? ""];
    if (domain === undefined) throw new RuntimeError("INVALID_CONFIG", `unknown personality domain "${persona.domain}"`);
    if ((persona.flags ?? []).length > 0) throw new RuntimeError("INVALID_CONFIG", "personality flags are not supported");
    steps.push(step(Op.PERSONALITY, "set personality", domain));
  }
  return steps;
}

/** Whether the host has resctrl mounted, runc's test for Intel RDT. */
function resctrlMounted(): boolean {
  try {
    return readTextFile("/proc/self/mountinfo").includes(" - resctrl ");
  } catch {
    return false;
  }
}

// Without resctrl on the host, runc accepts a bare closID (there is no
// group to join) and refuses the schemas, in these words. With resctrl,
// a class of service would have to be made and joined, which this runtime
// does not do: refused rather than ignored.
function checkIntelRdt(rdt: NonNullable<NonNullable<Spec["linux"]>["intelRdt"]>): void {
  if (resctrlMounted()) {
    throw new RuntimeError("INVALID_CONFIG", "intelRdt is not supported: this runtime does not manage resctrl groups");
  }
  const feature: [keyof typeof rdt, string][] = [
    ["l3CacheSchema", "Intel RDT/CAT"],
    ["memBwSchema", "Intel RDT/MBA"],
    ["schemata", "Intel RDT"],
    ["enableMonitoring", "Intel RDT monitoring"],
  ];
  for (const [field, what] of feature) {
    const v = rdt[field];
    if (v === undefined || v === false || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    throw new RuntimeError("INVALID_CONFIG", `intelRdt.${field} is specified in config, but ${what} is not enabled`);
  }
}

/** Settings this runtime cannot honour: refused, not ignored. */
function refuseUnsupported(spec: Spec): void {
  if (spec.linux?.intelRdt) checkIntelRdt(spec.linux.intelRdt);
  if (spec.linux?.memoryPolicy) throw new RuntimeError("INVALID_CONFIG", "linux.memoryPolicy is not supported");
  if (spec.linux?.netDevices && Object.keys(spec.linux.netDevices).length > 0) {
    throw new RuntimeError("INVALID_CONFIG", "linux.netDevices is not supported");
  }
  if (spec.linux?.mountLabel && !pathExists("/sys/fs/selinux/enforce")) {
    throw new RuntimeError("INVALID_CONFIG", `mountLabel "${spec.linux.mountLabel}" set, but SELinux is not enabled on this host`);
  }
}

/** The whole program for a container's first process. */
export function initPlan(spec: Spec, ctx: InitContext): Step[] {
  if (!spec.process) throw new RuntimeError("INVALID_CONFIG", "process property must not be empty");
  refuseUnsupported(spec);
  const ns = namespacePlan(spec);
  const noSetgroups = setgroupsDenied(spec.linux?.gidMappings, ns.created.has("user"));
  const steps: Step[] = [
    ...namespaceSteps(ns, noSetgroups),
    step(Op.FORK, "fork the container's init", ctx.foreground ? 1 : 0, ctx.cgroupFd ?? -1),
    step(Op.SYNC, "join cgroups", SYNC_CGROUP),
  ];
  if (ns.created.has("cgroup")) steps.push(step(Op.UNSHARE, "create cgroup namespace", CLONE_NEWCGROUP));
  steps.push(step(Op.SETSID, "create a session"), step(Op.EXEC_FIFO_FD, "keep the exec fifo", ctx.execFifoFd));
  if (ctx.transientFds?.length) steps.push(step(Op.CLOEXEC, "keep the runtime's descriptors out of the container", ...ctx.transientFds));
  // prestart, createRuntime and createContainer run with the mounts made,
  // before pivot_root, while the stage waits.
  const beforePivot = hasHooks(spec, "prestart", "createRuntime", "createContainer")
    ? [step(Op.SYNC, "run the create hooks", SYNC_HOOKS)]
    : [];
  // Devices are bind-mounted when mknod cannot work: in a user namespace of
  // the container's, or of the runtime's own (rootless Podman), as runc does.
  const userNs = ns.present.has("user") || isUserNamespaceMap(currentIdentity().uidMap);
  const rootfsCtx = { ...ctx, cgroupNs: ns.created.has("cgroup"), userNs, mountNs: ns.present.has("mount"), beforePivot };
  steps.push(...rootfsSteps(spec, rootfsCtx));
  steps.push(...systemSteps(spec, ns.private), ...finishRootfsSteps(spec));
  if (ctx.terminal) steps.push(terminalStep(ctx.terminal));
  steps.push(
    ...processSteps(spec.process, { noNewKeyring: ctx.noNewKeyring, keyringName: ctx.id, seccomp: ctx.seccomp, setgroupsDenied: noSetgroups }),
    step(Op.READY, "report ready"),
    step(Op.CLOSE_SOCKET, "close the runtime's socket"),
    step(Op.WAIT_EXEC_FIFO, "wait for start"),
    execStep(spec.process),
  );
  return steps;
}

export interface ExecContext {
  initPid: number;
  foreground: boolean;
  id: string;
  terminal?: TerminalPlan;
  seccomp?: ProcessStepsOptions["seccomp"];
}

export function hasMountNamespace(spec: Spec): boolean {
  return (spec.linux?.namespaces ?? []).some((n) => n.type === "mount");
}

/** The program for a process joining a running container (`exec`). */
export function execPlan(spec: Spec, proc: Process, ctx: ExecContext): Step[] {
  const steps: Step[] = [
    ...joinContainerSteps(spec, ctx.initPid),
    // Without a mount namespace of its own, the container is a chroot:
    // joining it means taking its init's root.
    ...(hasMountNamespace(spec) ? [] : [step(Op.CHROOT, "take the container's root", `/proc/${ctx.initPid}/root`)]),
    step(Op.FORK, "fork the new process", ctx.foreground ? 1 : 0),
    step(Op.SYNC, "join cgroups", SYNC_CGROUP),
  ];
  if (ctx.terminal) steps.push(terminalStep(ctx.terminal));
  steps.push(
    ...processSteps(proc, { noNewKeyring: true, keyringName: ctx.id, seccomp: ctx.seccomp, setgroupsDenied: setgroupsDeniedIn(ctx.initPid) }),
    step(Op.READY, "report ready"),
    step(Op.CLOSE_SOCKET, "close the runtime's socket"),
    execStep(proc),
  );
  return steps;
}
