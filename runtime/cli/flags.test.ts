import { describe, expect, test } from "bun:test";
import { RuntimeError } from "../errors.ts";
import { defineCommand, formatOptions, globalArgs, type Parsed, parse, parseGlobal, usage } from "./flags.ts";

// Tables shaped like runc's own commands.
const run = defineCommand({
  name: "run",
  summary: "create and run a container",
  argsUsage: "<container-id>",
  flags: [
    { name: "bundle", short: "b", kind: "string", usage: "path to the root of the bundle directory" },
    { name: "detach", short: "d", kind: "bool", usage: "detach from the container's process" },
    { name: "preserve-fds", kind: "int", usage: "Pass N additional file descriptors" },
    { name: "pid-file", kind: "string", usage: "specify the file to write the process id to" },
    { name: "secret", kind: "bool", usage: "not shown", hidden: true },
  ],
});
const exec = defineCommand({
  name: "exec",
  summary: "execute new process inside the container",
  reorder: false,
  flags: [
    { name: "env", short: "e", kind: "stringList", usage: "set environment variables" },
    { name: "cap", short: "c", kind: "stringList", usage: "add a capability to the bounding set" },
    { name: "tty", short: "t", kind: "bool", usage: "allocate a pseudo-TTY" },
    { name: "cwd", kind: "string", usage: "current working directory in the container" },
  ],
});
const kill = defineCommand({
  name: "kill",
  summary: "kill sends the specified signal",
  argsUsage: "<container-id> [signal]",
  flags: [{ name: "all", short: "a", kind: "bool", usage: "send the specified signal to all processes" }],
});
const list = defineCommand({
  name: "list",
  summary: "lists containers",
  flags: [
    { name: "format", short: "f", kind: "string", default: "table", usage: "select one of: table or json" },
    { name: "quiet", short: "q", kind: "bool", usage: "display only container IDs" },
  ],
});

