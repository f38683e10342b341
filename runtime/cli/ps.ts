import { printOut } from "./output.ts";
import { loadContainer } from "../container/container.ts";
import { containerPids, psTable } from "../container/ps.ts";
import { RuntimeError } from "../errors.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed, requireArgs } from "./flags.ts";

const FLAGS = [{ name: "format", short: "f", kind: "string", default: "table", usage: "select one of: table or json" }] as const;

export const ps: Command = {
  spec: defineCommand({
    name: "ps",
    summary: "ps displays the processes running inside a container",
    argsUsage: "<container-id> [ps options]",
    flags: FLAGS,
    reorder: false, // everything after the id belongs to ps: `runb ps ID -o pid,comm`
  }),
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const [id, ...psArgs] = requireArgs(p, 1, "ps", false);
    const c = await loadContainer(globals.root, id!);
    switch (p.str("format")) {
      case "json": {
        const pids = containerPids(c);
        // Go encodes an empty (nil) list as null.
        printOut(`${pids.length === 0 ? "null" : JSON.stringify(pids)}\n`);
        return 0;
      }
      case "table":
        printOut(psTable(c, psArgs).map((l) => `${l}\n`).join(""));
        return 0;
      default:
        throw new RuntimeError("USAGE", "invalid format option");
    }
  },
};
