// The v2 device program: its encoding, and what it decides, run through a
// small interpreter of the instructions it uses.

import { describe, expect, test } from "bun:test";
import { deviceProgram, effectiveRules, encodeProgram, runProgram, type Insn } from "./devices-bpf.ts";
import { deviceRules, type DeviceRule } from "./devices.ts";

const rule = (type: DeviceRule["type"], major: number, minor: number, access: string, allow: boolean): DeviceRule => ({ type, major, minor, access, allow });
const ask = (p: Insn[], type: "b" | "c", major: number, minor: number, access: string) => runProgram(p, { type, major, minor, access });

describe("effective rules", () => {
  test("the last wildcard sets the default; earlier rules no longer count", () => {
    const rules = [rule("c", 1, 3, "rwm", true), rule("a", -1, -1, "rwm", false), rule("c", 1, 5, "r", true)];
    const { ordered, defaultAllow } = effectiveRules(rules);
    expect(defaultAllow).toBe(false);
    expect(ordered).toEqual([rule("c", 1, 5, "r", true)]);
    expect(effectiveRules([]).defaultAllow).toBe(true);
  });
});

describe("program decisions", () => {
  test("runc's default list under a deny-all", () => {
    const p = deviceProgram(deviceRules([{ allow: false, access: "rwm" }]));
    expect(ask(p, "c", 1, 3, "r")).toBe(1); // /dev/null
    expect(ask(p, "c", 1, 3, "w")).toBe(1);
    expect(ask(p, "c", 136, 7, "r")).toBe(1); // any pts
    expect(ask(p, "c", 1, 1, "r")).toBe(0); // /dev/mem
    expect(ask(p, "c", 1, 1, "m")).toBe(1); // mknod of anything
    expect(ask(p, "b", 8, 0, "m")).toBe(1);
    expect(ask(p, "b", 8, 0, "r")).toBe(0);
  });

  test("no rules at all allows everything", () => {
    const p = deviceProgram([]);
    expect(ask(p, "b", 8, 0, "w")).toBe(1);
  });

  test("access is matched bit by bit; later rules win", () => {
    const p = deviceProgram([rule("a", -1, -1, "rwm", false), rule("c", 1, 5, "rw", true), rule("c", 1, 5, "w", false)]);
    expect(ask(p, "c", 1, 5, "r")).toBe(1);
    expect(ask(p, "c", 1, 5, "w")).toBe(0);
    expect(ask(p, "c", 1, 5, "m")).toBe(0);
    expect(ask(p, "b", 1, 5, "r")).toBe(0);
  });

  test("allow-all default with a deny for one device", () => {
    const p = deviceProgram([rule("a", -1, -1, "rwm", true), rule("b", 8, -1, "rwm", false)]);
    expect(ask(p, "b", 8, 16, "r")).toBe(0);
    expect(ask(p, "b", 9, 0, "r")).toBe(1);
    expect(ask(p, "c", 8, 0, "r")).toBe(1);
  });

  test("bad major numbers are refused", () => {
    expect(() => deviceProgram([rule("c", 2 ** 32, 0, "r", true)])).toThrow("invalid device major");
  });
});

describe("encoding", () => {
  test("the prologue and a one-rule block, byte for byte", () => {
    const p = deviceProgram([rule("a", -1, -1, "rwm", false), rule("c", 1, 3, "rwm", true)]);
    // 6 prologue + (type, major, minor tests, mov, exit) + default mov, exit
    expect(p).toHaveLength(6 + 5 + 2);
    const bytes = encodeProgram(p);
    expect(bytes).toHaveLength(13 * 8);
    const hex = (i: number) => Buffer.from(bytes.subarray(i * 8, i * 8 + 8)).toString("hex");
    expect(hex(0)).toBe("6112000000000000"); // r2 = *(u32 *)(r1 + 0)
    expect(hex(1)).toBe("54020000ffff0000"); // w2 &= 0xffff
    expect(hex(3)).toBe("7403000010000000"); // w3 >>= 16
    expect(hex(4)).toBe("6114040000000000"); // r4 = *(u32 *)(r1 + 4)
    expect(hex(6)).toBe("5502040002000000"); // if r2 != 2 goto +4
    expect(hex(7)).toBe("5504030001000000"); // if r4 != 1 goto +3
    expect(hex(8)).toBe("5505020003000000"); // if r5 != 3 goto +2
    expect(hex(9)).toBe("b400000001000000"); // w0 = 1
    expect(hex(10)).toBe("9500000000000000"); // exit
    expect(hex(11)).toBe("b400000000000000"); // w0 = 0 (default)
  });

  test("partial access adds the mask test", () => {
    const p = deviceProgram([rule("c", 1, 3, "r", true)]);
    const codes = p.map((i) => i.code);
    expect(codes.slice(6, 10)).toEqual([0x55, 0xbc, 0x54, 0x5d]);
    expect(p[9]!.off).toBe(4); // past major, minor, mov, exit
  });
});
