// Imports point one way: spec, errors and paths → linux/ffi → cgroups, hooks →
// rootfs, process → container → cli → main. And only linux/ffi.ts touches
// bun:ffi.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const top = join(import.meta.dir, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sources(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

const files = ["runtime", "spec", "hooks"].flatMap((d) => sources(join(top, d))).map((f) => relative(top, f));
const importsOf = (file: string) =>
  [...readFileSync(join(top, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
const resolved = (file: string, spec: string) => (spec.startsWith(".") ? relative(top, join(top, file, "..", spec)) : spec);

/** Which layer a file is in; a file may import its own layer and lower ones. */
function layer(file: string): number {
  if (file.startsWith("spec/") || file === "runtime/errors.ts" || file === "runtime/linux/paths.ts" || file === "runtime/chars.ts") return 0;
  if (file.startsWith("runtime/linux/") || file === "runtime/log.ts" || file === "runtime/timing.ts" || file === "runtime/version.ts") return 1;
  if (file.startsWith("runtime/cgroups/") || file.startsWith("hooks/")) return 2;
  if (file.startsWith("runtime/process/") || file.startsWith("runtime/features/")) return 3;
  if (file.startsWith("runtime/container/")) return 4;
  if (file.startsWith("runtime/cli/")) return 5;
  return 6; // main.ts and anything else at the top
}

test("no module imports from a layer above its own", () => {
  // The scan sees real imports (a check that it is not looking at nothing).
  expect(importsOf("runtime/container/create.ts")).toContain("../process/plan.ts");
  expect(layer("runtime/process/plan.ts")).toBeGreaterThan(layer("runtime/linux/ffi.ts"));
  const upward: string[] = [];
  for (const file of files) {
    for (const spec of importsOf(file)) {
      const target = resolved(file, spec);
      if (!target.endsWith(".ts")) continue;
      // linux/rootfs.ts speaks the stage's protocol, which lives with the process code.
      if (target === "runtime/process/protocol.ts") continue;
      if (layer(target) > layer(file)) upward.push(`${file} → ${target}`);
    }
  }
  expect(upward).toEqual([]);
});

test("only linux/ffi.ts imports bun:ffi", () => {
  const users = files.filter((f) => importsOf(f).includes("bun:ffi"));
  expect(users).toEqual(["runtime/linux/ffi.ts"]);
});
