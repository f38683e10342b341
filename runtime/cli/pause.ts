import { loadContainer } from "../container/container.ts";
import { pauseContainer } from "../container/pause.ts";
import type { Command } from "./command.ts";
import { defineCommand, requireArgs } from "./flags.ts";

export const pause: Command = {
  spec: defineCommand({
    name: "pause",
    summary: "pause suspends all processes inside the container",
    argsUsage: `<container-id>

Where "<container-id>" is the name for the instance of the container to be
paused. `,
    description: `The pause command suspends all processes in the instance of the container.

Use runb list to identify instances of containers and their current status.`,
    flags: [],
  }),
  async run(globals, parsed) {
    const [id] = requireArgs(parsed, 1, "pause");
    pauseContainer(await loadContainer(globals.root, id!));
    return 0;
  },
};
