// The only module that touches bun:ffi. It exposes typed wrappers over the
// few libc calls Node's fs and process APIs do not offer; each failure
// becomes a SyscallError carrying the errno, and no pointer leaves this file.
import type { FFIFunction, Library, Pointer } from "bun:ffi";
import { SyscallError } from "../errors.ts";
import { errnoName, errnoMessage } from "./errno.ts";

type BunFfi = Pick<typeof import("bun:ffi"), "dlopen" | "ptr" | "read">;
let bunFfi: BunFfi | undefined;

// bun:ffi's module is a script wrapped around the engine's native FFI
// object, which Bun also keeps as Bun.FFI: its dlopen, ptr and read are
// the native functions themselves (the module's dlopen only turns a file:
// URL into a path first, which a library name never is). Loading the
// module would cost each command 0.4 M instructions and, worse, several
// of the 64 blocks of engine heap a process may allocate before the engine
// starts a thread that pre-touches memory for it; the native object costs
// none.
// The module stands in on a Bun without it.
function ffi(): BunFfi {
  bunFfi ??= (Bun as unknown as { FFI?: BunFfi }).FFI ?? (require("bun:ffi") as BunFfi);
  return bunFfi;
}

function dlopen<Fns extends Record<string, FFIFunction>>(name: string, symbols: Fns): Library<Fns> {
  return ffi().dlopen(name, symbols);
}

function ptr(view: NodeJS.TypedArray | DataView | ArrayBufferLike, byteOffset?: number): Pointer {
  return ffi().ptr(view, byteOffset);
}

// bun:ffi's type names (its FFIType values would need the module loaded).
const i32 = "i32";
const i64 = "i64";
const u32 = "u32";
const u64 = "u64";
const p = "ptr";
const cstring = "cstring";

// Two sets of libc functions, each bound when first used: binding costs
// each function a compiled stub, and the short commands (state, kill,
// start, delete, list) and the exit path need only the first set.
let lib: ReturnType<typeof open> | undefined;
let moreLib: ReturnType<typeof openMore> | undefined;

function open() {
  return dlopen("libc.so.6", {
    __errno_location: { args: [], returns: p },
    write: { args: [i32, p, u64], returns: i64 },
    close: { args: [i32], returns: i32 },
    poll: { args: [p, u64, i32], returns: i32 },
    kill: { args: [i32, i32], returns: i32 },
    umount2: { args: [cstring, i32], returns: i32 },
    open: { args: [cstring, i32, u32], returns: i32 },
    read: { args: [i32, p, u64], returns: i64 },
    readlink: { args: [cstring, p, u64], returns: i64 },
    fstat: { args: [i32, p], returns: i32 },
    lstat: { args: [cstring, p], returns: i32 },
    stat: { args: [cstring, p], returns: i32 },
    statfs: { args: [cstring, p], returns: i32 },
    rmdir: { args: [cstring], returns: i32 },
    unlink: { args: [cstring], returns: i32 },
    access: { args: [cstring, i32], returns: i32 },
    getdents64: { args: [i32, p, u64], returns: i64 },
    dup2: { args: [i32, i32], returns: i32 },
    chdir: { args: [cstring], returns: i32 },
    pthread_sigmask: { args: [i32, p, p], returns: i32 },
    dlsym: { args: [p, cstring], returns: p },
    clone: { args: [p, p, i32, p], returns: i32 },
  });
}

/** What only create, run, exec and the systemd client use. */
function openMore() {
  return dlopen("libc.so.6", {
    socketpair: { args: [i32, i32, i32, p], returns: i32 },
    memfd_create: { args: [cstring, u32], returns: i32 },
    fcntl: { args: [i32, i32, i32], returns: i32 },
    send: { args: [i32, p, u64, i32], returns: i64 },
    sendmsg: { args: [i32, p, i32], returns: i64 },
    recvmsg: { args: [i32, p, i32], returns: i64 },
    recv: { args: [i32, p, u64, i32], returns: i64 },
    socket: { args: [i32, i32, i32], returns: i32 },
    connect: { args: [i32, p, u32], returns: i32 },
    bind: { args: [i32, p, u32], returns: i32 },
    listen: { args: [i32, i32], returns: i32 },
    accept4: { args: [i32, p, p, i32], returns: i32 },
    mkfifo: { args: [cstring, u32], returns: i32 },
    ioctl: { args: [i32, u64, p], returns: i32 },
    mkdir: { args: [cstring, u32], returns: i32 },
    rename: { args: [cstring, cstring], returns: i32 },
    execv: { args: [cstring, p], returns: i32 },
    posix_spawn: { args: [p, cstring, p, p, p, p], returns: i32 },
    waitpid: { args: [i32, p, i32], returns: i32 },
  });
}

