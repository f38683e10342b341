// The runtime's side of SCMP_ACT_NOTIFY: the stage loads a filter that
// makes a listener, sends the listener here, and this hands it on to the
// supervisor at linux.seccomp.listenerPath with the container process
// state (runtime-spec's containerProcessState), as one message carrying
// the descriptor.
import { RuntimeError } from "../errors.ts";
import type { LinuxSeccomp } from "../../spec/types.ts";
import { closeFd, connectUnix, sendWithFd } from "../linux/ffi.ts";
import { goJson, hookState, type HookState } from "../../hooks/state.ts";

export const SECCOMP_FD_NAME = "seccompFd";

/** The document the supervisor reads. */
export function processStateDocument(seccomp: LinuxSeccomp, pid: number, state: HookState): string {
  return goJson({
    ociVersion: state.ociVersion,
    fds: [SECCOMP_FD_NAME],
    pid,
    metadata: seccomp.listenerMetadata ?? "",
    state: hookState(state),
  });
}

/** Hands the listener `fd` to the supervisor; always closes it. */
export function sendSeccompListener(seccomp: LinuxSeccomp | undefined, fd: number, pid: number, state: HookState): void {
  try {
    const path = seccomp?.listenerPath;
    if (!seccomp || !path) throw new RuntimeError("INVALID_CONFIG", "seccomp: a notify listener without linux.seccomp.listenerPath");
    let sock: number;
    try {
      sock = connectUnix(path);
    } catch (e) {
      throw new RuntimeError("SYSCALL", `cannot connect to the seccomp agent at ${path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      sendWithFd(sock, Buffer.from(processStateDocument(seccomp, pid, state)), fd);
    } finally {
      closeFd(sock);
    }
  } finally {
    closeFd(fd);
  }
}
