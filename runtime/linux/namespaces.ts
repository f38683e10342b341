// Namespace kinds: the spec's name, the clone flag, and the name under
// /proc/PID/ns. Order matters when joining: the user namespace first, so
// that the others are entered with its privileges.

export type NamespaceType = "user" | "pid" | "network" | "ipc" | "uts" | "mount" | "cgroup" | "time";

export interface NamespaceKind {
  type: NamespaceType;
  flag: number;
  procName: string;
}

export const NAMESPACES: readonly NamespaceKind[] = [
  { type: "user", flag: 0x10000000, procName: "user" },
  { type: "pid", flag: 0x20000000, procName: "pid" },
  { type: "network", flag: 0x40000000, procName: "net" },
  { type: "ipc", flag: 0x08000000, procName: "ipc" },
  { type: "uts", flag: 0x04000000, procName: "uts" },
  { type: "mount", flag: 0x00020000, procName: "mnt" },
  { type: "cgroup", flag: 0x02000000, procName: "cgroup" },
  { type: "time", flag: 0x00000080, procName: "time" },
];

export function namespaceKind(type: string): NamespaceKind | undefined {
  return NAMESPACES.find((n) => n.type === type);
}
