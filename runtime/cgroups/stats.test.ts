// Statistics: parsing control files (v1 and v2) from a temp-dir tree, and
// the JSON runc's `events` prints.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { fakeCgroupFs, fakeTree, type FakeTree } from "./fixtures.test-support.ts";
import { emptyStats, parseCpuList, parseFlatKeyed, parseU64, statsDocument, toJson } from "./stats.ts";
import { parseBlkioLines, readV1Stats } from "./stats-v1.ts";
import { parseIoStat, readV2Stats } from "./stats-v2.ts";

let tree: FakeTree;
beforeEach(() => {
  tree = fakeTree();
});
afterEach(() => tree.cleanup());

function files(dir: string, contents: Record<string, string>): void {
  tree.mkdir(dir);
  for (const [name, text] of Object.entries(contents)) tree.write(`${dir}/${name}`, text);
}

describe("parsing", () => {
  test("u64 values, flat-keyed files, cpu lists", () => {
    expect(parseU64("9223372036854771712\n")).toBe(9223372036854771712n);
    expect(parseU64("max")).toBe(18446744073709551615n);
    expect(parseU64(undefined)).toBe(0n);
    expect(parseFlatKeyed("nr_periods 4\nnr_throttled 2\n").get("nr_throttled")).toBe(2n);
    expect(parseCpuList("0-2,5\n")).toEqual([0, 1, 2, 5]);
    expect(parseCpuList("")).toEqual([]);
  });

  test("blkio lines and io.stat", () => {
    expect(parseBlkioLines("8:0 Read 100\n8:0 Write 5\nTotal 105\n")).toEqual([
      { major: 8n, minor: 0n, op: "Read", value: 100n },
      { major: 8n, minor: 0n, op: "Write", value: 5n },
    ]);
    expect(parseBlkioLines("8:0 6792\n")).toEqual([{ major: 8n, minor: 0n, op: "", value: 6792n }]);
    expect(parseIoStat("254:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n")).toEqual({
      ioServiceBytesRecursive: [
        { major: 254n, minor: 0n, op: "Read", value: 10n },
        { major: 254n, minor: 0n, op: "Write", value: 20n },
      ],
      ioServicedRecursive: [
        { major: 254n, minor: 0n, op: "Read", value: 1n },
        { major: 254n, minor: 0n, op: "Write", value: 2n },
      ],
    });
  });
});

