// The pure parts of resource limits: conversions, device rules, and the v1
// and v2 write plans against a probe made of plain maps.

import { describe, expect, test } from "bun:test";
import type { LinuxResources } from "../../spec/types.ts";
import { deviceRules, v1DeviceWrites, v1RuleText } from "./devices.ts";
import {
  blkioToIoWeight,
  checkUnifiedKey,
  int,
  rdmaLines,
  sharesToWeight,
  swappinessValue,
  swapToV2,
  v2Limit,
  type Probe,
  type Write,
} from "./resources.ts";
import { planV1 } from "./resources-v1.ts";
import { planV2 } from "./resources-v2.ts";

/** A probe over "key/file" → contents; listed keys are mounted. */
function probe(files: Record<string, string> = {}, mounted: string[] = ["cpuset", "devices", "memory", "cpu", "pids", "blkio", "hugetlb", ""]): Probe {
  return {
    mounted: (key) => mounted.includes(key),
    exists: (key, file) => `${key}/${file}` in files,
    read: (key, file) => files[`${key}/${file}`]?.trim(),
  };
}

const brief = (ws: Write[]) => ws.map((w) => `${w.key}/${w.file}=${w.value}`);

describe("conversions", () => {
  test("cpu shares to cpu.weight, runc's formula", () => {
    expect(sharesToWeight(0)).toBe(0);
    expect(sharesToWeight(2)).toBe(1);
    expect(sharesToWeight(1024)).toBe(39);
    expect(sharesToWeight(262144)).toBe(10000);
  });

  test("blkio weight to io.weight", () => {
    expect(blkioToIoWeight(0)).toBe(0);
    expect(blkioToIoWeight(10)).toBe(1);
    expect(blkioToIoWeight(500)).toBe(4950);
    expect(blkioToIoWeight(1000)).toBe(10000);
  });

  test("memory+swap to memory.swap.max", () => {
    expect(swapToV2(0, 0)).toBe(0);
    expect(swapToV2(0, -1)).toBe(-1);
    expect(swapToV2(-1, 100)).toBe(-1);
    expect(swapToV2(300, 100)).toBe(200);
    expect(swapToV2(100, 100)).toBe(0);
    expect(swapToV2(300, -1)).toBe(300);
    expect(() => swapToV2(300, 0)).toThrow("without a memory limit");
    expect(() => swapToV2(50, 100)).toThrow("memory+swap limit 50 is below the memory limit 100");
  });

  test("integers and v2 limits", () => {
    expect(int(1e21)).toBe("1000000000000000000000");
    expect(() => int(1.5)).toThrow("invalid integer value 1.5");
    expect(v2Limit(undefined)).toBeUndefined();
    expect(v2Limit(0)).toBeUndefined();
    expect(v2Limit(-1)).toBe("max");
    expect(v2Limit(4096)).toBe("4096");
  });

  test("swappiness, rdma, unified keys", () => {
    expect(swappinessValue(undefined)).toBeUndefined();
    expect(swappinessValue(-1)).toBeUndefined();
    expect(swappinessValue(60)).toBe("60");
    expect(() => swappinessValue(101)).toThrow("invalid memory swappiness 101");
    expect(rdmaLines({ mlx5_1: { hcaHandles: 3 }, mlx4_0: { hcaHandles: 2, hcaObjects: 2000 } })).toEqual([
      "mlx5_1 hca_handle=3",
      "mlx4_0 hca_handle=2 hca_object=2000",
    ]);
    expect(checkUnifiedKey("memory.high")).toBe("memory");
    expect(() => checkUnifiedKey("../memory.high")).toThrow("must be a file name (no slashes)");
    expect(() => checkUnifiedKey("memory")).toThrow("must be in the form CONTROLLER.PARAMETER");
  });
});