function libc() {
  lib ??= open();
  return lib.symbols;
}

function libcMore() {
  moreLib ??= openMore();
  return moreLib.symbols;
}

/** Whether libc is open already: what would open it only to save time had better not. */
export function libcIsOpen(): boolean {
  return lib !== undefined;
}

function errno(): number {
  return ffi().read.i32(libc().__errno_location() as Pointer, 0);
}

function fail(syscall: string, subject?: string): never {
  const e = errno();
  throw new SyscallError(syscall, e, errnoName(e), errnoMessage(e), subject);
}

const EINTR = 4;

/** Retry a call that failed with EINTR; throw on any other failure. */
function check(syscall: string, call: () => number | bigint, subject?: string): number {
  for (;;) {
    const r = Number(call());
    if (r >= 0) return r;
    if (errno() !== EINTR) fail(syscall, subject);
  }
}

const ENOENT = 2;

/**
 * As check, but a missing path is undefined: the short commands ask after
 * files that are often gone (a process's /proc entry, exec.fifo), and an
 * error object made only to be caught costs more than the call.
 */
function checkUnlessMissing(syscall: string, call: () => number | bigint, subject?: string): number | undefined {
  for (;;) {
    const r = Number(call());
    if (r >= 0) return r;
    const e = errno();
    if (e === ENOENT) return undefined;
    if (e !== EINTR) fail(syscall, subject);
  }
}

// TextEncoder rather than Buffer: Buffer's first use costs a short command
// more than the call it serves. Both are made on first use (--version and
// --help have no use for them), and once: each is an object of its own.
let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;

function encodeText(s: string): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(s);
}

/** UTF-8 bytes as text. */
export function decodeText(bytes: Uint8Array): string {
  decoder ??= new TextDecoder();
  return decoder.decode(bytes);
}

function cstr(s: string): Uint8Array {
  return encodeText(`${s}\0`);
}

const AF_UNIX = 1;
const SOCK_SEQPACKET = 5;
const SOCK_CLOEXEC = 0o2000000;

/** A connected pair of SOCK_SEQPACKET sockets, both close-on-exec. */
export function seqpacketPair(): [number, number] {
  const sv = new Int32Array(2);
  check("socketpair", () => libcMore().socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ptr(sv)));
  return [sv[0]!, sv[1]!];
}

const MFD_CLOEXEC = 1;
const MFD_ALLOW_SEALING = 2;
const F_ADD_SEALS = 1033;
const F_SEAL_SEAL = 1;
const F_SEAL_SHRINK = 2;
const F_SEAL_GROW = 4;
const F_SEAL_WRITE = 8;

/** An anonymous file holding `bytes`, sealed so nobody can change it again. */
export function sealedMemfd(name: string, bytes: Uint8Array): number {
  const fd = check("memfd_create", () => libcMore().memfd_create(cstr(name), MFD_CLOEXEC | MFD_ALLOW_SEALING));
  let off = 0;
  while (off < bytes.length) {
    const chunk = bytes.subarray(off);
    off += check("write", () => libc().write(fd, ptr(chunk), chunk.length), name);
  }
  const seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
  check("fcntl", () => libcMore().fcntl(fd, F_ADD_SEALS, seals), name);
  return fd;
}

const MSG_NOSIGNAL = 0x4000;

export function sendPacket(fd: number, data: Uint8Array): void {
  check("send", () => libcMore().send(fd, ptr(data), data.length, MSG_NOSIGNAL));
}

/** Writes all of `data` to a stream socket. */
export function sendAll(fd: number, data: Uint8Array): void {
  for (let off = 0; off < data.length; ) {
    const rest = data.subarray(off);
    off += check("send", () => libcMore().send(fd, ptr(rest), rest.length, MSG_NOSIGNAL));
  }
}

/** What a stream socket has to read, up to `max` bytes; empty at end of stream. */
export function recvSome(fd: number, max = 65536): Uint8Array {
  const buf = new Uint8Array(max);
  const n = check("recv", () => libcMore().recv(fd, ptr(buf), max, 0));
  return buf.subarray(0, n);
}

const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;

