// The runtime's logger, writing what runc's logrus setup writes: the same
// text and JSON line formats, to the --log file or else to stderr. Callers
// read these files: containerd takes the last error line of its log.json,
// Podman decodes the file as one JSON object after a failed command. So a
// failing command writes exactly one error entry (reportError).

import { closeFd, openFile, readLink, writeAll } from "./linux/ffi.ts";

export type LogFormat = "text" | "json";
export type LogLevel = "error" | "warn" | "info" | "debug";

export interface LogConfig {
  /** Log file; undefined or "" means stderr. */
  file?: string;
  format: LogFormat;
  debug: boolean;
}

const STDERR = 2;

// logrus spells the warn level "warning"; the colored form shows four letters.
const LEVELS: Record<LogLevel, { name: string; tag: string; color: number }> = {
  error: { name: "error", tag: "ERRO", color: 31 },
  warn: { name: "warning", tag: "WARN", color: 33 },
  info: { name: "info", tag: "INFO", color: 36 },
  debug: { name: "debug", tag: "DEBU", color: 37 },
};

interface State {
  file: string | undefined;
  format: LogFormat;
  debug: boolean;
  /** The opened log file, once something was written to it. */
  fd: number | undefined;
  /** Whether each fd written to is a terminal, asked once per fd. */
  terminal: Map<number, boolean>;
}

const state: State = { file: undefined, format: "text", debug: false, fd: undefined, terminal: new Map() };

// The colored form counts seconds from start-up, as logrus does.
const started = Date.now();

