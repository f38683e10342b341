// Which namespace a sysctl belongs to: a container may only set the ones
// its own namespaces isolate, or it would change the host.
import { RuntimeError } from "../errors.ts";
import type { NamespaceType } from "./namespaces.ts";

const IPC_KEYS = new Set([
  "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
]);

export function sysctlNamespace(key: string): NamespaceType | undefined {
  const k = key.replaceAll("/", ".");
  if (IPC_KEYS.has(k) || k.startsWith("fs.mqueue.")) return "ipc";
  if (k.startsWith("net.")) return "network";
  if (k === "kernel.hostname" || k === "kernel.domainname") return "uts";
  return undefined;
}

/** The /proc/sys path of each sysctl, after checking it is the container's to set. */
export function sysctlWrites(sysctl: Record<string, string> | undefined, newNamespaces: ReadonlySet<string>): [string, string][] {
  return Object.entries(sysctl ?? {}).map(([key, value]) => {
    const ns = sysctlNamespace(key);
    if (ns === undefined) throw new RuntimeError("INVALID_CONFIG", `sysctl "${key}" is not in a separate kernel namespace`);
    if (!newNamespaces.has(ns)) {
      throw new RuntimeError("INVALID_CONFIG", `sysctl "${key}" is not allowed as it conflicts with the OCI "${ns}" namespace`);
    }
    if (key.includes("..")) throw new RuntimeError("INVALID_CONFIG", `invalid sysctl "${key}"`);
    return [`/proc/sys/${key.replaceAll(".", "/")}`, value];
  });
}
