// Capability names → bit numbers (linux/capability.h), and the masks the
// init stage applies. As runc does, names this table does not know and
// capabilities the running kernel does not have are left out (the caller
// warns), so one config serves older and newer kernels. So are those outside
// the runtime's own bounding set: no process it starts can ever hold them,
// and the spec (v1.1+) asks for a warning rather than a failed capset.
import { readTextFile } from "./ffi.ts";

export const CAPABILITIES: readonly string[] = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
  "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
  "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
  "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

let lastCapCache: number | undefined;

/** The highest capability the running kernel knows. */
export function hostLastCap(): number {
  if (lastCapCache === undefined) {
    const value = (() => {
      try {
        return Number.parseInt(readTextFile("/proc/sys/kernel/cap_last_cap"), 10);
      } catch {
        return Number.NaN;
      }
    })();
    lastCapCache = Number.isInteger(value) && value >= 0 ? value : CAPABILITIES.length - 1;
  }
  return lastCapCache;
}

const ALL_CAPS = (1n << 64n) - 1n;

/** The CapBnd line of a /proc/PID/status text; every bit when it has none. */
export function boundingSetOf(status: string): bigint {
  const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex === undefined ? ALL_CAPS : BigInt(`0x${hex}`);
}

/** The runtime's own bounding set. */
export function runtimeBoundingSet(): bigint {
  try {
    return boundingSetOf(readTextFile("/proc/self/status"));
  } catch {
    return ALL_CAPS;
  }
}

function capabilityBit(name: string): number {
  const upper = name.toUpperCase();
  return CAPABILITIES.indexOf(upper.startsWith("CAP_") ? upper : `CAP_${upper}`);
}

/** The mask of the known, available names; the others are added to `ignored`. */
export function capabilityMask(names: readonly string[] | undefined, lastCap: number, ignored: Set<string>, bounding = ALL_CAPS): bigint {
  let mask = 0n;
  for (const name of names ?? []) {
    const bit = capabilityBit(name);
    if (bit < 0 || bit > lastCap || (bounding & (1n << BigInt(bit))) === 0n) ignored.add(name);
    else mask |= 1n << BigInt(bit);
  }
  return mask;
}

export interface CapabilitySets {
  bounding: bigint;
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  ambient: bigint;
}

export interface ResolvedCapabilities {
  sets: CapabilitySets;
  /** Unknown or unavailable names, sorted, each once. */
  ignored: string[];
}

export function capabilitySets(
  caps: Partial<Record<keyof CapabilitySets, string[]>> | undefined,
  lastCap: number = hostLastCap(),
  bounding: bigint = runtimeBoundingSet(),
): ResolvedCapabilities {
  const ignored = new Set<string>();
  const mask = (names: string[] | undefined) => capabilityMask(names, lastCap, ignored, bounding);
  const sets = {
    bounding: mask(caps?.bounding),
    effective: mask(caps?.effective),
    permitted: mask(caps?.permitted),
    inheritable: mask(caps?.inheritable),
    ambient: mask(caps?.ambient),
  };
  return { sets, ignored: [...ignored].sort() };
}
