import { describe, expect, test } from "bun:test";
import { deviceProperties, emulateDeviceRules, parseProcDevices } from "./device-properties.ts";
import { cpusetBits, INFINITY, quotaPerSecUSec, resourceProperties, unitProperties, type PropertyContext } from "./properties.ts";

const lookup = parseProcDevices("Character devices:\n  1 mem\n  5 /dev/tty\n136 pts\n\nBlock devices:\n  8 sd\n");
const v2: PropertyContext = { unified: true, systemdVersion: 252, skipDevices: true, deviceGroup: lookup };
const v1: PropertyContext = { ...v2, unified: false };

const asObject = (props: ReturnType<typeof resourceProperties>) => Object.fromEntries(props.map(([k, v]) => [k, v.value]));

describe("resource properties", () => {
  // podman run --memory 64m --pids-limit 42 --cpus 0.5
  const podman = { memory: { limit: 67108864, swap: 134217728 }, pids: { limit: 42 }, cpu: { quota: 50000, period: 100000 } };

  test("cgroup v2: MemoryMax, MemorySwapMax, TasksMax, the CPU quota per second", () => {
    expect(asObject(resourceProperties(podman, v2))).toEqual({
      MemoryMax: 67108864n,
      MemorySwapMax: 67108864n,
      TasksMax: 42n,
      CPUQuotaPeriodUSec: 100000n,
      CPUQuotaPerSecUSec: 500000n,
    });
  });

  test("cgroup v1 uses the v1 names", () => {
    const r = { memory: { limit: 1 << 20 }, cpu: { shares: 512 }, blockIO: { weight: 500 } };
    expect(asObject(resourceProperties(r, v1))).toEqual({ MemoryLimit: 1048576n, CPUShares: 512n, BlockIOWeight: 500n });
  });

  test("v2 converts shares and the blkio weight", () => {
    const r = { cpu: { shares: 1024 }, blockIO: { weight: 500 }, memory: { reservation: 1000 } };
    expect(asObject(resourceProperties(r, v2))).toEqual({ CPUWeight: 39n, IOWeight: 4950n, MemoryLow: 1000n });
  });

  test("-1 is systemd's infinity; 0 leaves a limit out", () => {
    expect(asObject(resourceProperties({ memory: { limit: -1 }, pids: { limit: -1 } }, v2))).toEqual({
      MemoryMax: INFINITY,
      MemorySwapMax: INFINITY,
      TasksMax: INFINITY,
    });
    expect(resourceProperties({ memory: { limit: 0 }, pids: { limit: 0 } }, v2)).toEqual([]);
  });

  test("unified keys systemd knows become properties", () => {
    expect(asObject(resourceProperties({ unified: { "memory.high": "1048576", "pids.max": "max", "io.max": "8:0 rbps=1" } }, v2))).toEqual({
      MemoryHigh: 1048576n,
      TasksMax: INFINITY,
    });
    expect(() => resourceProperties({ unified: { "memory.high": "lots" } }, v2)).toThrow("invalid value lots for memory.high");
  });

  test("the CPU quota rounds up to whole percents; no quota is infinity", () => {
    expect(quotaPerSecUSec(50000, 100000)).toBe(500000n);
    expect(quotaPerSecUSec(12345, 100000)).toBe(130000n);
    expect(quotaPerSecUSec(20000, 0)).toBe(200000n);
    expect(quotaPerSecUSec(-1, 100000)).toBe(INFINITY);
  });

  test("old systemd gets no period and no cpuset", () => {
    const r = { cpu: { quota: 1000, period: 10000, cpus: "0-1" } };
    expect(Object.keys(asObject(resourceProperties(r, { ...v2, systemdVersion: 241 })))).toEqual(["CPUQuotaPerSecUSec"]);
    expect(asObject(resourceProperties(r, v2)).AllowedCPUs).toEqual([3]);
  });

  test("cpuset lists become little-endian bitmasks", () => {
    expect(cpusetBits("0")).toEqual([1]);
    expect(cpusetBits("0-2,9")).toEqual([7, 2]);
    expect(() => cpusetBits("3-1")).toThrow("invalid cpuset list 3-1");
  });
});

describe("device properties", () => {
  test("deny all plus exceptions: DevicePolicy strict with an allow list", () => {
    const props = resourceProperties({ devices: [{ allow: false, access: "rwm" }] }, { ...v2, skipDevices: false });
    const o = asObject(props);
    expect(o.DevicePolicy).toBe("strict");
    expect(o.DeviceAllow).toEqual([
      ["char-*", "m"],
      ["block-*", "m"],
      ["/dev/char/1:3", "rwm"],
      ["/dev/char/1:8", "rwm"],
      ["/dev/char/1:7", "rwm"],
      ["/dev/char/5:0", "rwm"],
      ["/dev/char/1:5", "rwm"],
      ["/dev/char/1:9", "rwm"],
      ["char-pts", "rwm"],
      ["/dev/char/5:2", "rwm"],
      ["/dev/char/10:200", "rwm"],
    ]);
  });

  test("allow all is policy auto; a deny list cannot be said and denies all for now", () => {
    expect(asObject(deviceProperties([{ type: "a", major: -1, minor: -1, access: "rwm", allow: true }], lookup))).toEqual({ DevicePolicy: "auto", DeviceAllow: [] });
    const denyOne = [
      { type: "a" as const, major: -1, minor: -1, access: "rwm", allow: true },
      { type: "c" as const, major: 1, minor: 3, access: "w", allow: false },
    ];
    expect(asObject(deviceProperties(denyOne, lookup))).toEqual({ DevicePolicy: "strict", DeviceAllow: [] });
  });

  test("a later deny takes access back", () => {
    const state = emulateDeviceRules([
      { type: "c", major: 1, minor: 3, access: "rwm", allow: true },
      { type: "c", major: 1, minor: 3, access: "w", allow: false },
    ]);
    expect([...(state.exceptions.get("c 1:3") ?? [])].sort()).toEqual(["m", "r"]);
  });

  test("rootless leaves device properties out", () => {
    expect(resourceProperties({ devices: [{ allow: false, access: "rwm" }] }, v2)).toEqual([]);
  });
});

describe("unit properties", () => {
  test("a scope: slice, delegation, its first pid, accounting, no default dependencies", () => {
    const o = asObject(unitProperties({ slice: "machine.slice", unit: "libpod-x.scope", pid: 42, description: "d", unified: true }));
    expect(o).toEqual({
      Description: "d",
      Slice: "machine.slice",
      Delegate: true,
      PIDs: [42],
      MemoryAccounting: true,
      CPUAccounting: true,
      IOAccounting: true,
      TasksAccounting: true,
      DefaultDependencies: false,
    });
  });

  test("v1 accounts block IO by its v1 name; a slice unit wants its parent", () => {
    const o = asObject(unitProperties({ slice: "system.slice", unit: "x.slice", pid: 1, description: "d", unified: false }));
    expect(o.BlockIOAccounting).toBe(true);
    expect(o.Wants).toEqual(["system.slice"]);
    expect(o.Slice).toBeUndefined();
  });
});
