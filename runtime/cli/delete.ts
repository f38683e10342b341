import { deleteById } from "../container/delete.ts";
import { validateId } from "../container/id.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed, requireArgs } from "./flags.ts";

const FLAGS = [{ name: "force", short: "f", kind: "bool", usage: "Forcibly deletes the container if it is still running (uses SIGKILL)" }] as const;

export const del: Command = {
  spec: defineCommand({ name: "delete", summary: "delete any resources held by the container often used with detached container", argsUsage: "<container-id>", flags: FLAGS }),
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const [id] = requireArgs(p, 1, "delete");
    await deleteById(globals.root, validateId(id), p.bool("force"));
    return 0;
  },
};
