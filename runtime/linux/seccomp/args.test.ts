import { describe, expect, test } from "bun:test";
import type { LinuxSeccomp, LinuxSeccompArg, LinuxSyscall } from "../../../spec/types.ts";
import { ARCHES, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 } from "./arch.ts";
import { SECCOMP_RET } from "./actions.ts";
import { filterAction } from "./bpf-interp.ts";
import { compileSeccomp } from "./compile.ts";
import { decide } from "./layout.ts";
import { archRules, evaluatePolicy, type CmpOp } from "./rules.ts";
import { i386Syscalls } from "./table-i386.ts";
import { x86_64Syscalls } from "./table-x86_64.ts";

const ALLOW = SECCOMP_RET.ALLOW;
const errno = (e: number) => (SECCOMP_RET.ERRNO | e) >>> 0;
const GETPID = x86_64Syscalls().getpid!;
const U64 = (1n << 64n) - 1n;

function profile(syscalls: LinuxSyscall[], defaultAction: LinuxSeccomp["defaultAction"] = "SCMP_ACT_ALLOW"): LinuxSeccomp {
  return { defaultAction, defaultErrnoRet: 99, architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], syscalls };
}
const rule = (errnoRet: number, ...args: LinuxSeccompArg[]): LinuxSyscall => ({ names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet, args });
const arg = (index: number, op: CmpOp, value: bigint, valueTwo = 0n): LinuxSeccompArg =>
  // JSON gives numbers; bigints carry exact 64-bit values here and the compiler takes both.
  ({ index, op, value: value as unknown as number, valueTwo: valueTwo as unknown as number });

function getpid(p: LinuxSeccomp, args: bigint[]): number {
  return filterAction(compileSeccomp(p).program, { nr: GETPID, arch: AUDIT_ARCH_X86_64, args });
}

const V = 0x1_0000_0005n;
const PROBES = [0n, 5n, 4n, 6n, V - 1n, V, V + 1n, 0xffff_ffffn, 0x1_0000_0000n, 0x2_0000_0000n, 0x1_ffff_ffffn, U64];
const HOLDS: Record<CmpOp, (a: bigint, v: bigint) => boolean> = {
  SCMP_CMP_EQ: (a, v) => a === v,
  SCMP_CMP_NE: (a, v) => a !== v,
  SCMP_CMP_LT: (a, v) => a < v,
  SCMP_CMP_LE: (a, v) => a <= v,
  SCMP_CMP_GT: (a, v) => a > v,
  SCMP_CMP_GE: (a, v) => a >= v,
  SCMP_CMP_MASKED_EQ: () => false,
};

describe("comparisons on 64-bit arguments", () => {
  for (const op of ["SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE"] as CmpOp[]) {
    test(`${op} compares both halves`, () => {
      for (const index of [0, 3, 5]) {
        const p = profile([rule(7, arg(index, op, V))]);
        for (const a of PROBES) {
          const args = [0n, 0n, 0n, 0n, 0n, 0n];
          args[index] = a;
          expect([a, getpid(p, args)]).toEqual([a, HOLDS[op](a, V) ? errno(7) : ALLOW]);
        }
      }
    });
  }

  test("SCMP_CMP_MASKED_EQ: value is the mask, valueTwo the expected bits", () => {
    const p = profile([rule(7, arg(1, "SCMP_CMP_MASKED_EQ", 0xff00_0000_0000_00ffn, 0x1200_0000_0000_0034n))]);
    expect(getpid(p, [0n, 0x1200_0000_0000_0034n])).toBe(errno(7));
    expect(getpid(p, [0n, 0x12ab_cdef_0123_4534n])).toBe(errno(7));
    expect(getpid(p, [0n, 0x1300_0000_0000_0034n])).toBe(ALLOW);
    expect(getpid(p, [0n, 0x1200_0000_0000_0035n])).toBe(ALLOW);
    // clone's namespace flags, as Docker's profile tests them: only the low word matters
    const clone = profile([rule(1, arg(0, "SCMP_CMP_MASKED_EQ", 0x7e020000n, 0n))], "SCMP_ACT_ALLOW");
    expect(getpid(clone, [0x11n])).toBe(errno(1));
    expect(getpid(clone, [0x10000000n /* CLONE_NEWUSER */])).toBe(ALLOW);
    expect(getpid(clone, [0xffff_ffff_0000_0011n])).toBe(errno(1));
  });

  test("a zero mask always matches, as in libseccomp", () => {
    expect(getpid(profile([rule(7, arg(0, "SCMP_CMP_MASKED_EQ", 0n, 5n))]), [123n])).toBe(errno(7));
  });
});

describe("32-bit ABIs", () => {
  test("i386 compares the low word only, with the value truncated", () => {
    const p = profile([{ names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 7, args: [arg(0, "SCMP_CMP_GT", V)] }]);
    const i386 = (a: bigint) => filterAction(compileSeccomp(p).program, { nr: i386Syscalls().getpid!, arch: AUDIT_ARCH_I386, args: [a] });
    expect(i386(6n)).toBe(errno(7));
    expect(i386(5n)).toBe(ALLOW);
    expect(i386(0x7_0000_0004n)).toBe(ALLOW);
  });
});

