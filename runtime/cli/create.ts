import { createContainer } from "../container/create.ts";
import { type Command, requireArgs } from "./command.ts";
import { CREATE_FLAGS } from "./create-flags.ts";
import { defineCommand, type Parsed } from "./flags.ts";

const spec = defineCommand({
  name: "create",
  summary: "create a container",
  argsUsage: "<container-id>",
  flags: CREATE_FLAGS,
});

export const create: Command = {
  spec,
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof CREATE_FLAGS>;
    const [id] = requireArgs(p, 1, "create");
    const { stub } = await createContainer({
      root: globals.root,
      id: id!,
      bundle: p.str("bundle") || process.cwd(),
      pidFile: p.str("pid-file") || undefined,
      consoleSocket: p.str("console-socket"),
      noPivot: p.bool("no-pivot"),
      noNewKeyring: p.bool("no-new-keyring"),
      preserveFds: p.int("preserve-fds"),
      systemdCgroup: globals.systemdCgroup,
      foreground: false,
    });
    await stub.exited;
    return 0;
  },
};
