import { expect, test } from "bun:test";
import { mergeResources } from "./update.ts";

test("an update changes only what it names", () => {
  const saved = { memory: { limit: 100, reservation: 50 }, cpu: { shares: 512, quota: 1000 }, devices: [{ allow: false, access: "rwm" }] };
  const merged = mergeResources(saved, { memory: { limit: 200 }, cpu: { period: 5000 } });
  expect(merged).toEqual({
    memory: { limit: 200, reservation: 50 },
    cpu: { shares: 512, quota: 1000, period: 5000 },
    devices: [{ allow: false, access: "rwm" }],
  });
  expect(saved.memory.limit).toBe(100);
});

test("unlimited memory with swap unsaid lifts swap too", () => {
  expect(mergeResources({ memory: { limit: 100, swap: 200 } }, { memory: { limit: -1 } }).memory).toEqual({ limit: -1, swap: -1 });
  expect(mergeResources({}, { memory: { limit: -1, swap: 300 } }).memory).toEqual({ limit: -1, swap: 300 });
});

test("only runc's updatable sections change", () => {
  const merged = mergeResources(
    { blockIO: { weight: 100, leafWeight: 10 }, unified: { "memory.high": "1" } },
    { blockIO: { weight: 300, leafWeight: 99 }, pids: { limit: 5 }, unified: { "memory.low": "2" }, hugepageLimits: [{ pageSize: "2MB", limit: 1 }] },
  );
  expect(merged).toEqual({
    blockIO: { weight: 300, leafWeight: 10 },
    pids: { limit: 5 },
    unified: { "memory.high": "1", "memory.low": "2" },
  });
});
