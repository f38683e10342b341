import { printOut } from "./output.ts";
import { loadContainerView, stateDocument } from "../container/view.ts";
import { isAlive } from "../linux/procfs.ts";
import { loadRemains, listIds } from "../container/state.ts";
import { RuntimeError } from "../errors.ts";
import { log } from "../log.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed } from "./flags.ts";

const FLAGS = [
  { name: "format", short: "f", kind: "string", default: "table", usage: "select one of: table or json" },
  { name: "quiet", short: "q", kind: "bool", usage: "display only container IDs" },
] as const;

// runc's status strings, with "unknown" for a container it cannot load.
type Row = Omit<ReturnType<typeof stateDocument>, "status"> & { status: string };

// A container whose state cannot be read is still listed, as runc's status
// "unknown", with the pid its init record gives if that process lives:
// hiding it would hide a running container. The reason goes to stderr, as
// runc reports containers it cannot load.
function unreadable(root: string, id: string, err: RuntimeError): Row {
  log.warn(`load container ${id}: ${err.message}`);
  const record = loadRemains(root, id);
  const pid = record !== undefined && isAlive(record.pid, record.startTime) ? record.pid : 0;
  return { ociVersion: "", id, pid, status: "unknown", bundle: "", rootfs: "", created: "", annotations: {}, owner: "" };
}

async function rows(root: string): Promise<Row[]> {
  const out: Row[] = [];
  for (const id of listIds(root)) {
    try {
      out.push(stateDocument(await loadContainerView(root, id)));
    } catch (e) {
      // Deleted while we listed, or not created yet: not there.
      if (e instanceof RuntimeError && e.code === "CONTAINER_NOT_FOUND") continue;
      out.push(unreadable(root, id, e instanceof RuntimeError ? e : new RuntimeError("STATE_DAMAGED", String(e), { cause: e })));
    }
  }
  return out;
}

function table(docs: Row[]): string {
  const header = ["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"];
  const lines = docs.map((d) => [d.id, String(d.pid), d.status, d.bundle, d.created, d.owner || "root"]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]! + 3))).join("");
  return [fmt(header), ...lines.map(fmt)].join("\n") + "\n";
}

export const list: Command = {
  spec: defineCommand({ name: "list", summary: "lists containers started by runb with the given root", argsUsage: " ", flags: FLAGS }),
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const docs = await rows(globals.root);
    if (p.bool("quiet")) {
      printOut(docs.map((d) => `${d.id}\n`).join(""));
      return 0;
    }
    switch (p.str("format")) {
      case "table":
        printOut(table(docs));
        return 0;
      case "json":
        printOut(`${JSON.stringify(docs)}\n`);
        return 0;
      default:
        throw new RuntimeError("USAGE", `invalid format option`);
    }
  },
};
