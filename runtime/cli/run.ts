import { runContainer } from "../container/run.ts";
import type { Command } from "./command.ts";
import { CREATE_FLAGS, createOptions } from "./create-flags.ts";
import { defineCommand, globalArgs, type Parsed, requireArgs } from "./flags.ts";

const FLAGS = [
  ...CREATE_FLAGS,
  { name: "detach", short: "d", kind: "bool", usage: "detach from the container's process" },
  { name: "keep", kind: "bool", usage: "do not delete the container after it exits" },
  // Accepted for runc's command line. runb needs no subreaper: the init
  // stage that forked the container's process stays its parent and reaps it.
  { name: "no-subreaper", kind: "bool", usage: "disable the use of the subreaper used to reap reparented processes" },
] as const;

export const run: Command = {
  spec: defineCommand({ name: "run", summary: "create and run a container", argsUsage: "<container-id>", flags: FLAGS }),
  run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const [id] = requireArgs(p, 1, "run");
    return runContainer({ ...createOptions(globals, p, id!), detach: p.bool("detach"), keep: p.bool("keep"), globalArgs: globalArgs(globals) });
  },
};