/** One packet and, when it carries one, the descriptor sent with it. */
export function recvPacketWithFd(fd: number, max = 8192): { data: Uint8Array; fd: number } {
  const buf = new Uint8Array(max);
  const iov = new BigUint64Array([BigInt(ptr(buf)), BigInt(max)]);
  const control = new BigUint64Array(4); // CMSG_SPACE(sizeof(int)) = 24 bytes, 8-aligned
  // struct msghdr: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad)
  const msg = new BigUint64Array([0n, 0n, BigInt(ptr(iov)), 1n, BigInt(ptr(control)), 24n, 0n]);
  const n = check("recvmsg", () => libcMore().recvmsg(fd, ptr(msg), MSG_CMSG_CLOEXEC));
  const ctrl = new DataView(control.buffer);
  const controllen = Number(msg[5]);
  let received = -1;
  // struct cmsghdr: len (u64), level (i32), type (i32), data
  if (controllen >= 20 && ctrl.getInt32(8, true) === SOL_SOCKET && ctrl.getInt32(12, true) === SCM_RIGHTS) {
    received = ctrl.getInt32(16, true);
  }
  return { data: buf.subarray(0, n), fd: received };
}

/** One message with a descriptor riding along (SCM_RIGHTS). */
export function sendWithFd(sock: number, data: Uint8Array, fd: number): void {
  const iov = new BigUint64Array([BigInt(ptr(data)), BigInt(data.length)]);
  const control = new BigUint64Array(3); // CMSG_SPACE(sizeof(int)) = 24
  const ctrl = new DataView(control.buffer);
  ctrl.setBigUint64(0, 20n, true); // CMSG_LEN(sizeof(int))
  ctrl.setInt32(8, SOL_SOCKET, true);
  ctrl.setInt32(12, SCM_RIGHTS, true);
  ctrl.setInt32(16, fd, true);
  const msg = new BigUint64Array([0n, 0n, BigInt(ptr(iov)), 1n, BigInt(ptr(control)), 24n, 0n]);
  check("sendmsg", () => libcMore().sendmsg(sock, ptr(msg), MSG_NOSIGNAL));
}

const MSG_CMSG_CLOEXEC = 0x40000000;
const SOCK_STREAM = 1;

function unixAddress(path: string, syscall: string): Uint8Array {
  const name = encodeText(path);
  if (name.length >= 108) throw new SyscallError(syscall, 36, "ENAMETOOLONG", "file name too long", path);
  const addr = new Uint8Array(2 + name.length + 1); // struct sockaddr_un, NUL-terminated path
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  addr.set(name, 2);
  return addr;
}

/** A stream socket, connected to (or listening at) the unix socket `path`. */
function unixSocket(path: string, syscall: "connect" | "bind", then?: (fd: number) => void): number {
  const addr = unixAddress(path, syscall);
  const fd = check("socket", () => libcMore().socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), path);
  try {
    check(syscall, () => libcMore()[syscall](fd, ptr(addr), addr.length), path);
    then?.(fd);
  } catch (e) {
    libc().close(fd);
    throw e;
  }
  return fd;
}

export function connectUnix(path: string): number {
  return unixSocket(path, "connect");
}

export function listenUnix(path: string): number {
  return unixSocket(path, "bind", (fd) => check("listen", () => libcMore().listen(fd, 1), path));
}

/** Blocking accept of one connection. */
export function acceptConnection(fd: number): number {
  return check("accept4", () => libcMore().accept4(fd, null, null, SOCK_CLOEXEC));
}

const MNT_DETACH = 2;

/** Lazily unmounts what is mounted at `path` (and everything below it). */
export function detachMount(path: string): void {
  check("umount2", () => libc().umount2(cstr(path), MNT_DETACH), path);
}

export function closeFd(fd: number): void {
  libc().close(fd);
}

const POLLIN = 1;

/** Wait up to `ms` for `fd` to be readable (or hung up); true if it is. */
export function pollReadable(fd: number, ms: number): boolean {
  const pfd = new Int32Array([fd, POLLIN]); // struct pollfd { int fd; short events, revents; }
  const n = check("poll", () => libc().poll(ptr(pfd), 1, ms));
  return n > 0;
}

/** kill(2); returns false for ESRCH so callers can word it themselves. */
export function sendSignal(pid: number, signal: number): boolean {
  if (libc().kill(pid, signal) === 0) return true;
  if (errno() === 3) return false;
  fail("kill", String(pid));
}

export function mkfifo(path: string, mode: number): void {
  check("mkfifo", () => libcMore().mkfifo(cstr(path), mode), path);
}


// --- Files -----------------------------------------------------------------
// What the start-up path and the short commands need of files. Loading
// node:fs costs each command about 2 ms before it does anything, and its
// process.stdout a further 8; these calls cost a few microseconds once libc
// is open.

const EAGAIN = 11;
const POLLOUT = 4;
const O_CLOEXEC = 0o2000000;

/** open(2); the descriptor, or a SyscallError naming the path. */
export function openFile(path: string, flags: number, mode = 0): number {
  return check("open", () => libc().open(cstr(path), flags | O_CLOEXEC, mode), path);
}

