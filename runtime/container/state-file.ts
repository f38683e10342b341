// Reading and writing the files of a container's state directory. The
// directory is opened without following a symbolic link and each file is
// opened through that directory's fd, again without following one: a file
// planted as a link to another container's state must not be taken for
// this container's.
import { closeFd, decodeText, fileStat, openFile, readToEnd, writeAll } from "../linux/ffi.ts";
import { renamePath, unlinkFile } from "../linux/files.ts";
import { RuntimeError } from "../errors.ts";
import { fsErrorText } from "../linux/errno.ts";

const O_RDONLY = 0;
const O_WRONLY = 0o1;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_NOFOLLOW = 0o400000;
const O_DIRECTORY = 0o200000;

// State files are small; anything much larger is not one runb wrote.
const MAX_STATE_FILE = 16 * 1024 * 1024;

const codeOf = (e: unknown) => (e as { code?: string } | null)?.code;

function damaged(message: string, cause?: unknown): RuntimeError {
  return new RuntimeError("STATE_DAMAGED", message, cause === undefined ? {} : { cause });
}

/** Opens the state directory; undefined when it does not exist. */
export function openStateDir(dir: string): number | undefined {
  try {
    return openFile(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (e) {
    if (codeOf(e) === "ENOENT") return undefined;
    // O_NOFOLLOW|O_DIRECTORY on a symbolic link fails with ELOOP or ENOTDIR.
    if (codeOf(e) === "ELOOP" || codeOf(e) === "ENOTDIR") throw damaged(`${dir} is not a directory (a symbolic link?)`, e);
    throw damaged(fsErrorText("open", dir, e), e);
  }
}

function readAll(fd: number, path: string): string {
  const st = fileStat(fd, path);
  if (!st.regular) throw damaged(`${path} is not a regular file`);
  if (st.size > MAX_STATE_FILE) throw damaged(`${path} is too large (${st.size} bytes)`);
  return decodeText(readToEnd(fd, MAX_STATE_FILE, path));
}

/** The text of `name` in the directory open as dirFd; undefined when it does not exist. */
export function readStateFile(dirFd: number, dir: string, name: string): string | undefined {
  const path = `${dir}/${name}`;
  let fd: number;
  try {
    fd = openFile(`/proc/self/fd/${dirFd}/${name}`, O_RDONLY | O_NOFOLLOW);
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
    closeFd(fd);
  }
}

/** Writes `name` in dir atomically (temp file + rename), naming the path on failure. */
export function writeStateFile(dir: string, name: string, text: string): void {
  const tmp = `${dir}/.${name}.${process.pid}`;
  const target = `${dir}/${name}`;
  let fd: number;
  try {
    fd = openFile(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600);
  } catch (e) {
    throw new RuntimeError("SYSCALL", fsErrorText("open", tmp, e), { cause: e });
  }
  try {
    try {
      writeAll(fd, text, tmp);
    } finally {
      closeFd(fd);
    }
  } catch (e) {
    removeQuietly(tmp);
    throw new RuntimeError("SYSCALL", fsErrorText("write", tmp, e), { cause: e });
  }
  try {
    renamePath(tmp, target);
  } catch (e) {
    removeQuietly(tmp);
    throw new RuntimeError("SYSCALL", fsErrorText("rename", target, e), { cause: e });
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkFile(path);
  } catch {
    // gone already, or the error being reported says more
  }
}
