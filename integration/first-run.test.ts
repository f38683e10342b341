// The README's install-and-build commands and .ci/run: they start with
// `apt-get update` (a stock image has no package lists), leave an installed
// Node.js alone (Debian's npm conflicts with one from elsewhere), and .ci/run
// installs what the README's test command does. The commands run here for
// real, in bash, against stand-ins for apt-get, npm and just that record
// their calls.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(import.meta.dir, "..");
const readme = readFileSync(join(repo, "README.md"), "utf8");
const ciRun = readFileSync(join(repo, ".ci/run"), "utf8");

/** The one-line commands of the README's sh blocks that install packages. */
function installCommands(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split("\n")).filter((l) => l.startsWith("apt-get "));
}

/** Packages named by the `apt-get install` calls in a text, nodejs and npm aside. */
function packages(text: string): string[] {
  const names = [...text.matchAll(/apt-get install ([^&;|>\n]*)/g)].flatMap((m) => m[1]!.trim().split(/\s+/));
  return [...new Set(names.filter((n) => !n.startsWith("-") && n !== "nodejs" && n !== "npm"))].sort();
}

const work = mkdtempSync(join(tmpdir(), "runb-first-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `command` in bash with only stand-ins on PATH; returns their calls. */
function runWithStandIns(command: string, withNpm: boolean): string[] {
  const dir = mkdtempSync(join(work, "run-"));
  const bin = join(dir, "bin");
  mkdirSync(join(dir, "node_modules/.bin"), { recursive: true });
  mkdirSync(bin);
  const log = join(dir, "calls");
  const standIn = (path: string, name: string, extra = "") => {
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >>${log}\n${extra}`);
    chmodSync(path, 0o755);
  };
  // Installing npm makes an npm stand-in appear, as the real package would.
  const npmStandIn = `#!/bin/sh\necho "npm $*" >>${log}\n`;
  standIn(join(bin, "apt-get"), "apt-get", `case " $* " in *" npm "*) printf '%s' '${npmStandIn}' >${bin}/npm; /bin/chmod 755 ${bin}/npm ;; esac\n`);
  if (withNpm) standIn(join(bin, "npm"), "npm");
  standIn(join(dir, "node_modules/.bin/just"), "just");
  const r = Bun.spawnSync(["/bin/bash", "-c", command], { cwd: dir, env: { PATH: bin } });
  expect(r.exitCode).toBe(0);
  return readFileSync(log, "utf8").trim().split("\n");
}

describe("README install commands", () => {
  const commands = installCommands();

  test("there are the quick start, test and bench commands", () => {
    expect(commands.map((c) => c.split(" ").at(-1))).toEqual(["demo", "test", "bench"]);
  });

  test("each updates the package lists first", () => {
    for (const c of commands) expect(c.startsWith("apt-get update && ")).toBe(true);
  });

  test("with npm installed, Node.js is left alone", () => {
    for (const c of commands) {
      const calls = runWithStandIns(c, true);
      expect(calls[0]).toBe("apt-get update");
      expect(calls.filter((l) => /\b(nodejs|npm)\b/.test(l) && l.startsWith("apt-get"))).toEqual([]);
      expect(calls.at(-2)).toBe("npm install");
      expect(calls.at(-1)).toBe(`just ${c.split(" ").at(-1)}`);
    }
  });

  test("without npm, Debian's nodejs and npm are installed", () => {
    for (const c of commands) {
      const calls = runWithStandIns(c, false);
      expect(calls.filter((l) => l.includes("nodejs"))).toEqual(["apt-get install -y nodejs npm"]);
      expect(calls.indexOf("apt-get install -y nodejs npm")).toBeLessThan(calls.indexOf("npm install"));
      expect(calls.at(-1)).toBe(`just ${c.split(" ").at(-1)}`);
    }
  });
});

describe(".ci/run", () => {
  test("installs what the README's test command installs, and the VM tests' tools", () => {
    const testCommand = installCommands().find((c) => c.endsWith("just test"))!;
    const vmTools = ["debootstrap", "e2fsprogs", "qemu-system-x86"];
    expect(packages(ciRun).filter((p) => !vmTools.includes(p))).toEqual(packages(testCommand));
  });

  test("updates first, installs nodejs and npm only without npm, then runs the tests", () => {
    const lines = ciRun.split("\n").filter((l) => l.startsWith("apt-get") || l.startsWith("command -v") || l.startsWith("npm") || l.startsWith("./"));
    expect(lines[0]).toStartWith("apt-get update");
    expect(ciRun).not.toMatch(/^apt-get install[^\n]*\b(nodejs|npm)\b/m);
    expect(ciRun).toMatch(/^command -v npm >\/dev\/null \|\| apt-get install [^\n]*nodejs npm/m);
    // The README's test command, then the guest's tests.
    const host = ciRun.indexOf("./node_modules/.bin/just test");
    expect(host).toBeGreaterThan(ciRun.indexOf("\nnpm install"));
    expect(ciRun.indexOf("./node_modules/.bin/just vm-ci")).toBeGreaterThan(host);
  });
});
