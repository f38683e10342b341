// argv → command → exit status. The only place that exits the process.
import { exitCodeFor, messageOf, RuntimeError } from "./errors.ts";
import { configureLog, log, reportError } from "./log.ts";
import { parse, parseGlobal, usage, type GlobalOptions } from "./cli/flags.ts";
import type { Command } from "./cli/command.ts";
import { create } from "./cli/create.ts";
import { del } from "./cli/delete.ts";
import { events } from "./cli/events.ts";
import { exec } from "./cli/exec.ts";
import { features } from "./cli/features.ts";
import { SPEC_VERSION, VERSION } from "./version.ts";
import { kill } from "./cli/kill.ts";
import { list } from "./cli/list.ts";
import { pause } from "./cli/pause.ts";
import { ps } from "./cli/ps.ts";
import { resume } from "./cli/resume.ts";
import { run } from "./cli/run.ts";
import { spec } from "./cli/spec.ts";
import { start } from "./cli/start.ts";
import { state } from "./cli/state.ts";
import { update } from "./cli/update.ts";


const COMMANDS: Record<string, Command> = {
  create,
  delete: del,
  events,
  exec,
  features,
  kill,
  list,
  pause,
  ps,
  resume,
  run,
  spec,
  start,
  state,
  update,
};

function versionText(): string {
  return `runb version ${VERSION}\nspec: ${SPEC_VERSION}\n`;
}

function helpText(): string {
  const names = Object.values(COMMANDS).map((c) => `   ${c.spec.name.padEnd(10)}${c.spec.summary}`);
  return `NAME:\n   runb - an OCI runtime\n\nUSAGE:\n   runb [global options] command [command options] [arguments...]\n\nCOMMANDS:\n${names.join("\n")}\n`;
}

/** Root runs keep state in /run/runb; others in their runtime dir. */
function defaultRoot(globals: GlobalOptions): string {
  if (globals.rootGiven || process.getuid?.() === 0) return globals.root;
  const xdg = process.env.XDG_RUNTIME_DIR;
  return xdg ? `${xdg}/runb` : globals.root;
}

async function main(argv: string[]): Promise<number> {
  const { globals, command, rest } = parseGlobal(argv);
  configureLog({ file: globals.log || undefined, format: globals.logFormat, debug: globals.debug });
  if (globals.version) {
    process.stdout.write(versionText());
    return 0;
  }
  if (command === undefined || globals.help) {
    process.stdout.write(helpText());
    return 0;
  }
  const cmd = COMMANDS[command];
  if (!cmd) throw new RuntimeError("USAGE", `No help topic for '${command}'`);
  const parsed = parse(rest, cmd.spec);
  if (parsed.bool("help")) {
    process.stdout.write(usage(cmd.spec));
    return 0;
  }
  globals.root = defaultRoot(globals);
  log.debug(`command ${command} ${rest.join(" ")}`);
  return cmd.run(globals, parsed);
}

async function entry(): Promise<never> {
  let status: number;
  try {
    status = await main(process.argv.slice(2));
  } catch (e) {
    reportError(messageOf(e));
    status = exitCodeFor(e);
  }
  process.exit(status);
}

await entry();
