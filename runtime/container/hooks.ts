// createContainer hooks enter the container's namespaces with nsenter(1)
// from util-linux (create-hooks.ts), startContainer hooks run inside it
// through the init stage (process/hook-in-container.ts); the others run
// from the runtime's namespaces. Most configs have no hooks: the hook
// runner is loaded only for a phase that has some.
import { sendSignal } from "../linux/ffi.ts";
import { isAlive } from "../linux/procfs.ts";
import type { ContainerView as Container } from "./view.ts";
import { configOf, type SavedState } from "./state.ts";
import { hasHooks } from "./config-facts.ts";

const SIGKILL = 9;

function hookRunner() {
  return import("../../hooks/lifecycle.ts");
}

/** Before the process is released; a failure kills it, and start fails. */
export async function runStartHooks(c: Container): Promise<void> {
  const pid = c.state.pid;
  // Most containers have none: the code that runs one inside the container
  // (the init stage's plan) is loaded only for those that do.
  if (!hasHooks(c.state.facts, "startContainer")) return;
  const { runPhase } = await hookRunner();
  const { inContainer } = await import("../process/hook-in-container.ts");
  const spec = configOf(c.state);
  try {
    runPhase("startContainer", { id: c.state.id, bundle: c.state.bundle, spec, pid }, {
      launcher: await inContainer(spec, pid),
    });
  } catch (e) {
    sendSignal(pid, SIGKILL);
    throw e;
  }
}

/** After the process was released; a failure kills it, and start fails. */
export async function runPoststartHooks(c: Container): Promise<void> {
  if (!hasHooks(c.state.facts, "poststart")) return;
  const { runPhase } = await hookRunner();
  const { pid, startTime } = c.state;
  try {
    runPhase("poststart", { id: c.state.id, bundle: c.state.bundle, spec: configOf(c.state), pid });
  } catch (e) {
    if (isAlive(pid, startTime)) sendSignal(pid, SIGKILL);
    throw e;
  }
}

/** After the container is gone; failures are warnings. */
export async function runPoststopHooks(state: SavedState): Promise<void> {
  if (!hasHooks(state.facts, "poststop")) return;
  const { runPhase } = await hookRunner();
  runPhase("poststop", { id: state.id, bundle: state.bundle, spec: configOf(state), pid: 0 });
}
