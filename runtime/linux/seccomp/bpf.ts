// Classic BPF for seccomp: instruction encoding and the code for argument
// tests, per-syscall handlers and the binary search over syscall numbers.
// Conditional jumps only have 8-bit offsets; every block here is built
// bottom-up with known sizes, and a jump that would be too long goes
// through BPF_JA, whose offset is 32 bits.
import type { Cond, Rule } from "./rules.ts";
import type { Handler, Interval } from "./layout.ts";

export interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export const BPF = {
  LD_W_ABS: 0x20,
  ALU_AND_K: 0x54,
  JA: 0x05,
  JEQ_K: 0x15,
  JGT_K: 0x25,
  JGE_K: 0x35,
  JSET_K: 0x45,
  RET_K: 0x06,
} as const;

/** struct seccomp_data: nr, arch, instruction_pointer, then six u64 args. */
export const SECCOMP_DATA = { NR: 0, ARCH: 4, ARGS: 16, SIZE: 64 } as const;
export const MAX_JUMP = 255;
/** BPF_MAXINSNS: the kernel refuses longer programs. */
export const MAX_INSNS = 4096;

// A jump to "this rule failed", patched once the rule's length is known.
const FAIL = -1;

export const ld = (offset: number): Insn => ({ code: BPF.LD_W_ABS, jt: 0, jf: 0, k: offset });
export const ret = (action: number): Insn => ({ code: BPF.RET_K, jt: 0, jf: 0, k: action >>> 0 });
export const ja = (offset: number): Insn => ({ code: BPF.JA, jt: 0, jf: 0, k: offset });
const jump = (code: number, k: bigint | number, jt: number, jf: number): Insn => ({ code, jt, jf, k: Number(k) >>> 0 });
const and = (mask: bigint): Insn => ({ code: BPF.ALU_AND_K, jt: 0, jf: 0, k: Number(mask) });

// Arguments are little-endian u64s: the low word first.
const argLo = (index: number) => SECCOMP_DATA.ARGS + 8 * index;
const argHi = (index: number) => argLo(index) + 4;
const lo32 = (v: bigint) => v & 0xffffffffn;
const hi32 = (v: bigint) => v >> 32n;

/** (word & mask) == datum, on one 32-bit half; nothing when the mask clears it all. */
function maskedWord(offset: number, mask: bigint, datum: bigint): Insn[] {
  if (mask === 0n) return [];
  const out = [ld(offset)];
  if (mask !== 0xffffffffn) out.push(and(mask));
  out.push(jump(BPF.JEQ_K, datum, 0, FAIL));
  return out;
}

/** A test on a 32-bit ABI: libseccomp compares only the low word. Falls through when it holds. */
function cond32(c: Cond): Insn[] {
  const off = argLo(c.index);
  switch (c.op) {
    case "SCMP_CMP_EQ": return [ld(off), jump(BPF.JEQ_K, c.datum, 0, FAIL)];
    case "SCMP_CMP_NE": return [ld(off), jump(BPF.JEQ_K, c.datum, FAIL, 0)];
    case "SCMP_CMP_GT": return [ld(off), jump(BPF.JGT_K, c.datum, 0, FAIL)];
    case "SCMP_CMP_GE": return [ld(off), jump(BPF.JGE_K, c.datum, 0, FAIL)];
    case "SCMP_CMP_LT": return [ld(off), jump(BPF.JGE_K, c.datum, FAIL, 0)];
    case "SCMP_CMP_LE": return [ld(off), jump(BPF.JGT_K, c.datum, FAIL, 0)];
    case "SCMP_CMP_MASKED_EQ": return maskedWord(off, c.mask, c.datum);
  }
}

