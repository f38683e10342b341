import { expect, test } from "bun:test";
import { parseSignal, signalName } from "./signals.ts";

test("names with and without SIG, any case, and numbers", () => {
  expect(parseSignal("KILL")).toBe(9);
  expect(parseSignal("SIGKILL")).toBe(9);
  expect(parseSignal("sigterm")).toBe(15);
  expect(parseSignal("9")).toBe(9);
  expect(parseSignal("0")).toBe(0);
  expect(parseSignal("USR1")).toBe(10);
  expect(parseSignal("RTMIN+2")).toBe(36);
  expect(parseSignal("SIGRTMAX")).toBe(64);
});

test("unknown signals are errors", () => {
  for (const s of ["NOPE", "65", "-1", "SIG"]) expect(() => parseSignal(s)).toThrow(/unknown signal/);
});

test("numbers back to names", () => {
  expect(signalName(15)).toBe("SIGTERM");
  expect(signalName(99)).toBeUndefined();
});

test("every number from 1 to 31 names a signal that parses back to it; IOT and POLL are aliases", () => {
  for (let n = 1; n <= 31; n++) expect(parseSignal(signalName(n)!)).toBe(n);
  expect(signalName(6)).toBe("SIGABRT");
  expect(signalName(29)).toBe("SIGIO");
  expect(parseSignal("IOT")).toBe(6);
  expect(parseSignal("SIGPOLL")).toBe(29);
  expect(signalName(0)).toBeUndefined();
  expect(signalName(32)).toBeUndefined();
});