describe("device rules", () => {
  test("config rules first, then runc's defaults", () => {
    const rules = deviceRules([{ allow: false, access: "rwm" }]);
    expect(rules[0]).toEqual({ type: "a", major: -1, minor: -1, access: "rwm", allow: false });
    expect(rules.map(v1RuleText)).toContain("c 1:3 rwm");
    expect(rules.map(v1RuleText)).toContain("c 136:* rwm");
    expect(rules.map(v1RuleText)[1]).toBe("c *:* m");
  });

  test("a device in linux.devices drops its default rule", () => {
    const rules = deviceRules([], { linuxDevices: [{ path: "/dev/zero" }] });
    expect(rules.map(v1RuleText)).not.toContain("c 1:5 rwm");
    expect(rules.map(v1RuleText)).toContain("c 1:9 rwm");
  });

  test("v1 writes, in order, to devices.allow or devices.deny", () => {
    const writes = v1DeviceWrites(deviceRules([{ allow: false, access: "rwm" }, { allow: false, type: "c", major: 1, minor: 5, access: "r" }]));
    expect(brief(writes.slice(0, 2))).toEqual(["devices/devices.deny=a", "devices/devices.deny=c 1:5 r"]);
    expect(brief(writes).at(-1)).toBe("devices/devices.allow=c 10:200 rwm");
  });

  test("bad rules are refused", () => {
    expect(() => deviceRules([{ allow: true, type: "x", access: "r" }])).toThrow('invalid device type "x"');
    expect(() => deviceRules([{ allow: true, access: "" }])).toThrow("device access at 0 field cannot be empty");
    expect(() => deviceRules([{ allow: true, access: "x" }])).toThrow('invalid device access "x" in linux.resources.devices[0]: none of r, w, m');
    expect(() => deviceRules([{ allow: true, access: "RWM" }])).toThrow('invalid device access "RWM"');
  });

  test("device access strings as runc takes them: r, w and m, each once, in order", () => {
    const access = (a: string) => deviceRules([{ allow: true, type: "c", major: 4, minor: 77, access: a }])[0]!.access;
    expect(access("rwa")).toBe("rw");
    expect(access("rwmrwm")).toBe("rwm");
    expect(access("mr")).toBe("rm");
    expect(access("wa")).toBe("w");
  });
});

