// The systemd driver against a stand-in systemd (fake-systemd.test-support)
// and a temp dir as the cgroup root.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fakeCgroupFs, fakeTree, HYBRID_MOUNTINFO, HYBRID_SELF, V2_MOUNTINFO, type FakeTree } from "../fixtures.test-support.ts";
import { createCgroupManager, fromSaved } from "../manager.ts";
import type { SavedCgroups } from "../types.ts";
import { FakeSystemd } from "./fake-systemd.test-support.ts";

let tree: FakeTree;
let systemd: FakeSystemd;
let attached: string[];

beforeEach(() => {
  tree = fakeTree();
  systemd = new FakeSystemd(tree.root);
  attached = [];
});

afterEach(() => tree.cleanup());

const deps = () => ({ connect: () => systemd.connection(), procDevices: () => "Character devices:\n136 pts\n" });

function v2(cgroupsPath: string | undefined, extra: { rootless?: boolean } = {}) {
  return createCgroupManager({
    cgroupsPath,
    containerId: "abc",
    systemd: true,
    root: tree.root,
    mountinfo: V2_MOUNTINFO,
    selfCgroup: "0::/user.slice/session-1.scope\n",
    fs: fakeCgroupFs(),
    systemdDeps: deps(),
    attachDevices: (dir) => void attached.push(dir),
    ...extra,
  });
}

const resources = { memory: { limit: 67108864 }, pids: { limit: 42 }, cpu: { quota: 50000, period: 100000 } };

describe("systemd driver, cgroup v2", () => {
  test("the scope is started with the first process, its resources as properties, then the files", () => {
    const m = v2("machine.slice:libpod:abc");
    expect(m.paths()).toEqual({ "": `${tree.root}/machine.slice/libpod-abc.scope` });
    expect(m.startsOnJoin).toBe(true);
    expect(m.create()).toEqual([]);
    expect(m.apply(resources)).toEqual([]);
    expect(systemd.units.size).toBe(0);
    m.addProcess(4242);
    const unit = systemd.units.get("libpod-abc.scope");
    expect(unit?.properties.get("Slice")).toBe("machine.slice");
    expect(unit?.properties.get("PIDs")).toEqual([4242]);
    expect(unit?.properties.get("MemoryMax")).toBe(67108864n);
    expect(unit?.properties.get("TasksMax")).toBe(42n);
    expect(unit?.properties.get("CPUQuotaPerSecUSec")).toBe(500000n);
    expect(unit?.properties.get("DevicePolicy")).toBe("strict");
    expect(m.startsOnJoin).toBe(false);
    // The same resources again: files only, no second round trip.
    m.apply(resources);
    expect(systemd.members()).not.toContain("SetUnitProperties");
    expect(readFileSync(tree.file("machine.slice/libpod-abc.scope/memory.max"), "utf8")).toBe("67108864");
    expect(readFileSync(tree.file("machine.slice/libpod-abc.scope/pids.max"), "utf8")).toBe("42");
    expect(attached).toEqual([`${tree.root}/machine.slice/libpod-abc.scope`]);
    expect(systemd.members().filter((c) => c === "StartTransientUnit")).toHaveLength(1);
  });

  test("update changes the unit's properties and the files", () => {
    const m = v2("machine.slice:libpod:abc");
    m.addProcess(1);
    m.apply({ memory: { limit: 1 << 25 } }, { skipDevices: true });
    expect(systemd.units.get("libpod-abc.scope")?.properties.get("MemoryMax")).toBe(33554432n);
    const set = systemd.calls.find((c) => c.member === "SetUnitProperties");
    expect(set?.body[1]).toBe(true); // runtime only
    expect(readFileSync(tree.file("machine.slice/libpod-abc.scope/memory.max"), "utf8")).toBe("33554432");
  });

  test("saved and rebuilt, delete stops the unit and its cgroup is gone", () => {
    const m = v2(undefined);
    m.addProcess(1);
    const saved = JSON.parse(JSON.stringify(m.saved())) as SavedCgroups;
    expect(saved.systemd).toMatchObject({ name: "runb-abc.scope", slice: "system.slice", started: true, user: false });
    const again = fromSaved(saved, fakeCgroupFs(), deps());
    expect(again.exists()).toBe(true);
    expect(again.startsOnJoin).toBe(false);
    again.destroy();
    expect(systemd.units.size).toBe(0);
    expect(existsSync(tree.file("system.slice/runb-abc.scope"))).toBe(false);
    expect(systemd.members()).toContain("ResetFailedUnit");
  });

  test("a unit that never started, or is gone, is fine to destroy", () => {
    const m = v2("system.slice:x:abc");
    m.destroy();
    expect(systemd.members()).toContain("StopUnit");
  });

  test("without a bus, a unit never started is still destroyed; a started one is an error", () => {
    const unreachable = {
      ...deps(),
      connect: () => {
        throw new Error("cannot connect to d-bus");
      },
    };
    const never = createCgroupManager({
      cgroupsPath: "system.slice:x:abc",
      containerId: "abc",
      systemd: true,
      root: tree.root,
      mountinfo: V2_MOUNTINFO,
      selfCgroup: "0::/\n",
      fs: fakeCgroupFs(),
      systemdDeps: unreachable,
    });
    expect(() => never.addProcess(1)).toThrow("cannot connect to d-bus");
    never.destroy();
    const started = v2("system.slice:x:abc");
    started.addProcess(1);
    const again = fromSaved(started.saved(), fakeCgroupFs(), unreachable);
    expect(() => again.destroy()).toThrow("cannot connect to d-bus");
  });

  test("a unit of that name left failed is reset and started again", () => {
    systemd.units.set("runb-abc.scope", { properties: new Map(), failed: true });
    v2(undefined).addProcess(1);
    expect(systemd.members().filter((c) => c === "StartTransientUnit")).toHaveLength(2);
    expect(systemd.members()).toContain("ResetFailedUnit");
  });

  test("a failed job is an error naming the unit", () => {
    systemd.jobResult = "failed";
    expect(() => v2(undefined).addProcess(1)).toThrow("error creating systemd unit runb-abc.scope: got failed");
  });

  test("a user instance puts units below its own cgroup", () => {
    systemd.controlGroup = "/user.slice/user-1000.slice/user@1000.service";
    const m = v2("user.slice:libpod:abc", { rootless: true });
    expect(m.paths()[""]).toBe(`${tree.root}/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-abc.scope`);
    expect(m.saved().systemd?.user).toBe(true);
  });

  test("a bad cgroupsPath is reported as such", () => {
    expect(() => v2("nope")).toThrow('expected cgroupsPath to be of format "slice:prefix:name"');
  });

  test("a tampered unit name in saved state is refused", () => {
    const m = v2(undefined);
    const saved = m.saved();
    expect(() => fromSaved({ ...saved, systemd: { ...saved.systemd, name: "../x" } }, fakeCgroupFs(), deps())).toThrow("bad unit name");
  });
});

