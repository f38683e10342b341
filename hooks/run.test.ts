import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeError } from "../runtime/errors.ts";
import { configureLog } from "../runtime/log.ts";
import type { Hook, Hooks } from "../spec/types.ts";
import { commandOf, envOf, runHooks } from "./run.ts";
import { hookState } from "./state.ts";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hooks-test-"));
});
afterEach(() => {
  configureLog({ format: "text", debug: false });
  rmSync(dir, { recursive: true, force: true });
});

/** A shell script hook in the test directory; returns its path. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const read = (name: string) => readFileSync(join(dir, name), "utf8");

const state = hookState({ ociVersion: "1.3.0", id: "c1", status: "creating", pid: 42, bundle: "/b" });

/** Runs a phase, returning the error it threw (or undefined). */
function attempt(name: keyof Hooks, hooks: Hooks): unknown {
  try {
    runHooks(name, hooks, state);
    return undefined;
  } catch (e) {
    return e;
  }
}

describe("runHooks", () => {
  test("no hooks: nothing to do", () => {
    expect(() => runHooks("createRuntime", undefined, state)).not.toThrow();
    expect(() => runHooks("createRuntime", {}, state)).not.toThrow();
    expect(() => runHooks("createRuntime", { createRuntime: [] }, state)).not.toThrow();
  });

  test("runs a phase's hooks in order, and only that phase's", () => {
    const log = join(dir, "order");
    const hook = (tag: string): Hook => ({ path: "/bin/sh", args: ["sh", "-c", `echo ${tag} >> ${log}`] });
    runHooks("createRuntime", { createRuntime: [hook("a"), hook("b"), hook("c")], poststop: [hook("x")] }, state);
    expect(read("order")).toBe("a\nb\nc\n");
  });

  test("the state document arrives on stdin, as runc encodes it", () => {
    const path = script("stdin", `cat > ${dir}/got`);
    const doc = hookState({ ociVersion: "1.3.0", id: "c1", status: "created", pid: 7, bundle: "/b&<>", annotations: { k: "v" } });
    runHooks("poststart", { poststart: [{ path }] }, doc);
    const got = read("got");
    expect(got).toBe('{"ociVersion":"1.3.0","id":"c1","status":"created","pid":7,"bundle":"/b\\u0026\\u003c\\u003e","annotations":{"k":"v"}}');
    expect(JSON.parse(got)).toEqual(doc);
  });

  test("args[0] is the hook's argv[0]; the rest are its arguments, unchanged", () => {
    const path = script("args", `printf '%s|' "$0" "$@" > ${dir}/got`);
    // A shell script sees its own path as $0, so check argv[0] with a binary.
    runHooks("createRuntime", { createRuntime: [{ path, args: ["name", "a b", "", "*"] }] }, state);
    expect(read("got")).toBe(`${path}|a b||*|`);
    runHooks("createRuntime", { createRuntime: [{ path: "/bin/sh", args: ["custom-name", "-c", `echo "$0" > ${dir}/argv0`] }] }, state);
    expect(read("argv0")).toBe("custom-name\n");
  });

  test("without args, argv is the path alone", () => {
    const path = script("noargs", `echo "$#" > ${dir}/got`);
    runHooks("createRuntime", { createRuntime: [{ path }] }, state);
    expect(read("got")).toBe("0\n");
  });

  test("env is exactly hook.env", () => {
    const path = "/usr/bin/env";
    runHooks("createRuntime", { createRuntime: [{ path: "/bin/sh", args: ["sh", "-c", `${path} > ${dir}/got`], env: ["A=1", "B=x=y", "A=2"] }] }, state);
    // sh itself adds PWD, as it does under runc.
    const vars = read("got").trim().split("\n").filter((l) => !l.startsWith("PWD="));
    expect(vars.sort()).toEqual(["A=2", "B=x=y"]);
  });

  test("an empty env list is an empty environment; no env inherits the runtime's", () => {
    process.env.HOOK_TEST_MARK = "inherited";
    try {
      const hook = (env?: string[]): Hook => ({ path: "/bin/sh", args: ["sh", "-c", `echo "[$HOOK_TEST_MARK]" >> ${dir}/got`], ...(env ? { env } : {}) });
      runHooks("createRuntime", { createRuntime: [hook([]), hook()] }, state);
    } finally {
      delete process.env.HOOK_TEST_MARK;
    }
    expect(read("got")).toBe("[]\n[inherited]\n");
  });

  test("a failing hook fails the phase with runc's wording and stops it", () => {
    const hooks: Hooks = {
      createRuntime: [
        { path: "/bin/true" },
        { path: "/bin/sh", args: ["sh", "-c", "echo out; echo err >&2; exit 3"] },
        { path: "/bin/sh", args: ["sh", "-c", `touch ${dir}/third`] },
      ],
    };
    const err = attempt("createRuntime", hooks);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe("HOOK");
    expect((err as RuntimeError).message).toBe(
      "unable to start container process: error during container init: error running hook #1: error running hook: exit status 3, stdout: out\n, stderr: err\n",
    );
    expect(() => read("third")).toThrow();
  });

  test("a hook killed by a signal is reported as Go reports it", () => {
    const err = attempt("poststart", { poststart: [{ path: "/bin/sh", args: ["sh", "-c", "kill -TERM $$"] }] });
    expect((err as Error).message).toBe("error running hook #0: error running hook: signal: terminated, stdout: , stderr: ");
  });

  test("a hook that cannot be executed", () => {
    const err = attempt("startContainer", { startContainer: [{ path: join(dir, "missing") }] });
    expect((err as Error).message).toBe(`error running hook #0: fork/exec ${join(dir, "missing")}: no such file or directory`);
    writeFileSync(join(dir, "plain"), "not executable");
    const denied = attempt("startContainer", { startContainer: [{ path: join(dir, "plain") }] });
    expect((denied as Error).message).toBe(`error running hook #0: fork/exec ${join(dir, "plain")}: permission denied`);
  });

  test("a hook past its timeout is killed, with what it started", () => {
    const path = script("slow", `sleep 5 & echo $! > ${dir}/child; sleep 5`);
    const started = performance.now();
    const err = attempt("createRuntime", { createRuntime: [{ path, timeout: 1 }] });
    const took = performance.now() - started;
    expect(took).toBeLessThan(3000);
    expect(took).toBeGreaterThanOrEqual(900);
    expect((err as Error).message).toBe(
      "unable to start container process: error during container init: error running hook #0: hook ran past specified timeout of 1.0s",
    );
    // Killed: gone, or a zombie until whoever inherited it reaps it.
    const child = read("child").trim();
    Bun.sleepSync(50);
    let state = "gone";
    try {
      state = readFileSync(`/proc/${child}/stat`, "utf8").replace(/^.*\) /s, "")[0] ?? "";
    } catch {
      // gone
    }
    expect(["gone", "Z", "X"]).toContain(state);
  });

  test("a hook within its timeout succeeds", () => {
    expect(attempt("createRuntime", { createRuntime: [{ path: "/bin/true", timeout: 5 }] })).toBeUndefined();
  });

  test("poststop failures are warnings and the next hooks still run", () => {
    const logFile = join(dir, "log.json");
    configureLog({ file: logFile, format: "json", debug: false });
    const hooks: Hooks = {
      poststop: [
        { path: "/bin/sh", args: ["sh", "-c", "exit 5"] },
        { path: join(dir, "missing") },
        { path: "/bin/sh", args: ["sh", "-c", `touch ${dir}/ran`] },
      ],
    };
    expect(attempt("poststop", hooks)).toBeUndefined();
    expect(read("ran")).toBe("");
    const lines = readFileSync(logFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.map((l) => l.level)).toEqual(["warning", "warning"]);
    expect(lines[0]?.msg).toBe("error running hook #0: error running hook: exit status 5, stdout: , stderr: ");
    expect(lines[1]?.msg).toStartWith("error running hook #1: fork/exec ");
  });

  test("cwd and wrap", () => {
    const seen: string[][] = [];
    const wrap = (argv: string[], path: string) => {
      seen.push([path, ...argv]);
      return ["/bin/sh", "-c", 'pwd > got; shift; echo "$@" >> got', "sh", path, ...argv];
    };
    runHooks("createContainer", { createContainer: [{ path: "/x/hook", args: ["hook", "one"] }] }, state, { wrap, cwd: dir });
    expect(seen).toEqual([["/x/hook", "hook", "one"]]);
    expect(read("got")).toBe(`${dir}\nhook one\n`);
  });
});

describe("helpers", () => {
  test("commandOf: a bare name is not looked up in $PATH", () => {
    expect(commandOf({ path: "hook" })).toEqual({ cmd: ["./hook"], argv0: "hook" });
    expect(commandOf({ path: "/h", args: [] })).toEqual({ cmd: ["/h"], argv0: "/h" });
    expect(commandOf({ path: "/h", args: ["n", "a"] })).toEqual({ cmd: ["/h", "a"], argv0: "n" });
  });

  test("envOf", () => {
    expect(envOf(undefined)).toBe(process.env);
    expect(envOf([])).toEqual({});
    expect(envOf(["A=1", "NOEQ", "=x", "A=3", "E="])).toEqual({ A: "3", E: "" });
  });

  test("hookState omits what runc omits, in runc's key order", () => {
    const doc = hookState({ ociVersion: "1.3.0", id: "c", status: "stopped", pid: 0, bundle: "/b", annotations: {} });
    expect(JSON.stringify(doc)).toBe('{"ociVersion":"1.3.0","id":"c","status":"stopped","bundle":"/b"}');
  });
});
