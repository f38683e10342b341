// `start`: release a created container's process. It is blocked opening
// exec.fifo for writing; opening the read side lets it through, and the byte
// it writes says it is about to exec.
import { RuntimeError } from "../errors.ts";
import { closeFd, openFile, pollReadable } from "../linux/ffi.ts";
import { unlinkFile } from "../linux/files.ts";
import { isAlive } from "../linux/procfs.ts";
import type { ContainerView as Container } from "./view.ts";
import { allows } from "./status.ts";
import { runPoststartHooks, runStartHooks } from "./hooks.ts";
import { containerDir, EXEC_FIFO } from "./state.ts";

const O_RDONLY = 0;
const O_NONBLOCK = 0o4000;
const O_NOFOLLOW = 0o400000;

function refuse(c: Container): never {
  switch (c.status) {
    case "stopped":
      throw new RuntimeError("INVALID_STATE", "cannot start a container that has stopped");
    case "running":
      throw new RuntimeError("INVALID_STATE", "cannot start an already running container");
    default:
      throw new RuntimeError("INVALID_STATE", `cannot start a container in the ${c.status} state`);
  }
}

export async function startContainer(c: Container): Promise<void> {
  if (!allows(c.status, "start")) refuse(c);
  await runStartHooks(c);
  const fifo = `${containerDir(c.root, c.state.id)}/${EXEC_FIFO}`;
  // Non-blocking, so a process that died meanwhile cannot hang us.
  // Not through a link: a planted one could release another container.
  const fd = openFile(fifo, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  try {
    while (!pollReadable(fd, 100)) {
      if (!isAlive(c.state.pid, c.state.startTime)) {
        throw new RuntimeError("INVALID_STATE", "cannot start a container that has stopped");
      }
    }
  } finally {
    closeFd(fd);
  }
  unlinkFile(fifo);
  await runPoststartHooks(c);
}