describe("v1", () => {
  test("reads every controller that is there", () => {
    files("cpu/c1", { "cpu.stat": "nr_periods 10\nnr_throttled 4\nthrottled_time 12345\n" });
    files("cpuacct/c1", {
      "cpuacct.usage": "300\n",
      "cpuacct.usage_percpu": "100 200 \n",
      "cpuacct.usage_all": "cpu user system\n0 60 40\n1 150 50\n",
      "cpuacct.stat": "user 3\nsystem 1\n",
    });
    files("cpuset/c1", { "cpuset.cpus": "0-1\n", "cpuset.mems": "0\n", "cpuset.sched_load_balance": "1\n", "cpuset.sched_relax_domain_level": "-1\n" });
    files("memory/c1", {
      "memory.stat": "cache 4096\nrss 8192\n",
      "memory.usage_in_bytes": "12288\n",
      "memory.max_usage_in_bytes": "20000\n",
      "memory.limit_in_bytes": "33554432\n",
      "memory.failcnt": "3\n",
    });
    files("pids/c1", { "pids.current": "2\n", "pids.max": "max\n" });
    files("blkio/c1", { "blkio.throttle.io_service_bytes_recursive": "8:0 Read 7\nTotal 7\n", "blkio.throttle.io_serviced_recursive": "8:0 Read 1\n" });
    files("hugetlb/c1", { "hugetlb.2MB.usage_in_bytes": "0\n", "hugetlb.2MB.max_usage_in_bytes": "2097152\n", "hugetlb.2MB.failcnt": "1\n" });
    const dirs = Object.fromEntries(["cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "hugetlb"].map((k) => [k, tree.file(`${k}/c1`)]));
    const s = readV1Stats(fakeCgroupFs(), dirs);
    expect(s.cpu.throttling).toEqual({ periods: 10n, throttledPeriods: 4n, throttledTime: 12345n });
    expect(s.cpu.usage).toEqual({ total: 300n, percpu: [100n, 200n], percpu_user: [60n, 150n], percpu_kernel: [40n, 50n], user: 30_000_000n, kernel: 10_000_000n });
    expect(s.cpuset.cpus).toEqual([0, 1]);
    expect(s.cpuset.sched_relax_domain_level).toBe(-1n);
    expect(s.memory.cache).toBe(4096n);
    expect(s.memory.usage).toEqual({ limit: 33554432n, usage: 12288n, max: 20000n, failcnt: 3n });
    expect(s.memory.swap).toEqual({ limit: 0n, usage: 0n, max: 0n, failcnt: 0n });
    expect(s.pids).toEqual({ current: 2n, limit: 0n });
    expect(s.blkio.ioServiceBytesRecursive).toEqual([{ major: 8n, minor: 0n, op: "Read", value: 7n }]);
    expect(s.hugetlb).toEqual({ "2MB": { usage: 0n, max: 2097152n, failcnt: 1n } });
  });

  test("missing controllers and a removed cgroup read as zeros", () => {
    const s = readV1Stats(fakeCgroupFs(), { memory: tree.file("memory/gone"), hugetlb: tree.file("hugetlb/gone") });
    expect(s).toEqual(emptyStats());
  });
});

describe("v2", () => {
  test("maps the unified files onto runc's fields", () => {
    files("c1", {
      "cpu.stat": "usage_usec 5\nuser_usec 3\nsystem_usec 2\nnr_periods 7\nnr_throttled 6\nthrottled_usec 4\n",
      "memory.stat": "anon 100\nfile 200\n",
      "memory.current": "300\n",
      "memory.max": "max\n",
      "memory.swap.current": "10\n",
      "memory.swap.max": "max\n",
      "memory.events": "low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\n",
      "pids.current": "4\n",
      "pids.max": "10\n",
      "io.stat": "8:0 rbytes=1 wbytes=2 rios=3 wios=4\n",
      "hugetlb.2MB.current": "0\n",
      "hugetlb.2MB.events": "max 2\n",
    });
    const s = readV2Stats(fakeCgroupFs(), tree.file("c1"));
    expect(s.cpu.usage.total).toBe(5000n);
    expect(s.cpu.throttling).toEqual({ periods: 7n, throttledPeriods: 6n, throttledTime: 4000n });
    expect(s.memory.cache).toBe(200n);
    expect(s.memory.usage).toEqual({ limit: 18446744073709551615n, usage: 300n, max: 0n, failcnt: 9n });
    expect(s.memory.swap.usage).toBe(310n);
    expect(s.memory.swap.limit).toBe(18446744073709551615n);
    expect(s.pids).toEqual({ current: 4n, limit: 10n });
    expect(s.blkio.ioServicedRecursive).toHaveLength(2);
    expect(s.hugetlb["2MB"]).toEqual({ usage: 0n, max: 0n, failcnt: 2n });
  });
});

describe("the stats document", () => {
  test("zero values are left out where runc leaves them out", () => {
    expect(toJson(statsDocument(emptyStats()))).toBe(
      '{"cpu":{"usage":{"kernel":0,"user":0},"throttling":{}},' +
        '"cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":0,"sched_relax_domain_level":0},' +
        '"memory":{"usage":{"limit":0,"failcnt":0},"swap":{"limit":0,"failcnt":0},"kernel":{"limit":0,"failcnt":0},"kernelTCP":{"limit":0,"failcnt":0}},' +
        '"pids":{},"blkio":{},"hugetlb":{},"intel_rdt":{},"network_interfaces":null}',
    );
  });

  test("big counters stay exact; raw keys are sorted", () => {
    const s = emptyStats();
    s.memory.usage.limit = 9223372036854771712n;
    s.memory.raw = { rss: 1n, cache: 2n };
    s.pids = { current: 3n, limit: 0n };
    const json = toJson(statsDocument(s));
    expect(json).toContain('"usage":{"limit":9223372036854771712,"failcnt":0}');
    expect(json).toContain('"raw":{"cache":2,"rss":1}');
    expect(json).toContain('"pids":{"current":3}');
  });
});
