// Command-line parsing that behaves like runc's: runc is built on urfave/cli
// v1, which hands each command's arguments to Go's `flag` package. Callers
// (containerd, Podman, scripts) depend on those quirks, so they are kept:
// single- or double-dash long names, `-name=value`, bool flags that never
// take a separate value, parsing that stops at the first positional (after
// urfave moved known flags to the front), and Go's exact error wording.

import { RuntimeError } from "../errors.ts";
import { goQuote } from "../log.ts";

export type FlagKind = "string" | "bool" | "int" | "stringList";

interface KindValues {
  string: string;
  bool: boolean;
  int: number;
  stringList: string[];
}

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly default?: string | boolean | number | readonly string[];
  readonly usage: string;
  /** Accepted but left out of --help, as urfave's Hidden. */
  readonly hidden?: boolean;
}

export interface CommandSpec<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly name: string;
  readonly summary: string;
  /** Text after the command in the USAGE line, e.g. "<container-id>". */
  readonly argsUsage?: string;
  readonly description?: string;
  readonly flags: F;
  /**
   * urfave/cli moves known flags that follow a positional to the front
   * (so `delete ID --force` works). Commands that pass a program's own
   * arguments through, like exec, turn it off so `exec ID sh -c x` keeps
   * `-c` for sh. Defaults to true.
   */
  readonly reorder?: boolean;
}

type Flags<F extends readonly FlagSpec[]> = { -readonly [S in F[number] as S["name"]]: KindValues[S["kind"]] } & {
  help: boolean;
};
// Names of one kind for a declared table; any name for an untyped Parsed.
type NamesOf<F extends readonly FlagSpec[], K extends FlagKind> = string extends F[number]["name"]
  ? string
  : Extract<F[number], { kind: K }>["name"];

export interface Parsed<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly flags: Flags<F>;
  readonly args: string[];
  /** Long names of the flags given on the command line (urfave's IsSet). */
  readonly given: ReadonlySet<string>;
  str(name: NamesOf<F, "string">): string;
  bool(name: NamesOf<F, "bool"> | "help"): boolean;
  int(name: NamesOf<F, "int">): number;
  list(name: NamesOf<F, "stringList">): string[];
}

/** Declares a command with its flag names and kinds kept as literal types. */
export function defineCommand<const F extends readonly FlagSpec[]>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}

// urfave/cli v1 gives every command a --help/-h that its help text omits.
const HELP_FLAG: FlagSpec = { name: "help", short: "h", kind: "bool", usage: "show help", hidden: true };

const usageError = (message: string) => new RuntimeError("USAGE", message);

// Every command parses its arguments before anything else runs, so this
// file keeps to plain loops: in a fresh process each array or collection
// method used for the first time is compiled from source first, which
// costs more than the parsing itself.

function withHelp(flags: readonly FlagSpec[]): readonly FlagSpec[] {
  for (let i = 0; i < flags.length; i++) if (flags[i]!.name === "help") return flags;
  const out = flags.slice();
  out.push(HELP_FLAG);
  return out;
}

function indexFlags(flags: readonly FlagSpec[]): Map<string, FlagSpec> {
  const index = new Map<string, FlagSpec>();
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    index.set(f.name, f);
    if (f.short !== undefined) index.set(f.short, f);
  }
  return index;
}

const EMPTY: Record<FlagKind, unknown> = { string: "", bool: false, int: 0, stringList: [] };

function initialValue(f: FlagSpec): unknown {
  const value = f.default ?? EMPTY[f.kind];
  return Array.isArray(value) ? value.slice() : value; // lists are copied: each parse gets its own
}

/** Go's strconv.ParseBool spellings. */
const BOOLS: Record<string, boolean> = { 1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false };

// strconv.ParseInt(s, 0, 64): base prefixes, a leading 0 meaning octal, and
// underscores only between digits or right after a prefix.
const INT_SYNTAX = /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/;
const INT64_MAX = 9223372036854775807n;

function parseGoInt(text: string): number | "parse error" | "value out of range" {
  if (!INT_SYNTAX.test(text)) return "parse error";
  const negative = text.startsWith("-");
  let digits = text.replace(/^[+-]/, "").replaceAll("_", "");
  if (/^0[0-7]/.test(digits)) digits = `0o${digits.slice(1)}`;
  const magnitude = BigInt(digits);
  if (magnitude > (negative ? INT64_MAX + 1n : INT64_MAX)) return "value out of range";
  return Number(negative ? -magnitude : magnitude);
}

function convert(f: FlagSpec, name: string, text: string): unknown {
  if (f.kind === "bool") {
    const b = Object.hasOwn(BOOLS, text) ? BOOLS[text] : undefined;
    if (b === undefined) throw usageError(`invalid boolean value ${goQuote(text)} for -${name}: parse error`);
    return b;
  }
  if (f.kind !== "int") return text;
  const n = parseGoInt(text);
  if (typeof n !== "number") throw usageError(`invalid value ${goQuote(text)} for flag -${name}: ${n}`);
  return n;
}

