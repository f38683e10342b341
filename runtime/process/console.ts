// Who gets a container process's terminal: the --console-socket listener
// (conmon, containerd's shim, recvtty), or the runtime itself in the
// foreground. runc's rules and wording for the combinations it refuses.
import { RuntimeError } from "../errors.ts";
import type { Process } from "../../spec/types.ts";
import { connectUnix } from "../linux/ffi.ts";
import type { TerminalPlan } from "./plan.ts";

export interface ConsoleSetup {
  plan?: TerminalPlan;
  /** Our connected end of the console socket, to hand to the stage. */
  socketFd?: number;
}

/** `childFd`: where the stage will find the console socket, if there is one. */
export function consoleSetup(proc: Process, socketPath: string, detach: boolean, childFd: number): ConsoleSetup {
  // The console socket is for a caller that detaches and takes the pty itself.
  if (socketPath && (!detach || !proc.terminal)) {
    throw new RuntimeError("USAGE", "cannot use console socket if runc will not detach or allocate tty");
  }
  if (!proc.terminal) return {};
  if (detach && !socketPath) {
    throw new RuntimeError("USAGE", "cannot allocate tty if runc will detach without setting console socket");
  }
  const size = { rows: proc.consoleSize?.height ?? 0, cols: proc.consoleSize?.width ?? 0 };
  const uid = proc.user?.uid ?? 0;
  if (!socketPath) return { plan: { via: -1, uid, ...size } };
  const socketFd = connectUnix(socketPath);
  return { plan: { via: childFd, uid, ...size }, socketFd };
}
