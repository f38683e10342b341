// What a profile means for one ABI: for each syscall number, either one
// fixed action or an ordered list of argument rules (first match wins, no
// match → the default action). The steps mirror runc feeding libseccomp:
//
//  - runc drops rules whose action equals the default action, and names the
//    syscall tables do not know (profiles list calls newer than the kernel);
//  - runc turns a rule with two conditions on the same argument into one
//    rule per condition (ORed), otherwise the conditions are ANDed;
//  - on i386 libseccomp also puts each socket and SysV IPC rule on
//    socketcall(2)/ipc(2), with argument 0 required to be the call number;
//  - libseccomp keeps the first unconditional rule of a syscall, which
//    replaces any argument rules added before it and hides later ones;
//  - libseccomp merges argument rules into a tree searched depth-first;
//    `ruleOrder` sorts rules the way that tree orders them, so overlapping
//    rules with different actions resolve as under runc. (libseccomp refuses
//    identical tests with different actions, and where its merging shares a
//    subtree between rules that overlap only in part, the winner can depend
//    on which 32-bit half of an argument differs; there the order here stays
//    the plain one.)
import { RuntimeError } from "../../errors.ts";
import type { LinuxSeccomp, LinuxSeccompArg } from "../../../spec/types.ts";
import { multiplexedCall, syscallNumber, type ArchDef } from "./arch.ts";
import { actionValue } from "./actions.ts";

export type CmpOp = LinuxSeccompArg["op"];

/** (arg[index] & mask) OP datum, datum already masked, both narrowed to the ABI's width. */
export interface Cond {
  index: number;
  op: CmpOp;
  datum: bigint;
  mask: bigint;
}

export interface Rule {
  action: number;
  /** ANDed; sorted by argument index, at most one per index. */
  conds: Cond[];
}

export type Policy = { kind: "fixed"; action: number } | { kind: "rules"; bits: 32 | 64; rules: Rule[] };

export interface ArchRules {
  arch: ArchDef;
  policies: Map<number, Policy>;
  /** The highest syscall number any rule names on this ABI (runc's -ENOSYS stub bound). */
  maxNr: number | undefined;
}

const U64 = (1n << 64n) - 1n;
const U32 = 0xffffffffn;
const MAX_ARGS = 6;

const invalid = (message: string) => new RuntimeError("INVALID_CONFIG", `seccomp: ${message}`);

function toU64(value: unknown, what: string): bigint {
  if (typeof value === "bigint" && value >= 0n && value <= U64) return value;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return BigInt(value);
  throw invalid(`${what} must be an unsigned 64-bit integer, got ${String(value)}`);
}

const OPS: readonly CmpOp[] = [
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
];

/** A spec argument as libseccomp sees it: for MASKED_EQ, value is the mask and valueTwo the datum. */
function parseArg(arg: LinuxSeccompArg, what: string): Cond {
  if (!Number.isInteger(arg.index) || arg.index < 0 || arg.index >= MAX_ARGS) {
    throw invalid(`${what}: argument index ${arg.index} is not in 0..${MAX_ARGS - 1}`);
  }
  if (!OPS.includes(arg.op)) throw invalid(`${what}: unknown operator "${String(arg.op)}"`);
  const value = toU64(arg.value, `${what}.value`);
  if (arg.op === "SCMP_CMP_MASKED_EQ") {
    return { index: arg.index, op: arg.op, mask: value, datum: toU64(arg.valueTwo ?? 0, `${what}.valueTwo`) };
  }
  return { index: arg.index, op: arg.op, mask: U64, datum: value };
}

/** The rules one spec entry becomes (runc's split when an index repeats). */
export function conditionSets(args: readonly LinuxSeccompArg[] | undefined, what: string): Cond[][] {
  const conds = (args ?? []).map((a, i) => parseArg(a, `${what}.args[${i}]`));
  const indexes = new Set(conds.map((c) => c.index));
  return indexes.size === conds.length ? [conds] : conds.map((c) => [c]);
}

/** Narrow to the ABI's argument width and drop tautologies (a zero mask), as libseccomp does. */
function narrow(conds: readonly Cond[], bits: 32 | 64): Cond[] {
  const width = bits === 32 ? U32 : U64;
  return conds
    .map((c) => ({ ...c, mask: c.mask & width, datum: c.datum & c.mask & width }))
    .filter((c) => !(c.op === "SCMP_CMP_MASKED_EQ" && c.mask === 0n))
    .sort((a, b) => a.index - b.index);
}

/** libseccomp's rewrite for socketcall(2)/ipc(2): argument 0 becomes the call number. */
function onMultiplexer(conds: readonly Cond[], call: number): Cond[] {
  const rest = conds.filter((c) => c.index !== 0);
  return [{ index: 0, op: "SCMP_CMP_EQ", datum: BigInt(call), mask: U64 }, ...rest];
}

