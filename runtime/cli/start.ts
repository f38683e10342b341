import { loadContainerView } from "../container/view.ts";
import { startContainer } from "../container/start.ts";
import type { Command } from "./command.ts";
import { defineCommand, requireArgs } from "./flags.ts";

export const start: Command = {
  spec: defineCommand({ name: "start", summary: "executes the user defined process in a created container", argsUsage: "<container-id>", flags: [] }),
  async run(globals, parsed) {
    const [id] = requireArgs(parsed, 1, "start");
    await startContainer(await loadContainerView(globals.root, id!));
    return 0;
  },
};
