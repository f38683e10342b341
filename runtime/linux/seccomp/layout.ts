// For one AUDIT_ARCH value, the decision as a function of the syscall number,
// cut into intervals of the u32 number line that share a handler. The BPF
// then only has to find the interval (a binary search) and run its handler,
// which keeps jumps short and the filter fast whatever the profile's size.
import { X32_SYSCALL_BIT, type ArchDef } from "./arch.ts";
import { ENOSYS, SECCOMP_RET } from "./actions.ts";
import type { ArchRules, Rule } from "./rules.ts";

export type Handler =
  | { kind: "fixed"; action: number }
  | { kind: "rules"; bits: 32 | 64; rules: Rule[]; fallback: number };

export interface Interval {
  /** First syscall number of the interval; it runs up to the next interval's start. */
  start: number;
  handler: Handler;
}

export interface SectionInput {
  audit: number;
  /** The ABIs in the filter with this AUDIT_ARCH value (x86_64 and x32 share one). */
  modes: ArchRules[];
  /** ABIs that get runc's -ENOSYS stub: numbers above the highest one the profile names. */
  stubbed: ReadonlySet<ArchDef["name"]>;
  defaultAction: number;
  badArchAction: number;
}

const ENOSYS_ACTION = (SECCOMP_RET.ERRNO | ENOSYS) >>> 0;
const NUMBER_LINE_END = 2 ** 32;
const SKIPPED_SYSCALL = 0xffffffff;

/** Which ABI a number belongs to when two share an AUDIT_ARCH value. */
function ownsNumber(arch: ArchDef, nr: number): boolean {
  if (arch.name === "x86_64") return (nr & X32_SYSCALL_BIT) === 0;
  if (arch.name === "x32") return (nr & X32_SYSCALL_BIT) !== 0;
  return true;
}

/** The filter's decision for one syscall number: runc's stub first (it runs
 * before the libseccomp filter, with a bit test), then libseccomp's ABI split
 * (x86_64 alone sends x32 numbers to the bad-arch action and vice versa), then
 * the syscall's own policy or the default. */
export function decide(s: SectionInput, nr: number): Handler {
  for (const m of s.modes) {
    if (s.stubbed.has(m.arch.name) && m.maxNr !== undefined && ownsNumber(m.arch, nr) && nr > m.maxNr) {
      return { kind: "fixed", action: ENOSYS_ACTION };
    }
  }
  const names = s.modes.map((m) => m.arch.name);
  // libseccomp lets syscall -1 (what a tracer leaves to skip a call) through to the rules.
  if (names.includes("x86_64") && !names.includes("x32") && nr >= X32_SYSCALL_BIT && nr !== SKIPPED_SYSCALL) {
    return { kind: "fixed", action: s.badArchAction };
  }
  if (names.includes("x32") && !names.includes("x86_64") && nr < X32_SYSCALL_BIT) {
    return { kind: "fixed", action: s.badArchAction };
  }
  for (const m of s.modes) {
    const policy = m.policies.get(nr);
    if (!policy) continue;
    if (policy.kind === "fixed") return policy;
    return { kind: "rules", bits: policy.bits, rules: policy.rules, fallback: s.defaultAction };
  }
  return { kind: "fixed", action: s.defaultAction };
}

/** Every number where `decide` can change its answer. */
function breakpoints(s: SectionInput): number[] {
  const points = new Set<number>([0, X32_SYSCALL_BIT, 0x80000000, 0xc0000000, SKIPPED_SYSCALL]);
  for (const m of s.modes) {
    for (const nr of m.policies.keys()) points.add(nr).add(nr + 1);
    if (m.maxNr !== undefined) points.add(m.maxNr + 1);
  }
  return [...points].filter((p) => p < NUMBER_LINE_END).sort((a, b) => a - b);
}

/** A string equal for handlers that behave the same. */
export function handlerKey(h: Handler): string {
  if (h.kind === "fixed") return `fixed ${h.action}`;
  const rules = h.rules.map((r) => `${r.action}:${r.conds.map((c) => `${c.index} ${c.op} ${c.datum} ${c.mask}`).join(",")}`);
  return `rules ${h.bits} ${h.fallback} ${rules.join(";")}`;
}

/** The number line [0, 2^32) as intervals with one handler each, neighbours merged. */
export function intervals(s: SectionInput): Interval[] {
  const out: Interval[] = [];
  let lastKey = "";
  for (const start of breakpoints(s)) {
    const handler = decide(s, start);
    const key = handlerKey(handler);
    if (out.length > 0 && key === lastKey) continue;
    out.push({ start, handler });
    lastKey = key;
  }
  return out;
}
