import { loadContainer } from "../container/container.ts";
import { deleteContainer } from "../container/delete.ts";
import { RuntimeError } from "../errors.ts";
import { type Command, requireArgs } from "./command.ts";
import { defineCommand, type Parsed } from "./flags.ts";

const FLAGS = [{ name: "force", short: "f", kind: "bool", usage: "Forcibly deletes the container if it is still running (uses SIGKILL)" }] as const;

export const del: Command = {
  spec: defineCommand({ name: "delete", summary: "delete any resources held by the container often used with detached container", argsUsage: "<container-id>", flags: FLAGS }),
  run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const [id] = requireArgs(p, 1, "delete");
    try {
      deleteContainer(loadContainer(globals.root, id!), p.bool("force"));
    } catch (e) {
      // containerd and Podman delete with --force to clean up whatever is left.
      if (p.bool("force") && e instanceof RuntimeError && e.code === "CONTAINER_NOT_FOUND") return 0;
      throw e;
    }
    return 0;
  },
};
