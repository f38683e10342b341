// Whether the runtime itself runs in a user namespace, and who it is
// outside of it: what rootless mode and the D-Bus login depend on.
// Podman runs the runtime as root inside the user namespace it made for a
// rootless user, so "uid 0" alone does not mean "root on the host".

import { readTextFile } from "./ffi.ts";

interface IdRange {
  inside: number;
  outside: number;
  size: number;
}

// Read by every command a rootless user runs: plain loops (see cli/flags.ts).
function parseIdMap(text: string): IdRange[] {
  const ranges: IdRange[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 3) continue;
    const [inside, outside, size] = [Number(f[0]), Number(f[1]), Number(f[2])];
    if (Number.isFinite(inside) && Number.isFinite(outside) && Number.isFinite(size)) ranges.push({ inside, outside, size });
  }
  return ranges;
}

/** The kernel's map of the initial namespace ("0 0 4294967295") is the only one that is not a user namespace. */
export function isUserNamespaceMap(uidMap: string): boolean {
  const ranges = parseIdMap(uidMap);
  return !(ranges.length === 1 && ranges[0]!.inside === 0 && ranges[0]!.outside === 0 && ranges[0]!.size === 4294967295);
}

/** uid as the parent user namespace sees it; undefined when unmapped. */
export function outsideId(uidMap: string, uid: number): number | undefined {
  for (const r of parseIdMap(uidMap)) if (uid >= r.inside && uid < r.inside + r.size) return r.outside + (uid - r.inside);
  return undefined;
}

export interface Identity {
  euid: number;
  /** This process's /proc/self/uid_map. */
  uidMap: string;
}

export function currentIdentity(): Identity {
  let uidMap = "0 0 4294967295";
  try {
    uidMap = readTextFile("/proc/self/uid_map");
  } catch {
    // no /proc: taken as the initial namespace
  }
  return { euid: process.geteuid?.() ?? 0, uidMap };
}

/** The uid the host (and so a bus daemon on it) sees for this process. */
export function hostUid(id: Identity): number {
  return outsideId(id.uidMap, id.euid) ?? id.euid;
}