describe("combining rules", () => {
  test("conditions in one entry are ANDed", () => {
    const p = profile([rule(7, arg(0, "SCMP_CMP_EQ", 1n), arg(2, "SCMP_CMP_GE", 10n))]);
    expect(getpid(p, [1n, 0n, 10n])).toBe(errno(7));
    expect(getpid(p, [1n, 0n, 9n])).toBe(ALLOW);
    expect(getpid(p, [2n, 0n, 10n])).toBe(ALLOW);
  });

  test("entries for the same syscall are ORed", () => {
    const p = profile([rule(1, arg(0, "SCMP_CMP_EQ", 1n)), rule(2, arg(1, "SCMP_CMP_EQ", 2n))]);
    expect(getpid(p, [1n, 0n])).toBe(errno(1));
    expect(getpid(p, [0n, 2n])).toBe(errno(2));
    expect(getpid(p, [0n, 0n])).toBe(ALLOW);
  });

  test("two conditions on one argument become separate rules, as runc does", () => {
    const p = profile([rule(7, arg(0, "SCMP_CMP_EQ", 1n), arg(0, "SCMP_CMP_EQ", 2n))]);
    expect(getpid(p, [1n])).toBe(errno(7));
    expect(getpid(p, [2n])).toBe(errno(7));
    expect(getpid(p, [3n])).toBe(ALLOW);
  });

  test("an unconditional rule overrides argument rules, before or after them", () => {
    const always: LinuxSyscall = { names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 6 };
    expect(getpid(profile([rule(5, arg(0, "SCMP_CMP_EQ", 1n)), always]), [1n])).toBe(errno(6));
    expect(getpid(profile([always, rule(5, arg(0, "SCMP_CMP_EQ", 1n))]), [1n])).toBe(errno(6));
  });

  test("rules with the default action are dropped first, as runc does", () => {
    const p = profile([rule(99), { names: ["getpid"], action: "SCMP_ACT_ALLOW", args: [arg(0, "SCMP_CMP_EQ", 1n)] }], "SCMP_ACT_ERRNO");
    expect(getpid(p, [1n])).toBe(ALLOW);
    expect(getpid(p, [2n])).toBe(errno(99));
  });

  test("overlapping rules resolve in libseccomp's order", () => {
    const gt = profile([rule(5, arg(0, "SCMP_CMP_GT", 5n)), rule(10, arg(0, "SCMP_CMP_GT", 10n))]);
    expect([getpid(gt, [7n]), getpid(gt, [11n]), getpid(gt, [1n << 40n])]).toEqual([errno(5), errno(10), errno(10)]);
    const lt = profile([rule(10, arg(0, "SCMP_CMP_LT", 10n)), rule(5, arg(0, "SCMP_CMP_LT", 5n))]);
    expect([getpid(lt, [3n]), getpid(lt, [7n])]).toEqual([errno(5), errno(10)]);
    const higherArgFirst = profile([rule(1, arg(0, "SCMP_CMP_EQ", 1n)), rule(2, arg(1, "SCMP_CMP_EQ", 1n))]);
    expect(getpid(higherArgFirst, [1n, 1n])).toBe(errno(2));
    const eqBeforeGt = profile([rule(1, arg(0, "SCMP_CMP_GT", 0n)), rule(2, arg(0, "SCMP_CMP_EQ", 5n))]);
    expect([getpid(eqBeforeGt, [5n]), getpid(eqBeforeGt, [6n])]).toEqual([errno(2), errno(1)]);
    const shorterWins = profile([rule(2, arg(0, "SCMP_CMP_EQ", 1n), arg(1, "SCMP_CMP_EQ", 1n)), rule(1, arg(0, "SCMP_CMP_EQ", 1n))]);
    expect(getpid(shorterWins, [1n, 1n])).toBe(errno(1));
  });
});

describe("the BPF matches the rule model", () => {
  // A small deterministic generator, so a failure is reproducible.
  let seed = 12345;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const VALUES = [0n, 1n, 5n, 0xffff_ffffn, 0x1_0000_0000n, 0x1_0000_0005n, U64];
  const OPS: CmpOp[] = ["SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE", "SCMP_CMP_MASKED_EQ"];
  const randomArg = () => arg(rand(3), OPS[rand(OPS.length)]!, VALUES[rand(VALUES.length)]!, VALUES[rand(VALUES.length)]!);

  test("random profiles on x86_64 and i386", () => {
    for (let round = 0; round < 60; round++) {
      const syscalls = Array.from({ length: 1 + rand(5) }, () => ({
        ...rule(1 + rand(4), ...Array.from({ length: rand(4) }, randomArg)),
        names: [["getpid", "getppid"][rand(2)]!] as [string],
      }));
      const p = profile(syscalls, rand(2) ? "SCMP_ACT_ALLOW" : "SCMP_ACT_ERRNO");
      const { program } = compileSeccomp(p);
      const def = p.defaultAction === "SCMP_ACT_ALLOW" ? ALLOW : errno(99);
      for (const arch of [ARCHES.x86_64, ARCHES.x86]) {
        const model = archRules(p, arch, def);
        const stubbed = new Set(def === ALLOW ? [] : [arch.name]);
        const section = { audit: arch.audit, modes: [model], stubbed, defaultAction: def, badArchAction: 0 };
        for (let i = 0; i < 40; i++) {
          const nr = arch.table()[["getpid", "getppid"][rand(2)]!]!;
          const args = Array.from({ length: 6 }, () => VALUES[rand(VALUES.length)]! + BigInt(rand(3)) - 1n).map((v) => BigInt.asUintN(64, v));
          const h = decide(section, nr);
          const want = h.kind === "fixed" ? h.action : evaluatePolicy({ kind: "rules", bits: h.bits, rules: h.rules }, args, h.fallback);
          expect(filterAction(program, { nr, arch: arch.audit, args })).toBe(want);
        }
      }
    }
  });
});
