// Statistics from cgroup v1 controller files, read the way runc reads them.
// A controller that is not mounted, or a file the kernel does not offer,
// leaves its part of the stats at zero.

import * as posix from "../linux/paths.ts";
import { listFiles, readControlIfExists, type CgroupFs } from "./io.ts";
import {
  emptyStats,
  parseCpuList,
  parseFlatKeyed,
  parseU64,
  type BlkioEntry,
  type BlkioField,
  type MemoryEntry,
  type Stats,
} from "./stats.ts";

type Dirs = Readonly<Record<string, string>>;
type Reader = (file: string) => string | undefined;

// cpuacct.stat counts USER_HZ ticks; the kernel's USER_HZ is 100 on every
// architecture Linux containers run on.
const NS_PER_TICK = 1_000_000_000n / 100n;

function reader(fs: CgroupFs, dir: string | undefined): Reader | undefined {
  return dir === undefined ? undefined : (file) => readControlIfExists(fs, posix.join(dir, file));
}

function cpu(s: Stats, cpuDir: Reader | undefined, acct: Reader | undefined): void {
  const stat = parseFlatKeyed(cpuDir?.("cpu.stat"));
  s.cpu.throttling = {
    periods: stat.get("nr_periods") ?? 0n,
    throttledPeriods: stat.get("nr_throttled") ?? 0n,
    throttledTime: stat.get("throttled_time") ?? 0n,
  };
  if (acct === undefined) return;
  const u = s.cpu.usage;
  u.total = parseU64(acct("cpuacct.usage"));
  u.percpu = (acct("cpuacct.usage_percpu") ?? "").trim().split(/\s+/).filter(Boolean).map(parseU64);
  // "cpu user system" then one line per cpu, in nanoseconds.
  const rows = (acct("cpuacct.usage_all") ?? "").trim().split("\n").slice(1).map((l) => l.trim().split(/\s+/));
  u.percpu_user = rows.filter((r) => r.length === 3).map((r) => parseU64(r[1]));
  u.percpu_kernel = rows.filter((r) => r.length === 3).map((r) => parseU64(r[2]));
  const ticks = parseFlatKeyed(acct("cpuacct.stat"));
  u.user = (ticks.get("user") ?? 0n) * NS_PER_TICK;
  u.kernel = (ticks.get("system") ?? 0n) * NS_PER_TICK;
}

const CPUSET_COUNTERS = [
  "cpu_exclusive",
  "mem_hardwall",
  "mem_exclusive",
  "memory_migrate",
  "memory_spread_page",
  "memory_spread_slab",
  "memory_pressure",
  "sched_load_balance",
] as const;

function cpuset(s: Stats, read: Reader | undefined): void {
  if (read === undefined) return;
  s.cpuset.cpus = parseCpuList(read("cpuset.cpus"));
  s.cpuset.mems = parseCpuList(read("cpuset.mems"));
  for (const c of CPUSET_COUNTERS) s.cpuset[c] = parseU64(read(`cpuset.${c}`));
  const level = read("cpuset.sched_relax_domain_level")?.trim();
  s.cpuset.sched_relax_domain_level = level ? BigInt(level) : 0n;
}

// memory.<prefix>usage_in_bytes and friends; absent (no swap accounting,
// no kmem) reads as zeros.
function memoryEntry(read: Reader, prefix: string): MemoryEntry {
  return {
    limit: parseU64(read(`${prefix}limit_in_bytes`)),
    usage: parseU64(read(`${prefix}usage_in_bytes`)),
    max: parseU64(read(`${prefix}max_usage_in_bytes`)),
    failcnt: parseU64(read(`${prefix}failcnt`)),
  };
}

function memory(s: Stats, read: Reader | undefined): void {
  if (read === undefined) return;
  const raw = parseFlatKeyed(read("memory.stat"));
  s.memory.raw = Object.fromEntries(raw);
  s.memory.cache = raw.get("cache") ?? 0n;
  s.memory.usage = memoryEntry(read, "memory.");
  s.memory.swap = memoryEntry(read, "memory.memsw.");
  s.memory.kernel = memoryEntry(read, "memory.kmem.");
  s.memory.kernelTCP = memoryEntry(read, "memory.kmem.tcp.");
}