/** Everything left to read from fd, up to `limit` bytes (more is an E2BIG error). */
export function readToEnd(fd: number, limit = 64 * 1024 * 1024, subject?: string): Uint8Array {
  let buf = new Uint8Array(4096);
  let got = 0;
  for (;;) {
    if (got === buf.length) {
      if (buf.length >= limit) throw new SyscallError("read", 7, "E2BIG", "file too large", subject);
      const bigger = new Uint8Array(Math.min(buf.length * 4, limit));
      bigger.set(buf);
      buf = bigger;
    }
    const rest = buf.subarray(got);
    const n = check("read", () => libc().read(fd, ptr(rest), rest.length), subject);
    if (n === 0) return buf.subarray(0, got);
    got += n;
  }
}

/** The whole of a small file (/proc, /sys, a state file) as text. */
export function readTextFile(path: string): string {
  return readOpenText(openFile(path, 0), path);
}

/** readTextFile, or undefined when the file does not exist. */
export function readTextFileIfExists(path: string): string | undefined {
  const fd = checkUnlessMissing("open", () => libc().open(cstr(path), O_CLOEXEC, 0), path);
  return fd === undefined ? undefined : readOpenText(fd, path);
}

function readOpenText(fd: number, path: string): string {
  try {
    return decodeText(readToEnd(fd, undefined, path));
  } finally {
    libc().close(fd);
  }
}

/** Writes all of `data` to fd, waiting while a non-blocking fd is full. */
export function writeAll(fd: number, data: string | Uint8Array, subject?: string): void {
  const bytes = typeof data === "string" ? encodeText(data) : data;
  for (let off = 0; off < bytes.length; ) {
    const rest = bytes.subarray(off);
    const n = Number(libc().write(fd, ptr(rest), rest.length));
    if (n >= 0) {
      off += n;
      continue;
    }
    const e = errno();
    if (e === EINTR) continue;
    if (e !== EAGAIN) fail("write", subject);
    const pfd = new Int32Array([fd, POLLOUT]);
    check("poll", () => libc().poll(ptr(pfd), 1, -1));
  }
}

