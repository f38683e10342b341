import { expect, test } from "bun:test";
import { parseDurationMs, parseRamBytes } from "./units.ts";

test("Go durations", () => {
  expect(parseDurationMs("5s")).toBe(5000);
  expect(parseDurationMs("100ms")).toBe(100);
  expect(parseDurationMs("1m30s")).toBe(90_000);
  expect(parseDurationMs("1.5h")).toBe(5_400_000);
  expect(parseDurationMs("0")).toBe(0);
  expect(parseDurationMs("-1s")).toBe(-1000);
  expect(parseDurationMs("500us")).toBe(0.5);
  for (const bad of ["", "5", "abc", "5x", "s", "1s2"]) expect(parseDurationMs(bad)).toBeUndefined();
});

test("memory sizes in binary units", () => {
  expect(parseRamBytes("1024")).toBe(1024);
  expect(parseRamBytes("64m")).toBe(64 * 1024 * 1024);
  expect(parseRamBytes("64M")).toBe(64 * 1024 * 1024);
  expect(parseRamBytes("1.5g")).toBe(1.5 * 1024 ** 3);
  expect(parseRamBytes("512 KiB")).toBe(512 * 1024);
  expect(parseRamBytes("2kb")).toBe(2048);
  for (const bad of ["", "-1", "abc", "1x", "m"]) expect(parseRamBytes(bad)).toBeUndefined();
});
