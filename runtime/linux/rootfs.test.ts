import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Spec } from "../../spec/types.ts";
import { MountHow, Op } from "../process/protocol.ts";
import { MS } from "./mountopts.ts";
import { finishRootfsSteps, rootfsSteps, type RootfsContext } from "./rootfs.ts";

const host = mkdtempSync(`${tmpdir()}/rootfs-test-`);
writeFileSync(`${host}/file`, "x");
afterAll(() => rmSync(host, { recursive: true, force: true }));
const rootfs = `${host}/no-rootfs`;
const ctx: RootfsContext = { rootfs, noPivot: false, cgroupNs: false, userNs: false, cgroups: [], cgroupLinks: [] };
const spec = (s: Partial<Spec>): Spec => ({ ociVersion: "1.3.0", ...s });

test("rootfsPropagation is what / gets first, and again after pivot_root", () => {
  const steps = rootfsSteps(spec({ linux: { rootfsPropagation: "shared" } }), ctx);
  expect(steps[1]?.args[3]).toBe(MS.SHARED);
  expect(steps[2]).toMatchObject({ op: Op.HOLDER_PRIVATE, args: [rootfs] });
  expect(steps.at(-1)).toMatchObject({ op: Op.MOUNT, args: [null, "/", null, MS.SHARED, null, MountHow.HOST] });
});

test("the root is made a slave and bound onto itself before any mount", () => {
  const steps = rootfsSteps(spec({}), ctx);
  expect(steps[1]).toMatchObject({ op: Op.MOUNT, args: [null, "/", null, MS.SLAVE | MS.REC, null, MountHow.HOST] });
  expect(steps[2]).toMatchObject({ op: Op.MOUNT, args: [rootfs, rootfs, null, MS.BIND | MS.REC, null, MountHow.HOST] });
  expect(steps[3]).toMatchObject({ op: Op.ROOT_FD, args: [rootfs] });
  expect(steps.at(-1)?.op).toBe(Op.PIVOT_ROOT);
});

test("a filesystem mount: its directory, then mount with flags and data", () => {
  const steps = rootfsSteps(spec({ mounts: [{ destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "mode=755"] }] }), ctx);
  const i = steps.findIndex((s) => s.op === Op.MOUNT && s.args[2] === "tmpfs");
  expect(steps[i - 1]).toMatchObject({ op: Op.MKDIR_P, args: ["/dev", 0o755, 0] });
  expect(steps[i]?.args).toEqual(["tmpfs", "/dev", "tmpfs", MS.NOSUID, "mode=755", MountHow.IN_ROOT]);
});

test("a read-only bind of a file: a file to mount on, bind, then remount read-only", () => {
  const steps = rootfsSteps(spec({ mounts: [{ destination: "/etc/x", source: `${host}/file`, options: ["rbind", "ro"] }] }), ctx);
  const touch = steps.findIndex((s) => s.op === Op.TOUCH);
  expect(steps[touch]?.args).toEqual(["/etc/x"]);
  expect(steps[touch + 1]?.args).toEqual([`${host}/file`, "/etc/x", null, MS.BIND | MS.REC, null, MountHow.IN_ROOT]);
  expect(steps[touch + 2]?.args).toEqual([null, "/etc/x", null, MS.BIND | MS.REMOUNT | MS.RDONLY, null, MountHow.IN_ROOT]);
});

test("a bind source that does not exist is a config error", () => {
  expect(() => rootfsSteps(spec({ mounts: [{ destination: "/x", source: `${host}/missing`, type: "bind" }] }), ctx)).toThrow(/no such file/);
});

test("devices: mknod normally, bind mounts from the host in a user namespace", () => {
  const plain = rootfsSteps(spec({}), ctx);
  expect(plain.some((s) => s.op === Op.MKNOD && s.args[0] === "/dev/null")).toBe(true);
  const userns = rootfsSteps(spec({}), { ...ctx, userNs: true });
  expect(userns.some((s) => s.op === Op.MKNOD)).toBe(false);
  expect(userns.some((s) => s.op === Op.MOUNT && s.args[0] === "/dev/null" && s.args[1] === "/dev/null")).toBe(true);
});

