// What the seccomp compiler supports, as the features document lists it.
import type { Features } from "../../spec/types.ts";
import { SECCOMP_SUPPORT } from "../linux/seccomp/support.ts";

type SeccompFeatures = NonNullable<NonNullable<Features["linux"]>["seccomp"]>;

export function seccompFeatures(): SeccompFeatures {
  return {
    enabled: true,
    actions: [...SECCOMP_SUPPORT.actions],
    operators: [...SECCOMP_SUPPORT.operators],
    archs: [...SECCOMP_SUPPORT.archs],
    knownFlags: [...SECCOMP_SUPPORT.knownFlags],
    supportedFlags: [...SECCOMP_SUPPORT.knownFlags],
  };
}
