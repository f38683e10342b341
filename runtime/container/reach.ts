// Which processes are a container's, for kill --all and for delete. Only
// what is surely the container's is touched:
//   - its init, if it is still the process saved (pid and start time) and
//     looks like a container's init: the first process of a pid namespace
//     when the container has one of its own, else a process in the
//     container's cgroup;
//   - with a pid namespace of its own, the processes of that namespace (the
//     init's death takes them along);
//   - without one, the processes in the cgroup when this runtime made that
//     cgroup; in a cgroup that existed before, which may hold anything, only
//     those that share the init's mount namespace (exec joins it).
import type { CgroupHandle } from "../cgroups/types.ts";
import { log } from "../log.ts";
import { isAlive, isPidNamespaceInit, namespaceOf } from "../linux/procfs.ts";

export interface Reach {
  id: string;
  pid: number;
  startTime: string;
  ownPidNamespace: boolean;
  cgroups: CgroupHandle | undefined;
  /** The pid was learnt by this very process a moment ago (a failing create), so it is ours. */
  freshPid: boolean;
}

function looksLikeInit(r: Reach): boolean {
  if (r.ownPidNamespace) return isPidNamespaceInit(r.pid);
  // In the container's (checked) cgroup, or else at least not in the
  // runtime's own mount namespace, as no container's init is.
  if (r.cgroups?.exists()) return r.cgroups.pids().includes(r.pid);
  const ns = namespaceOf(r.pid, "mnt");
  return ns !== undefined && ns !== namespaceOf(process.pid, "mnt");
}

/** The container's init, if it is alive and still the container's. */
export function initOf(r: Reach): number | undefined {
  if (r.pid <= 0 || r.pid === process.pid) return undefined;
  if (r.freshPid) return r.pid;
  if (r.startTime === "" || !isAlive(r.pid, r.startTime)) return undefined;
  if (!looksLikeInit(r)) {
    log.warn(`container ${r.id}: pid ${r.pid} does not look like the container's init; not signalled`);
    return undefined;
  }
  return r.pid;
}

/** The pids but this process's that pass `keep`; a plain loop (see cgroups/tree.ts). */
export function othersWhere(pids: number[], keep: (pid: number) => boolean = () => true): number[] {
  const out: number[] = [];
  for (const p of pids) if (p !== process.pid && keep(p)) out.push(p);
  return out;
}

/** The processes of the container's pid namespace (its init's) found in its cgroup. */
export function inPidNamespace(cgroups: CgroupHandle | undefined, ns: string | undefined): number[] {
  if (ns === undefined || cgroups === undefined) return [];
  return othersWhere(cgroups.pids(), (p) => namespaceOf(p, "pid") === ns);
}

/** The processes in the cgroup that share a mount namespace (the init's). */
export function inMountNamespace(cgroups: CgroupHandle | undefined, ns: string | undefined): number[] {
  if (ns === undefined || cgroups === undefined || ns === namespaceOf(process.pid, "mnt")) return [];
  return othersWhere(cgroups.pids(), (p) => namespaceOf(p, "mnt") === ns);
}

/** Every process kill --all signals. */
export function containerPids(r: Reach): number[] {
  const init = initOf(r);
  if (r.cgroups?.owns() && !r.ownPidNamespace) return othersWhere(r.cgroups.pids());
  if (init === undefined) return [];
  const rest = r.ownPidNamespace ? inPidNamespace(r.cgroups, namespaceOf(init, "pid")) : inMountNamespace(r.cgroups, namespaceOf(init, "mnt"));
  return [...new Set([init, ...rest])];
}