/** readlink(2) of a path, as text. */
export function readLink(path: string): string {
  const buf = new Uint8Array(4096);
  const n = check("readlink", () => libc().readlink(cstr(path), ptr(buf), buf.length), path);
  return decodeText(buf.subarray(0, n));
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

export type FileKind = "file" | "dir" | "link" | "fifo" | "other";

const KINDS: Record<number, FileKind> = { 0o100000: "file", 0o040000: "dir", 0o120000: "link", 0o010000: "fifo" };

// struct stat on x86-64, 144 bytes, read as 32-bit words: st_mode (u32)
// at byte 24, st_size (i64) at 48. Words rather than a BigInt64Array and a
// DataView: a short command's first use of either type costs it more heap
// than the call it serves.
const STAT_WORDS = 36;
// struct statfs on x86-64: 120 bytes; the magic numbers fit the low word.
const STATFS_WORDS = 30;

// One buffer each for struct stat and struct statfs, read out before the
// call returns: a command that checks a dozen paths would otherwise leave
// a few dozen arrays behind, and the engine's heap grows by whole blocks.
let statScratch: Uint32Array | undefined;
let statfsScratch: Uint32Array | undefined;

function statFields(st: Uint32Array): { kind: FileKind; regular: boolean; size: number } {
  const mode = st[6]! & S_IFMT;
  return { kind: KINDS[mode] ?? "other", regular: mode === S_IFREG, size: st[12]! + st[13]! * 2 ** 32 };
}

/** The type and size of an open file. */
export function fileStat(fd: number, subject?: string): { kind: FileKind; regular: boolean; size: number } {
  const st = (statScratch ??= new Uint32Array(STAT_WORDS));
  check("fstat", () => libc().fstat(fd, ptr(st)), subject);
  return statFields(st);
}

/** The type and size of what a path names, not following a final symbolic link. */
export function linkStat(path: string): { kind: FileKind; regular: boolean; size: number } {
  const st = (statScratch ??= new Uint32Array(STAT_WORDS));
  check("lstat", () => libc().lstat(cstr(path), ptr(st)), path);
  return statFields(st);
}

/** linkStat, or undefined when nothing is at path. */
export function linkStatIfExists(path: string): { kind: FileKind; regular: boolean; size: number } | undefined {
  const st = (statScratch ??= new Uint32Array(STAT_WORDS));
  return checkUnlessMissing("lstat", () => libc().lstat(cstr(path), ptr(st)), path) === undefined ? undefined : statFields(st);
}

/** The f_type of the file system holding path (struct statfs starts with it, an i64). */
export function fileSystemType(path: string): number {
  const st = (statfsScratch ??= new Uint32Array(STATFS_WORDS));
  check("statfs", () => libc().statfs(cstr(path), ptr(st)), path);
  return st[0]!;
}

/** What a path names, following links: its device, inode and file system type; undefined when nothing is there. */
export function pathIdentity(path: string): { dev: number; ino: number; fsType: number } | undefined {
  const st = (statScratch ??= new Uint32Array(STAT_WORDS));
  if (checkUnlessMissing("stat", () => libc().stat(cstr(path), ptr(st)), path) === undefined) return undefined;
  const fs = (statfsScratch ??= new Uint32Array(STATFS_WORDS));
  if (checkUnlessMissing("statfs", () => libc().statfs(cstr(path), ptr(fs)), path) === undefined) return undefined;
  // st_dev and st_ino are the first two u64 fields of struct stat.
  return { dev: st[0]! + st[1]! * 2 ** 32, ino: st[2]! + st[3]! * 2 ** 32, fsType: fs[0]! };
}

/** The type and size of what a path names, following symbolic links. */
export function pathStat(path: string): { kind: FileKind; regular: boolean; size: number } {
  const st = (statScratch ??= new Uint32Array(STAT_WORDS));
  check("stat", () => libc().stat(cstr(path), ptr(st)), path);
  return statFields(st);
}

export function makeDirectory(path: string, mode: number): void {
  check("mkdir", () => libcMore().mkdir(cstr(path), mode), path);
}

export function removeDirectory(path: string): void {
  check("rmdir", () => libc().rmdir(cstr(path)), path);
}

export function unlinkFile(path: string): void {
  check("unlink", () => libc().unlink(cstr(path)), path);
}

export function renamePath(from: string, to: string): void {
  check("rename", () => libcMore().rename(cstr(from), cstr(to)), to);
}

/** access(path, F_OK): whether the path exists (following links), as existsSync answers. */
export function pathExists(path: string): boolean {
  return libc().access(cstr(path), 0) === 0;
}

const O_DIRECTORY = 0o200000;
const DT_KINDS: Record<number, FileKind> = { 1: "fifo", 4: "dir", 8: "file", 10: "link" };

/** The entries of a directory but "." and "..", with the type the file system reports. */
export function directoryEntries(path: string): { name: string; kind: FileKind | "unknown" }[] {
  const fd = openFile(path, O_DIRECTORY);
  const out: { name: string; kind: FileKind | "unknown" }[] = [];
  const buf = new Uint8Array(32768);
  try {
    for (;;) {
      const n = check("getdents64", () => libc().getdents64(fd, ptr(buf), buf.length), path);
      if (n === 0) return out;
      // struct linux_dirent64: ino u64, off i64, reclen u16, type u8, name (NUL-terminated)
      for (let off = 0; off < n; ) {
        const reclen = buf[off + 16]! | (buf[off + 17]! << 8);
        const type = buf[off + 18]!;
        const nameStart = off + 19;
        let end = nameStart;
        while (buf[end] !== 0) end++;
        const name = decodeText(buf.subarray(nameStart, end));
        if (name !== "." && name !== "..") out.push({ name, kind: type === 0 ? "unknown" : (DT_KINDS[type] ?? "other") });
        off += reclen;
      }
    }
  } finally {
    libc().close(fd);
  }
}

const TIOCSWINSZ = 0x5414;

/** Set a terminal's window size (struct winsize: rows, cols, xpixel, ypixel). */
export function setWindowSize(fd: number, rows: number, cols: number): void {
  const ws = new Uint16Array([rows, cols, 0, 0]);
  check("ioctl", () => libcMore().ioctl(fd, TIOCSWINSZ, ptr(ws)));
}

// --- bpf(2): cgroup v2 device programs -----------------------------------
// glibc has no bpf() wrapper; syscall(2) reaches it by number.

let bpfLib: ReturnType<typeof openBpf> | undefined;

function openBpf() {
  return dlopen("libc.so.6", { syscall: { args: [i64, i64, p, u64], returns: i64 } });
}

const SYS_BPF: Partial<Record<string, number>> = { x64: 321, arm64: 280 };
const BPF_PROG_LOAD = 5;
const BPF_PROG_ATTACH = 8;
const BPF_PROG_TYPE_CGROUP_DEVICE = 15;
const BPF_CGROUP_DEVICE = 6;
const BPF_F_ALLOW_MULTI = 2;
// Larger than the fields used; the kernel wants the unused tail zeroed.
const BPF_ATTR_SIZE = 128;

function bpf(cmd: number, attr: Uint8Array): number {
  const nr = SYS_BPF[process.arch];
  if (nr === undefined) throw new SyscallError("bpf", 38, "ENOSYS", `not supported on ${process.arch}`);
  bpfLib ??= openBpf();
  const lib = bpfLib;
  return check("bpf", () => lib.symbols.syscall(nr, cmd, ptr(attr), BPF_ATTR_SIZE));
}

function progLoadAttr(insns: Uint8Array, license: Uint8Array, log?: Uint8Array): Uint8Array {
  const attr = new Uint8Array(BPF_ATTR_SIZE);
  const v = new DataView(attr.buffer);
  v.setUint32(0, BPF_PROG_TYPE_CGROUP_DEVICE, true);
  v.setUint32(4, insns.length / 8, true); // struct bpf_insn is 8 bytes
  v.setBigUint64(8, BigInt(ptr(insns)), true);
  v.setBigUint64(16, BigInt(ptr(license)), true);
  if (log !== undefined) {
    v.setUint32(24, 1, true); // log_level
    v.setUint32(28, log.length, true);
    v.setBigUint64(32, BigInt(ptr(log)), true);
  }
  return attr;
}

/**
 * Loads a BPF_PROG_TYPE_CGROUP_DEVICE program (struct bpf_insn bytes) and
 * returns its fd. A rejected program is loaded again with the verifier's log
 * on, and the log's last line goes into the error.
 */
export function bpfLoadCgroupDeviceProgram(insns: Uint8Array, license: string): number {
  const lic = cstr(license);
  try {
    return bpf(BPF_PROG_LOAD, progLoadAttr(insns, lic));
  } catch (e) {
    if (!(e instanceof SyscallError) || (e.errnoName !== "EINVAL" && e.errnoName !== "EACCES")) throw e;
    const log = new Uint8Array(65536);
    try {
      return bpf(BPF_PROG_LOAD, progLoadAttr(insns, lic, log));
    } catch {
      const text = new TextDecoder().decode(log).replace(/\0.*$/s, "").trim().split("\n").pop() ?? "";
      throw new SyscallError("bpf", e.errno, e.errnoName, `${errnoMessage(e.errno)}: ${text}`, "BPF_PROG_LOAD");
    }
  }
}

/** Attaches a device program to the cgroup v2 directory open at cgroupFd, next to any already there. */
export function bpfAttachCgroupDevice(cgroupFd: number, progFd: number): void {
  const attr = new Uint8Array(BPF_ATTR_SIZE);
  const v = new DataView(attr.buffer);
  v.setUint32(0, cgroupFd, true);
  v.setUint32(4, progFd, true);
  v.setUint32(8, BPF_CGROUP_DEVICE, true);
  v.setUint32(12, BPF_F_ALLOW_MULTI, true);
  bpf(BPF_PROG_ATTACH, attr);
}

// --- openat2(2): opening a file of a container's tree from outside ---------
// RESOLVE_IN_ROOT makes every "..", absolute symlink and magic link resolve
// as if dirfd were "/", so nothing in the container's tree can point the
// open at a host file; the check is the kernel's, not a racy walk of ours.

let openat2Lib: ReturnType<typeof openOpenat2> | undefined;

function openOpenat2() {
  return dlopen("libc.so.6", { syscall: { args: [i64, i32, p, p, u64], returns: i64 } });
}

const SYS_OPENAT2: Partial<Record<string, number>> = { x64: 437, arm64: 437 };
const RESOLVE_NO_MAGICLINKS = 0x02;
const RESOLVE_IN_ROOT = 0x10;

/** openat2(rootFd, path, flags) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS; returns the fd. */
export function openInRoot(rootFd: number, path: string, flags: number): number {
  const nr = SYS_OPENAT2[process.arch];
  if (nr === undefined) throw new SyscallError("openat2", 38, "ENOSYS", `not supported on ${process.arch}`);
  openat2Lib ??= openOpenat2();
  const lib = openat2Lib;
  // struct open_how { u64 flags; u64 mode; u64 resolve; }
  const how = new BigUint64Array([BigInt(flags), 0n, BigInt(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)]);
  const name = cstr(path);
  return check("openat2", () => lib.symbols.syscall(nr, rootFd, ptr(name), ptr(how), how.byteLength), path);
}

// --- open_tree(2): a copy of a mount tree, not attached anywhere ----------
// A bind source the container's user namespace cannot reach is copied here,
// with the runtime's rights, and the stage attaches the copy (move_mount):
// a detached tree may go into any mount namespace, a path from the host's
// namespace may not be bound into the container's.

let openTreeLib: ReturnType<typeof openOpenTree> | undefined;

function openOpenTree() {
  return dlopen("libc.so.6", { syscall: { args: [i64, i32, p, u32], returns: i64 } });
}

const SYS_OPEN_TREE: Partial<Record<string, number>> = { x64: 428, arm64: 428 };
const OPEN_TREE_CLONE = 1;
const AT_RECURSIVE = 0x8000;
const AT_FDCWD = -100;

/** A detached copy of the mount at `path` (and, when `recursive`, of those below it). */
export function cloneMountTree(path: string, recursive: boolean): number {
  const nr = SYS_OPEN_TREE[process.arch];
  if (nr === undefined) throw new SyscallError("open_tree", 38, "ENOSYS", `not supported on ${process.arch}`);
  openTreeLib ??= openOpenTree();
  const lib = openTreeLib;
  const name = cstr(path);
  const flags = OPEN_TREE_CLONE | SOCK_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
  return check("open_tree", () => lib.symbols.syscall(nr, AT_FDCWD, ptr(name), flags), path);
}

// --- Making a container: modes, owners, identities, pty reads --------------
// What create and run need beyond the file calls above: the mode and owner
// of the exec fifo it makes, whether two paths name the same file (a
// namespace given by path against the runtime's own), and one read at a
// time from a terminal's master. chmod and chown come from a handle of
// their own, opened on first use.

let modeLib: ReturnType<typeof openModeLib> | undefined;

function openModeLib() {
  return dlopen("libc.so.6", {
    chmod: { args: [cstring, u32], returns: i32 },
    chown: { args: [cstring, u32, u32], returns: i32 },
  });
}

/** chmod(2), following links as chmodSync does. */
export function changeMode(path: string, mode: number): void {
  modeLib ??= openModeLib();
  const lib = modeLib;
  check("chmod", () => lib.symbols.chmod(cstr(path), mode), path);
}

/** chown(2), following links as chownSync does. */
export function changeOwner(path: string, uid: number, gid: number): void {
  modeLib ??= openModeLib();
  const lib = modeLib;
  check("chown", () => lib.symbols.chown(cstr(path), uid, gid), path);
}

/** The device and inode of what a path names (following links): equal for the same file. */
export function fileIdentity(path: string): { dev: bigint; ino: bigint } {
  // struct stat on x86-64: st_dev (u64) at 0, st_ino (u64) at 8.
  const st = new BigInt64Array(18);
  check("stat", () => libc().stat(cstr(path), ptr(st)), path);
  return { dev: BigInt.asUintN(64, st[0]!), ino: BigInt.asUintN(64, st[1]!) };
}

/** One read(2) into `buf`: the number of bytes, 0 at end of file. */
export function readInto(fd: number, buf: Uint8Array): number {
  return check("read", () => libc().read(fd, ptr(buf), buf.length));
}

// --- Exit ------------------------------------------------------------------

/**
 * The descriptors open in this process (but the one listing them), from
 * /proc/self/fd: a small buffer and no text decoding, for the exit path.
 */
export function openFds(): number[] {
  const dir = openFile("/proc/self/fd", O_DIRECTORY);
  const buf = new Uint8Array(2048);
  const fds: number[] = [];
  try {
    for (;;) {
      const n = check("getdents64", () => libc().getdents64(dir, ptr(buf), buf.length), "/proc/self/fd");
      if (n === 0) return fds;
      // struct linux_dirent64: ino u64, off i64, reclen u16 (little-endian), type u8, name (NUL-terminated)
      for (let off = 0; off < n; off += buf[off + 16]! | (buf[off + 17]! << 8)) {
        let fd = 0;
        let at = off + 19;
        for (; buf[at]! >= 48 && buf[at]! <= 57; at++) fd = fd * 10 + buf[at]! - 48;
        if (at > off + 19 && buf[at] === 0 && fd !== dir) fds.push(fd);
      }
    }
  } finally {
    libc().close(dir);
  }
}

const S_IFCHR = 0o020000;
// One buffer for every descriptor of the exit path.
let statWords: Int32Array | undefined;

/**
 * What an open descriptor is, as far as exit.ts cares: an anonymous inode
 * (epoll, eventfd, pidfd: no file type), a terminal (a character device
 * of the pty slaves' majors 136-143, or of 4 and 5: tty, console), or else.
 */
export function descriptorClass(fd: number): "anonymous" | "terminal" | "other" {
  // struct stat on x86-64 as 32-bit words: st_mode at word 6, st_rdev's low word at 10.
  const st = (statWords ??= new Int32Array(36));
  check("fstat", () => libc().fstat(fd, ptr(st)), String(fd));
  const mode = st[6]! & S_IFMT;
  if (mode === 0) return "anonymous";
  const major = (st[10]! >>> 8) & 0xfff;
  if (mode === S_IFCHR && ((major >= 136 && major <= 143) || major === 4 || major === 5)) return "terminal";
  return "other";
}

/** dup2(2): `target` becomes another descriptor for what `source` is open on. */
export function replaceFd(source: number, target: number): void {
  check("dup2", () => libc().dup2(source, target), String(target));
}

export function changeDirectory(path: string): void {
  check("chdir", () => libc().chdir(cstr(path)), path);
}

const SIG_BLOCK = 0;
const CLONE_VM = 0x100;
const SIGCHLD = 17;
// The helper's stack, referenced until the process is gone.
let helperStack: Uint8Array | undefined;

/**
 * Starts a process that shares this one's memory and sleeps `micros`
 * microseconds on a stack of its own (libc's clone running usleep): while
 * it lives, this process's exit does not free the memory. Every signal is
 * blocked first, in this thread and so in the helper, which runs no code of
 * ours and must never run a handler. False when it could not be started.
 */
export function startMemoryHolder(micros: number): boolean {
  const c = libc();
  const usleep = c.dlsym(null, cstr("usleep"));
  if (usleep === null) return false;
  // One buffer: the signal set (1024 bits) first, the stack above it.
  helperStack = new Uint8Array(4096);
  helperStack.fill(0xff, 0, 128);
  c.pthread_sigmask(SIG_BLOCK, ptr(helperStack), null);
  const end = Number(ptr(helperStack)) + helperStack.length - 64;
  const top = end - (end % 16);
  return c.clone(usleep, top as Pointer, CLONE_VM | SIGCHLD, micros as Pointer) > 0;
}

// --- Handing the process over to another program ---------------------------
// A foreground run becomes the init stage's waiter (container/handoff.ts):
// the descriptors it passes must survive the exec, and the signals it
// forwards must wait, blocked, for the new program's handlers.

const F_SETFD = 2;
const SIG_UNBLOCK = 1;

/** Clears close-on-exec: the descriptor stays open across an exec. */
export function keepAcrossExec(fd: number): void {
  check("fcntl", () => libcMore().fcntl(fd, F_SETFD, 0), String(fd));
}

function signalSet(signals: readonly number[]): Uint8Array {
  const set = new Uint8Array(128); // sigset_t as glibc lays it out: 1024 bits
  for (const sig of signals) set[(sig - 1) >> 3]! |= 1 << ((sig - 1) & 7);
  return set;
}

/** Blocks (or unblocks) signals in this thread; an exec keeps the mask. */
export function blockSignals(signals: readonly number[], block = true): void {
  libc().pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, ptr(signalSet(signals)), null);
}

