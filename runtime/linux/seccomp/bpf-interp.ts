// A small classic-BPF interpreter with the kernel's seccomp checks, so tests
// can run a compiled filter on synthetic seccomp_data without loading it.
import { BPF, MAX_INSNS, SECCOMP_DATA, type Insn } from "./bpf.ts";

export interface SeccompData {
  nr: number;
  arch: number;
  args?: readonly bigint[];
  instructionPointer?: bigint;
}

export function decode(program: Uint8Array): Insn[] {
  if (program.length % 8 !== 0) throw new Error("program length is not a multiple of 8");
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  const out: Insn[] = [];
  for (let off = 0; off < program.length; off += 8) {
    out.push({ code: view.getUint16(off, true), jt: view.getUint8(off + 2), jf: view.getUint8(off + 3), k: view.getUint32(off + 4, true) });
  }
  return out;
}

const KNOWN = new Set<number>(Object.values(BPF));

/** What the kernel's filter checks refuse: unknown opcodes, jumps out of the
 * program, misaligned or out-of-range loads, a last instruction that is not a return. */
export function validate(insns: readonly Insn[]): void {
  if (insns.length === 0 || insns.length > MAX_INSNS) throw new Error(`bad program length ${insns.length}`);
  insns.forEach((insn, pc) => {
    if (!KNOWN.has(insn.code)) throw new Error(`pc ${pc}: opcode 0x${insn.code.toString(16)} not allowed`);
    if (insn.code === BPF.LD_W_ABS && (insn.k % 4 !== 0 || insn.k >= SECCOMP_DATA.SIZE)) {
      throw new Error(`pc ${pc}: load from offset ${insn.k}`);
    }
    const far = insn.code === BPF.JA ? pc + 1 + insn.k : pc + 1 + Math.max(insn.jt, insn.jf);
    const isJump = (insn.code & 0x07) === 0x05;
    if (isJump && far >= insns.length) throw new Error(`pc ${pc}: jump past the end`);
  });
  if (insns.at(-1)!.code !== BPF.RET_K) throw new Error("the last instruction is not a return");
}

function dataWords(d: SeccompData): DataView {
  const view = new DataView(new ArrayBuffer(SECCOMP_DATA.SIZE));
  view.setUint32(SECCOMP_DATA.NR, d.nr >>> 0, true);
  view.setUint32(SECCOMP_DATA.ARCH, d.arch >>> 0, true);
  view.setBigUint64(8, d.instructionPointer ?? 0n, true);
  (d.args ?? []).forEach((a, i) => view.setBigUint64(SECCOMP_DATA.ARGS + 8 * i, BigInt.asUintN(64, a), true));
  return view;
}

/** Runs the filter; returns the action it returns and how many instructions ran. */
export function run(insns: readonly Insn[], d: SeccompData): { action: number; steps: number } {
  const data = dataWords(d);
  let a = 0;
  for (let pc = 0, steps = 1; pc < insns.length; pc++, steps++) {
    const { code, jt, jf, k } = insns[pc]!;
    switch (code) {
      case BPF.LD_W_ABS: a = data.getUint32(k, true); break;
      case BPF.ALU_AND_K: a = (a & k) >>> 0; break;
      case BPF.JA: pc += k; break;
      case BPF.JEQ_K: pc += a === k ? jt : jf; break;
      case BPF.JGT_K: pc += a > k ? jt : jf; break;
      case BPF.JGE_K: pc += a >= k ? jt : jf; break;
      case BPF.JSET_K: pc += (a & k) !== 0 ? jt : jf; break;
      case BPF.RET_K: return { action: k >>> 0, steps };
      default: throw new Error(`pc ${pc}: opcode 0x${code.toString(16)}`);
    }
  }
  throw new Error("ran off the end of the program");
}

/** Decode, validate and run: the action for one syscall. */
export function filterAction(program: Uint8Array, d: SeccompData): number {
  const insns = decode(program);
  validate(insns);
  return run(insns, d).action;
}
