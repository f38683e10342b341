import { printOut } from "./output.ts";
import { loadContainerView, stateDocument } from "../container/view.ts";
import type { Command } from "./command.ts";
import { defineCommand, requireArgs } from "./flags.ts";

export const state: Command = {
  spec: defineCommand({ name: "state", summary: "output the state of a container", argsUsage: "<container-id>", flags: [] }),
  async run(globals, parsed) {
    const [id] = requireArgs(parsed, 1, "state");
    printOut(`${JSON.stringify(stateDocument(await loadContainerView(globals.root, id!)), null, 2)}\n`);
    return 0;
  },
};
