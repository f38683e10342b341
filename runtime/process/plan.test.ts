import { readFileSync } from "node:fs";
import { describe, expect, test } from "bun:test";
import type { Spec } from "../../spec/types.ts";
import { namespacePlan } from "./namespace-plan.ts";
import { execPlan, initPlan, type InitContext } from "./plan.ts";
import { Op, type Step } from "./protocol.ts";

function spec(extra: Partial<Spec> = {}, linux: Spec["linux"] = {}): Spec {
  return {
    ociVersion: "1.3.0",
    root: { path: "/nonexistent-rootfs" },
    process: { cwd: "/", args: ["sh"], env: ["PATH=/bin"], user: { uid: 0, gid: 0 } },
    mounts: [{ destination: "/proc", type: "proc", source: "proc" }],
    ...extra,
    linux: { namespaces: [{ type: "pid" }, { type: "mount" }, { type: "network" }, { type: "uts" }], ...linux },
  };
}

const ctx: InitContext = {
  rootfs: "/nonexistent-rootfs",
  noPivot: false,
  cgroups: [],
  cgroupLinks: [],
  execFifoFd: 5,
  foreground: false,
  noNewKeyring: false,
  id: "c1",
};

const ops = (steps: Step[]) => steps.map((s) => s.op);
const indexOf = (steps: Step[], op: number, arg0?: unknown) =>
  steps.findIndex((s) => s.op === op && (arg0 === undefined || s.args[0] === arg0));

