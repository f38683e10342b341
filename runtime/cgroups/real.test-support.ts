// Shared by the tests that use the host's real cgroups.
import type { CgroupManager } from "./types.ts";

/** Whatever went wrong, leave no process and no cgroup behind. */
export async function cleanUp(m: CgroupManager, child: ReturnType<typeof Bun.spawn> | undefined): Promise<void> {
  try {
    m.thaw(); // a frozen task does not die until thawed
  } catch {
    // not frozen, or no cgroup
  }
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, "SIGKILL");
    await child.exited;
  }
  m.destroy();
}
