// Flags shared by `create` and `run`, and what they mean to createContainer.
import type { CreateOptions } from "../container/create.ts";
import { isRootless } from "../container/rootless.ts";
import { currentIdentity, hostUid } from "../linux/userns.ts";
import type { FlagSpec, GlobalOptions, Parsed } from "./flags.ts";

export const CREATE_FLAGS = [
  { name: "bundle", short: "b", kind: "string", default: "", usage: "path to the root of the bundle directory, defaults to the current directory" },
  { name: "console-socket", kind: "string", default: "", usage: "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal" },
  { name: "pid-file", kind: "string", default: "", usage: "specify the file to write the process id to" },
  { name: "no-pivot", kind: "bool", usage: "do not use pivot root to jail process inside rootfs" },
  { name: "no-new-keyring", kind: "bool", usage: "do not create a new session keyring for the container" },
  { name: "preserve-fds", kind: "int", default: 0, usage: "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)" },
] as const satisfies readonly FlagSpec[];

export function createOptions(globals: GlobalOptions, p: Parsed<typeof CREATE_FLAGS>, id: string): Omit<CreateOptions, "foreground"> {
  const identity = currentIdentity();
  return {
    root: globals.root,
    id,
    bundle: p.str("bundle") || process.cwd(),
    pidFile: p.str("pid-file") || undefined,
    consoleSocket: p.str("console-socket"),
    noPivot: p.bool("no-pivot"),
    noNewKeyring: p.bool("no-new-keyring"),
    preserveFds: p.int("preserve-fds"),
    systemdCgroup: globals.systemdCgroup,
    rootless: isRootless(globals.rootless, globals.systemdCgroup, identity),
    busUid: hostUid(identity),
  };
}
