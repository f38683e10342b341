// CgroupManager.apply against a temp-dir tree: which files end up with
// what, and how refusals by the kernel (emulated) are reported.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { basename } from "node:path";
import { performWrites } from "./apply.ts";
import { runProgram, type Insn } from "./devices-bpf.ts";
import { fakeCgroupFs, fakeTree, HYBRID_MOUNTINFO, HYBRID_SELF, V2_MOUNTINFO, type FakeTree } from "./fixtures.test-support.ts";
import type { CgroupFs } from "./io.ts";
import { createCgroupManager } from "./manager.ts";

let tree: FakeTree;
let fs: CgroupFs;

beforeEach(() => {
  tree = fakeTree();
  fs = fakeCgroupFs();
});
afterEach(() => tree.cleanup());

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** fs whose writes to files named `name` fail with `code` while `when` holds. */
function refusing(name: string, code: string, when: (data: string) => boolean = () => true): CgroupFs {
  const base = fakeCgroupFs();
  return { ...base, write: (p, d) => (basename(p) === name && when(d) ? (() => { throw errno(code); })() : base.write(p, d)) };
}

function hybrid() {
  for (const h of ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd", "unified"]) tree.mkdir(h);
  tree.mkdir("memory/machine");
  tree.write("cpuset/cpuset.cpus", "0-3\n");
  tree.write("cpuset/cpuset.mems", "0\n");
  const m = createCgroupManager({ cgroupsPath: "/c1", containerId: "c1", root: tree.root, mountinfo: HYBRID_MOUNTINFO, selfCgroup: HYBRID_SELF, fs });
  m.create();
  return m;
}

describe("v1 apply", () => {
  test("a setting whose file this host lacks is named as unsupported", () => {
    const m = hybrid();
    // cgroupfs refuses to create files: EACCES.
    const base = fakeCgroupFs();
    const noCreate: CgroupFs = { ...base, write: (p, d) => (base.exists(p) ? base.write(p, d) : (() => { throw errno("EACCES"); })()) };
    const dirs = m.paths();
    expect(() => performWrites(noCreate, dirs, [{ key: "blkio", file: "blkio.leaf_weight", value: "500", setting: "blockIO.leafWeight" }])).toThrow(
      `linux.resources.blockIO.leafWeight is not supported on this host: ${dirs.blkio}/blkio.leaf_weight does not exist`,
    );
    expect(() => performWrites(noCreate, dirs, [{ key: "blkio", file: "blkio.other", value: "1" }])).toThrow("blkio.other is not supported on this host");
  });

  test("writes each controller's files", () => {
    const m = hybrid();
    tree.write("memory/c1/memory.limit_in_bytes", "9223372036854771712\n");
    tree.write("blkio/c1/blkio.weight", "500");
    const warnings = m.apply(
      { memory: { limit: 33554432, swap: 67108864 }, cpu: { shares: 512, quota: 20000, period: 100000, cpus: "1" }, pids: { limit: 10 }, blockIO: { weight: 100 }, devices: [{ allow: false, access: "rwm" }] },
      { linuxDevices: [] },
    );
    expect(warnings).toEqual([]);
    expect(tree.read("memory/c1/memory.limit_in_bytes")).toBe("33554432");
    expect(tree.read("memory/c1/memory.memsw.limit_in_bytes")).toBe("67108864");
    expect(tree.read("cpu/c1/cpu.shares")).toBe("512");
    expect(tree.read("cpu/c1/cpu.cfs_quota_us")).toBe("20000");
    expect(tree.read("cpu/c1/cpu.cfs_period_us")).toBe("100000");
    expect(tree.read("cpuset/c1/cpuset.cpus")).toBe("1");
    expect(tree.read("pids/c1/pids.max")).toBe("10");
    expect(tree.read("blkio/c1/blkio.weight")).toBe("100");
    // A plain file keeps only the last write: the last default rule.
    expect(tree.read("devices/c1/devices.allow")).toBe("c 10:200 rwm");
    expect(tree.read("devices/c1/devices.deny")).toBe("a");
  });

  test("skipDevices leaves the device files alone; nothing asked, nothing written", () => {
    const m = hybrid();
    expect(m.apply(undefined, { skipDevices: true })).toEqual([]);
    expect(tree.isDir("devices/c1")).toBe(true);
    expect(() => tree.read("devices/c1/devices.allow")).toThrow();
  });

  test("a refused write names the value, the file and the reason", () => {
    fs = refusing("cpu.cfs_quota_us", "EINVAL");
    const m = hybrid();
    expect(() => m.apply({ cpu: { quota: 5 } }, { skipDevices: true })).toThrow(
      `failed to write "5": write ${tree.file("cpu/c1/cpu.cfs_quota_us")}: invalid argument`,
    );
  });

  test("a memory limit below usage says what the usage is", () => {
    fs = refusing("memory.limit_in_bytes", "EBUSY");
    const m = hybrid();
    tree.write("memory/c1/memory.usage_in_bytes", "5000\n");
    tree.write("memory/c1/memory.max_usage_in_bytes", "7000\n");
    expect(() => m.apply({ memory: { limit: 4096 } }, { skipDevices: true })).toThrow(
      "(unable to set memory limit to 4096 (current usage: 5000, peak usage: 7000))",
    );
  });

  test("the cpu period is tried again after the quota when the kernel refuses it first", () => {
    let quotaSet = false;
    const base = fakeCgroupFs();
    fs = {
      ...base,
      write: (p, d) => {
        if (basename(p) === "cpu.cfs_period_us" && !quotaSet) throw errno("EINVAL");
        if (basename(p) === "cpu.cfs_quota_us") quotaSet = true;
        base.write(p, d);
      },
    };
    const m = hybrid();
    m.apply({ cpu: { period: 10000, quota: 5000 } }, { skipDevices: true });
    expect(tree.read("cpu/c1/cpu.cfs_period_us")).toBe("10000");
  });

  test("cpu shares out of the kernel's range are reported from the read-back", () => {
    const base = fakeCgroupFs();
    fs = { ...base, write: (p, d) => base.write(p, basename(p) === "cpu.shares" ? "262144" : d) };
    const m = hybrid();
    expect(() => m.apply({ cpu: { shares: 999999 } }, { skipDevices: true })).toThrow("the maximum allowed cpu-shares is 262144");
  });

  test("a controller that is not mounted is named", () => {
    const m = hybrid();
    tree.mkdir("hugetlb");
    expect(() => m.apply({ hugepageLimits: [{ pageSize: "2MB", limit: 0 }] }, { skipDevices: true })).toThrow(
      "cannot set hugetlb.2MB.limit_in_bytes to \"0\": the hugetlb controller is not mounted",
    );
  });
});

describe("v2 apply", () => {
  function v2(attached: { dir: string; program: Uint8Array }[]) {
    tree.write("cgroup.controllers", "cpu memory pids io\n");
    tree.write("cgroup.subtree_control", "");
    const m = createCgroupManager({
      cgroupsPath: "/c1",
      containerId: "c1",
      root: tree.root,
      mountinfo: V2_MOUNTINFO,
      selfCgroup: "0::/\n",
      fs,
      attachDevices: (dir, program) => attached.push({ dir, program }),
    });
    m.create();
    return m;
  }

  function decode(bytes: Uint8Array): Insn[] {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: bytes.length / 8 }, (_, i) => ({
      code: v.getUint8(i * 8),
      dst: v.getUint8(i * 8 + 1) & 0xf,
      src: v.getUint8(i * 8 + 1) >> 4,
      off: v.getInt16(i * 8 + 2, true),
      imm: v.getInt32(i * 8 + 4, true),
    }));
  }

  test("writes the unified files and attaches the device program", () => {
    const attached: { dir: string; program: Uint8Array }[] = [];
    const m = v2(attached);
    m.apply({ memory: { limit: 1048576, swap: 2097152 }, cpu: { shares: 1024, quota: 50000 }, pids: { limit: -1 }, devices: [{ allow: false, access: "rwm" }] });
    expect(tree.read("c1/memory.max")).toBe("1048576");
    expect(tree.read("c1/memory.swap.max")).toBe("1048576");
    expect(tree.read("c1/cpu.weight")).toBe("39");
    expect(tree.read("c1/cpu.max")).toBe("50000 100000");
    expect(tree.read("c1/pids.max")).toBe("max");
    expect(attached.map((a) => a.dir)).toEqual([tree.file("c1")]);
    const program = decode(attached[0]!.program);
    expect(runProgram(program, { type: "c", major: 1, minor: 3, access: "w" })).toBe(1);
    expect(runProgram(program, { type: "b", major: 8, minor: 0, access: "r" })).toBe(0);
  });

  test("optional files that do not exist are left out", () => {
    v2([]).apply({ hugepageLimits: [{ pageSize: "2MB", limit: 8 }] }, { skipDevices: true });
    expect(tree.read("c1/hugetlb.2MB.max")).toBe("8");
    expect(() => tree.read("c1/hugetlb.2MB.rsvd.max")).toThrow();
  });

  test("update-style apply leaves the device program alone", () => {
    const attached: { dir: string; program: Uint8Array }[] = [];
    v2(attached).apply({ pids: { limit: 3 } }, { skipDevices: true });
    expect(attached).toEqual([]);
    expect(tree.read("c1/pids.max")).toBe("3");
  });
});

test("performWrites refuses a hierarchy that is not there", () => {
  expect(() => performWrites(fs, {}, [{ key: "", file: "memory.high", value: "1" }])).toThrow(
    'cannot set memory.high to "1": the unified (v2) hierarchy is not mounted',
  );
});
