import { expect, test } from "bun:test";
import { knownMountOptions, MOUNT_ATTR, MS, parseMountOptions } from "./mountopts.ts";

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

test("recursive options become mount_setattr attributes, not filesystem data", () => {
  const p = parseMountOptions(["rbind", "rro", "rnosuid", "rnoatime", "mode=755"]);
  expect(p.recursive).toEqual({ set: MOUNT_ATTR.RDONLY | MOUNT_ATTR.NOSUID | MOUNT_ATTR.NOATIME, clear: MOUNT_ATTR.ATIME_MASK });
  expect(p.data).toBe("mode=755");
  expect(p.flags).toBe(MS.BIND | MS.REC);
  expect(parseMountOptions(["rro", "rrw"]).recursive).toEqual({ set: 0, clear: MOUNT_ATTR.RDONLY });
  expect(parseMountOptions(["rnoatime", "rstrictatime"]).recursive).toEqual({ set: MOUNT_ATTR.STRICTATIME, clear: MOUNT_ATTR.ATIME_MASK });
  expect(parseMountOptions(["ro"]).recursive).toBeUndefined();
  expect(knownMountOptions()).toContain("rro");
});
