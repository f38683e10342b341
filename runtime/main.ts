// argv → command → exit status. The only place that exits the process.
import { exitCodeFor, messageOf, RuntimeError } from "./errors.ts";
import { configureLog, log, reportError } from "./log.ts";
import { mark } from "./timing.ts";
import { parse, parseGlobal, usage, type GlobalOptions } from "./cli/flags.ts";
import { commandSummaries, loadCommand } from "./cli/table.ts";
import { honorsXdgRuntimeDir } from "./container/rootless.ts";
import { currentIdentity } from "./linux/userns.ts";
import { COMMIT, SPEC_VERSION, VERSION } from "./version.ts";
import { printOutAsync } from "./cli/output.ts";
import { exitProcess } from "./linux/exit.ts";
import { resolve } from "./linux/paths.ts";

function versionText(): string {
  // runc's layout: bug reports name the exact build.
  return `runb version ${VERSION}\ncommit: ${COMMIT}\nspec: ${SPEC_VERSION}\n`;
}

function helpText(): string {
  const names = Object.entries(commandSummaries()).map(([name, summary]) => `   ${name.padEnd(10)}${summary}`);
  return `NAME:\n   runb - an OCI runtime\n\nUSAGE:\n   runb [global options] command [command options] [arguments...]\n\nCOMMANDS:\n${names.join("\n")}\n`;
}

/** Without --root, root keeps state in /run/runb; a rootless user (also as root of its user namespace) in $XDG_RUNTIME_DIR/runb. */
function defaultRoot(globals: GlobalOptions): string {
  // The identity is read only when it can matter: most callers set neither.
  if (!process.env.XDG_RUNTIME_DIR || !honorsXdgRuntimeDir(process.env, currentIdentity())) return globals.root;
  return `${process.env.XDG_RUNTIME_DIR}/runb`;
}

/** A given --root, absolute and clean, as runc makes it: a relative one
 * would name another directory from each working directory. */
function absoluteRoot(root: string): string {
  const abs = resolve(root);
  if (abs === "/") throw new RuntimeError("USAGE", "option --root argument should not be set to /");
  return abs;
}

async function main(argv: string[]): Promise<number> {
  const { globals, command, rest } = parseGlobal(argv);
  configureLog({ file: globals.log || undefined, format: globals.logFormat, debug: globals.debug });
  if (globals.version) {
    await printOutAsync(versionText());
    return 0;
  }
  if (command === undefined || globals.help) {
    await printOutAsync(helpText());
    return 0;
  }
  const cmd = await loadCommand(command);
  if (!cmd) throw new RuntimeError("USAGE", `No help topic for '${command}'`);
  const parsed = parse(rest, cmd.spec);
  if (parsed.bool("help")) {
    await printOutAsync(usage(cmd.spec));
    return 0;
  }
  globals.root = globals.rootGiven ? absoluteRoot(globals.root) : defaultRoot(globals);
  log.debug(`command ${command} ${rest.join(" ")}`);
  mark("start-up and argument parsing");
  const status = await cmd.run(globals, parsed);
  mark(`${command} done`);
  return status;
}

async function entry(): Promise<never> {
  let status: number;
  try {
    status = await main(process.argv.slice(2));
  } catch (e) {
    reportError(messageOf(e));
    status = exitCodeFor(e);
  }
  exitProcess(status);
}

void entry();
