// The runtime's side of the conversation with the init stage: spawn it,
// send the plan, answer its sync points, and turn its report into either a
// running (blocked) container process or a precise error.
import type { Subprocess } from "bun";
import { RuntimeError, SyscallError } from "../errors.ts";
import { closeFd, recvPacketWithFd, sendPacket, seqpacketPair } from "../linux/ffi.ts";
import { errnoMessage, errnoName } from "../linux/errno.ts";
import { ackMessage, decodeMessage, encodePlan, planPackets, type Step, type StubMessage } from "./protocol.ts";
import { stubImage, takeStubMemfd } from "./stub.ts";
import { mark } from "../timing.ts";

export interface SyncContext {
  stubPid: number;
  /** The container process, once forked. */
  pid: number | undefined;
  /** It was born in the cgroup the plan's fork named (clone3 into a cgroup). */
  bornInCgroup: boolean;
}

export interface SyncHandlers {
  /** Called at each sync point; `pid` is the container process once forked. */
  onSync(tag: string, ctx: SyncContext): void;
  /** Called as soon as the container's process exists (for cleanup). */
  onPid?(pid: number): void;
  /** The terminal's master, when the plan sends it to the runtime. */
  onTerminal?(fd: number, name: string): void;
  /** A seccomp notify listener, for the supervisor at listenerPath; `pid`
   * is the process whose filter it is. The handler owns the fd. */
  onSeccompListener?(fd: number, pid: number | undefined): void;
}

export interface LaunchedInit {
  pid: number;
  /** The stage's first process: exits after the fork, or, in the
   * foreground, when the container does, with its status. */
  stub: Subprocess;
}

export interface LaunchOptions {
  /** Extra fds passed through as 3..3+n-1. */
  preserveFds: number;
  /** More fds for the stage, after its runtime socket: see passedFd(). */
  passFds?: number[];
}

/** Where the stage finds its socket to the runtime, after the preserved fds. */
export function runtimeSocketFd(preserveFds: number): number {
  return 3 + preserveFds;
}

/** Where the stage finds passFds[index]: right after its runtime socket. */
export function passedFd(preserveFds: number, index: number): number {
  return 4 + preserveFds + index;
}

/** What a failed step means to a user; runc's wording where callers match it. */
export function stepError(steps: readonly Step[], msg: Extract<StubMessage, { type: "error" }>): RuntimeError {
  const s = steps[msg.step];
  const cause = new SyscallError(s ? stepSyscall(s) : "init", msg.errno, errnoName(msg.errno), errnoMessage(msg.errno), msg.detail);
  if (s?.what === "find the executable") {
    const name = msg.detail;
    if (msg.errno === 2) {
      const text = name.includes("/")
        ? `exec: "${name}": stat ${name}: no such file or directory`
        : `exec: "${name}": executable file not found in $PATH`;
      return new RuntimeError("EXEC_NOT_FOUND", `unable to start container process: ${text}`, { cause });
    }
    if (msg.errno === 13) {
      return new RuntimeError("EXEC_DENIED", `unable to start container process: exec: "${name}": permission denied`, { cause });
    }
  }
  const what = s?.what ?? `step ${msg.step}`;
  return new RuntimeError("SYSCALL", `unable to start container process: ${failureText(what, msg.detail, msg.errno)}`, { cause });
}

const squeeze = (text: string) => text.replace(/\s+/g, "");

/**
 * `<what>[: <detail>]: <strerror>`; the detail (a path or the call that
 * failed) only when the step's own words do not say it already, so a
 * message never reads "mask /proc/keys: mask /proc/keys: ...".
 */
export function failureText(what: string, detail: string, errno: number): string {
  const said = detail === "" || squeeze(what).includes(squeeze(detail));
  return `${what}${said ? "" : `: ${detail}`}: ${errnoMessage(errno)}`;
}

function stepSyscall(s: Step): string {
  return s.what.split(" ")[0] ?? "init";
}

/** Spawn the stage and drive it until it reports ready. */
export async function launchInit(steps: readonly Step[], handlers: SyncHandlers, opts: LaunchOptions): Promise<LaunchedInit> {
  const stage = await stubImage();
  const [ours, theirs] = seqpacketPair();
  const memfd = takeStubMemfd(stage);
  const extra = Array.from({ length: opts.preserveFds }, (_, i) => 3 + i);
  let stub: Subprocess;
  try {
    mark("init stage image ready");
    stub = Bun.spawn([`/proc/${process.pid}/fd/${memfd}`, String(runtimeSocketFd(opts.preserveFds))], {
      argv0: "runb-init",
      stdio: ["inherit", "inherit", "inherit", ...extra, theirs, ...(opts.passFds ?? [])],
    });
  } finally {
    // Once the stage (and its child) hold the other end, EOF on ours means
    // they are gone: no read below can hang on a dead stage.
    closeFd(theirs);
    closeFd(memfd);
  }
  mark("init stage spawned");
  let pid: number;
  try {
    for (const packet of planPackets(encodePlan(steps))) sendPacket(ours, packet);
    pid = converse(ours, steps, stub.pid, handlers);
  } catch (e) {
    // Reaped before the error is reported, so nothing is left behind.
    stub.kill(9);
    closeFd(ours);
    await stub.exited;
    throw e;
  }
  closeFd(ours);
  return { pid, stub };
}

function converse(fd: number, steps: readonly Step[], stubPid: number, handlers: SyncHandlers): number {
  let pid: number | undefined;
  let bornInCgroup = false;
  for (;;) {
    const packet = recvPacketWithFd(fd);
    const msg = decodeMessage(packet.data, packet.fd);
    switch (msg.type) {
      case "pid":
        mark("init stage forked");
        pid = msg.pid;
        bornInCgroup = msg.bornInCgroup;
        handlers.onPid?.(pid);
        break;
      case "sync":
        mark(`init stage at sync point ${msg.tag}`);
        handlers.onSync(msg.tag, { stubPid, pid, bornInCgroup });
        mark(`outside work for ${msg.tag} done`);
        sendPacket(fd, ackMessage());
        break;
      case "error":
        throw stepError(steps, msg);
      case "seccomp":
        if (handlers.onSeccompListener) handlers.onSeccompListener(msg.fd, pid);
        else closeFd(msg.fd);
        break;
      case "tty":
        if (handlers.onTerminal) handlers.onTerminal(msg.fd, msg.name);
        else closeFd(msg.fd);
        break;
      case "ready":
        if (pid === undefined) throw new RuntimeError("INTERNAL", "init stage was ready before it forked");
        return pid;
      case "eof":
        throw new RuntimeError("INTERNAL", "container init exited before it was ready");
    }
  }
}
