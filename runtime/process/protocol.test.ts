import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { decodeMessage, encodePlan, MountHow, Msg, Op, PLAN_CHUNK, planPackets } from "./protocol.ts";

const header = readFileSync(new URL("../linux/native/ops.h", import.meta.url), "utf8");

function defines(prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of header.matchAll(new RegExp(`#define ${prefix}_(\\w+) (\\d+)`, "g"))) out.set(m[1]!, Number(m[2]));
  return out;
}

describe("protocol mirrors ops.h", () => {
  test("every step code matches", () => {
    const c = defines("OP");
    expect(c.size).toBeGreaterThan(30);
    expect(Object.fromEntries(c)).toEqual({ ...Op });
  });
  test("every mount target mode matches", () => {
    const c = defines("MOUNT");
    expect(Object.fromEntries(c)).toEqual(Object.fromEntries(Object.entries(MountHow).filter(([k]) => k !== "HOST")));
  });
  test("every message type matches", () => {
    const c = defines("MSG");
    expect(c.get("ACK")).toBe(1);
    c.delete("ACK");
    expect(Object.fromEntries(c)).toEqual({ ...Msg });
  });
});

describe("encodePlan", () => {
  test("lays out count, codes, and length-prefixed arguments", () => {
    const bytes = encodePlan([{ op: Op.MKDIR_P, what: "x", args: ["/a", 0o755] }]);
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(0, true)).toBe(1);
    expect(v.getUint32(4, true)).toBe(Op.MKDIR_P);
    expect(v.getUint32(8, true)).toBe(2);
    expect(v.getUint32(12, true)).toBe(3); // "/a\0"
    expect(new TextDecoder().decode(bytes.subarray(16, 18))).toBe("/a");
    expect(bytes[18]).toBe(0);
    expect(v.getUint32(19, true)).toBe(8);
    expect(v.getBigUint64(23, true)).toBe(0o755n);
    expect(bytes.length).toBe(31);
  });
  test("null is a lone NUL and raw bytes pass unchanged", () => {
    const bytes = encodePlan([{ op: Op.EXEC, what: "x", args: [null, new Uint8Array(0)] }]);
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(12, true)).toBe(1);
    expect(bytes[16]).toBe(0);
    expect(v.getUint32(17, true)).toBe(0);
  });
  test("a string argument with a NUL byte is refused, naming the step", () => {
    expect(() => encodePlan([{ op: Op.CHDIR, what: "chdir to cwd", args: ["/a\0b"] }])).toThrow(/chdir to cwd: .* NUL byte/);
  });
  test("negative numbers wrap to u64 (RLIM_INFINITY)", () => {
    const bytes = encodePlan([{ op: Op.SETRLIMIT, what: "x", args: [-1] }]);
    expect(new DataView(bytes.buffer).getBigUint64(16, true)).toBe(0xffffffffffffffffn);
  });
  test("every number is its u64 two's complement, large or negative", () => {
    const numbers = [0, 1, 0o755, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), -(2 ** 40) - 5, 2 ** 64 + 2 ** 12, 2n ** 63n, -3n];
    const bytes = encodePlan([{ op: Op.SETRLIMIT, what: "x", args: numbers }]);
    const v = new DataView(bytes.buffer);
    numbers.forEach((n, i) => expect(v.getBigUint64(16 + i * 12, true)).toBe(BigInt.asUintN(64, BigInt(n))));
    expect(() => encodePlan([{ op: Op.SETRLIMIT, what: "x", args: [1.5] }])).toThrow(RangeError);
  });
  test("strings are UTF-8, and a plan larger than the first buffer is whole", () => {
    const long = "é😀/".repeat(3000);
    const steps = Array.from({ length: 50 }, (_, i) => ({ op: Op.MKDIR_P, what: "x", args: [`${long}${i}`, i] as (string | number)[] }));
    const bytes = encodePlan(steps);
    const v = new DataView(bytes.buffer);
    let off = 4;
    for (const [i, s] of steps.entries()) {
      expect(v.getUint32(off, true)).toBe(Op.MKDIR_P);
      const len = v.getUint32(off + 8, true);
      expect(new TextDecoder().decode(bytes.subarray(off + 12, off + 12 + len - 1))).toBe(s.args[0] as string);
      expect(bytes[off + 12 + len - 1]).toBe(0);
      off += 12 + len;
      expect(v.getUint32(off, true)).toBe(8);
      expect(v.getBigUint64(off + 4, true)).toBe(BigInt(i));
      off += 12;
    }
    expect(off).toBe(bytes.length);
  });
});

describe("decodeMessage", () => {
  const msg = (type: number, a: number, b: number, text = "") => {
    const t = new TextEncoder().encode(text);
    const out = new Uint8Array(12 + t.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, true);
    v.setInt32(4, a, true);
    v.setInt32(8, b, true);
    out.set(t, 12);
    return out;
  };
  test("decodes each type", () => {
    expect(decodeMessage(msg(Msg.PID, 42, 0))).toEqual({ type: "pid", pid: 42, bornInCgroup: false });
    expect(decodeMessage(msg(Msg.PID, 42, 1))).toEqual({ type: "pid", pid: 42, bornInCgroup: true });
    expect(decodeMessage(msg(Msg.ERROR, 3, 2, "/x"))).toEqual({ type: "error", step: 3, errno: 2, detail: "/x" });
    expect(decodeMessage(msg(Msg.SYNC, 5, 0, "cgroup"))).toEqual({ type: "sync", step: 5, tag: "cgroup" });
    expect(decodeMessage(new Uint8Array(0))).toEqual({ type: "eof" });
  });
  test("rejects garbage", () => {
    expect(() => decodeMessage(new Uint8Array(5))).toThrow();
    expect(() => decodeMessage(msg(99, 0, 0))).toThrow(/unknown message type/);
  });
});

describe("planPackets", () => {
  test("the size first, then the plan cut into packets that add up to it", () => {
    const plan = new Uint8Array(PLAN_CHUNK * 2 + 5).map((_, i) => i & 0xff);
    const packets = planPackets(plan);
    expect(new DataView(packets[0]!.buffer).getUint32(0, true)).toBe(plan.length);
    expect(packets.slice(1).map((p) => p.length)).toEqual([PLAN_CHUNK, PLAN_CHUNK, 5]);
    expect(Buffer.concat(packets.slice(1))).toEqual(Buffer.from(plan));
  });
});
