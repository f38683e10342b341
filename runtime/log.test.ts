import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configureLog, formatEntry, goQuote, log, reportError, rfc3339 } from "./log.ts";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const at = new Date(Date.UTC(2026, 10, 27, 19, 30, 0));

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "log-test-"));
});
afterEach(() => {
  configureLog({ format: "text", debug: false });
  rmSync(dir, { recursive: true, force: true });
});

/** Each line of a JSON log file, decoded. */
function entries(file: string): Record<string, unknown>[] {
  const text = readFileSync(file, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Runs fn with the process in another time zone (Bun applies TZ changes at once). */
function inZone<T>(zone: string, fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

describe("rfc3339", () => {
  test.each([
    ["UTC", "2026-11-27T19:30:00Z"],
    ["GMT0", "2026-11-27T19:30:00Z"],
    [":Etc/UTC", "2026-11-27T19:30:00Z"],
    ["Europe/Lisbon", "2026-11-27T19:30:00Z"],
    ["Asia/Kolkata", "2026-11-28T01:00:00+05:30"],
    ["America/New_York", "2026-11-27T14:30:00-05:00"],
  ])("in %s", (zone, want) => {
    expect(inZone(zone, () => rfc3339(at))).toBe(want);
  });

  test("no fractional seconds", () => {
    expect(rfc3339(new Date())).toMatch(RFC3339);
  });
});

describe("json format", () => {
  test("one object per line, keys in runc's order", () => {
    const line = inZone("UTC", () => formatEntry("error", "container does not exist", at, "json", false));
    expect(line).toBe('{"level":"error","msg":"container does not exist","time":"2026-11-27T19:30:00Z"}\n');
  });

  test("escapes as Go's encoding/json", () => {
    const line = formatEntry("error", 'flag -bo<g>& "q" \\b \b\f\n\t\u2028', at, "json", false);
    expect(line).toContain(String.raw`"msg":"flag -bo\u003cg\u003e\u0026 \"q\" \\b \u0008\u000c\n\t\u2028"`);
    expect((JSON.parse(line) as { msg: string }).msg).toBe('flag -bo<g>& "q" \\b \b\f\n\t\u2028');
  });

  test("warn is logrus' warning", () => {
    expect(JSON.parse(formatEntry("warn", "w", at, "json", false))).toMatchObject({ level: "warning" });
  });
});

describe("text format", () => {
  test("logrus key=value line", () => {
    const line = inZone("UTC", () => formatEntry("error", "container does not exist", at, "text", false));
    expect(line).toBe('time="2026-11-27T19:30:00Z" level=error msg="container does not exist"\n');
  });

  test("values quoted only when needed, with Go's escapes", () => {
    expect(formatEntry("info", "plain-word_1.2/x@y", at, "text", false)).toEndWith(" level=info msg=plain-word_1.2/x@y\n");
    expect(formatEntry("warn", "", at, "text", false)).toEndWith(" level=warning msg=\n");
    expect(formatEntry("error", 'invalid log-format: x"y\\', at, "text", false)).toEndWith(
      String.raw` msg="invalid log-format: x\"y\\"` + "\n",
    );
  });

  test("goQuote escapes controls like %q", () => {
    expect(goQuote("a\nb\tc\x00\x1b\x7f\u0085é")).toBe(`${String.raw`"a\nb\tc\x00\x1b\x7f\u0085`}é"`);
  });

  test("on a terminal: colored level, seconds since start, message padded to 44", () => {
    // The counter is seconds since the module loaded: in a long test run, not always 0.
    const line = formatEntry("error", "container does not exist", new Date(), "text", true).replace(/\[\d{4}\]/, "[0000]");
    expect(line).toBe(`\x1b[31mERRO\x1b[0m[0000] ${"container does not exist".padEnd(44)} \n`);
    const warn = formatEntry("warn", "w", new Date(), "text", true);
    expect(warn).toMatch(/^\x1b\[33mWARN\x1b\[0m\[\d{4}\] w /);
  });
});

describe("log file", () => {
  test("json: every call appends exactly one line", () => {
    const file = join(dir, "log.json");
    writeFileSync(file, '{"level":"info","msg":"earlier","time":"2026-01-01T00:00:00Z"}\n');
    configureLog({ file, format: "json", debug: false });
    log.info("starting");
    log.warn("careful");
    log.debug("not shown without --debug");
    log.error("container does not exist");
    const lines = entries(file);
    expect(lines.map((e) => [e.level, e.msg])).toEqual([
      ["info", "earlier"],
      ["info", "starting"],
      ["warning", "careful"],
      ["error", "container does not exist"],
    ]);
    for (const e of lines) {
      expect(Object.keys(e)).toEqual(["level", "msg", "time"]);
      expect(e.time).toMatch(RFC3339);
    }
    expect(lines.filter((e) => e.level === "error")).toHaveLength(1);
  });

  test("debug lines with --debug", () => {
    const file = join(dir, "log.json");
    configureLog({ file, format: "json", debug: true });
    log.debug("detail");
    expect(entries(file)).toMatchObject([{ level: "debug", msg: "detail" }]);
  });

  test("text format lines", () => {
    const file = join(dir, "log.txt");
    configureLog({ file, format: "text", debug: false });
    log.error("boom");
    expect(readFileSync(file, "utf8")).toMatch(/^time="[^"]+" level=error msg=boom\n$/);
  });

  test("opened only when something is written", () => {
    const file = join(dir, "lazy.json");
    configureLog({ file, format: "json", debug: false });
    log.debug("dropped");
    expect(existsSync(file)).toBe(false);
    log.info("now");
    expect(existsSync(file)).toBe(true);
  });

  test("a relative path is fixed when configured, not when first written", () => {
    const saved = process.cwd();
    process.chdir(dir);
    try {
      configureLog({ file: "rel.json", format: "json", debug: false });
      process.chdir(tmpdir());
      log.info("x");
    } finally {
      process.chdir(saved);
    }
    expect(entries(join(dir, "rel.json"))).toHaveLength(1);
  });
});

/** Runs a script that uses the logger in a child, to see what reaches stderr. */
function runChild(body: string): { stderr: string; stdout: string } {
  const script = `import { configureLog, log, reportError } from ${JSON.stringify(join(import.meta.dir, "log.ts"))};\n${body}`;
  const child = Bun.spawnSync([process.execPath, "-e", script], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TZ: "UTC" } });
  return { stderr: child.stderr.toString(), stdout: child.stdout.toString() };
}

describe("reportError on stderr (as runc 1.1 prints)", () => {
  test("without --log: the text entry itself", () => {
    const { stderr, stdout } = runChild(`reportError("container does not exist");`);
    expect(stderr).toMatch(/^time="[^"]+Z" level=error msg="container does not exist"\n$/);
    expect(stdout).toBe("");
  });

  test("without --log, json: the json entry", () => {
    const { stderr } = runChild(`configureLog({ format: "json", debug: false }); reportError("no");`);
    expect(JSON.parse(stderr)).toMatchObject({ level: "error", msg: "no" });
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  test("with --log: the bare message on stderr, one entry in the file", () => {
    const file = join(dir, "log.json");
    const { stderr } = runChild(
      `configureLog({ file: ${JSON.stringify(file)}, format: "json", debug: false }); reportError("container does not exist");`,
    );
    expect(stderr).toBe("container does not exist\n");
    expect(entries(file)).toMatchObject([{ level: "error", msg: "container does not exist" }]);
  });

  test("log messages go to the file only", () => {
    const file = join(dir, "log.json");
    const { stderr } = runChild(`configureLog({ file: ${JSON.stringify(file)}, format: "json", debug: true }); log.warn("w"); log.debug("d");`);
    expect(stderr).toBe("");
    expect(entries(file)).toHaveLength(2);
  });

  test("a log file that cannot be opened falls back to one entry on stderr", () => {
    const file = join(dir, "missing-dir", "log.json");
    const { stderr } = runChild(`configureLog({ file: ${JSON.stringify(file)}, format: "json", debug: false }); reportError("x");`);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(stderr)).toMatchObject({ level: "error", msg: "x" });
  });
});
