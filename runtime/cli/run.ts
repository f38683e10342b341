import { runContainer } from "../container/run.ts";
import { type Command, requireArgs } from "./command.ts";
import { CREATE_FLAGS } from "./create-flags.ts";
import { defineCommand, type Parsed } from "./flags.ts";

const FLAGS = [
  ...CREATE_FLAGS,
  { name: "detach", short: "d", kind: "bool", usage: "detach from the container's process" },
  { name: "keep", kind: "bool", usage: "do not delete the container after it exits" },
] as const;

export const run: Command = {
  spec: defineCommand({ name: "run", summary: "create and run a container", argsUsage: "<container-id>", flags: FLAGS }),
  run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const [id] = requireArgs(p, 1, "run");
    return runContainer({
      root: globals.root,
      id: id!,
      bundle: p.str("bundle") || process.cwd(),
      pidFile: p.str("pid-file") || undefined,
      consoleSocket: p.str("console-socket"),
      noPivot: p.bool("no-pivot"),
      noNewKeyring: p.bool("no-new-keyring"),
      preserveFds: p.int("preserve-fds"),
      systemdCgroup: globals.systemdCgroup,
      detach: p.bool("detach"),
      keep: p.bool("keep"),
    });
  },
};
