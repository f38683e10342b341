import { expect, test } from "bun:test";
import { MS, parseMountOptions } from "./mountopts.ts";

test("flags fold left to right", () => {
  expect(parseMountOptions(["nosuid", "noexec", "nodev", "ro"]).flags).toBe(MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RDONLY);
  expect(parseMountOptions(["ro", "rw"]).flags).toBe(0);
  expect(parseMountOptions(["rbind"]).flags).toBe(MS.BIND | MS.REC);
});

test("propagation is kept apart, data joined", () => {
  const p = parseMountOptions(["rprivate", "mode=755", "size=65536k", "tmpcopyup"]);
  expect(p.propagation).toEqual([MS.PRIVATE | MS.REC]);
  expect(p.data).toBe("mode=755,size=65536k");
  expect(p.flags).toBe(0);
});
