// Loads compiled filters into the kernel. Bun's own process cannot take a
// filter (it would apply to the test runner), so a small C helper, built
// here with gcc, installs it and makes one system call.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LinuxSeccomp } from "../../../spec/types.ts";
import { compileSeccomp } from "./compile.ts";
import { X32_SYSCALL_BIT } from "./arch.ts";
import { i386Syscalls } from "./table-i386.ts";
import { x32Syscalls } from "./table-x32.ts";
import { x86_64Syscalls } from "./table-x86_64.ts";
import { engineToOci, PODMAN_CAPS, type EngineProfile } from "./testdata/engine-profile.ts";
import podman from "./testdata/podman-seccomp.json";

const canRun = process.getuid?.() === 0 && process.arch === "x64" && Bun.which("gcc") !== null;
const dir = canRun ? mkdtempSync(join(tmpdir(), "runb-seccomp-")) : "";
const helper = join(dir, "seccomp-run");
// Built at load time so that what the kernel supports can decide which tests run.
if (canRun) {
  const gcc = Bun.spawnSync(["gcc", "-O1", "-Wall", "-o", helper, join(import.meta.dir, "testdata", "seccomp-run.c")]);
  if (gcc.exitCode !== 0) throw new Error(`gcc failed: ${gcc.stderr.toString()}`);
}

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs one syscall (a number, or "i386:N") under the compiled filter;
 * returns "ok N", "errno N", "load errno N" or "killed by SIGNAL". */
function call(seccomp: LinuxSeccomp, nr: string, ...args: (string | bigint)[]): string {
  const { program, flags } = compileSeccomp(seccomp);
  const file = join(dir, `filter-${Math.random().toString(36).slice(2)}.bpf`);
  writeFileSync(file, program);
  const argv = [helper, file, String(flags), nr, ...args.map((a) => (typeof a === "bigint" ? `0x${a.toString(16)}` : `s:${a}`))];
  const run = Bun.spawnSync(argv);
  if (run.signalCode) return `killed by ${run.signalCode}`;
  if (run.exitCode !== 0 && run.exitCode !== 3) throw new Error(`helper: ${run.stderr.toString()}`);
  return run.stdout.toString().trim();
}

const under = (seccomp: LinuxSeccomp, name: string, ...args: (string | bigint)[]) =>
  call(seccomp, String(x86_64Syscalls()[name]!), ...args);

/** Kernels built or booted without IA32 emulation refuse int $0x80. */
const ia32 = canRun && call({ defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86"] }, `i386:${i386Syscalls().getpid}`).startsWith("ok");

const errnoOf = (out: string) => (out.startsWith("errno ") ? Number(out.slice(6)) : 0);

const denyGetpid = (architectures: LinuxSeccomp["architectures"]): LinuxSeccomp => ({
  defaultAction: "SCMP_ACT_ALLOW",
  architectures,
  syscalls: [{ names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 13 }],
});

describe.skipIf(!canRun)("in the kernel", () => {
  test("a deny rule gives mkdir EPERM while getpid works", () => {
    const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO" }] };
    const target = join(dir, "denied");
    expect(under(p, "mkdir", target, 0o755n)).toBe("errno 1");
    expect(existsSync(target)).toBe(false);
    expect(under(p, "getpid")).toMatch(/^ok \d+$/);
    const allowed = join(dir, "allowed");
    expect(under({ defaultAction: "SCMP_ACT_ALLOW" }, "mkdir", allowed, 0o755n)).toBe("ok 0");
    expect(existsSync(allowed)).toBe(true);
  });

  test("errnoRet and a 64-bit argument comparison", () => {
    const p: LinuxSeccomp = {
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [{ names: ["personality"], action: "SCMP_ACT_ERRNO", errnoRet: 7, args: [{ index: 0, value: 0x1_ffff_ffff, op: "SCMP_CMP_EQ" }] }],
    };
    expect(under(p, "personality", 0x1_ffff_ffffn)).toBe("errno 7");
    expect(under(p, "personality", 0xffff_ffffn)).toMatch(/^ok /); // same low word: only queries
  });

  // The filter sees an x32 number even where the kernel has no x32 ABI.
  test("x32 calls are told apart from x86_64 ones", () => {
    const x32Getpid = String(X32_SYSCALL_BIT + x32Syscalls().getpid!);
    expect(call(denyGetpid(["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"]), x32Getpid)).toBe("errno 13");
    // ABIs the filter does not cover get libseccomp's bad-arch action
    expect(call(denyGetpid(["SCMP_ARCH_X86_64"]), x32Getpid)).toBe("killed by SIGSYS");
  });

  test.skipIf(!ia32)("i386 calls (int $0x80) use the i386 numbers", () => {
    const both = denyGetpid(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]);
    expect(call(both, `i386:${i386Syscalls().getpid}`)).toBe("errno 13");
    // 39 is getpid on x86_64 but mkdir on i386: not denied there (the NULL path faults)
    expect(call(both, `i386:${x86_64Syscalls().getpid}`)).toBe("errno 14");
    expect(call(denyGetpid(["SCMP_ARCH_X86_64"]), `i386:${i386Syscalls().getpid}`)).toBe("killed by SIGSYS");
  });

  test("the filter flags are accepted", () => {
    const p: LinuxSeccomp = { defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC"] };
    expect(under(p, "getpid")).toMatch(/^ok /);
  });

  test("Podman's default profile loads and filters", () => {
    const p = engineToOci(podman as EngineProfile, "amd64", PODMAN_CAPS);
    expect(under(p, "getpid")).toMatch(/^ok /);
    expect(under(p, "mkdir", join(dir, "podman"), 0o755n)).toBe("ok 0");
    expect(under(p, "personality", 0xffff_ffffn)).toMatch(/^ok /);
    expect(errnoOf(under(p, "personality", 0x0040000n /* ADDR_NO_RANDOMIZE */))).toBe(38);
    expect(errnoOf(under(p, "socket", 16n, 3n, 9n /* AF_NETLINK, SOCK_RAW, NETLINK_AUDIT */))).toBe(22);
    // Arguments chosen so that even a call that got through would fail harmlessly.
    expect(errnoOf(under(p, "kexec_load", 0n, 0n, 0n, 0xdead0000n))).toBe(1);
    expect(errnoOf(under(p, "acct", join(dir, "missing")))).toBe(1); // needs CAP_SYS_PACCT
    expect(errnoOf(under(p, "io_uring_setup", 0n, 0n))).toBe(38); // not listed: the default
  });
});