/** A NULL-terminated array of pointers to the strings' C copies, which
 * `keep` holds until the call that reads them is over. */
function stringArray(values: readonly string[], keep: Uint8Array[]): BigUint64Array {
  const pointers = new BigUint64Array(values.length + 1);
  values.forEach((value, i) => {
    const str = cstr(value);
    keep.push(str);
    pointers[i] = BigInt(ptr(str));
  });
  return pointers;
}

/**
 * posix_spawn(3): starts `path` with `argv` and an empty environment, and
 * returns its pid once it has been executed. The child inherits every
 * descriptor that is not close-on-exec. Nothing reaps it but waitChild.
 */
export function spawnProgram(path: string, argv: readonly string[]): number {
  const keep: Uint8Array[] = [];
  const args = stringArray(argv, keep);
  const env = new BigUint64Array(1);
  const pid = new Int32Array(1);
  const err = libcMore().posix_spawn(ptr(pid), cstr(path), null, null, ptr(args), ptr(env));
  if (err !== 0) throw new SyscallError("posix_spawn", err, errnoName(err), errnoMessage(err), path);
  return pid[0]!;
}

/** waitpid(2) for one child of this process, retried on EINTR; its wait status. */
export function waitChild(pid: number): number {
  const status = new Int32Array(1);
  for (;;) {
    if (libcMore().waitpid(pid, ptr(status), 0) === pid) return status[0]!;
    const e = errno();
    if (e !== EINTR) throw new SyscallError("waitpid", e, errnoName(e), errnoMessage(e), String(pid));
  }
}

/** execv(2): returns only if the exec failed, by throwing. */
export function execProgram(path: string, argv: readonly string[]): never {
  const keep: Uint8Array[] = [];
  libcMore().execv(cstr(path), ptr(stringArray(argv, keep)));
  fail("execv", path);
}