/** Strips leading dashes and any `=value` the way urfave's argIsFlag does. */
function reorderName(arg: string): string {
  let s = arg.startsWith("--") ? arg.slice(2) : arg;
  if (s.startsWith("-")) s = s.slice(1);
  return s.split("=")[0] ?? "";
}

/**
 * urfave/cli v1's reorderArgs: known flags (and the word after one without
 * `=`, even after a bool) go first, the rest keep their order, and a `--`
 * moves to the front of the rest, ending the reordering.
 */
function reorder(index: Map<string, FlagSpec>, argv: readonly string[]): string[] {
  const isFlag = (a: string) => a !== "-" && a !== "--" && a.startsWith("-") && index.has(reorderName(a));
  const front: string[] = [];
  let rest: string[] = [];
  let valueMayFollow = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (valueMayFollow && !isFlag(arg)) {
      valueMayFollow = false;
      front.push(arg);
    } else if (arg === "--") {
      rest = ["--", ...rest, ...argv.slice(i + 1)];
      break;
    } else if (isFlag(arg)) {
      front.push(arg);
      valueMayFollow = !arg.includes("=");
    } else {
      rest.push(arg);
    }
  }
  return [...front, ...rest];
}

interface Scan {
  values: Record<string, unknown>;
  /** The spellings seen for each flag, to refuse `-b x --bundle y`. */
  forms: Map<FlagSpec, Set<string>>;
  /** Long names of the flags given. */
  given: Set<string>;
}

/** Splits `-name`, `--name` or `-name=value`; text is undefined without `=`. */
function splitArg(arg: string): { name: string; text: string | undefined } {
  const body = arg.slice(arg.startsWith("--") ? 2 : 1);
  if (body === "" || body.startsWith("-") || body.startsWith("=")) throw usageError(`bad flag syntax: ${arg}`);
  const eq = body.indexOf("=");
  return eq < 0 ? { name: body, text: undefined } : { name: body.slice(0, eq), text: body.slice(eq + 1) };
}

function store(scan: Scan, f: FlagSpec, name: string, value: unknown): void {
  // A list typed on the command line replaces its default rather than extending it.
  const list = scan.forms.has(f) ? (scan.values[f.name] as unknown[]) : [];
  scan.values[f.name] = f.kind === "stringList" ? [...list, value] : value;
  scan.forms.set(f, (scan.forms.get(f) ?? new Set()).add(name));
  scan.given.add(f.name);
}

/** Go's FlagSet.Parse over already-ordered arguments; returns the positionals. */
function scanArgs(scan: Scan, index: Map<string, FlagSpec>, argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] as string;
    if (arg.length < 2 || !arg.startsWith("-")) break;
    i++;
    if (arg === "--") break;
    const { name, text } = splitArg(arg);
    const f = index.get(name);
    if (f === undefined) throw usageError(`flag provided but not defined: -${name}`);
    if (f.kind === "bool") {
      store(scan, f, name, text === undefined ? true : convert(f, name, text));
      continue;
    }
    // Without `=`, Go takes the next word whatever it looks like: `--root --debug` sets root to "--debug".
    if (text === undefined && i >= argv.length) throw usageError(`flag needs an argument: -${name}`);
    store(scan, f, name, convert(f, name, text ?? (argv[i++] as string)));
  }
  return argv.slice(i);
}

/** urfave's normalizeFlags: one flag may not be given under both its names. */
function checkForms(flags: readonly FlagSpec[], forms: Map<FlagSpec, Set<string>>): void {
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if (f.short !== undefined && forms.get(f)?.size === 2) {
      throw usageError(`Cannot use two forms of the same flag: ${f.short} ${f.name}`);
    }
  }
}

/** Parses a command's arguments (everything after the command name). */
export function parse<const F extends readonly FlagSpec[]>(argv: readonly string[], spec: CommandSpec<F>): Parsed<F> {
  const flags = withHelp(spec.flags);
  const index = indexFlags(flags);
  const ordered = spec.reorder === false ? argv : reorder(index, argv);
  const values: Record<string, unknown> = {};
  for (let i = 0; i < flags.length; i++) values[flags[i]!.name] = initialValue(flags[i]!);
  const scan: Scan = { values, forms: new Map(), given: new Set() };
  const args = scanArgs(scan, index, ordered);
  checkForms(flags, scan.forms);
  const get = (name: string) => scan.values[name] as never;
  return { flags: scan.values as Flags<F>, args, given: scan.given, str: get, bool: get, int: get, list: get };
}

