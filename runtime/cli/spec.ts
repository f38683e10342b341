import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "../linux/paths.ts";
import { defaultSpec } from "../../spec/default.ts";
import { RuntimeError } from "../errors.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed } from "./flags.ts";

const FLAGS = [
  { name: "bundle", short: "b", kind: "string", default: "", usage: "path to the root of the bundle directory" },
  { name: "rootless", kind: "bool", usage: "generate a configuration for a rootless container" },
] as const;

export const spec: Command = {
  spec: defineCommand({ name: "spec", summary: "create a new specification file", argsUsage: " ", flags: FLAGS }),
  run(_globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const path = resolve(p.str("bundle") || ".", "config.json");
    if (existsSync(path)) throw new RuntimeError("USAGE", "File config.json exists. Remove it first");
    writeFileSync(path, `${JSON.stringify(defaultSpec({ rootless: p.bool("rootless") }), null, "\t")}\n`, { mode: 0o666 });
    return 0;
  },
};
