// LinuxResources → cgroup v2 control-file writes (pure, given a Probe), in
// runc's order: pids, memory, io, cpu, cpuset, hugetlb, rdma, unified.
// Device rules are not files on v2: see devices-bpf.ts.

import type { LinuxResources } from "../../spec/types.ts";
import {
  blkioToIoWeight,
  checkUnifiedKey,
  deviceLine,
  int,
  kernelMemoryWarnings,
  unsupported,
  rdmaLines,
  resourceError,
  sharesToWeight,
  swapToV2,
  THROTTLES,
  v2Limit,
  type Probe,
  type ResourcePlan,
  type Write,
} from "./resources.ts";

type Part = (r: LinuxResources, probe: Probe) => Write[];

const w = (file: string, value: string, extra: Partial<Write> = {}): Write => ({ key: "", file, value, ...extra });

function pids(r: LinuxResources): Write[] {
  const limit = r.pids?.limit;
  if (limit === undefined) return [];
  return [w("pids.max", limit > 0 ? int(limit) : "max")];
}

// A limit below what the container uses now would send it straight into
// reclaim and OOM; with checkBeforeUpdate the update is refused instead.
function checkUsage(r: LinuxResources, probe: Probe): void {
  const limit = r.memory?.limit ?? 0;
  if (r.memory?.checkBeforeUpdate !== true || limit <= 0) return;
  const current = probe.read("", "memory.current");
  if (current !== undefined && BigInt(current) > BigInt(limit)) {
    throw resourceError(`memory limit ${limit} is below the current usage ${current} (memory.current)`);
  }
}

function swapValue(swap: number, memory: number): string | undefined {
  const v = swapToV2(swap, memory);
  // memory == memory+swap: no swap at all, which is "0", not "unset".
  if (v === 0 && swap > 0) return "0";
  return v2Limit(v);
}

function memory(r: LinuxResources, probe: Probe): Write[] {
  const m = r.memory ?? {};
  if (!m.limit && !m.swap && !m.reservation) return [];
  checkUsage(r, probe);
  const out: Write[] = [];
  const swap = swapValue(m.swap ?? 0, m.limit ?? 0);
  // Without swap accounting there is no memory.swap.max; "no limit" and
  // "no swap" then hold anyway.
  if (swap !== undefined) out.push(w("memory.swap.max", swap, { optional: swap === "max" || swap === "0" }));
  const limit = v2Limit(m.limit);
  if (limit !== undefined) out.push(w("memory.max", limit));
  const low = v2Limit(m.reservation);
  if (low !== undefined) out.push(w("memory.low", low));
  return out;
}

// BFQ takes blkio-style weights as they are; io.weight needs them converted.
function io(r: LinuxResources, probe: Probe): Write[] {
  const b = r.blockIO;
  if (b === undefined) return [];
  const bfq = probe.exists("", "io.bfq.weight");
  const out: Write[] = [];
  if (b.weight) {
    out.push(bfq ? w("io.bfq.weight", int(b.weight)) : w("io.weight", int(blkioToIoWeight(b.weight))));
  }
  for (const d of b.weightDevice ?? []) {
    if (!d.weight) continue;
    if (!bfq) throw resourceError(`per-device weight for ${d.major}:${d.minor} needs the bfq io scheduler (io.bfq.weight)`);
    out.push(w("io.bfq.weight", deviceLine(d, int(d.weight))));
  }
  for (const t of THROTTLES) {
    for (const d of b[t.field] ?? []) out.push(w("io.max", deviceLine(d, `${t.v2}=${int(d.rate ?? 0)}`)));
  }
  return out;
}

function cpuMax(quota: number | undefined, period: number | undefined): string {
  const q = quota !== undefined && quota > 0 ? int(quota) : "max";
  // The kernel's default period, documented in cgroup-v2.rst.
  return `${q} ${int(period || 100000)}`;
}

function cpu(r: LinuxResources): Write[] {
  const c = r.cpu ?? {};
  if (c.realtimePeriod || c.realtimeRuntime) {
    throw resourceError("real-time cpu settings (realtimePeriod, realtimeRuntime) are not supported on cgroup v2");
  }
  const out: Write[] = [];
  const weight = sharesToWeight(c.shares ?? 0);
  if (weight !== 0) out.push(w("cpu.weight", int(weight)));
  if (c.quota || c.period) out.push(w("cpu.max", cpuMax(c.quota, c.period)));
  if (c.burst !== undefined) out.push(w("cpu.max.burst", int(c.burst)));
  if (c.idle !== undefined) out.push(w("cpu.idle", int(c.idle)));
  return out;
}

function cpuset(r: LinuxResources): Write[] {
  const out: Write[] = [];
  if (r.cpu?.cpus) out.push(w("cpuset.cpus", r.cpu.cpus));
  if (r.cpu?.mems) out.push(w("cpuset.mems", r.cpu.mems));
  return out;
}

function hugetlb(r: LinuxResources): Write[] {
  return (r.hugepageLimits ?? []).flatMap((h) => [
    w(`hugetlb.${h.pageSize}.max`, int(h.limit)),
    w(`hugetlb.${h.pageSize}.rsvd.max`, int(h.limit), { optional: true }),
  ]);
}

function rdma(r: LinuxResources): Write[] {
  return rdmaLines(r.rdma).map((line) => w("rdma.max", line));
}

function controllers(probe: Probe): Set<string> {
  return new Set((probe.read("", "cgroup.controllers") ?? "").split(/\s+/).filter((c) => c !== ""));
}

// Keys are written as given; a missing file most often means the
// controller is not enabled for the cgroup, which is worth saying.
function unified(r: LinuxResources, probe: Probe): Write[] {
  return Object.entries(r.unified ?? {}).map(([key, value]) => {
    const controller = checkUnifiedKey(key);
    if (!probe.exists("", key) && controller !== "cgroup" && !controllers(probe).has(controller)) {
      throw resourceError(`unified resource "${key}" can't be set: controller "${controller}" not available`);
    }
    return w(key, value);
  });
}

const PARTS: readonly Part[] = [pids, memory, io, cpu, cpuset, hugetlb, rdma, unified];

// Settings with no v2 counterpart: accepted, not enforced, said so.
function v2Warnings(r: LinuxResources): string[] {
  const out = kernelMemoryWarnings(r);
  const s = r.memory?.swappiness;
  if (s !== undefined && s !== -1) out.push("memory swappiness is not supported on cgroup v2: ignored");
  if (r.memory?.disableOOMKiller === true) out.push("disableOOMKiller is not supported on cgroup v2: ignored");
  if (r.blockIO?.leafWeight || r.blockIO?.weightDevice?.some((d) => d.leafWeight)) {
    out.push("blkio leaf weights are not supported on cgroup v2: ignored");
  }
  return out;
}

/** The writes that put `r` in place on a pure v2 host (devices aside). */
export function planV2(r: LinuxResources | undefined, probe: Probe): ResourcePlan {
  const res = r ?? {};
  if (res.network?.classID !== undefined || res.network?.priorities?.length) {
    throw unsupported("network", "cgroup v2 has no net_cls and net_prio controllers");
  }
  return { writes: PARTS.flatMap((part) => part(res, probe)), warnings: v2Warnings(res) };
}
