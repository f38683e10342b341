// `run`: create, start, and in the foreground wait for the container,
// forwarding signals to it, then delete it (unless --keep).
import { sendSignal } from "../linux/ffi.ts";
import { loadContainer } from "./container.ts";
import { createContainer, type CreateOptions } from "./create.ts";
import { destroyContainer } from "./destroy.ts";
import { forwardSignals } from "./signals.ts";
import { startContainer } from "./start.ts";
import { mark } from "../timing.ts";

export interface RunOptions extends Omit<CreateOptions, "foreground"> {
  detach: boolean;
  keep: boolean;
}

export async function runContainer(opts: RunOptions): Promise<number> {
  const { state, stub, relay } = await createContainer({ ...opts, foreground: !opts.detach });
  try {
    await startContainer(loadContainer(opts.root, state.id));
  } catch (e) {
    relay?.stop();
    destroyContainer(opts.root, state);
    throw e;
  }
  mark("started");
  if (opts.detach) {
    await stub.exited;
    return 0;
  }
  const stopForwarding = forwardSignals((sig) => void sendSignal(state.pid, sig));
  // The init stage's parent exits with the container's status (128+n if killed).
  const status = await stub.exited;
  mark("container exited");
  stopForwarding();
  relay?.stop();
  if (!opts.keep) destroyContainer(opts.root, loadContainer(opts.root, state.id).state);
  return status;
}