// The part of the command line before the command name.
export const GLOBAL_SPEC = defineCommand({
  name: "",
  summary: "",
  reorder: false, // urfave/cli does not reorder the application's own flags
  flags: [
    { name: "debug", kind: "bool", usage: "enable debug logging" },
    { name: "log", kind: "string", usage: "set the log file to write runb logs to (default is '/dev/stderr')" },
    { name: "log-format", kind: "string", default: "text", usage: "set the log format ('text' (default), or 'json')" },
    { name: "root", kind: "string", default: "/run/runb", usage: "root directory for storage of container state (this should be located in tmpfs)" },
    { name: "criu", kind: "string", default: "criu", usage: "path to the criu binary used for checkpoint and restore" },
    { name: "systemd-cgroup", kind: "bool", usage: 'enable systemd cgroup support, expects cgroupsPath to be of form "slice:prefix:name" for e.g. "system.slice:runb:434234"' },
    { name: "rootless", kind: "string", default: "auto", usage: "ignore cgroup permission errors ('true', 'false', or 'auto')" },
    { name: "help", short: "h", kind: "bool", usage: "show help" },
    { name: "version", short: "v", kind: "bool", usage: "print the version" },
  ],
});

export interface GlobalOptions {
  root: string;
  /** False when root is the default, which callers may replace (e.g. for rootless use). */
  rootGiven: boolean;
  /** Log file; "" means stderr. */
  log: string;
  logFormat: "text" | "json";
  debug: boolean;
  systemdCgroup: boolean;
  /** As given: "true", "false" or "auto"; like runc, checked only where used. */
  rootless: string;
  criu: string;
  help: boolean;
  version: boolean;
}

/** The global options as arguments again, for a command the runtime runs
 * later on its own (a foreground run's deletion, after a hand-off). */
export function globalArgs(g: GlobalOptions): string[] {
  const args = ["--root", g.root];
  if (g.log !== "") args.push("--log", g.log);
  if (g.logFormat !== "text") args.push("--log-format", g.logFormat);
  if (g.debug) args.push("--debug");
  if (g.systemdCgroup) args.push("--systemd-cgroup");
  if (g.rootless !== "auto") args.push("--rootless", g.rootless);
  return args;
}

/** Parses `[global options] command [command arguments...]` (argv without the program name). */
export function parseGlobal(argv: readonly string[]): { globals: GlobalOptions; command: string | undefined; rest: string[] } {
  const p = parse(argv, GLOBAL_SPEC);
  const format = p.str("log-format");
  // runc treats an empty --log-format as the default.
  if (format !== "" && format !== "text" && format !== "json") throw usageError(`invalid log-format: ${format}`);
  const globals: GlobalOptions = {
    root: p.str("root"),
    rootGiven: p.given.has("root"),
    log: p.str("log"),
    logFormat: format === "json" ? "json" : "text",
    debug: p.bool("debug"),
    systemdCgroup: p.bool("systemd-cgroup"),
    rootless: p.str("rootless"),
    criu: p.str("criu"),
    help: p.bool("help"),
    version: p.bool("version"),
  };
  return { globals, command: p.args[0], rest: p.args.slice(1) };
}

function names(f: FlagSpec): string {
  const placeholder = f.kind === "bool" ? "" : " value";
  return [f.name, f.short]
    .filter((n): n is string => n !== undefined)
    .map((n) => `${n.length === 1 ? "-" : "--"}${n}${placeholder}`)
    .join(", ");
}

// urfave shows int defaults always, string defaults when not empty, bool never.
function defaultText(f: FlagSpec): string {
  const d = f.default;
  if (f.kind === "int") return ` (default: ${d ?? 0})`;
  if (typeof d === "string" && d !== "") return ` (default: ${goQuote(d)})`;
  if (Array.isArray(d) && d.length > 0) return ` (default: ${d.map(goQuote).join(", ")})`;
  return "";
}

/** The option rows of a help text, aligned like Go's tabwriter (two spaces of padding). */
export function formatOptions(flags: readonly FlagSpec[]): string[] {
  const shown = flags.filter((f) => f.hidden !== true);
  const width = Math.max(0, ...shown.map((f) => names(f).length));
  return shown.map((f) => `${names(f).padEnd(width)}  ${f.usage}${defaultText(f)}`);
}

/** The text printed for `COMMAND --help`, laid out as urfave/cli v1 does. */
export function usage(spec: CommandSpec, program = "runb"): string {
  const rows = formatOptions(spec.flags);
  const options = rows.length > 0 ? " [command options]" : "";
  let text = `NAME:\n   ${program} ${spec.name} - ${spec.summary}\n\nUSAGE:\n`;
  text += `   ${program} ${spec.name}${options} ${spec.argsUsage ?? "[arguments...]"}`;
  if (spec.description !== undefined) text += `\n\nDESCRIPTION:\n   ${spec.description}`;
  if (rows.length > 0) text += `\n\nOPTIONS:\n${rows.map((r) => `   ${r}\n`).join("")}   `;
  return `${text}\n`;
}

/** Exactly `n` positional arguments, as runc checks them. */
export function requireArgs(parsed: Parsed, n: number, name: string, exact = true): string[] {
  const got = parsed.args.length;
  if (got < n || (exact && got > n)) {
    const what = exact ? "exactly" : "a minimum of";
    throw new RuntimeError("USAGE", `"${name}" requires ${what} ${n} argument(s)`);
  }
  return parsed.args;
}