describe("namespacePlan", () => {
  test("new namespaces are unshared together, the cgroup one later", () => {
    const plan = namespacePlan(spec({}, { namespaces: [{ type: "mount" }, { type: "cgroup" }, { type: "ipc" }] }));
    expect(plan.unshare).toBe(0x00020000 | 0x08000000);
    expect([...plan.created].sort()).toEqual(["cgroup", "ipc", "mount"]);
  });

  test("joined namespaces: user first, mount last", () => {
    const plan = namespacePlan(
      spec({ hostname: undefined }, {
        namespaces: [{ type: "mount", path: "/m" }, { type: "network", path: "/n" }, { type: "user", path: "/u" }],
      }),
    );
    expect(plan.join.map((j) => j.type)).toEqual(["user", "network", "mount"]);
  });

  test("a hostname may be set in a joined UTS namespace", () => {
    const plan = namespacePlan(spec({ hostname: "h", domainname: "d" }, { namespaces: [{ type: "mount" }, { type: "uts", path: "/u" }] }));
    expect(plan.present.has("uts")).toBe(true);
  });

  test("without a mount namespace: no pivot, no propagation change, a chroot; exec takes the init's root", () => {
    const s = spec({}, { namespaces: [{ type: "pid" }] });
    const steps = initPlan(s, ctx);
    expect(ops(steps)).toContain(Op.CHROOT);
    expect(ops(steps)).not.toContain(Op.PIVOT_ROOT);
    expect(steps.some((x) => x.op === Op.MOUNT && x.args[1] === "/" && x.args[0] === null)).toBe(false);
    expect(execPlan(s, s.process!, { initPid: 7, foreground: false, id: "c1" }).find((x) => x.op === Op.CHROOT)?.args).toEqual(["/proc/7/root"]);
  });

  test("combinations the kernel or the spec forbid are config errors", () => {
    const bad: [Spec["linux"], Partial<Spec>, RegExp][] = [
      [{ namespaces: [{ type: "pid" }], maskedPaths: ["/proc/kcore"] }, {}, /without a private MNT namespace/],
      [{ namespaces: [{ type: "mount" }, { type: "mount" }] }, {}, /duplicate namespace/],
      [{ namespaces: [{ type: "mount" }, { type: "user" }] }, {}, /no user mappings/],
      [{ namespaces: [{ type: "mount" }], uidMappings: [{ containerID: 0, hostID: 1, size: 1 }] }, {}, /user namespace isn't enabled/],
      [{ namespaces: [{ type: "mount" }] }, { hostname: "h" }, /hostname without a private UTS namespace/],
      [{ namespaces: [{ type: "mount" }] }, { domainname: "d" }, /domainname without a private UTS namespace/],
      [{ namespaces: [{ type: "mount" }], timeOffsets: { boottime: { secs: 1 } } }, {}, /time namespace/],
    ];
    for (const [linux, extra, message] of bad) expect(() => namespacePlan(spec(extra, linux))).toThrow(message);
  });
});

describe("initPlan", () => {
  test("namespaces, fork, cgroup sync, mounts, pivot, credentials, ready, fifo, exec: in that order", () => {
    const steps = initPlan(spec(), ctx);
    const order = [Op.UNSHARE, Op.FORK, Op.SYNC, Op.SETSID, Op.EXEC_FIFO_FD, Op.ROOT_FD, Op.PIVOT_ROOT, Op.SETUID, Op.READY, Op.WAIT_EXEC_FIFO, Op.EXEC];
    const at = order.map((op) => indexOf(steps, op));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(ops(steps).at(-1)).toBe(Op.EXEC);
  });

  test("proc is mounted by the stage, inside the new pid namespace, before pivot_root", () => {
    const steps = initPlan(spec(), ctx);
    const proc = steps.findIndex((s) => s.op === Op.MOUNT && s.args[2] === "proc");
    expect(proc).toBeGreaterThan(indexOf(steps, Op.FORK));
    expect(proc).toBeLessThan(indexOf(steps, Op.PIVOT_ROOT));
  });

  test("a user namespace waits for its id maps, then becomes its root", () => {
    const s = spec({}, {
      namespaces: [{ type: "mount" }, { type: "user" }],
      uidMappings: [{ containerID: 0, hostID: 1000, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: 1000, size: 1 }],
    });
    const steps = initPlan(s, ctx);
    const sync = indexOf(steps, Op.SYNC, "namespaces");
    expect(sync).toBeGreaterThan(indexOf(steps, Op.UNSHARE));
    expect(steps[sync + 3]?.op).toBe(Op.SETUID);
    expect(sync).toBeLessThan(indexOf(steps, Op.FORK));
  });

  test("create hooks get a sync point before pivot_root, only when there are any", () => {
    expect(indexOf(initPlan(spec(), ctx), Op.SYNC, "hooks")).toBe(-1);
    const steps = initPlan(spec({ hooks: { createRuntime: [{ path: "/bin/true" }] } }), ctx);
    const hooks = indexOf(steps, Op.SYNC, "hooks");
    expect(hooks).toBeGreaterThan(0);
    expect(hooks).toBeLessThan(indexOf(steps, Op.PIVOT_ROOT));
  });

  test("seccomp: before dropping privileges, or last with no_new_privs", () => {
    const seccomp = { program: new Uint8Array(8), flags: 0 };
    const without = initPlan(spec(), { ...ctx, seccomp });
    expect(indexOf(without, Op.SECCOMP)).toBeLessThan(indexOf(without, Op.SETUID));
    const s = spec();
    s.process!.noNewPrivileges = true;
    const withNnp = initPlan(s, { ...ctx, seccomp });
    expect(indexOf(withNnp, Op.SECCOMP)).toBeGreaterThan(indexOf(withNnp, Op.NO_NEW_PRIVS));
  });

  test("sysctls are written before /proc/sys is made read-only", () => {
    const s = spec({}, { namespaces: [{ type: "mount" }, { type: "network" }], sysctl: { "net.ipv4.ip_forward": "1" }, readonlyPaths: ["/proc/sys"] });
    const steps = initPlan(s, ctx);
    expect(indexOf(steps, Op.WRITE_PROC, "sys/net/ipv4/ip_forward")).toBeLessThan(indexOf(steps, Op.READONLY_PATH));
  });

  test("empty args are refused", () => {
    const noArgs = spec();
    noArgs.process!.args = [];
    expect(() => initPlan(noArgs, ctx)).toThrow(/args must not be empty/);
  });

  const resctrl = readFileSync("/proc/self/mountinfo", "utf8").includes(" - resctrl ");
  test.skipIf(resctrl)("intelRdt without resctrl: a bare closID passes, a schema is refused in runc's words", () => {
    const closOnly = spec({}, { intelRdt: { closID: "c1" } });
    expect(() => initPlan(closOnly, ctx)).not.toThrow();
    const l3 = spec({}, { intelRdt: { closID: "c1", l3CacheSchema: "L3:0=f" } });
    expect(() => initPlan(l3, ctx)).toThrow("intelRdt.l3CacheSchema is specified in config, but Intel RDT/CAT is not enabled");
  });

  test("an unknown capability is left out, as runc does", () => {
    const badCap = spec();
    badCap.process!.capabilities = { bounding: ["CAP_NOPE", "CAP_KILL"] };
    const bounding = initPlan(badCap, ctx).find((s) => s.op === Op.CAPS_BOUNDING);
    expect(bounding?.args[0]).toBe(1n << 5n);
  });
});

describe("execPlan", () => {
  test("joins every namespace of the init, mount last, and never waits on the fifo", () => {
    const steps = execPlan(spec(), spec().process!, { initPid: 42, foreground: true, id: "c1" });
    const joins = steps.filter((s) => s.op === Op.SETNS).map((s) => s.args[0]);
    expect(joins).toEqual(["/proc/42/ns/pid", "/proc/42/ns/net", "/proc/42/ns/uts", "/proc/42/ns/mnt"]);
    expect(indexOf(steps, Op.WAIT_EXEC_FIFO)).toBe(-1);
    expect(indexOf(steps, Op.KEYRING)).toBe(-1);
  });
});
