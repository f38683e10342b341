// createContainer hooks enter the container's namespaces with nsenter(1)
// from util-linux, startContainer hooks run inside it through the init stage
// (process/hook-in-container.ts); the others run from the runtime's namespaces.
import { runPhase, type HookTarget } from "../../hooks/lifecycle.ts";
import { sendSignal } from "../linux/ffi.ts";
import { isAlive } from "../linux/procfs.ts";
import type { ContainerView as Container } from "./view.ts";

const SIGKILL = 9;

/** At the create sync point: mounts made, root not yet pivoted. */
export function runCreateHooks(t: HookTarget, rootfs: string): void {
  runPhase("prestart", t);
  runPhase("createRuntime", t);
  // Entering the mount namespace resets the working directory to its root,
  // the host's until pivot_root: --wd puts the hook back in the rootfs,
  // which is at the same path there.
  runPhase("createContainer", t, {
    cwd: rootfs,
    wrap: (argv, path) => ["nsenter", "--target", String(t.pid), "--all", `--wd=${rootfs}`, "--", path, ...argv.slice(1)],
  });
}

/** Before the process is released; a failure kills it, and start fails. */
export async function runStartHooks(c: Container): Promise<void> {
  const pid = c.state.pid;
  // Most containers have none: the code that runs one inside the container
  // (the init stage's plan) is loaded only for those that do.
  if (!c.state.config.hooks?.startContainer?.length) return;
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
export function runPoststartHooks(c: Container): void {
  const { pid, startTime } = c.state;
  try {
    runPhase("poststart", { id: c.state.id, bundle: c.state.bundle, spec: c.state.config, pid });
  } catch (e) {
    if (isAlive(pid, startTime)) sendSignal(pid, SIGKILL);
    throw e;
  }
}