describe("v1 plan", () => {
  const noDevices = { skipDevices: true };
  const plan = (r: LinuxResources, files?: Record<string, string>, mounted?: string[]) => brief(planV1(r, probe(files, mounted), noDevices).writes);

  test("memory limit and swap: swap first when it grows past the current limit", () => {
    const files = { "memory/memory.limit_in_bytes": "1000\n", "memory/memory.memsw.limit_in_bytes": "1000" };
    expect(plan({ memory: { limit: 2000, swap: 3000 } }, files)).toEqual([
      "memory/memory.memsw.limit_in_bytes=3000",
      "memory/memory.limit_in_bytes=2000",
    ]);
    const high = { ...files, "memory/memory.limit_in_bytes": "9000" };
    expect(plan({ memory: { limit: 2000, swap: 3000 } }, high)).toEqual([
      "memory/memory.limit_in_bytes=2000",
      "memory/memory.memsw.limit_in_bytes=3000",
    ]);
  });

  test("unlimited memory takes swap along when swap accounting exists", () => {
    const files = { "memory/memory.limit_in_bytes": "1000", "memory/memory.memsw.limit_in_bytes": "1000" };
    expect(plan({ memory: { limit: -1 } }, files)).toEqual(["memory/memory.memsw.limit_in_bytes=-1", "memory/memory.limit_in_bytes=-1"]);
    expect(plan({ memory: { limit: -1 } })).toEqual(["memory/memory.limit_in_bytes=-1"]);
  });

  test("memory extras and the kernel memory warning", () => {
    const p = planV1({ memory: { reservation: 512, disableOOMKiller: true, swappiness: 0, kernel: 1 } }, probe(), noDevices);
    expect(brief(p.writes)).toEqual([
      "memory/memory.soft_limit_in_bytes=512",
      "memory/memory.oom_control=1",
      "memory/memory.swappiness=0",
    ]);
    expect(p.warnings).toEqual(["kernel memory settings are ignored and will be removed"]);
  });

  test("kernelTCP is written where the kernel still has its file, else warned about", () => {
    const r = { memory: { kernelTCP: 65536 } };
    const withFile = planV1(r, probe({ "memory/memory.kmem.tcp.limit_in_bytes": "max" }), noDevices);
    expect(brief(withFile.writes)).toEqual(["memory/memory.kmem.tcp.limit_in_bytes=65536"]);
    expect(withFile.writes[0]!.setting).toBe("memory.kernelTCP");
    expect(withFile.warnings).toEqual([]);
    const without = planV1(r, probe(), noDevices);
    expect(without.writes).toEqual([]);
    expect(without.warnings).toEqual(["kernel memory settings are ignored and will be removed"]);
  });

  test("cpu: shares checked on read-back, period retried after the quota", () => {
    const p = planV1({ cpu: { shares: 512, period: 50000, quota: 25000, realtimePeriod: 1000000, realtimeRuntime: 950000, cpus: "0", mems: "0" } }, probe(), noDevices);
    expect(brief(p.writes)).toEqual([
      "cpuset/cpuset.cpus=0",
      "cpuset/cpuset.mems=0",
      "cpu/cpu.shares=512",
      "cpu/cpu.cfs_period_us=50000",
      "cpu/cpu.cfs_quota_us=25000",
      "cpu/cpu.rt_period_us=1000000",
      "cpu/cpu.rt_runtime_us=950000",
    ]);
    const shares = p.writes[2]!;
    expect(shares.check?.("512")).toBeUndefined();
    expect(shares.check?.("262144")).toBe("the minimum allowed cpu-shares is 262144");
    expect(shares.check?.("2")).toBe("the maximum allowed cpu-shares is 2");
    expect(p.writes[3]!.retryAfterNext).toBe(true);
  });

  test("pids: <= 0 is no limit", () => {
    expect(plan({ pids: { limit: 10 } })).toEqual(["pids/pids.max=10"]);
    expect(plan({ pids: { limit: 0 } })).toEqual(["pids/pids.max=max"]);
    expect(plan({ pids: { limit: -1 } })).toEqual(["pids/pids.max=max"]);
  });

  test("blkio: cfq or bfq weight files, per-device lines, throttles", () => {
    const r: LinuxResources = {
      blockIO: {
        weight: 300,
        leafWeight: 200,
        weightDevice: [{ major: 8, minor: 0, weight: 500, leafWeight: 100 }],
        throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }],
        throttleWriteIOPSDevice: [{ major: 8, minor: 16, rate: 100 }],
      },
    };
    expect(plan(r, { "blkio/blkio.weight": "500" })).toEqual([
      "blkio/blkio.weight=300",
      "blkio/blkio.leaf_weight=200",
      "blkio/blkio.weight_device=8:0 500",
      "blkio/blkio.leaf_weight_device=8:0 100",
      "blkio/blkio.throttle.read_bps_device=8:0 1048576",
      "blkio/blkio.throttle.write_iops_device=8:16 100",
    ]);
    expect(plan({ blockIO: { weight: 300, weightDevice: [{ major: 8, minor: 0, weight: 5 }] } })).toEqual([
      "blkio/blkio.bfq.weight=300",
      "blkio/blkio.bfq.weight_device=8:0 5",
    ]);
  });

  test("hugetlb, rdma, network", () => {
    const p = planV1(
      { hugepageLimits: [{ pageSize: "2MB", limit: 4194304 }], rdma: { mlx4_0: { hcaHandles: 1 } }, network: { classID: 0x100001, priorities: [{ name: "eth0", priority: 5 }] } },
      probe({}, ["hugetlb", "rdma", "net_cls", "net_prio"]),
      noDevices,
    );
    expect(brief(p.writes)).toEqual([
      "hugetlb/hugetlb.2MB.limit_in_bytes=4194304",
      "hugetlb/hugetlb.2MB.rsvd.limit_in_bytes=4194304",
      "net_cls/net_cls.classid=1048577",
      "net_prio/net_prio.ifpriomap=eth0 5",
      "rdma/rdma.max=mlx4_0 hca_handle=1",
    ]);
    expect(p.writes[1]!.optional).toBe(true);
    expect(() => planV1({ network: { classID: 1 } }, probe(), noDevices)).toThrow(
      "linux.resources.network.classID is not supported on this host: the net_cls controller is not mounted",
    );
    expect(() => planV1({ network: { priorities: [{ name: "eth0", priority: 1 }] } }, probe(), noDevices)).toThrow(
      "linux.resources.network.priorities is not supported on this host: the net_prio controller is not mounted",
    );
    expect(planV1({ network: { priorities: [] } }, probe(), noDevices).writes).toEqual([]);
  });

  test("unified: only on a hybrid host, only files that exist there", () => {
    const r = { unified: { "cgroup.max.depth": "3" } };
    expect(plan(r, { "/cgroup.max.depth": "max" })).toEqual(["/cgroup.max.depth=3"]);
    expect(() => plan({ unified: { "memory.high": "1" } })).toThrow('controller "memory" not available');
    expect(() => plan(r, {}, ["memory"])).toThrow("cannot use unified on cgroup v1");
  });

  test("devices come after cpuset and before memory", () => {
    const p = planV1({ memory: { limit: 4096 }, devices: [{ allow: false, access: "rwm" }] }, probe());
    expect(brief(p.writes)[0]).toBe("devices/devices.deny=a");
    expect(brief(p.writes).at(-1)).toBe("memory/memory.limit_in_bytes=4096");
  });
});

