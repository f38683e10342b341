// Rootless mode, decided as runc decides it: from --rootless when it says
// true or false, else from who the runtime is. It means: cgroups only where
// the user may make them (permission errors tolerated), no device cgroup
// rules, the user's own systemd with --systemd-cgroup, and state under
// $XDG_RUNTIME_DIR.

import { RuntimeError } from "../errors.ts";
import { hostUid, isUserNamespaceMap, type Identity } from "../linux/userns.ts";

function parseBoolOrAuto(flag: string): boolean | undefined {
  const v = flag.toLowerCase();
  if (v === "" || v === "auto") return undefined;
  if (["1", "t", "true"].includes(v)) return true;
  if (["0", "f", "false"].includes(v)) return false;
  throw new RuntimeError("USAGE", `invalid --rootless value ${flag}: expected true, false or auto`);
}

/**
 * Whether to run rootless: not root, or root in a user namespace whose root
 * is not root on the host (with systemd, runc asks the user bus for its
 * owner; the uid map answers the same question).
 */
export function isRootless(flag: string, systemd: boolean, id: Identity): boolean {
  const given = parseBoolOrAuto(flag);
  if (given !== undefined) return given;
  if (id.euid !== 0) return true;
  if (!isUserNamespaceMap(id.uidMap)) return false;
  return systemd ? hostUid(id) !== 0 : true;
}

/** The environment (XDG_RUNTIME_DIR and USER are read). */
export type XdgEnv = Readonly<Record<string, string | undefined>>;

/** runc's rule for keeping state in $XDG_RUNTIME_DIR rather than /run. */
export function honorsXdgRuntimeDir(env: XdgEnv, id: Identity): boolean {
  if (!env.XDG_RUNTIME_DIR) return false;
  if (id.euid !== 0) return true;
  if (!isUserNamespaceMap(id.uidMap)) return false;
  // root in a user namespace: a rootless user's, unless $USER says root
  return env.USER !== "root";
}