describe("systemd driver, cgroup v1", () => {
  test("the other controllers are made and joined by the runtime, with v1 property names", () => {
    for (const h of ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd", "unified"]) tree.mkdir(h);
    tree.write("cpuset/cpuset.cpus", "0-3\n");
    tree.write("cpuset/cpuset.mems", "0\n");
    const m = createCgroupManager({
      containerId: "abc",
      systemd: true,
      root: tree.root,
      mountinfo: HYBRID_MOUNTINFO,
      selfCgroup: HYBRID_SELF,
      fs: fakeCgroupFs(),
      systemdDeps: deps(),
    });
    expect(m.paths().memory).toBe(`${tree.root}/memory/system.slice/runb-abc.scope`);
    m.apply({ memory: { limit: 1 << 24 } }, { skipDevices: true });
    m.addProcess(4242);
    expect(systemd.units.get("runb-abc.scope")?.properties.get("MemoryLimit")).toBe(16777216n);
    expect(readFileSync(tree.file("freezer/system.slice/runb-abc.scope/cgroup.procs"), "utf8")).toBe("4242");
    m.apply({ memory: { limit: 1 << 24 } }, { skipDevices: true });
    expect(readFileSync(tree.file("memory/system.slice/runb-abc.scope/memory.limit_in_bytes"), "utf8")).toBe("16777216");
    for (const dir of new Set(Object.values(m.paths()))) writeFileSync(`${dir}/cgroup.procs`, ""); // the process has exited
    m.destroy();
    expect(existsSync(tree.file("freezer/system.slice/runb-abc.scope"))).toBe(false);
  });
});
