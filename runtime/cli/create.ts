import { createContainer } from "../container/create.ts";
import type { Command } from "./command.ts";
import { CREATE_FLAGS, createOptions } from "./create-flags.ts";
import { defineCommand, type Parsed, requireArgs } from "./flags.ts";

export const create: Command = {
  spec: defineCommand({ name: "create", summary: "create a container", argsUsage: "<container-id>", flags: CREATE_FLAGS }),
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof CREATE_FLAGS>;
    const [id] = requireArgs(p, 1, "create");
    const { stub } = await createContainer({ ...createOptions(globals, p, id!), foreground: false });
    await stub.exited;
    return 0;
  },
};
