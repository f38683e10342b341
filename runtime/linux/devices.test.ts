import { expect, test } from "bun:test";
import { deviceMode, makedev } from "./devices.ts";

test("makedev matches glibc's encoding", () => {
  expect(makedev(1, 3)).toBe(0x103n);
  expect(makedev(5, 0)).toBe(0x500n);
  expect(makedev(259, 300)).toBe(0x11032cn);
});

test("device mode carries the file type", () => {
  expect(deviceMode({ type: "c", fileMode: 0o666 })).toBe(0o020666);
  expect(deviceMode({ type: "b", fileMode: 0o600 })).toBe(0o060600);
  expect(deviceMode({ type: "p", fileMode: 0o644 })).toBe(0o010644);
});
