// LinuxResources → cgroup v1 control-file writes (pure, given a Probe).
// Controllers are visited in runc's order: cpuset, devices, memory, cpu,
// pids, blkio, hugetlb, net_cls, net_prio, rdma, then unified (hybrid only).

import type { LinuxResources } from "../../spec/types.ts";
import { deviceRules, v1DeviceWrites } from "./devices.ts";
import {
  checkUnifiedKey,
  deviceLine,
  int,
  kernelMemoryWarnings,
  rdmaLines,
  resourceError,
  swappinessValue,
  THROTTLES,
  unsupported,
  type PlanOptions,
  type Probe,
  type ResourcePlan,
  type Write,
} from "./resources.ts";

type Part = (r: LinuxResources, probe: Probe, opts: PlanOptions) => Write[];

const w = (key: string, file: string, value: string, extra: Partial<Write> = {}): Write => ({ key, file, value, ...extra });

function cpuset(r: LinuxResources): Write[] {
  const out: Write[] = [];
  if (r.cpu?.cpus) out.push(w("cpuset", "cpuset.cpus", r.cpu.cpus));
  if (r.cpu?.mems) out.push(w("cpuset", "cpuset.mems", r.cpu.mems));
  return out;
}

function devices(r: LinuxResources, _probe: Probe, opts: PlanOptions): Write[] {
  return opts.skipDevices ? [] : v1DeviceWrites(deviceRules(r.devices, opts));
}

const LIMIT = "memory.limit_in_bytes";
const MEMSW = "memory.memsw.limit_in_bytes";

// The kernel insists on limit <= memsw at every moment, so the order of the
// two writes depends on where the limit is now and where it goes.
function memoryAndSwap(r: LinuxResources, probe: Probe): Write[] {
  const memory = r.memory?.limit ?? 0;
  let swap = r.memory?.swap ?? 0;
  // Unlimited memory with swap unsaid means unlimited swap too.
  if (memory === -1 && swap === 0 && probe.exists("memory", MEMSW)) swap = -1;
  const mem = memory === 0 ? [] : [w("memory", LIMIT, int(memory))];
  const sw = swap === 0 ? [] : [w("memory", MEMSW, int(swap))];
  if (memory !== 0 && swap !== 0) {
    const current = BigInt(probe.read("memory", LIMIT) ?? "0");
    if (swap === -1 || current < BigInt(swap)) return [...sw, ...mem];
  }
  return [...mem, ...sw];
}

const KMEM_TCP = "memory.kmem.tcp.limit_in_bytes";

function memory(r: LinuxResources, probe: Probe): Write[] {
  const out = memoryAndSwap(r, probe);
  const m = r.memory;
  if (m?.kernelTCP !== undefined && probe.exists("memory", KMEM_TCP)) out.push(w("memory", KMEM_TCP, int(m.kernelTCP), { setting: "memory.kernelTCP" }));
  if (m?.reservation) out.push(w("memory", "memory.soft_limit_in_bytes", int(m.reservation)));
  if (m?.disableOOMKiller === true) out.push(w("memory", "memory.oom_control", "1"));
  const swappiness = swappinessValue(m?.swappiness);
  if (swappiness !== undefined) out.push(w("memory", "memory.swappiness", swappiness));
  return out;
}

// The kernel clamps cpu.shares into its range; reading it back tells the
// caller which bound was hit.
function checkShares(wanted: number): (got: string) => string | undefined {
  return (got) => {
    const have = Number(got);
    if (wanted > have) return `the maximum allowed cpu-shares is ${have}`;
    if (wanted < have) return `the minimum allowed cpu-shares is ${have}`;
    return undefined;
  };
}

function cpu(r: LinuxResources): Write[] {
  const c = r.cpu ?? {};
  const out: Write[] = [];
  if (c.shares) out.push(w("cpu", "cpu.shares", int(c.shares), { check: checkShares(c.shares) }));
  if (c.period) out.push(w("cpu", "cpu.cfs_period_us", int(c.period), { retryAfterNext: Boolean(c.quota) }));
  if (c.quota) out.push(w("cpu", "cpu.cfs_quota_us", int(c.quota)));
  if (c.burst !== undefined) out.push(w("cpu", "cpu.cfs_burst_us", int(c.burst)));
  // Real-time bandwidth: period first, the runtime is checked against it.
  if (c.realtimePeriod) out.push(w("cpu", "cpu.rt_period_us", int(c.realtimePeriod)));
  if (c.realtimeRuntime) out.push(w("cpu", "cpu.rt_runtime_us", int(c.realtimeRuntime)));
  if (c.idle !== undefined) out.push(w("cpu", "cpu.idle", int(c.idle)));
  return out;
}

