// apply, stats and the OOM counter against the host's real cgroups (root
// only, otherwise skipped). A made-up cgroup, removed whatever happens.

import { expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createCgroupManager } from "./manager.ts";

const canRun = process.getuid?.() === 0 && existsSync("/sys/fs/cgroup") && existsSync("/proc/self/mountinfo");

test.skipIf(!canRun)("real cgroups: limits read back through stats", () => {
  const name = `runb-test-${randomBytes(6).toString("hex")}`;
  const m = createCgroupManager({ cgroupsPath: name, containerId: name });
  try {
    m.create();
    const warnings = m.apply({ pids: { limit: 7 }, memory: { limit: 64 * 1024 * 1024 }, cpu: { quota: 20000, period: 100000 } }, { skipDevices: true });
    expect(warnings).toEqual([]);
    const s = m.stats();
    expect(s.pids.limit).toBe(7n);
    expect(s.memory.usage.limit).toBe(64n * 1024n * 1024n);
    expect(m.oomKillCount()).toBe(0);
    // The kernel says which file and value it refused.
    expect(() => m.apply({ cpu: { quota: 1 } }, { skipDevices: true })).toThrow(/failed to write "1": write \/.*(cpu\.cfs_quota_us|cpu\.max): invalid argument/);
  } finally {
    m.destroy();
  }
});
