// Reading a bundle's config.json. Failures are RuntimeError INVALID_CONFIG
// with messages in runc's style ("<syscall> <path>: <strerror>").

import { join } from "../runtime/linux/paths.ts";
import { RuntimeError } from "../runtime/errors.ts";
import type { Spec } from "./types.ts";
import { validateWithClientQuirks } from "./quirks.ts";
import { validateConfig } from "./validate.ts";
import { findNulString, parseJsonText } from "./json.ts";

// strerror(3) texts for the errors a bundle path can plausibly hit.
const strerror: Record<string, string> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EIO: "input/output error",
};

function fsError(syscall: string, path: string, err: unknown): RuntimeError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reason = code === undefined ? String(err) : (strerror[code] ?? code.toLowerCase());
  const hint = code === "ENOENT" && syscall === "open" ? "JSON specification file config.json not found" : undefined;
  return new RuntimeError("INVALID_CONFIG", `${syscall} ${path}: ${reason}`, { cause: err, hint });
}

/**
 * How the bundle is read (the runtime's file calls; Node's in tests).
 * Failures carry the errno name as `code`, as Node's fs errors do.
 */
export interface BundleFiles {
  /** Whether the path names a directory, following links. */
  isDirectory(path: string): boolean;
  /** A file's text; a directory fails with EISDIR. */
  readText(path: string): string;
}

function readConfigText(bundleDir: string, files: BundleFiles): string {
  let isDirectory: boolean;
  try {
    isDirectory = files.isDirectory(bundleDir);
  } catch (err) {
    throw fsError("stat", bundleDir, err);
  }
  if (!isDirectory) throw fsError("stat", bundleDir, Object.assign(new Error(), { code: "ENOTDIR" }));

  const path = join(bundleDir, "config.json");
  try {
    return files.readText(path);
  } catch (err) {
    // A directory is reported at read time; runc would fail there too.
    const syscall = (err as NodeJS.ErrnoException | null)?.code === "EISDIR" ? "read" : "open";
    throw fsError(syscall, path, err);
  }
}

/** Parses config.json text: errors name the line and column, or the field holding a NUL byte. */
export function parseConfigText(text: string): unknown {
  const value = parseJsonText(text, (reason, cause) => new RuntimeError("INVALID_CONFIG", `config.json: ${reason}`, { cause }));
  // Every string ends up as a C string somewhere (paths, argv, env): a NUL
  // would silently cut it short.
  const nul = findNulString(value);
  if (nul !== undefined) throw new RuntimeError("INVALID_CONFIG", `config.json: ${nul} contains a NUL byte`);
  return value;
}

/** Reads, parses and validates `<bundleDir>/config.json`. */
export function loadConfig(bundleDir: string, files: BundleFiles): Spec {
  return validateWithClientQuirks(parseConfigText(readConfigText(bundleDir, files)), validateConfig);
}
