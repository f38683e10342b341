// The document a hook reads on stdin: runtime-spec's State, shaped as runc
// writes it (Go's encoding/json of specs.State). That is the spec's five
// fields, not the longer output of the `state` command: no rootfs, created
// or owner. Hooks that parse it strictly expect exactly this.
import type { HookStatus } from "./phases.ts";

export interface HookState {
  ociVersion: string;
  id: string;
  status: HookStatus;
  /** Absent when 0: Go's omitempty. */
  pid?: number;
  bundle: string;
  /** Absent when empty: Go's omitempty. */
  annotations?: Record<string, string>;
}

/** The same fields in runc's key order, with its empty ones left out. */
export function hookState(s: HookState): HookState {
  return {
    ociVersion: s.ociVersion,
    id: s.id,
    status: s.status,
    ...(s.pid ? { pid: s.pid } : {}),
    bundle: s.bundle,
    ...(s.annotations && Object.keys(s.annotations).length > 0 ? { annotations: s.annotations } : {}),
  };
}

const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON as Go's encoding/json writes it, for byte-for-byte the stdin runc
 * gives: Go escapes <, > and & (and U+2028/9). These characters can only
 * occur inside strings in JSON text, so a plain replace is safe.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}
