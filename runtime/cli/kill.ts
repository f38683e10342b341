import { killContainer, killNeedsCgroups } from "../container/kill.ts";
import { loadContainerView } from "../container/view.ts";
import { cgroupHandle } from "../container/cgroup-handle.ts";
import { parseSignal } from "../linux/signals.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed, requireArgs } from "./flags.ts";
import { RuntimeError } from "../errors.ts";

const FLAGS = [{ name: "all", short: "a", kind: "bool", usage: "send the specified signal to all processes inside the container" }] as const;

export const kill: Command = {
  spec: defineCommand({ name: "kill", summary: "kill sends the specified signal (default: SIGTERM) to the container's init process", argsUsage: "<container-id> [signal]", flags: FLAGS }),
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const args = requireArgs(p, 1, "kill", false);
    if (args.length > 2) throw new RuntimeError("USAGE", `"kill" requires a maximum of 2 argument(s)`);
    const signal = parseSignal(args[1] ?? "SIGTERM");
    const all = p.bool("all");
    const view = await loadContainerView(globals.root, args[0]!);
    if (!killNeedsCgroups(view, all)) {
      killContainer(view, signal, all);
      return 0;
    }
    // The cgroup handle is made only for the kills that reach into the cgroup.
    killContainer({ ...view, cgroups: await cgroupHandle(view.state.id, view.cgroupRecord) }, signal, all);
    return 0;
  },
};