// Nodes on one level of libseccomp's tree are kept in this order: higher
// argument first, then EQ/NE/MASKED_EQ before LT/LE before GT/GE, then larger
// datums first (smaller first for LT/LE); equal nodes merge and the search
// goes on one level down, and a rule that ends earlier wins over a longer one.
const OP_RANK: Readonly<Record<CmpOp, number>> = {
  SCMP_CMP_EQ: 3, SCMP_CMP_NE: 3, SCMP_CMP_MASKED_EQ: 3, SCMP_CMP_LT: 2, SCMP_CMP_LE: 2, SCMP_CMP_GT: 1, SCMP_CMP_GE: 1,
};

function condOrder(a: Cond, b: Cond): number {
  if (a.index !== b.index) return b.index - a.index;
  const rank = OP_RANK[a.op];
  if (rank !== OP_RANK[b.op]) return OP_RANK[b.op] - rank;
  if (a.datum === b.datum) return 0;
  const aFirst = rank === 2 ? a.datum < b.datum : a.datum > b.datum;
  return aFirst ? -1 : 1;
}

export function ruleOrder(a: Rule, b: Rule): number {
  for (let i = 0; ; i++) {
    const ca = a.conds[i];
    const cb = b.conds[i];
    if (!ca || !cb) return ca ? 1 : cb ? -1 : 0;
    const order = condOrder(ca, cb);
    if (order !== 0) return order;
    // Different tests that tie in libseccomp's order stay in the order added.
    if (ca.op !== cb.op || ca.mask !== cb.mask) return 0;
  }
}

/** libseccomp's per-syscall database: the first unconditional rule wins outright. */
class SyscallEntry {
  fixed: number | undefined;
  rules: Rule[] = [];

  add(rule: Rule): void {
    if (this.fixed !== undefined) return;
    if (rule.conds.length === 0) {
      this.fixed = rule.action;
      this.rules = [];
    } else {
      this.rules.push(rule);
    }
  }

  policy(bits: 32 | 64): Policy {
    if (this.fixed !== undefined) return { kind: "fixed", action: this.fixed };
    return { kind: "rules", bits, rules: [...this.rules].sort(ruleOrder) };
  }
}

export function archRules(seccomp: LinuxSeccomp, arch: ArchDef, defaultAction: number): ArchRules {
  const entries = new Map<number, SyscallEntry>();
  const add = (nr: number, action: number, conds: Cond[]) => {
    if (!entries.has(nr)) entries.set(nr, new SyscallEntry());
    entries.get(nr)!.add({ action, conds: narrow(conds, arch.bits) });
  };
  let maxNr: number | undefined;
  (seccomp.syscalls ?? []).forEach((entry, i) => {
    const what = `syscalls[${i}]`;
    const action = actionValue(entry.action, entry.errnoRet, what);
    const sets = conditionSets(entry.args, what);
    for (const name of entry.names ?? []) {
      const nr = syscallNumber(arch, name);
      if (nr !== undefined && (maxNr === undefined || nr > maxNr)) maxNr = nr;
      if (action === defaultAction) continue;
      const mux = multiplexedCall(arch, name);
      for (const conds of sets) {
        if (mux) add(mux.nr, action, onMultiplexer(conds, mux.call));
        if (nr !== undefined) add(nr, action, conds);
      }
    }
  });
  const policies = new Map<number, Policy>();
  for (const [nr, entry] of entries) policies.set(nr, entry.policy(arch.bits));
  return { arch, policies, maxNr };
}

/** What a policy decides for given arguments: the reference the BPF must match. */
export function evaluatePolicy(policy: Policy, args: readonly bigint[], defaultAction: number): number {
  if (policy.kind === "fixed") return policy.action;
  const width = policy.bits === 32 ? U32 : U64;
  const hit = policy.rules.find((r) => r.conds.every((c) => condHolds(c, (args[c.index] ?? 0n) & width)));
  return hit ? hit.action : defaultAction;
}

function condHolds(c: Cond, arg: bigint): boolean {
  const v = arg & c.mask;
  switch (c.op) {
    case "SCMP_CMP_EQ":
    case "SCMP_CMP_MASKED_EQ":
      return v === c.datum;
    case "SCMP_CMP_NE":
      return v !== c.datum;
    case "SCMP_CMP_LT":
      return v < c.datum;
    case "SCMP_CMP_LE":
      return v <= c.datum;
    case "SCMP_CMP_GT":
      return v > c.datum;
    case "SCMP_CMP_GE":
      return v >= c.datum;
  }
}
