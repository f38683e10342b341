// Turns an engine-format seccomp profile (Docker's, containers/common's) into
// the OCI linux.seccomp object an engine would put in config.json: keep the
// host's architectures from archMap and the entries whose includes/excludes
// fit the host architecture and the container's bounding capabilities.
import type { LinuxSeccomp, LinuxSyscall } from "../../../../spec/types.ts";

interface Filter {
  arches?: string[];
  caps?: string[];
}

interface EngineSyscall extends Omit<LinuxSyscall, "names"> {
  name?: string;
  names?: string[];
  includes?: Filter;
  excludes?: Filter;
}

export interface EngineProfile {
  defaultAction: LinuxSeccomp["defaultAction"];
  defaultErrnoRet?: number;
  architectures?: LinuxSeccomp["architectures"];
  archMap?: { architecture: string; subArchitectures?: string[] }[];
  syscalls?: EngineSyscall[];
}

/** Podman's default bounding set. */
export const PODMAN_CAPS = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
  "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
];

// Go architecture names (what includes.arches uses) → the archMap key.
const NATIVE: Readonly<Record<string, string>> = { amd64: "SCMP_ARCH_X86_64", arm64: "SCMP_ARCH_AARCH64" };

function applies(call: EngineSyscall, goArch: string, caps: readonly string[]): boolean {
  const { includes = {}, excludes = {} } = call;
  if (excludes.arches?.includes(goArch)) return false;
  if (excludes.caps?.some((c) => caps.includes(c))) return false;
  if (includes.arches?.length && !includes.arches.includes(goArch)) return false;
  if (includes.caps?.some((c) => !caps.includes(c))) return false;
  return true;
}

function architectures(profile: EngineProfile, goArch: string): LinuxSeccomp["architectures"] {
  if (profile.architectures?.length) return profile.architectures;
  const entry = profile.archMap?.find((a) => a.architecture === NATIVE[goArch]);
  if (!entry) return undefined;
  return [entry.architecture, ...(entry.subArchitectures ?? [])] as LinuxSeccomp["architectures"];
}

export function engineToOci(profile: EngineProfile, goArch: string, caps: readonly string[]): LinuxSeccomp {
  const syscalls: LinuxSyscall[] = [];
  for (const call of profile.syscalls ?? []) {
    if (!applies(call, goArch, caps)) continue;
    const names = call.names?.length ? call.names : call.name ? [call.name] : [];
    if (names.length === 0) continue;
    const out: LinuxSyscall = { names: names as LinuxSyscall["names"], action: call.action };
    if (call.errnoRet !== undefined && call.errnoRet !== null) out.errnoRet = call.errnoRet;
    if (call.args?.length) out.args = call.args;
    syscalls.push(out);
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet === undefined ? {} : { defaultErrnoRet: profile.defaultErrnoRet }),
    ...(architectures(profile, goArch) ? { architectures: architectures(profile, goArch) } : {}),
    syscalls,
  };
}
