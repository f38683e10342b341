// `run`: create, start, and in the foreground wait for the container,
// forwarding signals to it, then delete it (unless --keep).
import { sendSignal } from "../linux/ffi.ts";
import { loadContainer } from "./container.ts";
import { createContainer, type CreateOptions } from "./create.ts";
import { destroyContainer } from "./destroy.ts";
import { startContainer } from "./start.ts";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"] as const;
const NUMBERS: Record<(typeof FORWARDED)[number], number> = {
  SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGQUIT: 3, SIGUSR1: 10, SIGUSR2: 12, SIGWINCH: 28,
};

export interface RunOptions extends Omit<CreateOptions, "foreground"> {
  detach: boolean;
  keep: boolean;
}

export async function runContainer(opts: RunOptions): Promise<number> {
  const { state, stub } = await createContainer({ ...opts, foreground: !opts.detach });
  try {
    startContainer(loadContainer(opts.root, state.id));
  } catch (e) {
    destroyContainer(opts.root, state);
    throw e;
  }
  if (opts.detach) {
    await stub.exited;
    return 0;
  }
  const handlers = FORWARDED.map((name) => {
    const h = () => void sendSignal(state.pid, NUMBERS[name]);
    process.on(name, h);
    return [name, h] as const;
  });
  // The init stage's parent exits with the container's status (128+n if killed).
  const status = await stub.exited;
  for (const [name, h] of handlers) process.off(name, h);
  if (!opts.keep) destroyContainer(opts.root, loadContainer(opts.root, state.id).state);
  return status;
}
