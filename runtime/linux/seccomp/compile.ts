// linux.seccomp → a classic BPF program for seccomp(SECCOMP_SET_MODE_FILTER),
// doing what runc does with libseccomp, in TypeScript: the C stage only
// loads the bytes.
//
// Program shape:
//   ld arch; for each AUDIT_ARCH in the filter: jeq → its section; ret bad-arch
//   section: ld nr; binary search over syscall-number intervals; handlers
import { RuntimeError } from "../../errors.ts";
import type { LinuxSeccomp } from "../../../spec/types.ts";
import { ARCHES, archFromScmp, type ArchDef, type ArchName } from "./arch.ts";
import { actionValue, ENOSYS, filterFlags, isPermissive, SECCOMP_RET } from "./actions.ts";
import { encode, jumpIfEqual, ld, MAX_INSNS, ret, SECCOMP_DATA, searchCode, type Insn } from "./bpf.ts";
import { intervals, type SectionInput } from "./layout.ts";
import { archRules, type ArchRules } from "./rules.ts";

export interface CompiledSeccomp {
  /** struct sock_filter[], little-endian: u16 code, u8 jt, u8 jf, u32 k. */
  program: Uint8Array;
  /** For seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog). */
  flags: number;
}

/** libseccomp's default for a task of an ABI the filter does not cover; runc keeps it. */
export const BAD_ARCH_ACTION = SECCOMP_RET.KILL_THREAD;

const invalid = (message: string) => new RuntimeError("INVALID_CONFIG", `seccomp: ${message}`);

/** The ABIs listed in the profile that exist on x86. Other known names are
 * dropped: their tasks cannot run on an x86 kernel. */
function listedArches(seccomp: LinuxSeccomp): ArchDef[] {
  const out: ArchDef[] = [];
  for (const name of seccomp.architectures ?? []) {
    const arch = archFromScmp(name);
    if (arch) out.push(arch);
    else if (!/^SCMP_ARCH_[A-Z0-9_]+$/.test(name)) throw invalid(`unknown architecture "${name}"`);
  }
  return out;
}

/** runc prepends a stub answering -ENOSYS for syscalls newer than any the
 * profile names (so libc falls back instead of seeing EPERM), for the listed
 * ABIs, unless the default action already lets calls through or is -ENOSYS. */
function stubbedArches(listed: ArchDef[], defaultAction: number): Set<ArchName> {
  if (isPermissive(defaultAction) || defaultAction === (SECCOMP_RET.ERRNO | ENOSYS)) return new Set();
  return new Set(listed.map((a) => a.name));
}

function sectionInputs(rules: ArchRules[], stubbed: Set<ArchName>, defaultAction: number): SectionInput[] {
  const byAudit = new Map<number, ArchRules[]>();
  for (const r of rules) byAudit.set(r.arch.audit, [...(byAudit.get(r.arch.audit) ?? []), r]);
  return [...byAudit].map(([audit, modes]) => ({ audit, modes, stubbed, defaultAction, badArchAction: BAD_ARCH_ACTION }));
}

function sectionCode(s: SectionInput): Insn[] {
  return [ld(SECCOMP_DATA.NR), ...searchCode(intervals(s))];
}

/** The arch dispatch in front of the sections, built from its end so each jump's length is known. */
function withPrologue(audits: number[], sections: Insn[][]): Insn[] {
  let dispatch: Insn[] = [ret(BAD_ARCH_ACTION)];
  for (let i = sections.length - 1; i >= 0; i--) {
    const before = sections.slice(0, i).reduce((n, s) => n + s.length, 0);
    dispatch = [...jumpIfEqual(audits[i]!, dispatch.length + before), ...dispatch];
  }
  return [ld(SECCOMP_DATA.ARCH), ...dispatch, ...sections.flat()];
}

// The stage hands the listener to the runtime with sendmsg (musl's send
// is sendto): those must not wait for a supervisor that has no listener yet.
const NOTIFY_FORBIDDEN = new Set(["sendmsg", "sendto"]);

/** Whether any rule notifies a supervisor; checks what such a profile needs. */
function notifyRules(seccomp: LinuxSeccomp): boolean {
  const rules = (seccomp.syscalls ?? []).filter((r) => r.action === "SCMP_ACT_NOTIFY");
  if (rules.length === 0) return false;
  if (!seccomp.listenerPath) throw invalid("SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
  for (const r of rules) {
    const bad = r.names.find((n) => NOTIFY_FORBIDDEN.has(n));
    if (bad) throw invalid(`SCMP_ACT_NOTIFY cannot be used for the ${bad} syscall: the runtime needs it to hand over the listener`);
  }
  return true;
}

export function compileSeccomp(seccomp: LinuxSeccomp, arch: ArchName = "x86_64"): CompiledSeccomp {
  const native = ARCHES[arch];
  if (!native) throw invalid(`cannot build filters for architecture "${arch}"`);
  const defaultAction = actionValue(seccomp.defaultAction, seccomp.defaultErrnoRet, "defaultAction");
  const notify = notifyRules(seccomp);
  const flags = filterFlags(seccomp.flags, notify);
  const listed = listedArches(seccomp);
  // libseccomp always filters for the native ABI, and adds the listed ones.
  const inFilter = [...new Set([native, ...listed])];
  const rules = inFilter.map((a) => archRules(seccomp, a, defaultAction));
  const inputs = sectionInputs(rules, stubbedArches(listed, defaultAction), defaultAction);
  const sections = inputs.map(sectionCode);
  const program = withPrologue(inputs.map((s) => s.audit), sections);
  if (program.length > MAX_INSNS) {
    throw invalid(`the filter needs ${program.length} BPF instructions; the kernel takes at most ${MAX_INSNS}`);
  }
  return { program: encode(program), flags };
}
