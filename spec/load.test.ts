import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeError } from "../runtime/errors.ts";
import { loadConfig } from "./load.ts";

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
    const message = failure(bundle("{]")).message;
    expect(message).toStartWith("config.json: invalid JSON: ");
    expect(message.length).toBeGreaterThan("config.json: invalid JSON: ".length);
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
