// linux.resources → the properties of a systemd unit (pure), with the names
// and units systemd takes, as runc sets them. What has no property (cpu.max
// bursts, hugetlb, rdma, io throttles, swappiness ...) is written to the
// cgroup files afterwards, as with the cgroupfs driver.

import type { LinuxResources } from "../../../spec/types.ts";
import { blkioToIoWeight, resourceError, sharesToWeight, swapToV2 } from "../resources.ts";
import { deviceRules, type DeviceRule } from "../devices.ts";
import { deviceProperties, type DeviceGroupLookup } from "./device-properties.ts";
import { variant, type Variant } from "./dbus/marshal.ts";

export type Property = [string, Variant];

/** systemd's "infinity" for limits and USEC_INFINITY for times. */
export const INFINITY = 0xffff_ffff_ffff_ffffn;

export interface PropertyContext {
  /** v2 names (MemoryMax, CPUWeight, IOWeight) or v1 ones (MemoryLimit, CPUShares, BlockIOWeight). */
  unified: boolean;
  /** Major version of systemd: CPUQuotaPeriodUSec needs 242, AllowedCPUs 244. */
  systemdVersion: number;
  /** Leave device rules out (a user's systemd cannot enforce them). */
  skipDevices: boolean;
  deviceGroup: DeviceGroupLookup;
  linuxDevices?: readonly { path: string }[];
}

const u64 = (n: number | bigint): Variant => variant("t", n === -1 ? INFINITY : BigInt(n));
const DEFAULT_CFS_PERIOD = 100_000;

/** CPUQuotaPerSecUSec from quota and period, rounded up to whole percents of a CPU as systemd keeps it. */
export function quotaPerSecUSec(quota: number, period: number): bigint {
  if (quota <= 0) return INFINITY;
  const perSec = Math.floor((quota * 1_000_000) / (period === 0 ? DEFAULT_CFS_PERIOD : period));
  return BigInt(perSec % 10_000 === 0 ? perSec : (Math.floor(perSec / 10_000) + 1) * 10_000);
}

/** "0-2,4" → the little-endian bitmask systemd takes for AllowedCPUs. */
export function cpusetBits(list: string): number[] {
  const bytes: number[] = [];
  for (const part of list.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) throw resourceError(`invalid cpuset list ${list}`);
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (to < from) throw resourceError(`invalid cpuset list ${list}`);
    for (let i = from; i <= to; i++) {
      while (bytes.length <= i >> 3) bytes.push(0);
      bytes[i >> 3] = (bytes[i >> 3] as number) | (1 << (i & 7));
    }
  }
  return bytes;
}

function memory(r: LinuxResources, ctx: PropertyContext): Property[] {
  const m = r.memory ?? {};
  const out: Property[] = [];
  if (!ctx.unified) return m.limit ? [["MemoryLimit", u64(m.limit)]] : [];
  if (m.limit) out.push(["MemoryMax", u64(m.limit)]);
  if (m.reservation) out.push(["MemoryLow", u64(m.reservation)]);
  const swap = swapToV2(m.swap ?? 0, m.limit ?? 0);
  if (swap !== 0 || (m.swap ?? 0) > 0) out.push(["MemorySwapMax", u64(swap)]);
  return out;
}

function cpu(r: LinuxResources, ctx: PropertyContext): Property[] {
  const c = r.cpu ?? {};
  const out: Property[] = [];
  if (c.shares) out.push(ctx.unified ? ["CPUWeight", u64(sharesToWeight(c.shares))] : ["CPUShares", u64(c.shares)]);
  const quota = c.quota ?? 0;
  const period = c.period ?? 0;
  if (period !== 0 && ctx.systemdVersion >= 242) out.push(["CPUQuotaPeriodUSec", u64(period)]);
  if (quota !== 0 || period !== 0) out.push(["CPUQuotaPerSecUSec", variant("t", quotaPerSecUSec(quota, period))]);
  if (ctx.systemdVersion >= 244) {
    if (c.cpus) out.push(["AllowedCPUs", variant("ay", cpusetBits(c.cpus))]);
    if (c.mems) out.push(["AllowedMemoryNodes", variant("ay", cpusetBits(c.mems))]);
  }
  return out;
}

function other(r: LinuxResources, ctx: PropertyContext): Property[] {
  const out: Property[] = [];
  const weight = r.blockIO?.weight;
  if (weight) out.push(ctx.unified ? ["IOWeight", u64(blkioToIoWeight(weight))] : ["BlockIOWeight", u64(weight)]);
  const pids = r.pids?.limit;
  if (pids !== undefined && (pids > 0 || pids === -1)) out.push(["TasksMax", u64(pids)]);
  return out;
}

// unified keys systemd has a property for (v2 only); the files get them too.
const UNIFIED: Record<string, string> = {
  "memory.min": "MemoryMin",
  "memory.low": "MemoryLow",
  "memory.high": "MemoryHigh",
  "memory.max": "MemoryMax",
  "memory.swap.max": "MemorySwapMax",
  "pids.max": "TasksMax",
};

function unified(r: LinuxResources, ctx: PropertyContext): Property[] {
  if (!ctx.unified) return [];
  const out: Property[] = [];
  for (const [key, value] of Object.entries(r.unified ?? {})) {
    const name = UNIFIED[key];
    if (name === undefined) continue;
    const v = value.trim();
    if (v === "max") out.push([name, variant("t", INFINITY)]);
    else if (/^\d+$/.test(v)) out.push([name, variant("t", BigInt(v))]);
    else throw resourceError(`invalid value ${value} for ${key}`);
  }
  return out;
}

/** The resource properties of a unit: devices first, then limits (later ones win, as in runc). */
export function resourceProperties(r: LinuxResources | undefined, ctx: PropertyContext): Property[] {
  const res = r ?? {};
  const rules: DeviceRule[] = deviceRules(res.devices, { linuxDevices: ctx.linuxDevices });
  const devices = ctx.skipDevices ? [] : deviceProperties(rules, ctx.deviceGroup);
  return [...devices, ...memory(res, ctx), ...cpu(res, ctx), ...other(res, ctx), ...unified(res, ctx)];
}

export interface ScopeSettings {
  /** The slice the scope goes into, or the parent slice of a slice. */
  slice: string;
  unit: string;
  pid: number;
  description: string;
  unified: boolean;
}

/** The fixed properties of a new unit, as runc sends them, before the resource ones. */
export function unitProperties(s: ScopeSettings): Property[] {
  const out: Property[] = [["Description", variant("s", s.description)]];
  if (s.unit.endsWith(".slice")) out.push(["Wants", variant("as", [s.slice])]);
  else out.push(["Slice", variant("s", s.slice)], ["Delegate", variant("b", true)]);
  out.push(
    ["PIDs", variant("au", [s.pid])],
    ["MemoryAccounting", variant("b", true)],
    ["CPUAccounting", variant("b", true)],
    [s.unified ? "IOAccounting" : "BlockIOAccounting", variant("b", true)],
    ["TasksAccounting", variant("b", true)],
    ["DefaultDependencies", variant("b", false)],
  );
  return out;
}
