// The conversation between the runtime and the C stage (native/stub.c),
// over one SOCK_SEQPACKET socket pair:
//
//   runtime                         stub (parent, then the container's init)
//   plan ------------------------>  runs steps in order
//                                   [unshare user ns]
//          <------------------ sync "userns"    write uid/gid maps
//   ack  ------------------------>
//                                   fork: the parent reports the child's pid
//          <------------------ pid              and exits (or waits, in `run`)
//                                   child: sync "cgroup"
//          <------------------ sync "cgroup"    place pid in cgroups
//   ack  ------------------------>
//                                   mounts, pivot_root, credentials ...
//          <------------------ ready            create returns
//                                   blocks opening exec.fifo until `start`
//
// Any step that fails sends `error (step, errno, detail)` and exits. The
// numbers below mirror native/ops.h; a unit test keeps them equal.

import { RuntimeError } from "../errors.ts";

export const Op = {
  SETNS: 1,
  UNSHARE: 2,
  SYNC: 3,
  FORK: 4,
  SETSID: 5,
  MOUNT: 6,
  UMOUNT: 7,
  MKDIR_P: 8,
  TOUCH: 9,
  MKNOD: 10,
  ROOT_FD: 11,
  HOLDER_PRIVATE: 12,
  SYMLINK: 13,
  WRITE_PROC: 14,
  EXEC_FIFO_FD: 15,
  PIVOT_ROOT: 16,
  MOVE_CHROOT: 17,
  CHDIR: 18,
  SETHOSTNAME: 19,
  SETDOMAINNAME: 20,
  SETRLIMIT: 21,
  UMASK: 22,
  KEEP_CAPS: 23,
  SETGROUPS: 24,
  SETGID: 25,
  SETUID: 26,
  CAPS_BOUNDING: 27,
  CAPS_SET: 28,
  CAPS_AMBIENT: 29,
  NO_NEW_PRIVS: 30,
  SECCOMP: 31,
  KEYRING: 32,
  PERSONALITY: 33,
  RESOLVE_EXEC: 34,
  READY: 35,
  WAIT_EXEC_FIFO: 36,
  CLOSE_SOCKET: 37,
  EXEC: 38,
  MASK_PATH: 39,
  READONLY_PATH: 40,
  SETUP_TTY: 41,
  IOPRIO: 42,
  SCHED_SETATTR: 43,
  REMOUNT_RO: 44,
  MOUNT_SETATTR: 45,
  CHROOT: 46,
  CLOEXEC: 47,
  ATTACH_TREE: 48,
} as const;
/** How a MOUNT step treats its target (MOUNT_* in ops.h). */
export const MountHow = {
  /** A host path, used as it is (the root's own propagation and bind). */
  HOST: 0,
  /** Resolved inside the rootfs when the step runs. */
  IN_ROOT: 1,
  /** May resolve into procfs (the few /proc files runc allows). */
  PROC_OK: 2,
  /** No symlinks on the way, and a directory (/proc, /sys). */
  PLAIN_DIR: 4,
  /** A tmpfs without mode=: give it the mode of the directory it covers. */
  KEEP_MODE: 8,
} as const;

export type OpCode = (typeof Op)[keyof typeof Op];

export const Msg = { PID: 1, SYNC: 2, ERROR: 3, READY: 4, TTY: 5, SECCOMP: 6 } as const;
export const MSG_ACK = 1;

/** One argument of a step: a string (sent NUL-terminated; null → NULL),
 * a number (u64), or raw bytes. */
export type Arg = string | null | number | bigint | Uint8Array;

export interface Step {
  op: OpCode;
  args: Arg[];
  /** What the step does, in words, for error messages. */
  what: string;
}

export type StubMessage =
  | { type: "pid"; pid: number; bornInCgroup: boolean }
  | { type: "sync"; step: number; tag: string }
  | { type: "error"; step: number; errno: number; detail: string }
  | { type: "ready"; step: number }
  | { type: "tty"; name: string; fd: number }
  | { type: "seccomp"; fd: number }
  | { type: "eof" };

