// The C init stage, built at build time and embedded in the binary.
// Each container's first process runs a sealed in-memory copy of it, so
// /proc/PID/exe inside the container never leads to a file anyone can
// write (the CVE-2019-5736 class), and its memory is a few hundred KiB.
import { readFileSync } from "node:fs";
import stubPath from "../../build/runb-stub" with { type: "file" };
import { sealedMemfd } from "../linux/ffi.ts";

let bytes: Uint8Array | undefined;

/** A sealed memfd holding the stage, close-on-exec in this process. */
export function stubMemfd(): number {
  bytes ??= readFileSync(stubPath);
  return sealedMemfd("runb-init", bytes);
}