/** Sets where and how to log. Opens nothing: the file is opened on first use. */
export function configureLog(config: LogConfig): void {
  if (state.fd !== undefined) closeFd(state.fd);
  // Made absolute now because the runtime may change directory before it logs.
  state.file = config.file ? absolute(config.file) : undefined;
  state.format = config.format;
  state.debug = config.debug;
  state.fd = undefined;
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${process.cwd()}/${path}`;
}

const O_WRONLY = 0o1;
const O_CREAT = 0o100;
const O_APPEND = 0o2000;

/** The fd entries go to; falls back to stderr when the file cannot be opened. */
function target(): number {
  if (state.file === undefined) return STDERR;
  if (state.fd === undefined) {
    try {
      // O_APPEND keeps lines whole when several runtime processes share the file.
      // runc also sets O_SYNC; that only matters for a machine crash, and costs a disk flush per line.
      state.fd = openFile(state.file, O_WRONLY | O_CREAT | O_APPEND, 0o644);
    } catch {
      return STDERR;
    }
  }
  return state.fd;
}

function isTerminalCached(fd: number): boolean {
  let known = state.terminal.get(fd);
  if (known === undefined) {
    known = isTerminal(fd);
    state.terminal.set(fd, known);
  }
  return known;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

// A zone means UTC when the last part of its name (a zoneinfo path's
// too: ".../Etc/UTC"), less an optional "0" ("GMT0"), is one of these.
// Compared as strings: a regular expression is compiled on first use,
// which a command that logs one line would pay for that line.
function isUtcName(name: string): boolean {
  const end = name.endsWith("0") ? name.length - 1 : name.length;
  const zone = name.slice(name.lastIndexOf("/") + 1, end);
  return zone === "UTC" || zone === "UCT" || zone === "Universal" || zone === "Zulu" || zone === "GMT";
}

/**
 * Asking the JS engine for the time zone loads ICU's zone data, a few
 * milliseconds on every failing command: skip it when the zone is UTC by
 * $TZ or by the /etc/localtime link (as on most container hosts).
 */
function zoneIsUtc(tz: string | undefined): boolean {
  if (tz !== undefined) return tz === "" || isUtcName(tz.startsWith(":") ? tz.slice(1) : tz);
  try {
    return isUtcName(readLink("/etc/localtime"));
  } catch (e) {
    return (e as { errnoName?: string }).errnoName === "ENOENT"; // no zone file: UTC
  }
}

// The answer for the $TZ it was worked out under: every line of a command
// asks, and the link is read once.
let utcTz: string | undefined;
let utc: boolean | undefined;

function isUtc(): boolean {
  const tz = process.env.TZ;
  if (utc === undefined || utcTz !== tz) {
    utc = zoneIsUtc(tz);
    utcTz = tz;
  }
  return utc;
}

/** Whether fd is a terminal. node:tty would answer too, but loading it
 * costs every command several MB. */
function isTerminal(fd: number): boolean {
  try {
    return /^\/dev\/(pts\/\d+|tty\w*|console)$/.test(readLink(`/proc/self/fd/${fd}`));
  } catch {
    return false;
  }
}

/** Go's time.RFC3339 in local time: seconds, and "Z" or "+hh:mm". */
export function rfc3339(date: Date): string {
  const offset = isUtc() ? 0 : -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  return `${local}${offset > 0 ? "+" : "-"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

const QUOTE_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

/** Go's %q for the characters that occur in messages: controls are escaped, other text kept. */
export function goQuote(s: string): string {
  const escaped = s.toWellFormed().replace(/[\x00-\x1f\x7f\\"\u0080-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return QUOTE_ESCAPES[c] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
  return `"${escaped}"`;
}

// logrus' text format quotes a value unless it is made only of these.
const BARE = /^[A-Za-z0-9\-._/@^+]*$/;

const JSON_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
  "\\b": "\\u0008",
  "\\f": "\\u000c",
};

/** A JSON string as Go's encoding/json writes it: HTML characters escaped, no \b or \f. */
function goJsonString(s: string): string {
  const json = JSON.stringify(s.toWellFormed());
  // Most messages have nothing Go writes otherwise: no expression to compile for them.
  if (!json.includes("\\") && !json.includes("<") && !json.includes(">") && !json.includes("&") && !json.includes("\u2028") && !json.includes("\u2029")) return json;
  // Escape pairs are matched whole so the "\\b" of an escaped backslash is left alone.
  return json.replace(/\\.|[<>&\u2028\u2029]/g, (m) => JSON_ESCAPES[m] ?? m);
}

type Formatter = (level: LogLevel, msg: string, now: Date) => string;

const FORMATS: Record<"json" | "text" | "terminal", Formatter> = {
  // Keys in sorted order, as Go encodes a map.
  json: (level, msg, now) =>
    `{"level":"${LEVELS[level].name}","msg":${goJsonString(msg)},"time":"${rfc3339(now)}"}\n`,
  text: (level, msg, now) =>
    `time="${rfc3339(now)}" level=${LEVELS[level].name} msg=${BARE.test(msg) ? msg : goQuote(msg)}\n`,
  // logrus' colored layout, used for text written to a terminal.
  terminal: (level, msg, now) => {
    const { tag, color } = LEVELS[level];
    const seconds = String(Math.floor((now.getTime() - started) / 1000)).padStart(4, "0");
    const text = msg.endsWith("\n") ? msg.slice(0, -1) : msg;
    const padding = " ".repeat(Math.max(0, 44 - [...text].length));
    return `\x1b[${color}m${tag}\x1b[0m[${seconds}] ${text}${padding} \n`;
  },
};

/** Formats one entry for the given fd; exported for tests. */
export function formatEntry(level: LogLevel, msg: string, now: Date, format: LogFormat, terminal: boolean): string {
  return FORMATS[format === "json" ? "json" : terminal ? "terminal" : "text"](level, msg, now);
}

/** Writes one entry; returns the fd it went to. */
function emit(level: LogLevel, msg: string): number {
  const fd = target();
  const line = formatEntry(level, msg, new Date(), state.format, state.format === "text" && isTerminalCached(fd));
  try {
    writeAll(fd, line);
  } catch {
    // A full disk or closed stderr must not turn logging into a second failure.
  }
  return fd;
}

/** Whether debug entries are written: what only they would show need not be computed otherwise. */
export function debugging(): boolean {
  return state.debug;
}

export const log = {
  error: (msg: string): void => void emit("error", msg),
  warn: (msg: string): void => void emit("warn", msg),
  info: (msg: string): void => void emit("info", msg),
  debug: (msg: string): void => {
    if (state.debug) emit("debug", msg);
  },
};

/**
 * Reports the error that ends a command, as runc's fatal() does: one error
 * entry in the log, and, when that entry did not go to stderr, the bare
 * message on stderr so a person running the command still sees it.
 */
export function reportError(message: string): void {
  if (emit("error", message) === STDERR) return;
  try {
    writeAll(STDERR, `${message}\n`);
  } catch {
    // Nothing left to tell.
  }
}
