import { describe, expect, test } from "bun:test";
import type { LinuxSeccomp } from "../../../spec/types.ts";
import { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT } from "./arch.ts";
import { SECCOMP_FILTER_FLAG, SECCOMP_RET } from "./actions.ts";
import { decode, filterAction, validate } from "./bpf-interp.ts";
import { compileSeccomp } from "./compile.ts";
import { parseUnistd } from "./gen-tables.ts";
import { SECCOMP_SUPPORT } from "./support.ts";
import { i386Syscalls } from "./table-i386.ts";
import { x32Syscalls } from "./table-x32.ts";
import { x86_64Syscalls } from "./table-x86_64.ts";

const ALLOW = SECCOMP_RET.ALLOW;
const errno = (e: number) => (SECCOMP_RET.ERRNO | e) >>> 0;
const X64 = (name: string) => x86_64Syscalls()[name]!;
const I386 = (name: string) => i386Syscalls()[name]!;
const X32 = (name: string) => x32Syscalls()[name]! + X32_SYSCALL_BIT;

function actionOf(seccomp: LinuxSeccomp, nr: number, arch = AUDIT_ARCH_X86_64, args: bigint[] = []): number {
  return filterAction(compileSeccomp(seccomp).program, { nr, arch, args });
}

describe("syscall tables", () => {
  test("the generator reads both header styles", () => {
    const text = "#define __NR_read 0\n#define __NR_rt_sigaction (__X32_SYSCALL_BIT + 512)\n#define _ASM_X 1\n";
    expect(parseUnistd(text)).toEqual([["read", 0], ["rt_sigaction", 512]]);
  });

  test("well-known numbers", () => {
    expect([X64("read"), X64("mkdir"), X64("getpid"), X64("openat2")]).toEqual([0, 83, 39, 437]);
    expect([I386("getpid"), I386("socketcall"), I386("ipc"), I386("_llseek")]).toEqual([20, 102, 117, 140]);
    expect([X32("read"), X32("rt_sigaction")]).toEqual([X32_SYSCALL_BIT, X32_SYSCALL_BIT + 512]);
  });
});

describe("actions", () => {
  test("a listed syscall gets its action, others the default", () => {
    const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO" }] };
    expect(actionOf(p, X64("mkdir"))).toBe(errno(1));
    expect(actionOf(p, X64("mkdirat"))).toBe(errno(1));
    expect(actionOf(p, X64("getpid"))).toBe(ALLOW);
  });

  test("every OCI action maps to the kernel's return value", () => {
    const cases: [LinuxSeccomp["defaultAction"], number][] = [
      ["SCMP_ACT_KILL", SECCOMP_RET.KILL_THREAD],
      ["SCMP_ACT_KILL_THREAD", SECCOMP_RET.KILL_THREAD],
      ["SCMP_ACT_KILL_PROCESS", SECCOMP_RET.KILL_PROCESS],
      ["SCMP_ACT_TRAP", SECCOMP_RET.TRAP],
      ["SCMP_ACT_ERRNO", errno(1)],
      ["SCMP_ACT_TRACE", (SECCOMP_RET.TRACE | 1) >>> 0],
      ["SCMP_ACT_LOG", SECCOMP_RET.LOG],
    ];
    for (const [action, value] of cases) {
      const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [{ names: ["getpid"], action }] };
      expect(actionOf(p, X64("getpid"))).toBe(value);
    }
  });

  test("errnoRet and defaultErrnoRet set the returned errno", () => {
    const p: LinuxSeccomp = {
      defaultAction: "SCMP_ACT_ERRNO",
      defaultErrnoRet: 38,
      syscalls: [
        { names: ["getpid"], action: "SCMP_ACT_ALLOW" },
        { names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 13 },
        { names: ["ptrace"], action: "SCMP_ACT_TRACE", errnoRet: 42 },
      ],
    };
    expect(actionOf(p, X64("getpid"))).toBe(ALLOW);
    expect(actionOf(p, X64("mkdir"))).toBe(errno(13));
    expect(actionOf(p, X64("ptrace"))).toBe((SECCOMP_RET.TRACE | 42) >>> 0);
    expect(actionOf(p, X64("rmdir"))).toBe(errno(38));
  });

  test("unknown syscall names are skipped", () => {
    const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["no_such_call", "getpid", "constructor"], action: "SCMP_ACT_ALLOW" }] };
    expect(actionOf(p, X64("getpid"))).toBe(ALLOW);
  });

  test("bad values, and SCMP_ACT_NOTIFY where it cannot work, are refused with a clear error", () => {
    expect(() => compileSeccomp({ defaultAction: "SCMP_ACT_NOTIFY" })).toThrow(/SCMP_ACT_NOTIFY cannot be used as the default action/);
    expect(() => compileSeccomp({ defaultAction: "SCMP_ACT_ALLOW", syscalls: [{ names: ["read"], action: "SCMP_ACT_NOTIFY" }] })).toThrow(/listenerPath/);
    const sendmsg: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/x", syscalls: [{ names: ["sendmsg"], action: "SCMP_ACT_NOTIFY" }] };
    expect(() => compileSeccomp(sendmsg)).toThrow(/cannot be used for the sendmsg syscall/);
    expect(() => compileSeccomp({ defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 70000 })).toThrow(/errnoRet/);
    const badIndex: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [{ names: ["read"], action: "SCMP_ACT_KILL", args: [{ index: 6, value: 1, op: "SCMP_CMP_EQ" }] }] };
    expect(() => compileSeccomp(badIndex)).toThrow(/index 6/);
    expect(() => compileSeccomp({ defaultAction: "SCMP_ACT_ALLOW", architectures: ["x86" as never] })).toThrow(/unknown architecture/);
  });
});

