import { expect, test } from "bun:test";
import { killAllowed } from "./kill.ts";

test("kill needs a live container; kill --all also reaches a stopped one's leftovers", () => {
  for (const s of ["created", "running", "paused"] as const) {
    expect(killAllowed(s, false)).toBe(true);
    expect(killAllowed(s, true)).toBe(true);
  }
  expect(killAllowed("stopped", false)).toBe(false);
  expect(killAllowed("stopped", true)).toBe(true);
  expect(killAllowed("creating", true)).toBe(false);
});
