import { describe, expect, test } from "bun:test";
import { detectLayout } from "./detect.ts";
import { HYBRID_MOUNTINFO, V2_MOUNTINFO } from "./fixtures.test-support.ts";
import { parseSelfCgroup } from "./path.ts";
import { expeditedGrace, ownProcsFile } from "./prime.ts";

describe("ownProcsFile", () => {
  test("v1: the first hierarchy the runtime has a line for", () => {
    const self = parseSelfCgroup("12:pids:/user.slice\n4:cpu:/a/b\n0::/user.slice\n");
    const layout = detectLayout(HYBRID_MOUNTINFO);
    const first = layout.v1.find((h) => self.has(h.controllers[0] ?? ""));
    expect(first).toBeDefined();
    const own = self.get(first?.controllers[0] ?? "");
    expect(ownProcsFile(layout, self)).toBe(`/sys/fs/cgroup/${first?.dir}${own}/cgroup.procs`);
  });

  test("v2: the unified hierarchy", () => {
    const self = parseSelfCgroup("0::/system.slice/x.service\n");
    expect(ownProcsFile(detectLayout(V2_MOUNTINFO), self)).toBe("/sys/fs/cgroup/system.slice/x.service/cgroup.procs");
  });

  test("a cgroup outside the mounted subtree is skipped", () => {
    const layout = detectLayout(V2_MOUNTINFO);
    const mounted = { ...layout, unified: { dir: "", root: "/a" } };
    expect(ownProcsFile(mounted, parseSelfCgroup("0::/b\n"))).toBeUndefined();
    expect(ownProcsFile(mounted, parseSelfCgroup("0::/a/c\n"))).toBe("/sys/fs/cgroup/c/cgroup.procs");
  });

  test("no line for any mounted hierarchy: nothing", () => {
    expect(ownProcsFile(detectLayout(V2_MOUNTINFO), parseSelfCgroup("3:pids:/x\n"))).toBeUndefined();
  });
});

describe("expeditedGrace", () => {
  const files = (rcuExpedited?: string, rcuNormal?: string) => (path: string) =>
    path === "/sys/kernel/rcu_expedited" ? rcuExpedited : path === "/sys/kernel/rcu_normal" ? rcuNormal : undefined;

  test("expedited grace periods: no prime", () => {
    expect(expeditedGrace(files("1\n", "0\n"))).toBe(true);
    expect(expeditedGrace(files("1\n"))).toBe(true);
  });

  test("normal grace periods, or rcu_normal overriding: prime", () => {
    expect(expeditedGrace(files("0\n", "0\n"))).toBe(false);
    expect(expeditedGrace(files("1\n", "1\n"))).toBe(false);
    expect(expeditedGrace(files())).toBe(false);
  });

  test("an unreadable file counts as normal", () => {
    expect(
      expeditedGrace(() => {
        throw new Error("EACCES");
      }),
    ).toBe(false);
  });
});
