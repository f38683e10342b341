import { afterAll, describe, expect, test } from "bun:test";
import Ajv from "ajv-draft-04";
import standaloneCode from "ajv/dist/standalone";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inlineSchemaPaths, requiresToImports } from "./gen.ts";

const scratch = mkdtempSync(join(tmpdir(), "spec-gen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const checkedIn = join(import.meta.dir, "generated");

describe("spec/gen.ts", () => {
  test("regenerating gives exactly the checked-in files", () => {
    const out = join(scratch, "generated");
    const run = Bun.spawnSync([process.execPath, join(import.meta.dir, "gen.ts"), out], { stderr: "pipe" });
    expect(run.stderr.toString()).toBe("");
    expect(run.exitCode).toBe(0);

    const fresh = readdirSync(out).sort();
    expect(fresh).toEqual(readdirSync(checkedIn).sort());
    expect(fresh.length).toBeGreaterThan(0);
    for (const name of fresh) {
      const same = readFileSync(join(out, name)).equals(readFileSync(join(checkedIn, name)));
      if (!same) throw new Error(`spec/generated/${name} is out of date: run bun spec/gen.ts`);
    }
  });

  test("generated validators are plain ESM with no require", () => {
    for (const name of readdirSync(checkedIn).filter((n) => n.endsWith(".js"))) {
      const code = readFileSync(join(checkedIn, name), "utf8");
      expect(code).not.toContain("require(");
      expect(code).toContain("export default");
    }
  });

  test("runtime helpers the standalone code requires become imports that work", async () => {
    // minLength and uniqueItems need ajv's ucs2length and equal helpers; the
    // vendored schemas need neither today, so exercise the rewrite here.
    const ajv = new Ajv({ strict: false, code: { source: true, esm: true } });
    const compiled = ajv.compile({
      type: "object",
      properties: { name: { type: "string", minLength: 2 }, tags: { type: "array", uniqueItems: true } },
    });
    const raw = standaloneCode(ajv, compiled);
    expect(raw).toContain("require(");
    const code = requiresToImports(raw);
    expect(code).not.toContain("require(");

    // The scratch directory has no node_modules: point the imports at the project's ajv.
    const resolved = code.replace(
      /from "(ajv\/[^"]+)"/g,
      (_m, specifier: string) => `from "${Bun.resolveSync(specifier, import.meta.dir)}"`,
    );
    const file = join(scratch, "rewrite-check.js");
    await Bun.write(file, resolved);
    const validate = (await import(file)).default as (v: unknown) => boolean;
    expect(validate({ name: "ab", tags: [1, 2] })).toBe(true);
    expect(validate({ name: "a" })).toBe(false);
    expect(validate({ name: "ab", tags: [1, 1] })).toBe(false);
  });

  test("an unknown require is refused rather than left in", () => {
    expect(() => requiresToImports('const x = require("fs");')).toThrow("unexpected require");
  });

  test("schema constants: a path into one becomes its value, unused ones go", () => {
    const code = [
      'const schema11 = {"properties":{"class":{"enum":["A","B"]}}};',
      'const schema12 = {"type":"string"};',
      'const schema13 = {"enum":["x"]};',
      "function validate10(data) { return [schema11.properties.class.enum, schema13.enum]; }",
      "",
    ].join("\n");
    const out = inlineSchemaPaths(code);
    expect(out).toBe(['const schema13 = {"enum":["x"]};', 'function validate10(data) { return [["A","B"], schema13.enum]; }', ""].join("\n"));
    expect(() => inlineSchemaPaths('const schema11 = {"a":{}};\nf(schema11.a.b);\n')).toThrow("missing schema11.a.b");
  });
});
