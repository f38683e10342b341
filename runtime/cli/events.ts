import { printOut } from "./output.ts";
import { loadContainer } from "../container/container.ts";
import { oneStatsEvent, streamEvents } from "../container/events.ts";
import { RuntimeError } from "../errors.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed, requireArgs } from "./flags.ts";
import { parseDurationMs } from "./units.ts";

const FLAGS = [
  { name: "interval", kind: "string", default: "5s", usage: "set the stats collection interval" },
  { name: "stats", kind: "bool", usage: "display the container's stats then exit" },
] as const;

function interval(text: string): number {
  const ms = parseDurationMs(text);
  // Go's flag package words it so for a bad duration.
  if (ms === undefined) throw new RuntimeError("USAGE", `invalid value ${JSON.stringify(text)} for flag -interval: parse error`);
  if (ms <= 0) throw new RuntimeError("USAGE", "duration interval must be greater than 0");
  return ms;
}

export const events: Command = {
  spec: defineCommand({
    name: "events",
    summary: "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
    argsUsage: `<container-id>

Where "<container-id>" is the name for the instance of the container.`,
    description: `The events command displays information about the container. By default the
information is displayed once every 5 seconds.`,
    flags: FLAGS,
  }),
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const [id] = requireArgs(p, 1, "events");
    const intervalMs = interval(p.str("interval"));
    const c = await loadContainer(globals.root, id!);
    if (p.bool("stats")) {
      printOut(`${oneStatsEvent(c)}\n`);
      return 0;
    }
    await streamEvents(c, { intervalMs, write: (line) => printOut(`${line}\n`) });
    return 0;
  },
};
