// Making a new container's cgroups and putting its linux.resources in
// place: right after the cgroups are made, before the first process joins
// them, or (a systemd scope, which needs a process to exist) as it joins.
//
// Rootless, as in runc: no device rules (the devices are bind-mounted from
// the host, and a user cannot load the kernel's device programs), and a
// cgroup the user may not make is skipped when the container neither names
// a cgroup nor sets limits; otherwise the permission error stands, with
// what would make it work.
import type { LinuxResources, Spec } from "../../spec/types.ts";
import type { CgroupManager } from "../cgroups/index.ts";
import { RuntimeError } from "../errors.ts";
import { log } from "../log.ts";

export function applyResources(cgroups: CgroupManager, spec: Spec, rootless = false): void {
  const warnings = cgroups.apply(spec.linux?.resources, { linuxDevices: spec.linux?.devices, skipDevices: rootless });
  for (const w of warnings) log.warn(w);
}

const PERMISSION = /\b(EACCES|EPERM|EROFS|permission denied|operation not permitted|read-only file system)\b/i;

function isPermissionError(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (PERMISSION.test(e.message) || PERMISSION.test(String((e as { code?: unknown }).code ?? ""))) return true;
  }
  return false;
}

/** Whether any limit is set that needs a controller (device rules aside, which rootless skips). */
export function needsControllers(r: LinuxResources | undefined): boolean {
  if (r === undefined) return false;
  return Object.entries(r).some(([key, v]) => key !== "devices" && v !== undefined && !(typeof v === "object" && Object.keys(v).length === 0));
}

/** create() on the manager; undefined when a rootless container goes without cgroups. */
export function makeCgroups(cgroups: CgroupManager, spec: Spec, rootless: boolean): CgroupManager | undefined {
  try {
    cgroups.create();
    return cgroups;
  } catch (err) {
    if (!rootless || !isPermissionError(err)) throw err;
    if ((spec.linux?.cgroupsPath ?? "") === "" && !needsControllers(spec.linux?.resources)) {
      log.debug(`rootless: running without a cgroup of its own: ${(err as Error).message}`);
      return undefined;
    }
    throw new RuntimeError("CGROUP", `rootless needs no limits and no cgroupsPath when no permission is granted for cgroups: ${(err as Error).message}`, {
      cause: err,
      hint: "use --systemd-cgroup with a systemd user instance that delegates cgroups, or drop the limits",
    });
  }
}

/** Puts the container's first process in its cgroup; a systemd scope starts here, with its resources. */
export function joinCgroups(
  cgroups: CgroupManager | undefined,
  pid: number,
  spec: Spec,
  rootless: boolean,
  opts: { bornInUnified?: boolean } = {},
): void {
  if (cgroups === undefined) return;
  const startsNow = cgroups.startsOnJoin;
  if (startsNow) applyResources(cgroups, spec, rootless); // taken in as the unit's properties
  cgroups.addProcess(pid, undefined, opts);
  if (startsNow) applyResources(cgroups, spec, rootless); // what the files take
}
