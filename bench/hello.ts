// The floor for any `bun build --compile` program: a hello-world compiled
// with exactly the flags runb's own build uses, read from the justfile's
// `build` recipe so that the two cannot drift apart.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Flags of the build command that name runb's inputs or outputs, with their values. */
const NOT_COPIED = new Set(["--define", "--outfile"]);

/**
 * The `bun build` flags of the justfile's `build` recipe, less --define and
 * --outfile (runb's own). Any other flag must be written `--flag=value`:
 * a lone word is taken for the entry point, and a second one is an error
 * rather than a guess.
 */
export function buildFlags(justfile: string): string[] {
  const text = readFileSync(justfile, "utf8");
  const recipe = /^build\b[^\n]*:[^\n]*\n((?:[ \t]+[^\n]*\n?)+)/m.exec(text)?.[1];
  const command = recipe?.split("\n").find((l) => /\bbuild\b.*--compile/.test(l));
  if (!command) throw new Error(`no \`bun build --compile\` line in the build recipe of ${justfile}`);
  const words = shellWords(command.trim());
  const flags: string[] = [];
  let entry: string | undefined;
  for (let i = words.indexOf("build") + 1; i < words.length; i++) {
    const w = words[i] as string;
    if (NOT_COPIED.has(w)) i++;
    else if (w.startsWith("-")) flags.push(w);
    else if (entry === undefined) entry = w;
    else throw new Error(`cannot read the build flags of ${justfile}: both ${entry} and ${w} look like entry points`);
  }
  if (!flags.includes("--compile")) throw new Error(`the build recipe of ${justfile} has no --compile`);
  return flags;
}

/** Splits a command line into words, honouring single and double quotes (no escapes: the recipe has none). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /(?:[^\s'"]+|'[^']*'|"[^"]*")+/g;
  for (const m of line.matchAll(re)) words.push(m[0].replace(/'([^']*)'|"([^"]*)"/g, "$1$2"));
  return words;
}

/** Builds the hello-world in dir with runb's build flags; returns the binary's path and the flags used. */
export function buildHello(bun: string, justfile: string, dir: string): { bin: string; flags: string[] } {
  const flags = buildFlags(justfile);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "hello.ts"), 'console.log("hello");\n');
  const r = spawnSync(bun, ["build", ...flags, "hello.ts", "--outfile", "hello"], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bun build ${flags.join(" ")} hello.ts failed: ${r.stderr}`);
  return { bin: join(dir, "hello"), flags };
}
