// Podman's default profile (containers/common), turned into linux.seccomp as
// Podman does for an amd64 host with its default capabilities.
import { describe, expect, test } from "bun:test";
import { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT } from "./arch.ts";
import { SECCOMP_RET } from "./actions.ts";
import { decode, filterAction, validate } from "./bpf-interp.ts";
import { compileSeccomp } from "./compile.ts";
import { i386Syscalls } from "./table-i386.ts";
import { x32Syscalls } from "./table-x32.ts";
import { x86_64Syscalls } from "./table-x86_64.ts";
import { engineToOci, PODMAN_CAPS, type EngineProfile } from "./testdata/engine-profile.ts";
import podman from "./testdata/podman-seccomp.json";

const ALLOW = SECCOMP_RET.ALLOW;
const errno = (e: number) => (SECCOMP_RET.ERRNO | e) >>> 0;
const EPERM = errno(1);
const DEFAULT = errno(38); // the profile's defaultErrnoRet: ENOSYS

const oci = engineToOci(podman as EngineProfile, "amd64", PODMAN_CAPS);
const { program, flags } = compileSeccomp(oci);

function x64(name: string, ...args: bigint[]): number {
  return filterAction(program, { nr: x86_64Syscalls()[name]!, arch: AUDIT_ARCH_X86_64, args });
}
function i386(name: string, ...args: bigint[]): number {
  return filterAction(program, { nr: i386Syscalls()[name]!, arch: AUDIT_ARCH_I386, args });
}
function x32(name: string, ...args: bigint[]): number {
  return filterAction(program, { nr: x32Syscalls()[name]! + X32_SYSCALL_BIT, arch: AUDIT_ARCH_X86_64, args });
}

describe("Podman's default profile", () => {
  test("converts and compiles into a valid, compact program", () => {
    expect(oci.architectures).toEqual(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
    expect(oci.syscalls!.reduce((n, s) => n + s.names.length, 0)).toBeGreaterThan(400);
    const insns = decode(program);
    validate(insns);
    expect(insns.length).toBeLessThan(1000);
    expect(flags).toBe(0);
  });

  test("allowed syscalls on every x86 ABI", () => {
    for (const name of ["read", "write", "openat", "mkdir", "getpid", "clone", "execve", "exit_group", "futex"]) {
      expect([name, x64(name)]).toEqual([name, ALLOW]);
      expect([name, i386(name)]).toEqual([name, ALLOW]);
      expect([name, x32(name)]).toEqual([name, ALLOW]);
    }
    expect(i386("socketcall", 3n)).toBe(ALLOW);
    expect(i386("_llseek")).toBe(ALLOW);
    expect(x64("arch_prctl")).toBe(ALLOW);
    expect(x32("arch_prctl")).toBe(ALLOW);
    expect(i386("modify_ldt")).toBe(ALLOW);
  });

  test("explicit denials return EPERM, anything else the default ENOSYS", () => {
    for (const name of ["kexec_load", "swapon", "userfaultfd", "vmsplice"]) expect([name, x64(name)]).toEqual([name, EPERM]);
    expect(i386("vm86")).toBe(EPERM);
    expect(x64("io_uring_setup")).toBe(DEFAULT);
    expect(filterAction(program, { nr: 1000, arch: AUDIT_ARCH_X86_64 })).toBe(DEFAULT);
    expect(filterAction(program, { nr: 0xffffffff, arch: AUDIT_ARCH_X86_64 })).toBe(DEFAULT);
  });

  test("capability-dependent entries follow the bounding set", () => {
    expect(x64("chroot")).toBe(ALLOW); // CAP_SYS_CHROOT is in Podman's default set
    expect(x64("sethostname")).toBe(EPERM); // CAP_SYS_ADMIN is not
    expect(x64("acct")).toBe(EPERM);
    const admin = compileSeccomp(engineToOci(podman as EngineProfile, "amd64", [...PODMAN_CAPS, "CAP_SYS_ADMIN"])).program;
    expect(filterAction(admin, { nr: x86_64Syscalls().sethostname!, arch: AUDIT_ARCH_X86_64 })).toBe(ALLOW);
    const none = compileSeccomp(engineToOci(podman as EngineProfile, "amd64", [])).program;
    expect(filterAction(none, { nr: x86_64Syscalls().chroot!, arch: AUDIT_ARCH_X86_64 })).toBe(EPERM);
  });

  test("personality only with the values the profile lists", () => {
    for (const v of [0n, 8n, 0x20000n, 0x20008n, 0xffffffffn]) expect([v, x64("personality", v)]).toEqual([v, ALLOW]);
    for (const v of [1n, 0x0040000n, 0x1_0000_0000n, 0x1_ffff_ffffn]) expect([v, x64("personality", v)]).toEqual([v, DEFAULT]);
    expect(i386("personality", 8n)).toBe(ALLOW);
    expect(i386("personality", 9n)).toBe(DEFAULT);
    expect(x32("personality", 0xffffffffn)).toBe(ALLOW);
  });

  test("socket: NETLINK_AUDIT refused with EINVAL, other sockets allowed", () => {
    const AF_NETLINK = 16n, AF_INET = 2n, SOCK_RAW = 3n, NETLINK_AUDIT = 9n;
    expect(x64("socket", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT)).toBe(errno(22));
    expect(x64("socket", AF_NETLINK, SOCK_RAW, 0n)).toBe(ALLOW);
    expect(x64("socket", AF_INET, 1n, NETLINK_AUDIT)).toBe(ALLOW);
    expect(x64("socket", AF_NETLINK | (1n << 32n), SOCK_RAW, NETLINK_AUDIT)).toBe(ALLOW); // 64-bit compare
    expect(i386("socket", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT)).toBe(errno(22));
    expect(x32("socket", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT)).toBe(errno(22));
  });

  test("tasks of other architectures are killed", () => {
    expect(filterAction(program, { nr: 63, arch: 0xc00000b7 /* AUDIT_ARCH_AARCH64 */ })).toBe(SECCOMP_RET.KILL_THREAD);
  });
});
