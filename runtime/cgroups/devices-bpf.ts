// cgroup v2 has no devices.allow: device access is decided by an eBPF
// program of type BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup. This
// file turns device rules into that program's instructions (pure); loading
// and attaching is runtime/linux/ffi.ts's bpf wrappers.
//
// The program reads struct bpf_cgroup_dev_ctx { u32 access_type; u32 major;
// u32 minor; } from r1, where access_type is (access << 16) | type, and
// returns 1 to allow, 0 to deny. Rules are tested last to first, so the
// last matching rule decides, and a request that matches none gets the
// default set by the last "a" rule (allow when there is none, as a new v1
// cgroup does).

import type { DeviceRule } from "./devices.ts";
import { resourceError } from "./resources.ts";

// Instruction classes and operations (linux/bpf_common.h, linux/bpf.h).
const OP = {
  ldxMemW: 0x61, // BPF_LDX | BPF_MEM | BPF_W: dst = *(u32 *)(src + off)
  and32Imm: 0x54, // BPF_ALU | BPF_AND | BPF_K
  rsh32Imm: 0x74, // BPF_ALU | BPF_RSH | BPF_K
  mov32Reg: 0xbc, // BPF_ALU | BPF_MOV | BPF_X
  mov32Imm: 0xb4, // BPF_ALU | BPF_MOV | BPF_K
  jneImm: 0x55, // BPF_JMP | BPF_JNE | BPF_K: if dst != imm goto pc + 1 + off
  jneReg: 0x5d, // BPF_JMP | BPF_JNE | BPF_X
  exit: 0x95, // BPF_JMP | BPF_EXIT
} as const;

// bpf_cgroup_dev_ctx values.
const DEV_TYPE = { b: 1, c: 2 } as const;
const ACCESS: Record<string, number> = { m: 1, r: 2, w: 4 };
const ALL_ACCESS = 7;

export const BPF_INSN_SIZE = 8;

export interface Insn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({ code, dst, src, off, imm });

// Registers: r1 context (then scratch), r2 type, r3 access, r4 major, r5 minor.
const PROLOGUE: readonly Insn[] = [
  insn(OP.ldxMemW, 2, 1, 0, 0),
  insn(OP.and32Imm, 2, 0, 0, 0xffff),
  insn(OP.ldxMemW, 3, 1, 0, 0),
  insn(OP.rsh32Imm, 3, 0, 0, 16),
  insn(OP.ldxMemW, 4, 1, 4, 0),
  insn(OP.ldxMemW, 5, 1, 8, 0),
];

const verdict = (allow: boolean): Insn[] => [insn(OP.mov32Imm, 0, 0, 0, allow ? 1 : 0), insn(OP.exit, 0, 0, 0, 0)];

function accessMask(access: string): number {
  let mask = 0;
  for (const ch of access) {
    const bit = ACCESS[ch];
    if (bit === undefined) throw resourceError(`invalid device access "${access}"`);
    mask |= bit;
  }
  return mask;
}

function checkNumber(n: number, what: string): void {
  if (!Number.isInteger(n) || n > 0x7fffffff) throw resourceError(`invalid device ${what} ${n}`);
}

// The tests of one rule. Each jump leaves the block on a mismatch; its
// offset is only known once the block is complete, so jumps are marked here
// and resolved in ruleBlock.
type Test = { ins: Insn; jumpsOut: boolean };
const step = (ins: Insn): Test => ({ ins, jumpsOut: false });
const exitIfNot = (ins: Insn): Test => ({ ins, jumpsOut: true });

