import { loadContainer, stateDocument } from "../container/container.ts";
import { listIds } from "../container/state.ts";
import { RuntimeError } from "../errors.ts";
import { type Command } from "./command.ts";
import { defineCommand, type Parsed } from "./flags.ts";

const FLAGS = [
  { name: "format", short: "f", kind: "string", default: "table", usage: "select one of: table or json" },
  { name: "quiet", short: "q", kind: "bool", usage: "display only container IDs" },
] as const;

function rows(root: string) {
  const out = [];
  for (const id of listIds(root)) {
    try {
      out.push(stateDocument(loadContainer(root, id)));
    } catch {
      // Deleted while we listed: not there any more.
    }
  }
  return out;
}

function table(docs: ReturnType<typeof rows>): string {
  const header = ["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"];
  const lines = docs.map((d) => [d.id, String(d.pid), d.status, d.bundle, d.created, d.owner || "root"]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]! + 3))).join("");
  return [fmt(header), ...lines.map(fmt)].join("\n") + "\n";
}

export const list: Command = {
  spec: defineCommand({ name: "list", summary: "lists containers started by runb with the given root", argsUsage: " ", flags: FLAGS }),
  run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const docs = rows(globals.root);
    if (p.bool("quiet")) {
      process.stdout.write(docs.map((d) => `${d.id}\n`).join(""));
      return 0;
    }
    switch (p.str("format")) {
      case "table":
        process.stdout.write(table(docs));
        return 0;
      case "json":
        process.stdout.write(`${JSON.stringify(docs)}\n`);
        return 0;
      default:
        throw new RuntimeError("USAGE", `invalid format option`);
    }
  },
};
