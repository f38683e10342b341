import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeError } from "../runtime/errors.ts";
import { loadConfig as loadWith, type BundleFiles } from "./load.ts";

const nodeFiles: BundleFiles = { isDirectory: (p) => statSync(p).isDirectory(), readText: (p) => readFileSync(p, "utf8") };
const loadConfig = (dir: string) => loadWith(dir, nodeFiles);

const scratch = mkdtempSync(join(tmpdir(), "spec-load-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let bundles = 0;
/** A fresh bundle directory holding `config` as config.json, if given. */
function bundle(config?: string): string {
  const dir = join(scratch, `bundle${bundles++}`);
  mkdirSync(dir);
  if (config !== undefined) writeFileSync(join(dir, "config.json"), config);
  return dir;
}

function failure(bundleDir: string): RuntimeError {
  try {
    loadConfig(bundleDir);
  } catch (err) {
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe("INVALID_CONFIG");
    return err as RuntimeError;
  }
  throw new Error("config was accepted");
}

describe("loadConfig", () => {
  test("reads a valid config", () => {
    const dir = bundle(JSON.stringify({ ociVersion: "1.3.0", root: { path: "rootfs" }, process: { cwd: "/" } }));
    const spec = loadConfig(dir);
    expect(spec.ociVersion).toBe("1.3.0");
    expect(spec.root?.path).toBe("rootfs");
  });

  test("missing bundle directory", () => {
    const dir = join(scratch, "nope");
    expect(failure(dir).message).toBe(`stat ${dir}: no such file or directory`);
  });

  test("bundle that is a file", () => {
    const file = join(scratch, "plain-file");
    writeFileSync(file, "");
    expect(failure(file).message).toBe(`stat ${file}: not a directory`);
  });

  test("missing config.json", () => {
    const dir = bundle();
    const err = failure(dir);
    expect(err.message).toBe(`open ${dir}/config.json: no such file or directory`);
    expect(err.hint).toBe("JSON specification file config.json not found");
  });

  test("config.json that is a directory", () => {
    const dir = bundle();
    mkdirSync(join(dir, "config.json"));
    expect(failure(dir).message).toBe(`read ${dir}/config.json: is a directory`);
  });

  test("invalid JSON", () => {
    expect(failure(bundle("{]")).message).toBe("config.json: invalid JSON at line 1, column 2: expected a string as object key");
    expect(failure(bundle('{\n  "a": 1,\n  "b": x\n}')).message).toBe(
      `config.json: invalid JSON at line 3, column 8: unexpected character "x"`,
    );
    expect(failure(bundle('{"a": 1')).message).toBe("config.json: invalid JSON at line 1, column 8: unexpected end of input");
  });

  test("nesting too deep for the validators is refused quickly", () => {
    const depth = 100_000;
    const started = Date.now();
    const message = failure(bundle(`{"x":${"[".repeat(depth)}${"]".repeat(depth)}}`)).message;
    expect(message).toBe("config.json: invalid JSON at line 1, column 105: nesting deeper than 100 levels");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("a NUL byte in any string is named by its field", () => {
    const dir = bundle(JSON.stringify({ ociVersion: "1.3.0", root: { path: "rootfs" }, linux: { cgroupsPath: "/a\u0000b" } }));
    expect(failure(dir).message).toBe("config.json: linux.cgroupsPath contains a NUL byte");
  });

  test("schema violation", () => {
    const dir = bundle(JSON.stringify({ ociVersion: "1.3.0", process: { args: "sh", cwd: "/" } }));
    expect(failure(dir).message).toBe("config.json: /process/args: must be array");
  });

  test("missing ociVersion", () => {
    const dir = bundle(JSON.stringify({ root: { path: "rootfs" } }));
    expect(failure(dir).message).toBe("config.json: /: must have required property 'ociVersion'");
  });
});
