// HOME for a process whose env has none (or an empty one), as runc sets it:
// the home directory of the process's uid in the container's /etc/passwd,
// "/" when there is no such entry or no such file. The file is opened
// inside the container's tree by the kernel (openat2 RESOLVE_IN_ROOT), so a
// symlinked /etc/passwd in an image cannot make the runtime read host files.
import type { Mount, Process, Spec } from "../../spec/types.ts";
import { closeFd, fileStat, openFile, openInRoot, readInto } from "../linux/ffi.ts";

const O_RDONLY = 0;
const O_NOCTTY = 0o400;
const O_NONBLOCK = 0o4000;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;

// Bounds what a hostile image can make the runtime read.
const MAX_PASSWD = 4 << 20;

/** The home field of uid's line in a passwd text; the first match wins, as in runc. */
export function passwdHome(text: string, uid: number): string | undefined {
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length < 6 || f[2] !== String(uid)) continue;
    return f[5] || undefined;
  }
  return undefined;
}

/** The process as it will run: its env with HOME added when it has no (non-empty) HOME. */
export function withHome(proc: Process, home: () => string): Process {
  const env = proc.env ?? [];
  const i = env.findLastIndex((e) => e.startsWith("HOME="));
  if (i >= 0 && env[i] !== "HOME=") return proc;
  const rest = env.filter((e) => e !== "HOME=");
  return { ...proc, env: [...rest, `HOME=${home()}`] };
}

function readBounded(fd: number): string | undefined {
  const st = fileStat(fd);
  if (!st.regular) return undefined;
  const buf = new Uint8Array(Math.min(st.size, MAX_PASSWD));
  let n = 0;
  while (n < buf.length) {
    const got = readInto(fd, buf.subarray(n));
    if (got === 0) break;
    n += got;
  }
  return new TextDecoder().decode(buf.subarray(0, n));
}

/** Reads /etc/passwd of the tree at `root` (a rootfs, or /proc/PID/root); undefined if it cannot. */
export function readPasswdInRoot(root: string): string | undefined {
  let rootFd: number | undefined;
  let fd: number | undefined;
  try {
    rootFd = openFile(root, O_RDONLY | O_DIRECTORY);
    // Non-blocking: a FIFO in its place must not hang the runtime.
    fd = openInRoot(rootFd, "etc/passwd", O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    return readBounded(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeFd(fd);
    if (rootFd !== undefined) closeFd(rootFd);
  }
}

/**
 * A container about to be created has not made its mounts yet: a bind mount
 * onto /etc/passwd (as some engines add) is read at its source, on the host
 * side, where the config put it; otherwise the rootfs's own file.
 */
export function homeAtCreate(rootfs: string, mounts: readonly Mount[] | undefined, uid: number): string {
  const bind = mounts?.findLast((m) => m.destination.replace(/\/+$/, "") === "/etc/passwd");
  let text: string | undefined;
  if (bind?.source && (bind.type === "bind" || bind.options?.some((o) => o === "bind" || o === "rbind"))) {
    text = readHostFile(bind.source);
  } else {
    text = readPasswdInRoot(rootfs);
  }
  return (text === undefined ? undefined : passwdHome(text, uid)) ?? "/";
}

/** The config with HOME in its process's env, for a container about to be created. */
export function specWithHome(spec: Spec, rootfs: string): Spec {
  const proc = spec.process;
  if (!proc) return spec;
  const withIt = withHome(proc, () => homeAtCreate(rootfs, spec.mounts, proc.user?.uid ?? 0));
  return withIt === proc ? spec : { ...spec, process: withIt };
}

/** For exec: the running container's own view, mounts included. */
export function homeInContainer(initPid: number, uid: number): string {
  const text = readPasswdInRoot(`/proc/${initPid}/root`);
  return (text === undefined ? undefined : passwdHome(text, uid)) ?? "/";
}

function readHostFile(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openFile(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    return readBounded(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeFd(fd);
  }
}