test("a bind-mounted /dev gets no devices of ours", () => {
  const steps = rootfsSteps(spec({ mounts: [{ destination: "/dev", source: host, type: "bind" }] }), ctx);
  expect(steps.some((s) => s.op === Op.MKNOD)).toBe(false);
});

test("--no-pivot moves the root instead", () => {
  expect(rootfsSteps(spec({}), { ...ctx, noPivot: true }).at(-1)?.op).toBe(Op.MOVE_CHROOT);
});

test("finishing: read-only and masked paths, then the read-only root last", () => {
  const steps = finishRootfsSteps(spec({ root: { path: "r", readonly: true }, linux: { readonlyPaths: ["/proc/sys"], maskedPaths: ["/proc/kcore"] } }));
  expect(steps.map((s) => s.op)).toEqual([Op.READONLY_PATH, Op.MASK_PATH, Op.REMOUNT_RO]);
});

test("destinations are cleaned, and kept as the container names them", () => {
  const steps = rootfsSteps(spec({ mounts: [{ destination: "/a/../b//c/", type: "tmpfs", source: "tmpfs" }] }), ctx);
  expect(steps.some((s) => s.op === Op.MOUNT && s.args[1] === "/b/c")).toBe(true);
});

test("mounts inside /proc are refused, but for the files runc allows", () => {
  const at = (destination: string, type = "tmpfs") => () => rootfsSteps(spec({ mounts: [{ destination, type, source: type }] }), ctx);
  expect(at("/proc/sys/net/ipv4/ip_forward")).toThrow(/cannot be mounted because it is inside \/proc/);
  expect(at("/proc/../proc/sysrq-trigger")).toThrow(/inside \/proc/);
  expect(at("/proc")).toThrow(/not of type proc/);
  const cpuinfo = rootfsSteps(spec({ mounts: [{ destination: "/proc/cpuinfo", source: `${host}/file`, type: "bind" }] }), ctx);
  expect(cpuinfo.find((s) => s.op === Op.MOUNT && s.args[1] === "/proc/cpuinfo")?.args[5]).toBe(MountHow.IN_ROOT | MountHow.PROC_OK);
  const proc = rootfsSteps(spec({ mounts: [{ destination: "/proc", type: "proc", source: "proc" }] }), ctx);
  expect(proc.find((s) => s.op === Op.MOUNT && s.args[1] === "/proc")?.args[5]).toBe(MountHow.IN_ROOT | MountHow.PLAIN_DIR);
});

test("a NUL byte in a destination is refused", () => {
  expect(() => rootfsSteps(spec({ mounts: [{ destination: "/a\0b", type: "tmpfs", source: "tmpfs" }] }), ctx)).toThrow(/NUL/);
});

test("a read-only /dev is remounted read-only after its devices are made", () => {
  const steps = rootfsSteps(spec({ mounts: [{ destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["ro", "mode=755"] }] }), ctx);
  const first = steps.find((s) => s.op === Op.MOUNT && s.args[1] === "/dev");
  expect(Number(first?.args[3]) & MS.RDONLY).toBe(0);
  const remount = steps.findIndex((s) => s.what === "make /dev read-only");
  expect(remount).toBeGreaterThan(steps.findLastIndex((s) => s.op === Op.MKNOD || s.op === Op.SYMLINK));
  expect(Number(steps[remount]?.args[3]) & (MS.RDONLY | MS.REMOUNT)).toBe(MS.RDONLY | MS.REMOUNT);
});

test("a tmpfs without mode= keeps the covered directory's; recursive options follow the mount", () => {
  const steps = rootfsSteps(spec({ mounts: [{ destination: "/t", type: "tmpfs", source: "tmpfs", options: ["rro", "size=1m"] }] }), ctx);
  const i = steps.findIndex((s) => s.op === Op.MOUNT && s.args[1] === "/t");
  expect(Number(steps[i]?.args[5]) & MountHow.KEEP_MODE).toBe(MountHow.KEEP_MODE);
  expect(steps[i]?.args[4]).toBe("size=1m");
  expect(steps[i + 1]).toMatchObject({ op: Op.MOUNT_SETATTR, args: ["/t", 1, 0] });
});