/** A test on a 64-bit argument from its two halves. Falls through when it holds. */
function cond64(c: Cond): Insn[] {
  const [lo, hi] = [argLo(c.index), argHi(c.index)];
  const [dl, dh] = [lo32(c.datum), hi32(c.datum)];
  switch (c.op) {
    case "SCMP_CMP_EQ":
      return [ld(hi), jump(BPF.JEQ_K, dh, 0, FAIL), ld(lo), jump(BPF.JEQ_K, dl, 0, FAIL)];
    case "SCMP_CMP_NE": // a different high word already decides it
      return [ld(hi), jump(BPF.JEQ_K, dh, 0, 2), ld(lo), jump(BPF.JEQ_K, dl, FAIL, 0)];
    case "SCMP_CMP_GT":
    case "SCMP_CMP_GE": { // high word above: holds; equal: the low word decides
      const low = c.op === "SCMP_CMP_GT" ? BPF.JGT_K : BPF.JGE_K;
      return [ld(hi), jump(BPF.JGT_K, dh, 3, 0), jump(BPF.JEQ_K, dh, 0, FAIL), ld(lo), jump(low, dl, 0, FAIL)];
    }
    case "SCMP_CMP_LT":
    case "SCMP_CMP_LE": { // high word above: fails; below: holds; equal: the low word decides
      const lowFails = c.op === "SCMP_CMP_LT" ? BPF.JGE_K : BPF.JGT_K;
      return [ld(hi), jump(BPF.JGT_K, dh, FAIL, 0), jump(BPF.JEQ_K, dh, 0, 2), ld(lo), jump(lowFails, dl, FAIL, 0)];
    }
    case "SCMP_CMP_MASKED_EQ":
      return [...maskedWord(hi, hi32(c.mask), dh), ...maskedWord(lo, lo32(c.mask), dl)];
  }
}

/** One rule: its tests, then its action; a failed test skips to whatever follows. */
function ruleCode(rule: Rule, bits: 32 | 64): Insn[] {
  const code = rule.conds.flatMap((c) => (bits === 32 ? cond32(c) : cond64(c)));
  code.push(ret(rule.action));
  const end = code.length;
  return code.map((insn, i) => ({
    ...insn,
    jt: insn.jt === FAIL ? end - i - 1 : insn.jt,
    jf: insn.jf === FAIL ? end - i - 1 : insn.jf,
  }));
}

/** A handler's code; it always ends in a return. */
export function handlerCode(h: Handler): Insn[] {
  if (h.kind === "fixed") return [ret(h.action)];
  return [...h.rules.flatMap((r) => ruleCode(r, h.bits)), ret(h.fallback)];
}

/** "if A >= k go `distance` forward", through BPF_JA when it is too far for 8 bits. */
function jumpIfAtLeast(k: number, distance: number): Insn[] {
  if (distance <= MAX_JUMP) return [jump(BPF.JGE_K, k, distance, 0)];
  return [jump(BPF.JGE_K, k, 0, 1), ja(distance)];
}

/** Binary search over intervals (the syscall number in A), each leaf its handler. */
export function searchCode(iv: readonly Interval[]): Insn[] {
  if (iv.length === 0) throw new Error("no intervals");
  if (iv.length === 1) return handlerCode(iv[0]!.handler);
  const mid = iv.length >> 1;
  const left = searchCode(iv.slice(0, mid));
  const right = searchCode(iv.slice(mid));
  return [...jumpIfAtLeast(iv[mid]!.start, left.length), ...left, ...right];
}

/** "if A == k go `distance` forward", through BPF_JA when it is too far for 8 bits. */
export function jumpIfEqual(k: number, distance: number): Insn[] {
  if (distance <= MAX_JUMP) return [jump(BPF.JEQ_K, k, distance, 0)];
  return [jump(BPF.JEQ_K, k, 0, 1), ja(distance)];
}

/** struct sock_filter[] as the kernel reads it (little-endian x86). */
export function encode(program: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(program.length * 8);
  const view = new DataView(out.buffer);
  program.forEach((insn, i) => {
    view.setUint16(i * 8, insn.code, true);
    view.setUint8(i * 8 + 2, insn.jt);
    view.setUint8(i * 8 + 3, insn.jf);
    view.setUint32(i * 8 + 4, insn.k >>> 0, true);
  });
  return out;
}