test("what the features list is what compiles", () => {
  for (const action of SECCOMP_SUPPORT.actions) {
    const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/x", syscalls: [{ names: ["mkdir"], action }] };
    expect(() => compileSeccomp(p)).not.toThrow();
  }
  for (const op of SECCOMP_SUPPORT.operators) {
    const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [{ names: ["read"], action: "SCMP_ACT_LOG", args: [{ index: 0, value: 1, op }] }] };
    expect(() => compileSeccomp(p)).not.toThrow();
  }
  expect(() => compileSeccomp({ defaultAction: "SCMP_ACT_ALLOW", architectures: [...SECCOMP_SUPPORT.archs] })).not.toThrow();
  const notify: LinuxSeccomp["syscalls"] = [{ names: ["mkdir"], action: "SCMP_ACT_NOTIFY" }];
  expect(() => compileSeccomp({ defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/x", syscalls: notify, flags: [...SECCOMP_SUPPORT.knownFlags] })).not.toThrow();
});

describe("flags", () => {
  test("spec flags become seccomp() flags; TSYNC is dropped as runc does", () => {
    const flags = (f: LinuxSeccomp["flags"]) => compileSeccomp({ defaultAction: "SCMP_ACT_ALLOW", flags: f }).flags;
    expect(flags(undefined)).toBe(0);
    expect(flags(["SECCOMP_FILTER_FLAG_TSYNC"])).toBe(0);
    expect(flags(["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"])).toBe(SECCOMP_FILTER_FLAG.LOG | SECCOMP_FILTER_FLAG.SPEC_ALLOW);
    expect(() => flags(["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"])).toThrow(/NOTIFY/);
  });
  test("a notify rule asks the kernel for a listener", () => {
    const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/x", syscalls: [{ names: ["mkdir"], action: "SCMP_ACT_NOTIFY" }] };
    expect(compileSeccomp(p).flags).toBe(SECCOMP_FILTER_FLAG.NEW_LISTENER);
    expect(compileSeccomp({ ...p, flags: ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] }).flags).toBe(SECCOMP_FILTER_FLAG.NEW_LISTENER | SECCOMP_FILTER_FLAG.WAIT_KILLABLE_RECV);
  });
});

describe("architectures", () => {
  const base: LinuxSeccomp = { defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["mkdir", "getpid"], action: "SCMP_ACT_ALLOW" }] };

  test("another AUDIT_ARCH gets the bad-arch action (libseccomp's KILL)", () => {
    expect(actionOf(base, I386("getpid"), AUDIT_ARCH_I386)).toBe(SECCOMP_RET.KILL_THREAD);
    expect(actionOf(base, 20, 0xc00000b7 /* AUDIT_ARCH_AARCH64 */)).toBe(SECCOMP_RET.KILL_THREAD);
  });

  test("x32 numbers on x86_64 are bad-arch unless SCMP_ARCH_X32 is listed", () => {
    expect(actionOf(base, X32("getpid"))).toBe(SECCOMP_RET.KILL_THREAD);
    const withX32 = { ...base, architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"] } as LinuxSeccomp;
    expect(actionOf(withX32, X32("getpid"))).toBe(ALLOW);
    expect(actionOf(withX32, X32("mkdir"))).toBe(ALLOW);
    expect(actionOf(withX32, X32("read"))).toBe(errno(1));
    expect(actionOf(withX32, X64("getpid"))).toBe(ALLOW);
  });

  test("x32 alone: x86_64 numbers are bad-arch", () => {
    const x32 = { ...base, architectures: ["SCMP_ARCH_X32"] } as LinuxSeccomp;
    const program = compileSeccomp(x32, "x32").program;
    expect(filterAction(program, { nr: X32("getpid"), arch: AUDIT_ARCH_X86_64 })).toBe(ALLOW);
    expect(filterAction(program, { nr: X64("getpid"), arch: AUDIT_ARCH_X86_64 })).toBe(SECCOMP_RET.KILL_THREAD);
  });

  test("i386 uses its own numbers and socketcall/ipc multiplexing", () => {
    const p: LinuxSeccomp = {
      defaultAction: "SCMP_ACT_ERRNO",
      architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      syscalls: [{ names: ["getpid", "_llseek", "socket", "shmget"], action: "SCMP_ACT_ALLOW" }],
    };
    expect(actionOf(p, I386("getpid"), AUDIT_ARCH_I386)).toBe(ALLOW);
    expect(actionOf(p, I386("_llseek"), AUDIT_ARCH_I386)).toBe(ALLOW);
    expect(actionOf(p, I386("socket"), AUDIT_ARCH_I386)).toBe(ALLOW);
    expect(actionOf(p, I386("socketcall"), AUDIT_ARCH_I386, [1n])).toBe(ALLOW); // SYS_SOCKET
    expect(actionOf(p, I386("socketcall"), AUDIT_ARCH_I386, [3n])).toBe(errno(1)); // SYS_CONNECT
    expect(actionOf(p, I386("ipc"), AUDIT_ARCH_I386, [23n])).toBe(ALLOW); // SHMGET
    expect(actionOf(p, I386("mkdir"), AUDIT_ARCH_I386)).toBe(errno(1));
    expect(actionOf(p, X64("getpid"))).toBe(ALLOW);
    expect(actionOf(p, X64("socket"))).toBe(ALLOW);
  });

  test("non-x86 architectures in the list are ignored", () => {
    const p = { ...base, architectures: ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"] } as LinuxSeccomp;
    expect(actionOf(p, X64("getpid"))).toBe(ALLOW);
  });
});

describe("runc's -ENOSYS stub", () => {
  const p: LinuxSeccomp = {
    defaultAction: "SCMP_ACT_ERRNO",
    architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    syscalls: [{ names: ["getpid", "close_range"], action: "SCMP_ACT_ALLOW" }, { names: ["openat2"], action: "SCMP_ACT_ERRNO" }],
  };

  test("syscalls above the highest one named get ENOSYS, per ABI", () => {
    expect(actionOf(p, X64("close_range"))).toBe(ALLOW);
    expect(actionOf(p, X64("close_range") - 1)).toBe(errno(1));
    expect(actionOf(p, X64("openat2"))).toBe(errno(1)); // named, although with the default action
    expect(actionOf(p, X64("openat2") + 1)).toBe(errno(38));
    expect(actionOf(p, 1000)).toBe(errno(38));
    expect(actionOf(p, 0x80000000)).toBe(errno(38)); // runc tests bit 30 only
    expect(actionOf(p, I386("openat2") + 1, AUDIT_ARCH_I386)).toBe(errno(38));
    expect(actionOf(p, X32("openat2") + 1)).toBe(errno(38));
    expect(actionOf(p, X32("getpid"))).toBe(ALLOW);
  });

  test("no stub for ABIs not listed, nor when the default lets calls run", () => {
    const noList = { ...p, architectures: undefined };
    expect(actionOf(noList, 1000)).toBe(errno(1));
    expect(actionOf({ ...p, defaultAction: "SCMP_ACT_LOG" }, 1000)).toBe(SECCOMP_RET.LOG);
  });
});

describe("program shape", () => {
  test("valid for the kernel, and jumps stay in range for a large profile", () => {
    const names = Object.keys(x86_64Syscalls());
    const p: LinuxSeccomp = {
      defaultAction: "SCMP_ACT_ERRNO",
      architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
      syscalls: names.map((n, i) => ({
        names: [n] as [string],
        action: i % 3 ? "SCMP_ACT_ALLOW" : "SCMP_ACT_LOG",
        args: i % 5 === 0 ? [{ index: i % 6, value: i, op: "SCMP_CMP_GT" }] : undefined,
      })),
    };
    const { program } = compileSeccomp(p);
    const insns = decode(program);
    validate(insns);
    expect(insns.length).toBeGreaterThan(255 * 4); // long jumps were needed
    names.forEach((n, i) => {
      const plain = i % 3 ? ALLOW : SECCOMP_RET.LOG;
      const args = [0n, 0n, 0n, 0n, 0n, 0n];
      expect(filterAction(program, { nr: X64(n), arch: AUDIT_ARCH_X86_64, args })).toBe(i % 5 === 0 ? errno(1) : plain);
      args[i % 6] = BigInt(i + 1);
      expect(filterAction(program, { nr: X64(n), arch: AUDIT_ARCH_X86_64, args })).toBe(plain);
    });
  });

  test("bytes are little-endian sock_filter entries", () => {
    const { program } = compileSeccomp({ defaultAction: "SCMP_ACT_ALLOW" });
    expect(program.length % 8).toBe(0);
    expect([...program.slice(0, 8)]).toEqual([0x20, 0, 0, 0, 4, 0, 0, 0]); // ld [4]: the arch
  });
});
