// createContainer hooks enter the container's namespaces with nsenter(1)
// from util-linux (create-hooks.ts), startContainer hooks run inside it
// through the init stage (process/hook-in-container.ts); the others run
// from the runtime's namespaces. Most configs have no hooks: the hook
// runner is loaded only for a phase that has some.
import type { HookName, Spec } from "../../spec/types.ts";
import { sendSignal } from "../linux/ffi.ts";
import { isAlive } from "../linux/procfs.ts";
import type { ContainerView as Container } from "./view.ts";
import type { SavedState } from "./state.ts";

const SIGKILL = 9;

function hasAny(spec: Spec, name: HookName): boolean {
  return (spec.hooks?.[name]?.length ?? 0) > 0;
}

function hookRunner() {
  return import("../../hooks/lifecycle.ts");
}

/** Before the process is released; a failure kills it, and start fails. */
export async function runStartHooks(c: Container): Promise<void> {
  const pid = c.state.pid;
  // Most containers have none: the code that runs one inside the container
  // (the init stage's plan) is loaded only for those that do.
  if (!hasAny(c.state.config, "startContainer")) return;
  const { runPhase } = await hookRunner();
  const { inContainer } = await import("../process/hook-in-container.ts");
  try {
    runPhase("startContainer", { id: c.state.id, bundle: c.state.bundle, spec: c.state.config, pid }, {
      launcher: await inContainer(c.state.config, pid),
    });
  } catch (e) {
    sendSignal(pid, SIGKILL);
    throw e;
  }
}

/** After the process was released; a failure kills it, and start fails. */
export async function runPoststartHooks(c: Container): Promise<void> {
  if (!hasAny(c.state.config, "poststart")) return;
  const { runPhase } = await hookRunner();
  const { pid, startTime } = c.state;
  try {
    runPhase("poststart", { id: c.state.id, bundle: c.state.bundle, spec: c.state.config, pid });
  } catch (e) {
    if (isAlive(pid, startTime)) sendSignal(pid, SIGKILL);
    throw e;
  }
}

/** After the container is gone; failures are warnings. */
export async function runPoststopHooks(state: SavedState): Promise<void> {
  if (!hasAny(state.config, "poststop")) return;
  const { runPhase } = await hookRunner();
  runPhase("poststop", { id: state.id, bundle: state.bundle, spec: state.config, pid: 0 });
}
