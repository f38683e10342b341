import { readTextFile } from "../linux/ffi.ts";
import { loadContainer } from "../container/container.ts";
import { execInContainer } from "../container/exec.ts";
import { messageOf, RuntimeError } from "../errors.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed } from "./flags.ts";

const FLAGS = [
  { name: "console-socket", kind: "string", default: "", usage: "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal" },
  { name: "cwd", kind: "string", default: "", usage: "current working directory in the container" },
  { name: "env", short: "e", kind: "stringList", usage: "set environment variables" },
  { name: "tty", short: "t", kind: "bool", usage: "allocate a pseudo-TTY" },
  { name: "user", short: "u", kind: "string", default: "", usage: "UID (format: <uid>[:<gid>])" },
  { name: "additional-gids", short: "g", kind: "stringList", usage: "additional gids" },
  { name: "process", short: "p", kind: "string", default: "", usage: "path to the process.json" },
  { name: "detach", short: "d", kind: "bool", usage: "detach from the container's process" },
  { name: "pid-file", kind: "string", default: "", usage: "specify the file to write the process id to" },
  { name: "process-label", kind: "string", default: "", usage: "set the asm process label for the process commonly used with selinux" },
  { name: "apparmor", kind: "string", default: "", usage: "set the apparmor profile for the process" },
  { name: "no-new-privs", kind: "bool", usage: "set the no new privileges value for the process" },
  { name: "cap", short: "c", kind: "stringList", usage: "add a capability to the bounding set for the process" },
  { name: "preserve-fds", kind: "int", default: 0, usage: "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)" },
  { name: "ignore-paused", kind: "bool", usage: "allow exec in a paused container" },
  { name: "cgroup", kind: "stringList", usage: "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>." },
] as const;

function readProcessJson(path: string): unknown {
  try {
    return JSON.parse(readTextFile(path));
  } catch (e) {
    throw new RuntimeError("INVALID_CONFIG", `parsing ${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function execWith(root: string, id: string, args: string[], p: Parsed<typeof FLAGS>): Promise<number> {
  const processPath = p.str("process");
  return execInContainer(await loadContainer(root, id), {
    processJson: processPath ? readProcessJson(processPath) : undefined,
    args,
    tty: p.bool("tty"),
    cwd: p.str("cwd"),
    env: p.list("env"),
    user: p.str("user"),
    additionalGids: p.list("additional-gids"),
    caps: p.list("cap"),
    noNewPrivs: p.bool("no-new-privs"),
    apparmor: p.str("apparmor"),
    processLabel: p.str("process-label"),
    detach: p.bool("detach"),
    pidFile: p.str("pid-file"),
    consoleSocket: p.str("console-socket"),
    preserveFds: p.int("preserve-fds"),
    ignorePaused: p.bool("ignore-paused"),
    subCgroups: p.list("cgroup"),
  });
}

export const exec: Command = {
  spec: defineCommand({
    name: "exec",
    summary: "execute new process inside the container",
    argsUsage: "<container-id> <command> [command options]  || -p process.json <container-id>",
    flags: FLAGS,
    reorder: false, // the program's own flags must stay its own
  }),
  async run(globals, parsed) {
    const p = parsed as Parsed<typeof FLAGS>;
    const [id, ...args] = p.args;
    if (id === undefined) throw new RuntimeError("USAGE", `"exec" requires a minimum of 1 argument(s)`);
    // Past the arguments, every failure is runc's "exec failed", exit 255.
    try {
      return await execWith(globals.root, id, args, p);
    } catch (e) {
      throw new RuntimeError("EXEC_FAILED", `exec failed: ${messageOf(e)}`, { cause: e });
    }
  },
};
