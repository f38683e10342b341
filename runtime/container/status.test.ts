import { expect, test } from "bun:test";
import { allows, statusOf } from "./status.ts";

const facts = { creating: false, creatorAlive: false, alive: true, fifoExists: false, frozen: false };

test("status follows the facts", () => {
  expect(statusOf({ ...facts, fifoExists: true })).toBe("created");
  expect(statusOf(facts)).toBe("running");
  expect(statusOf({ ...facts, frozen: true })).toBe("paused");
  expect(statusOf({ ...facts, alive: false })).toBe("stopped");
  expect(statusOf({ ...facts, alive: false, fifoExists: true })).toBe("stopped");
  expect(statusOf({ ...facts, creating: true, creatorAlive: true })).toBe("creating");
  // The runtime running create died: nothing will finish it.
  expect(statusOf({ ...facts, creating: true, creatorAlive: false, fifoExists: true })).toBe("stopped");
});

test("allowed operations per status", () => {
  expect(allows("created", "start")).toBe(true);
  expect(allows("running", "start")).toBe(false);
  expect(allows("stopped", "start")).toBe(false);
  expect(allows("stopped", "delete")).toBe(true);
  expect(allows("running", "delete")).toBe(false);
  expect(allows("paused", "resume")).toBe(true);
});
