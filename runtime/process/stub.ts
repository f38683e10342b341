// The C init stage, built at build time and embedded in the binary.
// Each container's first process runs a sealed in-memory copy of it, so
// /proc/PID/exe inside the container never leads to a file anyone can
// write (the CVE-2019-5736 class), and its memory is a few hundred KiB.
import stubPath from "../../build/runb-stub" with { type: "file" };
import { closeFd, sealedMemfd } from "../linux/ffi.ts";

let image: Uint8Array | undefined;

/** The stage's executable, read once from where the build embedded it
 * (a path only Bun's own file calls can open). */
export async function stubImage(): Promise<Uint8Array> {
  image ??= await Bun.file(stubPath).bytes();
  return image;
}

/** A sealed memfd holding the stage, close-on-exec in this process. */
export function stubMemfd(stage: Uint8Array): number {
  return sealedMemfd("runb-init", stage);
}

// A sealed copy cannot change, so one copy serves every process this
// command starts from it: the migration lock's helper hands its copy on to
// the init stage rather than each making its own.
let spare: number | undefined;

/** Keeps a memfd stubMemfd made for the next takeStubMemfd (closes it if one is kept already). */
export function spareStubMemfd(fd: number): void {
  if (spare === undefined) spare = fd;
  else closeFd(fd);
}

/** The memfd spareStubMemfd kept, now the caller's to close; otherwise a new copy. */
export function takeStubMemfd(stage: Uint8Array): number {
  const fd = spare ?? stubMemfd(stage);
  spare = undefined;
  return fd;
}
