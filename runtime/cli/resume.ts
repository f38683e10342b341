import { loadContainer } from "../container/container.ts";
import { resumeContainer } from "../container/pause.ts";
import type { Command } from "./command.ts";
import { defineCommand, requireArgs } from "./flags.ts";

export const resume: Command = {
  spec: defineCommand({
    name: "resume",
    summary: "resumes all processes that have been previously paused",
    argsUsage: `<container-id>

Where "<container-id>" is the name for the instance of the container to be
resumed.`,
    description: `The resume command resumes all processes in the instance of the container.

Use runb list to identify instances of containers and their current status.`,
    flags: [],
  }),
  async run(globals, parsed) {
    const [id] = requireArgs(parsed, 1, "resume");
    resumeContainer(await loadContainer(globals.root, id!));
    return 0;
  },
};
