import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type BundleFiles } from "../../spec/load.ts";
import { bundleFiles } from "./bundle-files.ts";

const scratch = mkdtempSync(join(tmpdir(), "bundle-files-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const nodeFiles: BundleFiles = { isDirectory: (p) => statSync(p).isDirectory(), readText: (p) => readFileSync(p, "utf8") };

function outcome(dir: string, files: BundleFiles): string {
  try {
    return JSON.stringify(loadConfig(dir, files));
  } catch (e) {
    return `${(e as Error).message} | ${(e as { hint?: string }).hint ?? ""}`;
  }
}

test("the runtime's file calls read a bundle as Node's fs does, failures worded alike", () => {
  const ok = join(scratch, "ok");
  mkdirSync(ok);
  writeFileSync(join(ok, "config.json"), JSON.stringify({ ociVersion: "1.0.2", root: { path: "rootfs" }, process: { cwd: "/" } }));
  const noConfig = join(scratch, "empty");
  mkdirSync(noConfig);
  const configDir = join(scratch, "dir");
  mkdirSync(join(configDir, "config.json"), { recursive: true });
  const aFile = join(scratch, "file");
  writeFileSync(aFile, "x");
  for (const dir of [ok, noConfig, configDir, aFile, join(scratch, "missing")]) {
    expect(outcome(dir, bundleFiles)).toBe(outcome(dir, nodeFiles));
  }
});
