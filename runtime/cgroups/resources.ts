// The vocabulary of resource limits: a LinuxResources document becomes a
// list of control-file writes (pure; resources-v1.ts and resources-v2.ts
// build the lists, apply.ts performs them). The few decisions that depend on
// what the kernel offers ask a Probe instead of touching the file system.

import { RuntimeError } from "../errors.ts";
import type { LinuxDevice, LinuxResources } from "../../spec/types.ts";

export interface Write {
  /** Hierarchy key of the directory: "memory", "cpu", ... on v1; "" for the unified hierarchy. */
  key: string;
  file: string;
  value: string;
  /** Leave out quietly when the file does not exist (an optional kernel feature). */
  optional?: boolean;
  /**
   * On EINVAL, try once more after the next write. The kernel checks a CFS
   * period against the quota in place, so a smaller period can only be set
   * once the quota has moved.
   */
  retryAfterNext?: boolean;
  /** After writing, the kernel's value read back must pass this check; returns an error message. */
  check?: (readBack: string) => string | undefined;
  /** The config field the write comes from ("blockIO.weight"), for the error when this host has no such file. */
  setting?: string;
}

export interface ResourcePlan {
  writes: Write[];
  /** Settings accepted but not enforced, for the log. */
  warnings: string[];
}

/** What the plans may ask about the container's cgroup as it is now. */
export interface Probe {
  /** Whether the hierarchy is part of the container's cgroups. */
  mounted(key: string): boolean;
  exists(key: string, file: string): boolean;
  /** Trimmed contents, undefined when absent. */
  read(key: string, file: string): string | undefined;
}

export interface PlanOptions {
  /** linux.devices of the config: their paths replace runc's default device rules. */
  linuxDevices?: readonly Pick<LinuxDevice, "path">[];
  /** update leaves the device rules alone, as runc does. */
  skipDevices?: boolean;
}

export function resourceError(message: string): RuntimeError {
  return new RuntimeError("CGROUP", message);
}

/**
 * Decimal text of an integer, never in exponent form (String(1e21) is
 * "1e+21", which no control file takes).
 */
export function int(n: number): string {
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw resourceError(`invalid integer value ${n}`);
  return BigInt(n).toString();
}

/** A v2 limit: -1 means "max", 0 means "leave as is" (undefined). */
export function v2Limit(n: number | undefined): string | undefined {
  if (n === undefined || n === 0) return undefined;
  return n === -1 ? "max" : int(n);
}

// The OCI cpu shares range [2, 262144] mapped linearly onto cpu.weight's
// [1, 10000], the formula runc uses (integer arithmetic).
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

// blkio.weight [10, 1000] mapped linearly onto io.weight [1, 10000].
export function blkioToIoWeight(weight: number): number {
  if (weight === 0) return 0;
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

/**
 * memory.swap.max from the OCI memory+swap total: v2 limits swap alone.
 * -1 stays "unlimited", 0 stays "unset".
 */
export function swapToV2(swap: number, memory: number): number {
  if (memory === -1 && swap === 0) return -1; // unlimited memory takes swap along, as on v1
  if (swap === -1 || swap === 0) return swap;
  if (memory === -1) return swap;
  if (memory === 0) throw resourceError(`cannot set memory+swap limit ${swap} without a memory limit`);
  if (memory < 0) throw resourceError(`invalid memory limit ${memory}`);
  if (swap < memory) throw resourceError(`memory+swap limit ${swap} is below the memory limit ${memory}`);
  return swap - memory;
}

/** "maj:min value" lines of blkio and io files. */
export function deviceLine(d: { major: number; minor: number }, value: string): string {
  return `${int(d.major)}:${int(d.minor)} ${value}`;
}

// Throttle settings: spec field → v1 file and v2 io.max key.
export const THROTTLES = [
  { field: "throttleReadBpsDevice", v1: "blkio.throttle.read_bps_device", v2: "rbps" },
  { field: "throttleWriteBpsDevice", v1: "blkio.throttle.write_bps_device", v2: "wbps" },
  { field: "throttleReadIOPSDevice", v1: "blkio.throttle.read_iops_device", v2: "riops" },
  { field: "throttleWriteIOPSDevice", v1: "blkio.throttle.write_iops_device", v2: "wiops" },
] as const;

/** rdma.max lines ("mlx4_0 hca_handle=2 hca_object=2000"), the same on v1 and v2. */
export function rdmaLines(rdma: LinuxResources["rdma"]): string[] {
  return Object.entries(rdma ?? {}).map(([device, l]) => {
    let line = device;
    if (l.hcaHandles !== undefined) line += ` hca_handle=${int(l.hcaHandles)}`;
    if (l.hcaObjects !== undefined) line += ` hca_object=${int(l.hcaObjects)}`;
    return line;
  });
}

/** Swappiness is 0..100; -1 (or absent) leaves the kernel's value. */
export function swappinessValue(s: number | undefined): string | undefined {
  if (s === undefined || s === -1) return undefined;
  if (!Number.isInteger(s) || s < 0 || s > 100) {
    throw resourceError(`invalid memory swappiness ${s}: the valid range is 0-100`);
  }
  return String(s);
}

/** A setting this host cannot enforce: the spec makes that an error, not a silent no-op. */
export function unsupported(setting: string, why: string): RuntimeError {
  return resourceError(`linux.resources.${setting} is not supported on this host: ${why}`);
}

/**
 * Kernel memory limits are gone from current kernels; runc ignores them with
 * a warning too. kernelTCP still has its file on v1 and is written there
 * (`kernelTCPWritten`).
 */
export function kernelMemoryWarnings(r: LinuxResources, kernelTCPWritten = false): string[] {
  const m = r.memory;
  if (m?.kernel === undefined && (m?.kernelTCP === undefined || kernelTCPWritten)) return [];
  return ["kernel memory settings are ignored and will be removed"];
}

/** A unified key must name a file of the cgroup itself ("memory.high"). */
export function checkUnifiedKey(key: string): string {
  if (key.includes("/")) throw resourceError(`unified resource "${key}" must be a file name (no slashes)`);
  const dot = key.indexOf(".");
  if (dot <= 0 || dot === key.length - 1) {
    throw resourceError(`unified resource "${key}" must be in the form CONTROLLER.PARAMETER`);
  }
  return key.slice(0, dot);
}
