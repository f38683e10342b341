// What the compiler handles, in the terms of `runc features`.
import type { Features } from "../../../spec/types.ts";

type SeccompFeatures = NonNullable<NonNullable<Features["linux"]>["seccomp"]>;

export const SECCOMP_SUPPORT = {
  actions: [
    "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
  ],
  operators: [
    "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
  ],
  // Other architectures are accepted in a profile and ignored: their tasks
  // cannot run on an x86 kernel.
  archs: ["SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32"],
  knownFlags: [
    "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
  ],
} as const satisfies Omit<SeccompFeatures, "enabled" | "supportedFlags">;
