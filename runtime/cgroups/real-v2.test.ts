// The v2 manager against a real cgroup2 hierarchy. Pure v2 hosts are not
// available here, but a hybrid host's unified mount is a real cgroup2 tree
// (with cgroup.freeze, cgroup.procs and, on these machines, the hugetlb
// controller), so the v2 code is run there. Needs root; skipped otherwise.

import { expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fromSaved } from "./manager.ts";
import { cleanUp } from "./real.test-support.ts";

const UNIFIED = "/sys/fs/cgroup/unified";
const canRun = process.getuid?.() === 0 && existsSync(`${UNIFIED}/cgroup.procs`);

function cgroupV2Line(pid: number): string {
  return readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n").find((l) => l.startsWith("0::")) ?? "";
}


test.skipIf(!canRun)(
  "real cgroup2 tree: create, join, freeze, thaw, hugetlb limit, destroy",
  async () => {
    const name = `runb-test-v2-${randomBytes(6).toString("hex")}`;
    const dir = `${UNIFIED}/${name}`;
    const m = fromSaved({ mode: "v2", root: UNIFIED, paths: { "": dir }, created: [] });
    let child: ReturnType<typeof Bun.spawn> | undefined;
    try {
      expect(m.create()).toEqual([dir]);
      child = Bun.spawn(["sleep", "30"], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      m.addProcess(child.pid);
      expect(cgroupV2Line(child.pid)).toBe(`0::/${name}`);
      expect(m.pids()).toEqual([child.pid]);

      m.freeze();
      expect(m.freezerState()).toBe("frozen");
      expect(readFileSync(`${dir}/cgroup.events`, "utf8")).toContain("frozen 1");
      m.thaw();
      expect(m.freezerState()).toBe("thawed");

      const hugetlb = readFileSync(`${UNIFIED}/cgroup.controllers`, "utf8").split(/\s+/).includes("hugetlb");
      if (hugetlb) {
        // create() enabled the controller for the container's cgroup.
        expect(existsSync(`${dir}/hugetlb.2MB.max`)).toBe(true);
        m.apply({ hugepageLimits: [{ pageSize: "2MB", limit: 4194304 }] });
        expect(readFileSync(`${dir}/hugetlb.2MB.max`, "utf8").trim()).toBe("4194304");
      }
    } finally {
      await cleanUp(m, child);
    }
    expect(existsSync(dir)).toBe(false);
  },
  20_000,
);
