// The only place the cgroup code touches the file system. Everything is
// synchronous on purpose: the runtime may call in from a thread that has
// joined other namespaces, and async fs work would run on a different thread
// (in different namespaces). Tests swap in their own CgroupFs to emulate what
// plain directories cannot, such as rmdir of a cgroup that still holds its
// control files.

import { listOfKind, makeDirectory, pathExists, readTextFile, removeDirectory, writeTextFile } from "../linux/files.ts";
import { pathIdentity } from "../linux/ffi.ts";
import { RuntimeError } from "../errors.ts";

export interface CgroupFs {
  read(path: string): string;
  write(path: string, data: string): void;
  /** Creates exactly one directory (not recursive). */
  mkdir(path: string): void;
  rmdir(path: string): void;
  /** Names of the child directories (child cgroups) of path. */
  subdirs(path: string): string[];
  /** Names of the files (control files) in path. */
  files(path: string): string[];
  exists(path: string): boolean;
  /** Device, inode and file system type of what path names (links followed); undefined when missing. */
  identify(path: string): FsIdentity | undefined;
}

export interface FsIdentity {
  dev: number;
  ino: number;
  /** statfs(2) f_type. */
  fsType: number;
}

export const nodeFs: CgroupFs = {
  read: (path) => readTextFile(path),
  // Plain O_WRONLY|O_TRUNC write: control files exist already, and each write
  // is a single write(2), which is what the kernel expects.
  write: (path, data) => writeTextFile(path, data),
  mkdir: (path) => makeDirectory(path, 0o755),
  rmdir: (path) => removeDirectory(path),
  subdirs: (path) => listOfKind(path, "dir"),
  files: (path) => listOfKind(path, "file"),
  exists: (path) => pathExists(path),
  identify: (path) => pathIdentity(path),
};

// strerror(3) texts for the errors cgroup file operations plausibly hit.
const strerror: Record<string, string> = {
  ENOENT: "no such file or directory",
  EEXIST: "file exists",
  ENOTDIR: "not a directory",
  ENOTEMPTY: "directory not empty",
  EBUSY: "device or resource busy",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EINVAL: "invalid argument",
  ESRCH: "no such process",
  ENODEV: "no such device",
  EOPNOTSUPP: "operation not supported",
  ENOTSUP: "operation not supported",
};

/** The errno name of a failed fs call ("ENOENT"), if it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `<op> <path>: <strerror>` as a CGROUP RuntimeError, keeping the cause. */
export function cgroupError(op: string, path: string, err: unknown): RuntimeError {
  const code = errnoOf(err);
  const reason = code === undefined ? String(err) : (strerror[code] ?? code.toLowerCase());
  return new RuntimeError("CGROUP", `${op} ${path}: ${reason}`, { cause: err });
}

/** Blocks the calling thread; callers are synchronous by design (see top). */
export function sleepMs(ms: number): void {
  Bun.sleepSync(ms);
}

/** Reads a control file, wrapping failures. */
export function readControl(fs: CgroupFs, path: string): string {
  try {
    return fs.read(path);
  } catch (err) {
    throw cgroupError("read", path, err);
  }
}

/** Reads a control file; undefined when it does not exist. */
export function readControlIfExists(fs: CgroupFs, path: string): string | undefined {
  try {
    return fs.read(path);
  } catch (err) {
    // ENODEV: the file exists but the controller behind it is gone.
    if (errnoOf(err) === "ENOENT" || errnoOf(err) === "ENODEV") return undefined;
    throw cgroupError("read", path, err);
  }
}

/** Writes a control file, wrapping failures. */
export function writeControl(fs: CgroupFs, path: string, data: string): void {
  try {
    fs.write(path, data);
  } catch (err) {
    throw cgroupError("write", path, err);
  }
}

/** Control files in dir; [] when the cgroup is gone. */
export function listFiles(fs: CgroupFs, dir: string): string[] {
  try {
    return fs.files(dir);
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return [];
    throw cgroupError("readdir", dir, err);
  }
}
