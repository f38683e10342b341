// Against the host's real cgroups: needs root and /sys/fs/cgroup, otherwise
// skipped. Uses a made-up cgroup name below this process's own cgroups (the
// runc default of a relative path) and removes it whatever happens.

import { expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createCgroupManager } from "./manager.ts";
import { parseSelfCgroup } from "./path.ts";
import { cleanUp } from "./real.test-support.ts";

const canRun = process.getuid?.() === 0 && existsSync("/sys/fs/cgroup") && existsSync("/proc/self/mountinfo");

function stateOf(pid: number): string {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("State:"));
  return line?.slice("State:".length).trim() ?? "";
}


test.skipIf(!canRun)(
  "real cgroups: create, join, list, freeze, thaw, destroy",
  async () => {
    const name = `runb-test-${randomBytes(6).toString("hex")}`;
    const m = createCgroupManager({ cgroupsPath: name, containerId: name });
    let child: ReturnType<typeof Bun.spawn> | undefined;
    try {
      const created = m.create();
      expect(created.length).toBeGreaterThan(0);
      expect(m.exists()).toBe(true);

      child = Bun.spawn(["sleep", "30"], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      const pid = child.pid;
      m.addProcess(pid);

      // Every hierarchy of the container shows the process in its cgroup.
      const seen = parseSelfCgroup(readFileSync(`/proc/${pid}/cgroup`, "utf8"));
      for (const key of Object.keys(m.paths())) {
        expect({ key, path: seen.get(key) ?? "" }).toEqual({ key, path: expect.stringMatching(new RegExp(`/${name}$`)) });
      }
      expect(m.pids()).toContain(pid);

      m.freeze();
      expect(m.freezerState()).toBe("frozen");
      // v1 freezer tasks show as D (or S on newer kernels); the freezer state is authoritative.
      expect(stateOf(pid)).toMatch(/^[DS] /);
      m.thaw();
      expect(m.freezerState()).toBe("thawed");

      process.kill(pid, "SIGKILL");
      await child.exited;
      m.destroy();
      for (const dir of created) expect({ dir, exists: existsSync(dir) }).toEqual({ dir, exists: false });
      expect(m.exists()).toBe(false);
    } finally {
      await cleanUp(m, child);
    }
  },
  30_000,
);
