// Which namespaces a container creates and which it joins, checked against
// each other and turned into the stage's first steps.
import { RuntimeError } from "../errors.ts";
import { fileIdentity } from "../linux/ffi.ts";
import type { Spec } from "../../spec/types.ts";
import { NAMESPACES, namespaceKind, type NamespaceType } from "../linux/namespaces.ts";
import { Op, type Step } from "./protocol.ts";
import { step, SYNC_NAMESPACES } from "./steps.ts";

export const CLONE_NEWUSER = namespaceKind("user")!.flag;
export const CLONE_NEWCGROUP = namespaceKind("cgroup")!.flag;
const CLONE_NEWTIME = namespaceKind("time")!.flag;

export interface NamespacePlan {
  join: { path: string; flag: number; type: NamespaceType }[];
  /** Flags for unshare before the fork; a new cgroup ns comes later, once
   * the process is in its cgroup, so that cgroup is the namespace's root. */
  unshare: number;
  /** Namespaces the container gets of its own (new, not joined). */
  created: Set<NamespaceType>;
  /** Namespaces the container has at all, new or joined. */
  present: Set<NamespaceType>;
  /** Namespaces that are not the runtime's own (new, or joined but not the host's). */
  private: Set<NamespaceType>;
}

/** Whether a namespace file is the one this process is in (device and inode). */
function sameAsOurs(path: string, procName: string): boolean {
  try {
    const a = fileIdentity(path);
    const b = fileIdentity(`/proc/self/ns/${procName}`);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false; // a missing path fails later, where it is joined
  }
}

/** User first (it grants the rights to join the rest), mount last: once in
 * the container's mounts, host paths such as /proc/PID/ns/* are gone. */
function joinOrder(type: string): number {
  return type === "mount" ? NAMESPACES.length : NAMESPACES.findIndex((n) => n.type === type);
}

function checkCombinations(spec: Spec, plan: NamespacePlan): void {
  const linux = spec.linux ?? {};
  // No mount namespace listed: the container shares the runtime's, as the
  // spec says; what would change that shared view for good is refused.
  if (!plan.present.has("mount") && ((linux.maskedPaths?.length ?? 0) > 0 || (linux.readonlyPaths?.length ?? 0) > 0)) {
    throw new RuntimeError("INVALID_CONFIG", "unable to restrict sys entries without a private MNT namespace");
  }
  const mapped = (linux.uidMappings?.length ?? 0) > 0 || (linux.gidMappings?.length ?? 0) > 0;
  if (plan.created.has("user") && !mapped) {
    throw new RuntimeError("INVALID_CONFIG", "user namespaces enabled, but no user mappings found");
  }
  if (mapped && !plan.present.has("user")) {
    throw new RuntimeError("INVALID_CONFIG", "user namespace mappings specified, but user namespace isn't enabled in the config");
  }
  if (linux.timeOffsets && !plan.created.has("time")) {
    throw new RuntimeError("INVALID_CONFIG", "time offsets specified, but no new time namespace in the config");
  }
  // A joined UTS namespace counts, as in runc: the config says it is the
  // container's own, even though the runtime did not make it.
  if (spec.hostname && !plan.present.has("uts")) {
    throw new RuntimeError("INVALID_CONFIG", "unable to set hostname without a private UTS namespace");
  }
  if (spec.domainname && !plan.present.has("uts")) {
    throw new RuntimeError("INVALID_CONFIG", "unable to set domainname without a private UTS namespace");
  }
}

export function namespacePlan(spec: Spec): NamespacePlan {
  const plan: NamespacePlan = { join: [], unshare: 0, created: new Set(), present: new Set(), private: new Set() };
  for (const ns of spec.linux?.namespaces ?? []) {
    const kind = namespaceKind(ns.type);
    if (!kind) throw new RuntimeError("INVALID_CONFIG", `unknown namespace type "${ns.type}"`);
    if (plan.present.has(kind.type)) throw new RuntimeError("INVALID_CONFIG", `duplicate namespace type "${ns.type}"`);
    plan.present.add(kind.type);
    if (ns.path) {
      plan.join.push({ path: ns.path, flag: kind.flag, type: kind.type });
      if (!sameAsOurs(ns.path, kind.procName)) plan.private.add(kind.type);
      continue;
    }
    plan.created.add(kind.type);
    plan.private.add(kind.type);
    if (kind.type !== "cgroup") plan.unshare |= kind.flag;
  }
  checkCombinations(spec, plan);
  plan.join.sort((a, b) => joinOrder(a.type) - joinOrder(b.type));
  return plan;
}

/** Join, create, then let the runtime write id maps and time offsets. */
export function namespaceSteps(ns: NamespacePlan, setgroupsDenied = false): Step[] {
  const steps = ns.join.map((j) => step(Op.SETNS, `join ${j.type} namespace ${j.path}`, j.path, j.flag));
  if (ns.unshare) steps.push(step(Op.UNSHARE, "create namespaces", ns.unshare));
  if (ns.unshare & (CLONE_NEWUSER | CLONE_NEWTIME)) steps.push(step(Op.SYNC, "map ids and set time offsets", SYNC_NAMESPACES));
  // Until it becomes root of its new user namespace, the stage's ids are
  // unmapped there, and files it creates would have no owner.
  if (ns.unshare & CLONE_NEWUSER) {
    // With setgroups(2) denied (an unprivileged user's own-gid map) there
    // are no groups to drop, and the call would fail.
    if (!setgroupsDenied) steps.push(step(Op.SETGROUPS, "drop supplementary groups"));
    steps.push(
      step(Op.SETGID, "become root in the user namespace", 0),
      step(Op.SETUID, "become root in the user namespace", 0),
    );
  }
  return steps;
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
