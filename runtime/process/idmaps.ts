// How a new user namespace gets its id maps. Root (also root of the user
// namespace the runtime runs in, as under rootless Podman) writes any map
// itself. An unprivileged user may write only a map of its own id, and for
// gids only after turning setgroups(2) off in the namespace; anything more
// goes through the setuid helpers newuidmap/newgidmap, which check
// /etc/subuid and /etc/subgid. That is runc's rule as well.

import { RuntimeError } from "../errors.ts";
import { readTextFile } from "../linux/ffi.ts";
import type { IDMapping } from "../../spec/types.ts";

export type MapMethod = { kind: "write"; denySetgroups: boolean } | { kind: "helper"; helper: "newuidmap" | "newgidmap" };

/** How to install `maps` ("uid" or "gid") for a caller with effective id `ownId`. */
export function mapMethod(which: "uid" | "gid", maps: readonly IDMapping[], euid: number, ownId: number): MapMethod {
  if (euid === 0) return { kind: "write", denySetgroups: false };
  const own = maps.length === 1 && maps[0]!.hostID === ownId && maps[0]!.size === 1;
  if (own) return { kind: "write", denySetgroups: which === "gid" };
  return { kind: "helper", helper: which === "uid" ? "newuidmap" : "newgidmap" };
}

/** newuidmap PID inside outside count ... */
export function helperArgs(pid: number, maps: readonly IDMapping[]): string[] {
  return [String(pid), ...maps.flatMap((m) => [String(m.containerID), String(m.hostID), String(m.size)])];
}

/** Runs the helper; a missing one or a refusal is said plainly. */
export function runMapHelper(helper: string, pid: number, maps: readonly IDMapping[]): void {
  const path = Bun.which(helper);
  if (path === null) {
    throw new RuntimeError("SYSCALL", `rootless: these ${helper === "newuidmap" ? "uid" : "gid"} mappings need ${helper}, which is not installed`, {
      hint: "install the uidmap package and give the user subordinate ids in /etc/subuid and /etc/subgid, or map only the user's own id",
    });
  }
  const r = Bun.spawnSync([path, ...helperArgs(pid, maps)], { stdout: "ignore", stderr: "pipe" });
  if (r.exitCode !== 0) {
    const why = r.stderr.toString().trim().split("\n").pop() ?? `exit status ${r.exitCode}`;
    throw new RuntimeError("SYSCALL", `${helper} ${helperArgs(pid, maps).join(" ")}: ${why}`);
  }
}

/** Whether the runtime will turn setgroups(2) off in the container's new user namespace. */
export function setgroupsDenied(gidMappings: readonly IDMapping[] | undefined, newUserNs: boolean): boolean {
  if (!newUserNs || !gidMappings?.length) return false;
  const euid = process.geteuid?.() ?? 0;
  const method = mapMethod("gid", gidMappings, euid, process.getegid?.() ?? 0);
  return method.kind === "write" && method.denySetgroups;
}

/** Whether setgroups(2) is off in the user namespace of a running process. */
export function setgroupsDeniedIn(pid: number): boolean {
  try {
    return readTextFile(`/proc/${pid}/setgroups`).trim() === "deny";
  } catch {
    return false;
  }
}
