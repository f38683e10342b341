// Statistics from a cgroup v2 directory, mapped onto runc's (v1-shaped)
// stats the way runc maps them.

import * as posix from "../linux/paths.ts";
import { listFiles, readControlIfExists, type CgroupFs } from "./io.ts";
import { emptyStats, parseFlatKeyed, parseU64, type BlkioEntry, type BlkioField, type Stats } from "./stats.ts";

type Reader = (file: string) => string | undefined;

const US_TO_NS = 1000n;
const NO_LIMIT = 2n ** 64n - 1n;

function cpu(s: Stats, read: Reader): void {
  const stat = parseFlatKeyed(read("cpu.stat"));
  const ns = (key: string) => (stat.get(key) ?? 0n) * US_TO_NS;
  s.cpu.usage.total = ns("usage_usec");
  s.cpu.usage.user = ns("user_usec");
  s.cpu.usage.kernel = ns("system_usec");
  s.cpu.throttling = {
    periods: stat.get("nr_periods") ?? 0n,
    throttledPeriods: stat.get("nr_throttled") ?? 0n,
    throttledTime: ns("throttled_usec"),
  };
}

function memory(s: Stats, read: Reader): void {
  const raw = parseFlatKeyed(read("memory.stat"));
  s.memory.raw = Object.fromEntries(raw);
  s.memory.cache = raw.get("file") ?? 0n;
  const usage = parseU64(read("memory.current"));
  const limit = parseU64(read("memory.max"));
  s.memory.usage = { ...s.memory.usage, usage, limit, max: parseU64(read("memory.peak")) };
  s.memory.usage.failcnt = parseFlatKeyed(read("memory.events")).get("max") ?? 0n;
  // v1 reported memory+swap together; runc keeps that meaning on v2.
  const swapLimit = parseU64(read("memory.swap.max"));
  s.memory.swap = {
    ...s.memory.swap,
    usage: parseU64(read("memory.swap.current")) + usage,
    limit: swapLimit === NO_LIMIT || limit === NO_LIMIT ? NO_LIMIT : swapLimit + limit,
  };
}

function pids(s: Stats, read: Reader): void {
  const max = read("pids.max")?.trim();
  s.pids = { current: parseU64(read("pids.current")), limit: max === "max" ? 0n : parseU64(max) };
}

// io.stat keys mapped to runc's v1 names and tables.
const IO_KEYS: Record<string, [BlkioField, string]> = {
  rbytes: ["ioServiceBytesRecursive", "Read"],
  wbytes: ["ioServiceBytesRecursive", "Write"],
  rios: ["ioServicedRecursive", "Read"],
  wios: ["ioServicedRecursive", "Write"],
};

/** "8:0 rbytes=1 wbytes=2 ..." lines → v1-style entries per table. */
export function parseIoStat(text: string): Partial<Record<BlkioField, BlkioEntry[]>> {
  const out: Partial<Record<BlkioField, BlkioEntry[]>> = {};
  for (const line of text.split("\n")) {
    const [dev, ...pairs] = line.trim().split(/\s+/);
    const [major, minor] = (dev ?? "").split(":");
    if (major === undefined || minor === undefined) continue;
    for (const pair of pairs) {
      const [key, value] = pair.split("=");
      const target = IO_KEYS[key ?? ""];
      if (target === undefined) continue;
      (out[target[0]] ??= []).push({ major: parseU64(major), minor: parseU64(minor), op: target[1], value: parseU64(value) });
    }
  }
  return out;
}

function hugetlb(s: Stats, fs: CgroupFs, dir: string, read: Reader): void {
  for (const name of listFiles(fs, dir)) {
    const size = /^hugetlb\.([^.]+)\.current$/.exec(name)?.[1];
    if (size === undefined) continue;
    const failcnt = parseFlatKeyed(read(`hugetlb.${size}.events`)).get("max") ?? 0n;
    s.hugetlb[size] = { usage: parseU64(read(name)), max: 0n, failcnt };
  }
}

/** Stats of the cgroup v2 directory dir. */
export function readV2Stats(fs: CgroupFs, dir: string | undefined): Stats {
  const s = emptyStats();
  if (dir === undefined) return s;
  const read: Reader = (file) => readControlIfExists(fs, posix.join(dir, file));
  cpu(s, read);
  memory(s, read);
  pids(s, read);
  Object.assign(s.blkio, parseIoStat(read("io.stat") ?? ""));
  hugetlb(s, fs, dir, read);
  return s;
}
