// The device program in a real kernel: needs root and a cgroup2 mount
// (pure v2, or the unified hierarchy of a hybrid host, where device programs
// work too), otherwise skipped. Uses a made-up cgroup and removes it.

import { expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { detectLayout } from "./detect.ts";
import { attachDeviceProgram } from "./devices-attach.ts";
import { deviceProgram, encodeProgram } from "./devices-bpf.ts";

function cgroup2Root(): string | undefined {
  if (process.getuid?.() !== 0 || !existsSync("/proc/self/mountinfo")) return undefined;
  const layout = detectLayout(readFileSync("/proc/self/mountinfo", "utf8"));
  return layout.unified === undefined ? undefined : join(layout.cgroupRoot, layout.unified.dir);
}

const root = cgroup2Root();

test.skipIf(root === undefined)(
  "real kernel: the program decides which devices a process in the cgroup may open",
  async () => {
    const dir = join(root!, `runb-devtest-${randomBytes(6).toString("hex")}`);
    mkdirSync(dir);
    // Waits for a line, then tries both devices (stderr goes to the pipe, not /dev/null).
    const script = "read x; (: </dev/zero) 2>&1 && echo zero-ok || echo zero-denied; (: </dev/null) 2>&1 && echo null-ok || echo null-denied";
    const child = Bun.spawn(["sh", "-c", script], { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
    try {
      attachDeviceProgram(dir, encodeProgram(deviceProgram([
        { type: "a", major: -1, minor: -1, access: "rwm", allow: false },
        { type: "c", major: 1, minor: 5, access: "rwm", allow: true },
      ])));
      writeFileSync(join(dir, "cgroup.procs"), String(child.pid));
      child.stdin.write("go\n");
      await child.stdin.end();
      const out = await new Response(child.stdout).text();
      expect(out.split("\n").filter((l) => /-(ok|denied)$/.test(l))).toEqual(["zero-ok", "null-denied"]);
    } finally {
      if (child.exitCode === null) child.kill(9);
      await child.exited;
      rmdirSync(dir);
    }
  },
  20_000,
);
