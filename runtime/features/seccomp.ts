// What the seccomp compiler supports.
import type { Features } from "../../spec/types.ts";

type SeccompFeatures = NonNullable<NonNullable<Features["linux"]>["seccomp"]>;

export function seccompFeatures(): SeccompFeatures {
  return { enabled: false };
}