/** The message of the USAGE error that `fn` throws. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe("USAGE");
    return (err as RuntimeError).message;
  }
  throw new Error("expected a usage error");
}

describe("bool flags", () => {
  test.each([
    ["--detach", true], ["-detach", true], ["-d", true], ["--detach=true", true], ["--detach=false", false],
    ["-d=0", false], ["--detach=T", true], ["--detach=FALSE", false], ["", false],
  ] as const)("%j gives %p", (arg, want) => {
    expect(parse([arg, "id"].filter((a) => a !== ""), run).flags.detach).toBe(want);
  });

  test("a separate word is not a bool's value but a positional", () => {
    const p = parse(["--tty", "false", "id"], exec);
    expect(p.flags.tty).toBe(true);
    expect(p.args).toEqual(["false", "id"]);
  });

  test("bad bool value, in Go's words", () => {
    expect(usageMessage(() => parse(["--detach=maybe"], run))).toBe('invalid boolean value "maybe" for -detach: parse error');
    expect(usageMessage(() => parse(["-d="], run))).toBe('invalid boolean value "" for -d: parse error');
  });
});

describe("string flags", () => {
  test.each(["--bundle dir", "--bundle=dir", "-bundle dir", "-bundle=dir", "-b dir", "-b=dir", "--b dir"])(
    "%s sets bundle",
    (line) => {
      const p = parse([...line.split(" "), "id"], run);
      expect(p.flags.bundle).toBe("dir");
      expect(p.args).toEqual(["id"]);
      expect(p.given.has("bundle")).toBe(true);
    },
  );

  test("the next word is taken even when it looks like a flag", () => {
    expect(parse(["--bundle", "--detach", "id"], run).flags.bundle).toBe("--detach");
  });

  test("empty value after = and the last of repeated values", () => {
    expect(parse(["--bundle="], run).flags.bundle).toBe("");
    expect(parse(["--bundle", "a", "--bundle", "b"], run).flags.bundle).toBe("b");
  });

  test("defaults, and given only lists what was typed", () => {
    const p = parse([], list);
    expect(p.flags.format).toBe("table");
    expect(p.flags.quiet).toBe(false);
    expect(p.given.size).toBe(0);
    expect(parse([], run).flags.bundle).toBe("");
  });

  test("missing value", () => {
    expect(usageMessage(() => parse(["--bundle"], run))).toBe("flag needs an argument: -bundle");
    expect(usageMessage(() => parse(["-b"], run))).toBe("flag needs an argument: -b");
  });
});

describe("int flags", () => {
  test.each([
    ["10", 10], ["0x10", 16], ["0o17", 15], ["017", 15], ["0b101", 5], ["1_000", 1000], ["0x_1f", 31],
    ["-1", -1], ["+5", 5], ["0", 0], ["9223372036854775807", 2 ** 63], ["-9223372036854775808", -(2 ** 63)],
  ])("%s is %d", (text, want) => {
    expect(parse([`--preserve-fds=${text}`], run).flags["preserve-fds"]).toBe(want);
  });

  test.each(["abc", "_10", "1__0", "10_", "08", "0x", "1.5", ""])("%j is a parse error", (text) => {
    expect(usageMessage(() => parse(["--preserve-fds", text], run))).toBe(
      `invalid value ${JSON.stringify(text)} for flag -preserve-fds: parse error`,
    );
  });

  test("out of range", () => {
    expect(usageMessage(() => parse(["--preserve-fds", "9223372036854775808"], run))).toBe(
      'invalid value "9223372036854775808" for flag -preserve-fds: value out of range',
    );
  });
});

describe("string lists", () => {
  test("collect in order across spellings of one form", () => {
    const p = parse(["-e", "A=1", "-e=B=2", "-e", "C", "id", "sh"], exec);
    expect(p.list("env")).toEqual(["A=1", "B=2", "C"]);
    expect(p.flags.cap).toEqual([]);
  });

  test("long and short names of one flag may not be mixed", () => {
    expect(usageMessage(() => parse(["-e", "A", "--env", "B", "id"], exec))).toBe(
      "Cannot use two forms of the same flag: e env",
    );
    expect(usageMessage(() => parse(["-b", "x", "--bundle", "y", "id"], run))).toBe(
      "Cannot use two forms of the same flag: b bundle",
    );
  });
});

describe("where parsing stops", () => {
  test("exec stops at the first positional, so the program keeps its flags", () => {
    const p = parse(["--cwd", "/", "id", "sh", "-c", "echo x", "--tty"], exec);
    expect(p.flags.cwd).toBe("/");
    expect(p.flags.tty).toBe(false);
    expect(p.flags.cap).toEqual([]);
    expect(p.args).toEqual(["id", "sh", "-c", "echo x", "--tty"]);
  });

  test("-- ends the flags and is dropped", () => {
    expect(parse(["-t", "--", "-x", "--tty"], exec).args).toEqual(["-x", "--tty"]);
    expect(parse(["-d", "--", "id"], run).args).toEqual(["id"]);
  });

  test("a lone - is a positional", () => {
    expect(parse(["-", "-t"], exec).args).toEqual(["-", "-t"]);
  });

  test("other commands move known flags after positionals to the front", () => {
    const p = parse(["id", "--detach", "--bundle", "dir"], run);
    expect(p.flags.detach).toBe(true);
    expect(p.flags.bundle).toBe("dir");
    expect(p.args).toEqual(["id"]);
  });

  test("a word after a reordered flag goes with it, even after a bool", () => {
    // runc: `kill bad/id -a KILL` looks up the container "KILL".
    expect(parse(["bad/id", "-a", "KILL"], kill).args).toEqual(["KILL", "bad/id"]);
    expect(parse(["bad/id", "KILL", "-a"], kill).args).toEqual(["bad/id", "KILL"]);
  });

  test("unknown flags after a positional stay positional", () => {
    expect(parse(["id", "--bogus"], run).args).toEqual(["id", "--bogus"]);
  });

  test("-- stops reordering and everything after it is positional", () => {
    const p = parse(["id", "--", "--detach"], run);
    expect(p.flags.detach).toBe(false);
    expect(p.args).toEqual(["id", "--detach"]);
  });

  test("--help is accepted anywhere a flag is", () => {
    expect(parse(["id", "--help"], run).flags.help).toBe(true);
    expect(parse(["-h", "id"], exec).bool("help")).toBe(true);
    expect(parse(["id"], run).flags.help).toBe(false);
  });
});

describe("errors", () => {
  test.each([
    [["--bogus"], "flag provided but not defined: -bogus"],
    [["-x"], "flag provided but not defined: -x"],
    [["--bogus=1", "id"], "flag provided but not defined: -bogus"],
    [["---bundle"], "bad flag syntax: ---bundle"],
    [["-=x"], "bad flag syntax: -=x"],
    [["--=x"], "bad flag syntax: --=x"],
    [["-dt"], "flag provided but not defined: -dt"],
  ])("%j: %s", (argv, message) => {
    expect(usageMessage(() => parse(argv, run))).toBe(message);
  });
});

describe("typed access", () => {
  test("getters return the parsed values", () => {
    const p = parse(["--bundle", "b", "--preserve-fds", "3", "-d", "id"], run);
    expect(p.str("bundle")).toBe("b");
    expect(p.int("preserve-fds")).toBe(3);
    expect(p.bool("detach")).toBe(true);
    // @ts-expect-error detach is a bool, not a string
    p.str("detach");
    // @ts-expect-error no such flag
    void p.flags.nosuch;
    const fds: number = p.flags["preserve-fds"];
    expect(fds).toBe(3);
  });

  test("an untyped Parsed still has getters by any name", () => {
    const p: Parsed = parse(["-b", "x"], run);
    expect(p.str("bundle")).toBe("x");
  });
});

describe("parseGlobal", () => {
  test("defaults", () => {
    const { globals, command, rest } = parseGlobal(["state", "id"]);
    expect(globals).toEqual({
      root: "/run/runb",
      rootGiven: false,
      log: "",
      logFormat: "text",
      debug: false,
      systemdCgroup: false,
      rootless: "auto",
      criu: "criu",
      help: false,
      version: false,
    });
    expect(command).toBe("state");
    expect(rest).toEqual(["id"]);
  });

  test("flags before the command", () => {
    const { globals, command, rest } = parseGlobal([
      "--root", "/r", "-log", "l.json", "--log-format=json", "--debug", "--systemd-cgroup",
      "--rootless", "true", "--criu", "x", "create", "--bundle", "b", "id",
    ]);
    expect(globals).toMatchObject({ root: "/r", rootGiven: true, log: "l.json", logFormat: "json", debug: true });
    expect(globals).toMatchObject({ systemdCgroup: true, rootless: "true", criu: "x" });
    expect(command).toBe("create");
    expect(rest).toEqual(["--bundle", "b", "id"]);
  });

  test("global flags after the command belong to the command", () => {
    const { globals, command, rest } = parseGlobal(["state", "--root", "/x", "id"]);
    expect(globals.root).toBe("/run/runb");
    expect(command).toBe("state");
    expect(rest).toEqual(["--root", "/x", "id"]);
  });

  test("log-format must be text or json", () => {
    expect(usageMessage(() => parseGlobal(["--log-format", "xml", "state", "x"]))).toBe("invalid log-format: xml");
    expect(parseGlobal(["--log-format=", "state"]).globals.logFormat).toBe("text");
  });

  test("rootless is kept as given, checked where it is used", () => {
    expect(parseGlobal(["--rootless=maybe", "list"]).globals.rootless).toBe("maybe");
  });

  test("help, version, --, and no command", () => {
    expect(parseGlobal(["-v"]).globals.version).toBe(true);
    expect(parseGlobal(["--version=false"]).globals.version).toBe(false);
    expect(parseGlobal(["-h"]).globals.help).toBe(true);
    expect(parseGlobal(["--debug=false", "--", "state", "x"])).toMatchObject({ command: "state", rest: ["x"] });
    expect(parseGlobal([]).command).toBeUndefined();
    expect(parseGlobal(["--root", "--debug", "state"]).globals).toMatchObject({ root: "--debug", debug: false });
  });

  test("errors", () => {
    expect(usageMessage(() => parseGlobal(["--bogus", "state"]))).toBe("flag provided but not defined: -bogus");
    expect(usageMessage(() => parseGlobal(["--root"]))).toBe("flag needs an argument: -root");
    expect(usageMessage(() => parseGlobal(["--debug=notbool"]))).toBe('invalid boolean value "notbool" for -debug: parse error');
  });
});

describe("usage", () => {
  test("options are aligned, hidden ones and --help left out", () => {
    expect(formatOptions(run.flags)).toEqual([
      "--bundle value, -b value  path to the root of the bundle directory",
      "--detach, -d              detach from the container's process",
      "--preserve-fds value      Pass N additional file descriptors (default: 0)",
      "--pid-file value          specify the file to write the process id to",
    ]);
  });

  test("a command with options", () => {
    const text = usage(list, "runc");
    expect(text).toBe(
      "NAME:\n   runc list - lists containers\n\nUSAGE:\n   runc list [command options] [arguments...]\n\n" +
        "OPTIONS:\n" +
        '   --format value, -f value  select one of: table or json (default: "table")\n' +
        "   --quiet, -q               display only container IDs\n   \n",
    );
  });

  test("a command without options", () => {
    const state = defineCommand({
      name: "state",
      summary: "output the state of a container",
      argsUsage: "<container-id>",
      description: "The state command outputs current state information.",
      flags: [],
    });
    expect(usage(state)).toBe(
      "NAME:\n   runb state - output the state of a container\n\nUSAGE:\n   runb state <container-id>\n\n" +
        "DESCRIPTION:\n   The state command outputs current state information.\n",
    );
  });
});

describe("globalArgs", () => {
  test("gives back what parseGlobal read, so a later command of the runtime's sees the same options", () => {
    const given = ["--root", "/r", "--log", "/l.json", "--log-format", "json", "--debug", "--systemd-cgroup", "--rootless", "true"];
    const { globals } = parseGlobal([...given, "delete", "x"]);
    expect(globalArgs(globals)).toEqual(given);
    const again = parseGlobal([...globalArgs(globals), "delete", "x"]);
    expect({ ...again.globals, rootGiven: true }).toEqual({ ...globals, rootGiven: true });
  });

  test("defaults are left out", () => {
    expect(globalArgs(parseGlobal(["--root", "/r", "state", "x"]).globals)).toEqual(["--root", "/r"]);
  });
});
