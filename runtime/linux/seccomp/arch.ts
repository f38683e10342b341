// The x86 ABIs a filter can cover, as libseccomp models them: each has an
// AUDIT_ARCH_* value the kernel puts in seccomp_data.arch, an argument width,
// and a syscall table. x32 shares AUDIT_ARCH_X86_64 with x86_64; its syscall
// numbers carry __X32_SYSCALL_BIT instead.
import { i386Syscalls } from "./table-i386.ts";
import { x32Syscalls } from "./table-x32.ts";
import { x86_64Syscalls } from "./table-x86_64.ts";

export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_I386 = 0x40000003;
export const X32_SYSCALL_BIT = 0x40000000;

export type ArchName = "x86_64" | "x86" | "x32";

export interface ArchDef {
  name: ArchName;
  /** The OCI / libseccomp name. */
  scmp: string;
  audit: number;
  /** 32-bit ABIs compare only the low word of an argument (libseccomp does the same). */
  bits: 32 | 64;
  /** Syscall numbers by name (built when first asked for). */
  table(): Readonly<Record<string, number>>;
  /** Added to every table entry: X32_SYSCALL_BIT for x32. */
  nrBase: number;
  /** i386 reaches socket and SysV IPC calls through socketcall(2)/ipc(2) too. */
  multiplexed: boolean;
}

export const ARCHES: Readonly<Record<ArchName, ArchDef>> = {
  x86_64: {
    name: "x86_64", scmp: "SCMP_ARCH_X86_64", audit: AUDIT_ARCH_X86_64, bits: 64,
    table: x86_64Syscalls, nrBase: 0, multiplexed: false,
  },
  x86: {
    name: "x86", scmp: "SCMP_ARCH_X86", audit: AUDIT_ARCH_I386, bits: 32,
    table: i386Syscalls, nrBase: 0, multiplexed: true,
  },
  x32: {
    name: "x32", scmp: "SCMP_ARCH_X32", audit: AUDIT_ARCH_X86_64, bits: 32,
    table: x32Syscalls, nrBase: X32_SYSCALL_BIT, multiplexed: false,
  },
};

/** The ABI an OCI architecture name stands for, or undefined when it is not
 * an x86 ABI: such a task can never run on an x86 kernel, so its rules could
 * never match anyway. */
export function archFromScmp(scmp: string): ArchDef | undefined {
  return Object.values(ARCHES).find((a) => a.scmp === scmp);
}

/** The syscall number on this ABI, or undefined when the ABI (or the kernel
 * headers the tables come from) has no such call. */
export function syscallNumber(arch: ArchDef, name: string): number | undefined {
  const table = arch.table();
  if (!Object.hasOwn(table, name)) return undefined;
  return table[name]! + arch.nrBase;
}

// The call numbers socketcall(2) and ipc(2) take as their first argument
// (linux/net.h SYS_*, linux/ipc.h); libseccomp adds a rule on the
// multiplexer for each of these names on i386.
const SOCKETCALL: Readonly<Record<string, number>> = {
  socket: 1, bind: 2, connect: 3, listen: 4, accept: 5, getsockname: 6, getpeername: 7,
  socketpair: 8, send: 9, recv: 10, sendto: 11, recvfrom: 12, shutdown: 13, setsockopt: 14,
  getsockopt: 15, sendmsg: 16, recvmsg: 17, accept4: 18, recvmmsg: 19, sendmmsg: 20,
};
const IPC: Readonly<Record<string, number>> = {
  semop: 1, semget: 2, semctl: 3, semtimedop: 4, msgsnd: 11, msgrcv: 12, msgget: 13, msgctl: 14,
  shmat: 21, shmdt: 22, shmget: 23, shmctl: 24,
};

/** For a multiplexed ABI: the multiplexer's syscall number and the call
 * number its first argument must equal for this name. */
export function multiplexedCall(arch: ArchDef, name: string): { nr: number; call: number } | undefined {
  if (!arch.multiplexed) return undefined;
  if (Object.hasOwn(SOCKETCALL, name)) return { nr: syscallNumber(arch, "socketcall")!, call: SOCKETCALL[name]! };
  if (Object.hasOwn(IPC, name)) return { nr: syscallNumber(arch, "ipc")!, call: IPC[name]! };
  return undefined;
}
