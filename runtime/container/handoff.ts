// A foreground `run` whose container keeps running hands its process over
// to the init stage's waiter (the stub's `wait` mode, native/wait.c): an
// exec in place, so the pid whoever started `run` waits on and signals
// stays the same, while the process holds under a hundred KiB instead of the
// engine's tens of MiB for as long as the container runs. The waiter
// forwards the same signals, waits for the container, has the runtime
// delete it (unless --keep) and exits with the container's status.
import { blockSignals, closeFd, execProgram, keepAcrossExec, openFile } from "../linux/ffi.ts";
import { log } from "../log.ts";
import { stubImage, stubMemfd } from "../process/stub.ts";
import { forwardedSignals } from "./signals.ts";
import { containerDir } from "./state.ts";

export interface HandOff {
  root: string;
  id: string;
  /** The init stage's parent, which exits with the container's status. */
  stubPid: number;
  containerPid: number;
  /** Whether the stage's parent is still unreaped, so its exit is still to come. */
  running(): boolean;
  /** The runtime's arguments that delete the container afterwards; undefined with --keep. */
  teardown: string[] | undefined;
}

const O_RDONLY = 0;
const O_DIRECTORY = 0o200000;

/** Becomes the waiter; returns only when that could not be done, and the caller goes on waiting itself. */
export async function handOff(h: HandOff): Promise<void> {
  const fds: number[] = [];
  try {
    fds.push(stubMemfd(await stubImage()));
    const dir = containerDir(h.root, h.id);
    // The directory, to tell afterwards that it is still this container's;
    // the executable, to run the deletion even if the file was replaced.
    const dirFd = openFile(dir, O_RDONLY | O_DIRECTORY);
    fds.push(dirFd);
    const exeFd = openFile("/proc/self/exe", O_RDONLY);
    fds.push(exeFd);
    keepAcrossExec(dirFd);
    keepAcrossExec(exeFd);
    const teardown = h.teardown === undefined ? [] : ["runb", ...h.teardown];
    const argv = ["runb", "wait", String(h.stubPid), String(h.containerPid), dir, String(dirFd), String(exeFd), ...teardown];
    // From this check to the exec nothing yields to the event loop, so the
    // engine cannot reap the stage's parent in between.
    if (!h.running()) return;
    const signals = forwardedSignals();
    blockSignals(signals);
    try {
      execProgram(`/proc/self/fd/${fds[0]}`, argv);
    } finally {
      blockSignals(signals, false);
    }
  } catch (e) {
    log.debug(`staying in the foreground: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    for (const fd of fds) closeFd(fd);
  }
}