const encoder = new TextEncoder();

// One function with plain loops, no helper per value: a helper called a few
// hundred times gets compiled by the engine's optimising tier, which costs
// more than the whole encoding.
/** Serialise steps in the layout stub.c parses. */
export function encodePlan(steps: readonly Step[]): Uint8Array {
  // Room enough: UTF-8 takes at most 3 bytes per UTF-16 unit.
  let room = 4;
  for (const s of steps) {
    room += 8;
    for (const a of s.args) {
      if (typeof a === "string") {
        // The stage reads strings up to the first NUL: one inside would
        // silently cut a path or a value short.
        if (a.includes("\0")) throw new RuntimeError("INVALID_CONFIG", `${s.what}: ${JSON.stringify(a)} contains a NUL byte`);
        room += 4 + a.length * 3 + 1;
      } else room += 4 + (a instanceof Uint8Array ? a.length : 8);
    }
  }
  const out = new Uint8Array(room);
  const view = new DataView(out.buffer);
  view.setUint32(0, steps.length, true);
  let off = 4;
  for (const s of steps) {
    view.setUint32(off, s.op, true);
    view.setUint32(off + 4, s.args.length, true);
    off += 8;
    for (const a of s.args) {
      if (a === null) {
        view.setUint32(off, 1, true);
        off += 5; // a lone NUL: the buffer starts zeroed
      } else if (typeof a === "string") {
        const { written } = encoder.encodeInto(a, out.subarray(off + 4));
        view.setUint32(off, written + 1, true);
        off += 4 + written + 1;
      } else if (a instanceof Uint8Array) {
        view.setUint32(off, a.length, true);
        out.set(a, off + 4);
        off += 4 + a.length;
      } else {
        view.setUint32(off, 8, true);
        if (typeof a === "number" && Number.isSafeInteger(a)) {
          // Two's complement in two halves, without a BigInt per number.
          view.setUint32(off + 4, a >>> 0, true);
          view.setUint32(off + 8, Math.floor(a / 2 ** 32) >>> 0, true);
        } else {
          view.setBigUint64(off + 4, BigInt.asUintN(64, BigInt(a)), true);
        }
        off += 12;
      }
    }
  }
  return out.slice(0, off);
}

/** Packets of at most this size fit a socket buffer of the default size. */
export const PLAN_CHUNK = 64 * 1024;

/** The plan as the stage reads it: its size (u32), then the bytes in
 * packets, so that a plan larger than one packet may be sent. */
export function planPackets(plan: Uint8Array): Uint8Array[] {
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, plan.length, true);
  const out: Uint8Array[] = [size];
  for (let off = 0; off < plan.length; off += PLAN_CHUNK) out.push(plan.slice(off, off + PLAN_CHUNK));
  return out;
}

/** `fd`: a descriptor that came with the packet (SCM_RIGHTS), if any. */
export function decodeMessage(bytes: Uint8Array, fd = -1): StubMessage {
  if (bytes.length === 0) return { type: "eof" };
  if (bytes.length < 12) throw new Error(`short message from the init stage (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint32(0, true);
  const a = view.getInt32(4, true);
  const b = view.getInt32(8, true);
  const text = new TextDecoder().decode(bytes.subarray(12));
  switch (type) {
    case Msg.PID:
      return { type: "pid", pid: a, bornInCgroup: b === 1 };
    case Msg.SYNC:
      return { type: "sync", step: a, tag: text };
    case Msg.ERROR:
      return { type: "error", step: a, errno: b, detail: text };
    case Msg.READY:
      return { type: "ready", step: a };
    case Msg.TTY:
      if (fd < 0) throw new Error("terminal message without a file descriptor");
      return { type: "tty", name: text, fd };
    case Msg.SECCOMP:
      if (fd < 0) throw new Error("seccomp listener message without a file descriptor");
      return { type: "seccomp", fd };
    default:
      throw new Error(`unknown message type ${type} from the init stage`);
  }
}

export function ackMessage(): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, MSG_ACK, true);
  return b;
}
