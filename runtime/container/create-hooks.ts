// The hooks create runs at the sync point with the init stage. Create
// loads the hook runner anyway (the init plan asks it whether there are
// any); start and delete load it only for a config that has hooks.
import { runPhase, type HookTarget } from "../../hooks/lifecycle.ts";

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