describe("v2 plan", () => {
  const plan = (r: LinuxResources, files?: Record<string, string>) => brief(planV2(r, probe(files)).writes);

  test("memory: swap converted and written before the limit", () => {
    expect(plan({ memory: { limit: 100, swap: 300, reservation: 50 } })).toEqual([
      "/memory.swap.max=200",
      "/memory.max=100",
      "/memory.low=50",
    ]);
    expect(plan({ memory: { limit: 100, swap: 100 } })).toEqual(["/memory.swap.max=0", "/memory.max=100"]);
    expect(plan({ memory: { limit: -1 } })).toEqual(["/memory.swap.max=max", "/memory.max=max"]);
    expect(planV2({ memory: { limit: -1 } }, probe()).writes[0]!.optional).toBe(true);
    expect(() => plan({ memory: { swap: 100 } })).toThrow("without a memory limit");
  });

  test("memory: checkBeforeUpdate refuses a limit below usage", () => {
    const files = { "/memory.current": "5000" };
    expect(() => plan({ memory: { limit: 4096, checkBeforeUpdate: true } }, files)).toThrow("below the current usage 5000");
    expect(plan({ memory: { limit: 4096 } }, files)).toEqual(["/memory.max=4096"]);
  });

  test("cpu: weight, cpu.max with the default period, burst, idle", () => {
    expect(plan({ cpu: { shares: 1024, quota: 50000, burst: 1000, idle: 0 } })).toEqual([
      "/cpu.weight=39",
      "/cpu.max=50000 100000",
      "/cpu.max.burst=1000",
      "/cpu.idle=0",
    ]);
    expect(plan({ cpu: { period: 20000 } })).toEqual(["/cpu.max=max 20000"]);
    expect(plan({ cpu: { quota: -1, period: 20000 } })).toEqual(["/cpu.max=max 20000"]);
    expect(() => plan({ cpu: { realtimeRuntime: 1 } })).toThrow("not supported on cgroup v2");
  });

  test("io: bfq weight when there, else converted io.weight; io.max lines", () => {
    const r: LinuxResources = { blockIO: { weight: 500, throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1024 }], throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 10 }] } };
    expect(plan(r)).toEqual(["/io.weight=4950", "/io.max=8:0 rbps=1024", "/io.max=8:0 wiops=10"]);
    expect(plan({ blockIO: { weight: 500, weightDevice: [{ major: 8, minor: 0, weight: 100 }] } }, { "/io.bfq.weight": "default 100" })).toEqual([
      "/io.bfq.weight=500",
      "/io.bfq.weight=8:0 100",
    ]);
    expect(() => plan({ blockIO: { weightDevice: [{ major: 8, minor: 0, weight: 100 }] } })).toThrow("needs the bfq io scheduler");
  });

  test("order: pids, memory, io, cpu, cpuset, hugetlb, rdma, unified", () => {
    const r: LinuxResources = {
      unified: { "memory.high": "1G" },
      rdma: { mlx4_0: { hcaObjects: 9 } },
      hugepageLimits: [{ pageSize: "1GB", limit: 0 }],
      cpu: { cpus: "0-1", mems: "0", shares: 2 },
      memory: { limit: 4096 },
      pids: { limit: 5 },
    };
    expect(plan(r, { "/memory.high": "max" })).toEqual([
      "/pids.max=5",
      "/memory.max=4096",
      "/cpu.weight=1",
      "/cpuset.cpus=0-1",
      "/cpuset.mems=0",
      "/hugetlb.1GB.max=0",
      "/hugetlb.1GB.rsvd.max=0",
      "/rdma.max=mlx4_0 hca_object=9",
      "/memory.high=1G",
    ]);
  });

  test("unified: a missing controller is named", () => {
    expect(() => plan({ unified: { "io.latency": "x" } }, { "/cgroup.controllers": "cpu memory" })).toThrow(
      'unified resource "io.latency" can\'t be set: controller "io" not available',
    );
    expect(plan({ unified: { "io.latency": "x" } }, { "/cgroup.controllers": "io" })).toEqual(["/io.latency=x"]);
  });

  test("settings v2 cannot enforce are warned about", () => {
    const p = planV2({ memory: { swappiness: 10, kernel: 5, disableOOMKiller: true } }, probe());
    expect(p.writes).toEqual([]);
    expect(p.warnings).toHaveLength(3);
  });

  test("network settings are refused on v2: there is no controller for them", () => {
    expect(() => planV2({ network: { classID: 1 } }, probe())).toThrow("linux.resources.network is not supported on this host");
    expect(() => planV2({ network: { priorities: [{ name: "lo", priority: 1 }] } }, probe())).toThrow("cgroup v2 has no net_cls");
  });
});
