// Container statistics in the shape runc's `events` prints (its types.Stats,
// as of runc 1.1): counters are bigint because cgroup files hold full u64
// values ("no limit" is 2^63 or 2^64 - 1), which a JS number would round.

export interface MemoryEntry {
  limit: bigint;
  usage: bigint;
  max: bigint;
  failcnt: bigint;
}

export interface BlkioEntry {
  major: bigint;
  minor: bigint;
  op: string;
  value: bigint;
}

export const BLKIO_FIELDS = [
  "ioServiceBytesRecursive",
  "ioServicedRecursive",
  "ioQueueRecursive",
  "ioServiceTimeRecursive",
  "ioWaitTimeRecursive",
  "ioMergedRecursive",
  "ioTimeRecursive",
  "sectorsRecursive",
] as const;
export type BlkioField = (typeof BLKIO_FIELDS)[number];

export interface Stats {
  cpu: {
    usage: { total: bigint; percpu: bigint[]; percpu_kernel: bigint[]; percpu_user: bigint[]; kernel: bigint; user: bigint };
    throttling: { periods: bigint; throttledPeriods: bigint; throttledTime: bigint };
  };
  cpuset: {
    cpus: number[];
    cpu_exclusive: bigint;
    mems: number[];
    mem_hardwall: bigint;
    mem_exclusive: bigint;
    memory_migrate: bigint;
    memory_spread_page: bigint;
    memory_spread_slab: bigint;
    memory_pressure: bigint;
    sched_load_balance: bigint;
    sched_relax_domain_level: bigint;
  };
  memory: { cache: bigint; usage: MemoryEntry; swap: MemoryEntry; kernel: MemoryEntry; kernelTCP: MemoryEntry; raw: Record<string, bigint> };
  pids: { current: bigint; limit: bigint };
  blkio: Record<BlkioField, BlkioEntry[]>;
  hugetlb: Record<string, { usage: bigint; max: bigint; failcnt: bigint }>;
}

const memoryEntry = (): MemoryEntry => ({ limit: 0n, usage: 0n, max: 0n, failcnt: 0n });

export function emptyStats(): Stats {
  return {
    cpu: {
      usage: { total: 0n, percpu: [], percpu_kernel: [], percpu_user: [], kernel: 0n, user: 0n },
      throttling: { periods: 0n, throttledPeriods: 0n, throttledTime: 0n },
    },
    cpuset: {
      cpus: [],
      cpu_exclusive: 0n,
      mems: [],
      mem_hardwall: 0n,
      mem_exclusive: 0n,
      memory_migrate: 0n,
      memory_spread_page: 0n,
      memory_spread_slab: 0n,
      memory_pressure: 0n,
      sched_load_balance: 0n,
      sched_relax_domain_level: 0n,
    },
    memory: { cache: 0n, usage: memoryEntry(), swap: memoryEntry(), kernel: memoryEntry(), kernelTCP: memoryEntry(), raw: {} },
    pids: { current: 0n, limit: 0n },
    blkio: Object.fromEntries(BLKIO_FIELDS.map((f) => [f, []])) as unknown as Record<BlkioField, BlkioEntry[]>,
    hugetlb: {},
  };
}

// --- parsing helpers shared by the v1 and v2 readers ----------------------

/** A u64 control value; "max" is the largest u64, as runc reports it. */
export function parseU64(text: string | undefined): bigint {
  const t = text?.trim() ?? "";
  if (t === "") return 0n;
  if (t === "max") return 2n ** 64n - 1n;
  try {
    return BigInt(t);
  } catch {
    return 0n;
  }
}

/** "key value" lines (memory.stat, cpu.stat, memory.events) → map. */
export function parseFlatKeyed(text: string | undefined): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of (text ?? "").split("\n")) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, parseU64(v));
  }
  return out;
}

/** A cpuset list ("0-3,8") → [0, 1, 2, 3, 8]. */
export function parseCpuList(text: string | undefined): number[] {
  const out: number[] = [];
  for (const part of (text ?? "").trim().split(",")) {
    if (part === "") continue;
    const [lo, hi] = part.split("-").map((n) => Number.parseInt(n, 10));
    if (lo === undefined || Number.isNaN(lo)) continue;
    for (let i = lo; i <= (hi ?? lo); i++) out.push(i);
  }
  return out;
}

// --- the JSON document -----------------------------------------------------

type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json };

const isEmpty = (v: Json) =>
  v === 0n || v === 0 || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** Go's omitempty: drops the listed keys when their value is empty. */
function omitEmpty<T extends object>(obj: T, keys: readonly (keyof T)[]): Json {
  return Object.fromEntries(Object.entries(obj).filter(([k, v]) => !(keys.includes(k as keyof T) && isEmpty(v as Json)))) as Json;
}

const sortedKeys = <V>(m: Record<string, V>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
const mem = (e: MemoryEntry) => omitEmpty(e, ["usage", "max"]);

/** The "data" of runc's stats event: its field names, omissions and order. */
export function statsDocument(s: Stats): Json {
  const blkio = Object.fromEntries(
    BLKIO_FIELDS.filter((f) => s.blkio[f].length > 0).map((f) => [f, s.blkio[f].map((e) => omitEmpty(e, ["major", "minor", "op", "value"]))]),
  );
  return {
    cpu: {
      usage: omitEmpty(s.cpu.usage, ["total", "percpu", "percpu_kernel", "percpu_user"]),
      throttling: omitEmpty(s.cpu.throttling, ["periods", "throttledPeriods", "throttledTime"]),
    },
    cpuset: omitEmpty(s.cpuset, ["cpus", "mems"]),
    memory: omitEmpty(
      { cache: s.memory.cache, usage: mem(s.memory.usage), swap: mem(s.memory.swap), kernel: mem(s.memory.kernel), kernelTCP: mem(s.memory.kernelTCP), raw: sortedKeys(s.memory.raw) },
      ["cache", "raw"],
    ),
    pids: omitEmpty(s.pids, ["current", "limit"]),
    blkio,
    hugetlb: Object.fromEntries(Object.entries(sortedKeys(s.hugetlb)).map(([k, h]) => [k, omitEmpty(h, ["usage", "max"])])),
    intel_rdt: {},
    network_interfaces: null,
  };
}

/** JSON.stringify that writes bigints as plain numbers, on one line. */
export function toJson(v: Json | undefined): string {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(toJson).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}