function ruleTests(r: DeviceRule): Test[] {
  if (r.type === "a") throw resourceError("internal error: wildcard device rule inside the program");
  const tests = [exitIfNot(insn(OP.jneImm, 2, 0, 0, DEV_TYPE[r.type]))];
  const mask = accessMask(r.access);
  // The request's access bits must all be among the rule's: (r3 & mask) == r3.
  if (mask !== ALL_ACCESS) {
    tests.push(step(insn(OP.mov32Reg, 1, 3, 0, 0)), step(insn(OP.and32Imm, 1, 0, 0, mask)), exitIfNot(insn(OP.jneReg, 1, 3, 0, 0)));
  }
  if (r.major >= 0) {
    checkNumber(r.major, "major");
    tests.push(exitIfNot(insn(OP.jneImm, 4, 0, 0, r.major)));
  }
  if (r.minor >= 0) {
    checkNumber(r.minor, "minor");
    tests.push(exitIfNot(insn(OP.jneImm, 5, 0, 0, r.minor)));
  }
  return tests;
}

function ruleBlock(r: DeviceRule): Insn[] {
  const tests = ruleTests(r);
  const length = tests.length + 2; // the tests, then mov r0 and exit
  // A jump at index i lands just past the block: off = length - i - 1.
  const resolved = tests.map((t, i) => (t.jumpsOut ? { ...t.ins, off: length - i - 1 } : t.ins));
  return [...resolved, ...verdict(r.allow)];
}

/** The rules that matter, highest precedence first, and the default verdict. */
export function effectiveRules(rules: readonly DeviceRule[]): { ordered: DeviceRule[]; defaultAllow: boolean } {
  let last = -1;
  rules.forEach((r, i) => {
    if (r.type === "a") last = i;
  });
  const defaultAllow = last < 0 ? true : rules[last]!.allow;
  return { ordered: rules.slice(last + 1).reverse(), defaultAllow };
}

/** The program's instructions for a rule list. */
export function deviceProgram(rules: readonly DeviceRule[]): Insn[] {
  const { ordered, defaultAllow } = effectiveRules(rules);
  return [...PROLOGUE, ...ordered.flatMap(ruleBlock), ...verdict(defaultAllow)];
}

/** struct bpf_insn, little-endian: code, dst:4 | src:4 << 4, s16 off, s32 imm. */
export function encodeProgram(insns: readonly Insn[]): Uint8Array {
  const bytes = new Uint8Array(insns.length * BPF_INSN_SIZE);
  const view = new DataView(bytes.buffer);
  insns.forEach((ins, i) => {
    const at = i * BPF_INSN_SIZE;
    view.setUint8(at, ins.code);
    view.setUint8(at + 1, (ins.dst & 0xf) | ((ins.src & 0xf) << 4));
    view.setInt16(at + 2, ins.off, true);
    view.setInt32(at + 4, ins.imm, true);
  });
  return bytes;
}

/**
 * Runs the program on one request, the way the kernel would (for the unit
 * tests, and to check generated programs without root).
 */
export function runProgram(insns: readonly Insn[], req: { type: "b" | "c"; access: string; major: number; minor: number }): number {
  const access = accessMask(req.access);
  const ctx = [((access << 16) | DEV_TYPE[req.type]) >>> 0, req.major >>> 0, req.minor >>> 0];
  const reg = new Array<number>(11).fill(0);
  for (let pc = 0; pc < insns.length; pc++) {
    const i = insns[pc]!;
    switch (i.code) {
      case OP.ldxMemW:
        reg[i.dst] = ctx[i.off / 4] ?? 0;
        break;
      case OP.and32Imm:
        reg[i.dst] = (reg[i.dst]! & i.imm) >>> 0;
        break;
      case OP.rsh32Imm:
        reg[i.dst] = reg[i.dst]! >>> i.imm;
        break;
      case OP.mov32Reg:
        reg[i.dst] = reg[i.src]!;
        break;
      case OP.mov32Imm:
        reg[i.dst] = i.imm >>> 0;
        break;
      case OP.jneImm:
        if (reg[i.dst] !== i.imm >>> 0) pc += i.off;
        break;
      case OP.jneReg:
        if (reg[i.dst] !== reg[i.src]) pc += i.off;
        break;
      case OP.exit:
        return reg[0]!;
      default:
        throw new Error(`unknown opcode ${i.code}`);
    }
  }
  throw new Error("program ran off its end");
}
