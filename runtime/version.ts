// The runtime's version, the commit it was built from, and the
// runtime-spec version it implements.
export const VERSION = "0.1.0";
export const SPEC_VERSION = "1.3.0";

// Replaced by `bun build --define` (see the justfile); absent when run from
// source, e.g. under `bun test`.
declare const RUNB_COMMIT: string | undefined;

/** `git describe --dirty --long --always` of the source tree at build time. */
export const COMMIT: string = typeof RUNB_COMMIT === "string" && RUNB_COMMIT !== "" ? RUNB_COMMIT : "unknown";
