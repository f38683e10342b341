import { expect, test } from "bun:test";
import type { CgroupManager, FreezerState } from "../cgroups/index.ts";
import { checkExistingCgroup } from "./existing-cgroup.ts";

function manager(exists: boolean, pids: number[], freezer: FreezerState | undefined): CgroupManager {
  return { exists: () => exists, pids: () => pids, freezerState: () => freezer } as unknown as CgroupManager;
}

test("a frozen cgroup is refused, also when exists() looks at another hierarchy", () => {
  expect(() => checkExistingCgroup(manager(false, [], "frozen"))).toThrow("container's cgroup unexpectedly frozen");
  expect(() => checkExistingCgroup(manager(true, [1], "frozen"))).toThrow("unexpectedly frozen");
});

test("a missing, empty or busy thawed cgroup is used", () => {
  for (const m of [manager(false, [], undefined), manager(true, [], "thawed"), manager(true, [5, 6], "thawed")]) {
    expect(checkExistingCgroup(m)).toBe(m);
  }
});
