// `run`: create, start, and in the foreground wait for the container,
// forwarding signals to it, then delete it (unless --keep).
import { sendSignal } from "../linux/ffi.ts";
import { withStatus } from "./container.ts";
import { createContainer, type CreateOptions } from "./create.ts";
import { destroyContainer } from "./destroy.ts";
import { forwardSignals } from "./signals.ts";
import { releasingMemory } from "./idle.ts";
import { handOff } from "./handoff.ts";
import { startContainer } from "./start.ts";
import { mark } from "../timing.ts";

export interface RunOptions extends Omit<CreateOptions, "foreground"> {
  detach: boolean;
  keep: boolean;
  /** The runtime's global options, for the deletion a hand-off leaves to a later process. */
  globalArgs: string[];
}

export async function runContainer(opts: RunOptions): Promise<number> {
  const { state, cgroups, stub, relay } = await createContainer({ ...opts, foreground: !opts.detach });
  try {
    // What create just saved, without reading it back.
    await startContainer(withStatus(opts.root, state, cgroups));
  } catch (e) {
    relay?.stop();
    await destroyContainer(opts.root, state, cgroups);
    throw e;
  }
  mark("started");
  if (opts.detach) {
    await stub.exited;
    return 0;
  }
  const stopForwarding = forwardSignals((sig) => void sendSignal(state.pid, sig));
  // The init stage's parent exits with the container's status (128+n if killed).
  // With a terminal the runtime relays, the process must stay what it is.
  const toWaiter = relay === undefined ? () => handOff({
    root: opts.root,
    id: state.id,
    stubPid: stub.pid,
    containerPid: state.pid,
    running: () => stub.exitCode === null && stub.signalCode === null,
    teardown: opts.keep ? undefined : [...opts.globalArgs, "delete", "--force", state.id],
  }) : undefined;
  const status = await releasingMemory(stub.exited, toWaiter);
  mark("container exited");
  stopForwarding();
  relay?.stop();
  // With what create made, as runc's run does: nothing another command may
  // have changed meanwhile (resources, the freezer, the processes) is taken
  // from the saved state; a container deleted meanwhile is just gone.
  if (!opts.keep) await destroyContainer(opts.root, state, cgroups);
  return status;
}
