// Synchronous file calls for what every command does (state files, /proc,
// cgroup control files), over libc. Node's fs would do as well, but loading
// node:fs costs each command about 2 ms before it does anything; these
// calls cost microseconds once libc is open. Failures are SyscallErrors,
// whose `code` is the errno name as with Node's fs errors.
import { SyscallError } from "../errors.ts";
import {
  closeFd,
  directoryEntries,
  linkStat,
  linkStatIfExists,
  makeDirectory,
  openFile,
  pathExists,
  pathStat,
  readTextFile,
  readTextFileIfExists,
  removeDirectory,
  renamePath,
  unlinkFile,
  writeAll,
  type FileKind,
} from "./ffi.ts";

export { linkStat, linkStatIfExists, pathExists, readTextFile, readTextFileIfExists, renamePath, unlinkFile, type FileKind };

const O_WRONLY = 0o1;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;

const codeOf = (e: unknown) => (e instanceof SyscallError ? e.errnoName : undefined);

/** Replaces a file's content (created with `mode` when missing), as writeFileSync does. */
export function writeTextFile(path: string, data: string, mode = 0o644): void {
  const fd = openFile(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  try {
    writeAll(fd, data, path);
  } finally {
    closeFd(fd);
  }
}

// Plain loops: the short commands list directories, and an array method's
// first use in a process costs more than the listing (see cli/flags.ts).

/** Names in a directory, "." and ".." left out. */
export function listNames(path: string): string[] {
  const names: string[] = [];
  for (const e of directoryEntries(path)) names.push(e.name);
  return names;
}

/** Child entries of a kind; an entry whose type the file system does not report is looked up. */
export function listOfKind(path: string, kind: FileKind): string[] {
  const names: string[] = [];
  for (const e of directoryEntries(path)) {
    if ((e.kind === "unknown" ? kindOf(`${path}/${e.name}`) : e.kind) === kind) names.push(e.name);
  }
  return names;
}

function kindOf(path: string, follow = false): FileKind | undefined {
  try {
    return (follow ? pathStat(path) : linkStat(path)).kind;
  } catch {
    return undefined;
  }
}

/** mkdir -p: the missing directories of path, each with `mode`. */
export function makeDirectories(path: string, mode: number): void {
  try {
    makeDirectory(path, mode);
    return;
  } catch (e) {
    if (codeOf(e) === "EEXIST" && kindOf(path, true) === "dir") return;
    if (codeOf(e) !== "ENOENT") throw e;
  }
  const parent = path.replace(/\/+[^/]*\/*$/, "");
  if (parent !== "" && parent !== path) makeDirectories(parent, mode);
  try {
    makeDirectory(path, mode);
  } catch (e) {
    if (!(codeOf(e) === "EEXIST" && kindOf(path, true) === "dir")) throw e;
  }
}

export { makeDirectory, removeDirectory };

/** rm -rf without following links: what is missing already is no error. */
export function removeTree(path: string): void {
  let kind: FileKind;
  try {
    kind = linkStat(path).kind;
  } catch (e) {
    if (codeOf(e) === "ENOENT") return;
    throw e;
  }
  if (kind !== "dir") {
    unlinkMissingOk(path);
    return;
  }
  for (const name of listNames(path)) removeTree(`${path}/${name}`);
  try {
    removeDirectory(path);
  } catch (e) {
    if (codeOf(e) !== "ENOENT") throw e;
  }
}

function unlinkMissingOk(path: string): void {
  try {
    unlinkFile(path);
  } catch (e) {
    if (codeOf(e) !== "ENOENT") throw e;
  }
}
