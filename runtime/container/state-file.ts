// Reading and writing the files of a container's state directory. The
// directory is opened without following a symbolic link and each file is
// opened through that directory's fd, again without following one: a file
// planted as a link to another container's state must not be taken for
// this container's.
import { closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { RuntimeError } from "../errors.ts";
import { fsErrorText } from "../linux/errno.ts";

const { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW, O_DIRECTORY } = constants;
const O_CLOEXEC = 0o2000000;

// State files are small; anything much larger is not one runb wrote.
const MAX_STATE_FILE = 16 * 1024 * 1024;

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code;

function damaged(message: string, cause?: unknown): RuntimeError {
  return new RuntimeError("STATE_DAMAGED", message, cause === undefined ? {} : { cause });
}

/** Opens the state directory; undefined when it does not exist. */
export function openStateDir(dir: string): number | undefined {
  try {
    return openSync(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  } catch (e) {
    if (codeOf(e) === "ENOENT") return undefined;
    // O_NOFOLLOW|O_DIRECTORY on a symbolic link fails with ELOOP or ENOTDIR.
    if (codeOf(e) === "ELOOP" || codeOf(e) === "ENOTDIR") throw damaged(`${dir} is not a directory (a symbolic link?)`, e);
    throw damaged(fsErrorText("open", dir, e), e);
  }
}

function readAll(fd: number, path: string): string {
  const st = fstatSync(fd);
  if (!st.isFile()) throw damaged(`${path} is not a regular file`);
  if (st.size > MAX_STATE_FILE) throw damaged(`${path} is too large (${st.size} bytes)`);
  const buf = Buffer.alloc(st.size);
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got).toString("utf8");
}

/** The text of `name` in the directory open as dirFd; undefined when it does not exist. */
export function readStateFile(dirFd: number, dir: string, name: string): string | undefined {
  const path = `${dir}/${name}`;
  let fd: number;
  try {
    fd = openSync(`/proc/self/fd/${dirFd}/${name}`, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  } catch (e) {
    if (codeOf(e) === "ENOENT") return undefined;
    if (codeOf(e) === "ELOOP") throw damaged(`${path} is a symbolic link`, e);
    throw damaged(fsErrorText("open", path, e), e);
  }
  try {
    return readAll(fd, path);
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    throw damaged(fsErrorText("read", path, e), e);
  } finally {
    closeSync(fd);
  }
}

/** Writes `name` in dir atomically (temp file + rename), naming the path on failure. */
export function writeStateFile(dir: string, name: string, text: string): void {
  const tmp = `${dir}/.${name}.${process.pid}`;
  const target = `${dir}/${name}`;
  let fd: number;
  try {
    fd = openSync(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600);
  } catch (e) {
    throw new RuntimeError("SYSCALL", fsErrorText("open", tmp, e), { cause: e });
  }
  try {
    try {
      const bytes = Buffer.from(text);
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new RuntimeError("SYSCALL", fsErrorText("write", tmp, e), { cause: e });
  }
  try {
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new RuntimeError("SYSCALL", fsErrorText("rename", target, e), { cause: e });
  }
}