function pids(s: Stats, read: Reader | undefined): void {
  if (read === undefined) return;
  const max = read("pids.max")?.trim();
  // "max" is no limit, which runc reports as 0 (left out).
  s.pids = { current: parseU64(read("pids.current")), limit: max === "max" ? 0n : parseU64(max) };
}

/** "8:0 Read 1282048" lines; the "Total N" line is skipped. */
export function parseBlkioLines(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/[\s:]+/).filter(Boolean);
    if (f.length < 3) continue;
    const [major, minor, op, value] = f.length === 4 ? f : [f[0], f[1], "", f[2]];
    out.push({ major: parseU64(major), minor: parseU64(minor), op: op ?? "", value: parseU64(value) });
  }
  return out;
}

// Sets of files to try in order (runc's order): the first set whose first
// file has entries is used.
const BLKIO_SOURCES: readonly (readonly [string, BlkioField][])[] = [
  [
    ["blkio.bfq.io_serviced_recursive", "ioServicedRecursive"],
    ["blkio.bfq.io_service_bytes_recursive", "ioServiceBytesRecursive"],
  ],
  [
    ["blkio.io_serviced_recursive", "ioServicedRecursive"],
    ["blkio.io_service_bytes_recursive", "ioServiceBytesRecursive"],
    ["blkio.sectors_recursive", "sectorsRecursive"],
    ["blkio.io_service_time_recursive", "ioServiceTimeRecursive"],
    ["blkio.io_wait_time_recursive", "ioWaitTimeRecursive"],
    ["blkio.io_merged_recursive", "ioMergedRecursive"],
    ["blkio.io_queued_recursive", "ioQueueRecursive"],
    ["blkio.time_recursive", "ioTimeRecursive"],
  ],
  [
    ["blkio.throttle.io_serviced_recursive", "ioServicedRecursive"],
    ["blkio.throttle.io_service_bytes_recursive", "ioServiceBytesRecursive"],
  ],
  [
    ["blkio.throttle.io_serviced", "ioServicedRecursive"],
    ["blkio.throttle.io_service_bytes", "ioServiceBytesRecursive"],
  ],
];

function blkio(s: Stats, read: Reader | undefined): void {
  if (read === undefined) return;
  for (const source of BLKIO_SOURCES) {
    if (parseBlkioLines(read(source[0]![0]) ?? "").length === 0) continue;
    for (const [file, field] of source) s.blkio[field] = parseBlkioLines(read(file) ?? "");
    return;
  }
}

function hugetlb(s: Stats, fs: CgroupFs, dir: string | undefined): void {
  if (dir === undefined) return;
  const read = reader(fs, dir)!;
  for (const name of listFiles(fs, dir)) {
    const size = /^hugetlb\.([^.]+)\.usage_in_bytes$/.exec(name)?.[1];
    if (size === undefined) continue;
    s.hugetlb[size] = {
      usage: parseU64(read(name)),
      max: parseU64(read(`hugetlb.${size}.max_usage_in_bytes`)),
      failcnt: parseU64(read(`hugetlb.${size}.failcnt`)),
    };
  }
}

/** Stats of the cgroups at dirs (hierarchy key → directory). */
export function readV1Stats(fs: CgroupFs, dirs: Dirs): Stats {
  const s = emptyStats();
  cpu(s, reader(fs, dirs.cpu), reader(fs, dirs.cpuacct));
  cpuset(s, reader(fs, dirs.cpuset));
  memory(s, reader(fs, dirs.memory));
  pids(s, reader(fs, dirs.pids));
  blkio(s, reader(fs, dirs.blkio));
  hugetlb(s, fs, dirs.hugetlb);
  return s;
}