// pids.limit <= 0 lifts the limit.
function pids(r: LinuxResources): Write[] {
  const limit = r.pids?.limit;
  if (limit === undefined) return [];
  return [w("pids", "pids.max", limit > 0 ? int(limit) : "max")];
}

// Kernels with BFQ and without CFQ name the weight files blkio.bfq.*.
function blkio(r: LinuxResources, probe: Probe): Write[] {
  const b = r.blockIO;
  if (b === undefined) return [];
  const bfq = !probe.exists("blkio", "blkio.weight");
  const weightFile = bfq ? "blkio.bfq.weight" : "blkio.weight";
  const out: Write[] = [];
  const set = (setting: string) => ({ setting: `blockIO.${setting}` });
  if (b.weight) out.push(w("blkio", weightFile, int(b.weight), set("weight")));
  if (b.leafWeight) out.push(w("blkio", "blkio.leaf_weight", int(b.leafWeight), set("leafWeight")));
  for (const d of b.weightDevice ?? []) {
    if (d.weight) out.push(w("blkio", `${weightFile}_device`, deviceLine(d, int(d.weight)), set("weightDevice")));
    if (d.leafWeight) out.push(w("blkio", "blkio.leaf_weight_device", deviceLine(d, int(d.leafWeight)), set("weightDevice.leafWeight")));
  }
  for (const t of THROTTLES) {
    for (const d of b[t.field] ?? []) out.push(w("blkio", t.v1, deviceLine(d, int(d.rate ?? 0)), set(t.field)));
  }
  return out;
}

function hugetlb(r: LinuxResources): Write[] {
  return (r.hugepageLimits ?? []).flatMap((h) => [
    w("hugetlb", `hugetlb.${h.pageSize}.limit_in_bytes`, int(h.limit)),
    // Reservations are limited too where the kernel accounts them.
    w("hugetlb", `hugetlb.${h.pageSize}.rsvd.limit_in_bytes`, int(h.limit), { optional: true }),
  ]);
}

// Refused where the controller is missing, as runc and crun do: the spec
// makes a value the runtime cannot apply an error.
function netCls(r: LinuxResources, probe: Probe): Write[] {
  const id = r.network?.classID;
  if (id === undefined) return [];
  if (!probe.mounted("net_cls")) throw unsupported("network.classID", "the net_cls controller is not mounted");
  return [w("net_cls", "net_cls.classid", int(id))];
}

function netPrio(r: LinuxResources, probe: Probe): Write[] {
  const priorities = r.network?.priorities ?? [];
  if (priorities.length === 0) return [];
  if (!probe.mounted("net_prio")) throw unsupported("network.priorities", "the net_prio controller is not mounted");
  return priorities.map((p) => w("net_prio", "net_prio.ifpriomap", `${p.name} ${int(p.priority)}`));
}

function rdma(r: LinuxResources): Write[] {
  return rdmaLines(r.rdma).map((line) => w("rdma", "rdma.max", line));
}

// v1 has no unified keys; a hybrid host takes those whose file exists in
// the (controller-less) unified hierarchy, such as cgroup.* files.
function unified(r: LinuxResources, probe: Probe): Write[] {
  const entries = Object.entries(r.unified ?? {});
  if (entries.length === 0) return [];
  if (!probe.mounted("")) throw resourceError("invalid configuration: cannot use unified on cgroup v1");
  return entries.map(([key, value]) => {
    const controller = checkUnifiedKey(key);
    if (!probe.exists("", key)) {
      // runc refuses unified on any v1 host in these words; the reason follows.
      throw resourceError(`invalid configuration: cannot use unified on cgroup v1: controller "${controller}" not available in the unified hierarchy for "${key}"`);
    }
    return w("", key, value);
  });
}

const PARTS: readonly Part[] = [cpuset, devices, memory, cpu, pids, blkio, hugetlb, netCls, netPrio, rdma, unified];

/** The writes that put `r` in place on a v1 (or hybrid) host. */
export function planV1(r: LinuxResources | undefined, probe: Probe, opts: PlanOptions = {}): ResourcePlan {
  const res = r ?? {};
  return {
    writes: PARTS.flatMap((part) => part(res, probe, opts)),
    warnings: kernelMemoryWarnings(res, probe.exists("memory", KMEM_TCP)),
  };
}
