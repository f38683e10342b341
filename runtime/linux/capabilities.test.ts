import { describe, expect, test } from "bun:test";
import { boundingSetOf, CAPABILITIES, capabilitySets } from "./capabilities.ts";

const bit = (name: string) => 1n << BigInt(CAPABILITIES.indexOf(name));
const ALL = (1n << 64n) - 1n;

describe("capabilitySets", () => {
  test("names map to their bits, with or without the CAP_ prefix", () => {
    const { sets, ignored } = capabilitySets({ bounding: ["CAP_CHOWN", "kill"], effective: ["CAP_SYS_ADMIN"] }, 40, ALL);
    expect(sets.bounding).toBe(bit("CAP_CHOWN") | bit("CAP_KILL"));
    expect(sets.effective).toBe(bit("CAP_SYS_ADMIN"));
    expect(sets.ambient).toBe(0n);
    expect(ignored).toEqual([]);
  });

  test("unknown names are ignored and listed once, sorted", () => {
    const { sets, ignored } = capabilitySets({ bounding: ["CAP_ZED", "CAP_KILL", "CAP_ABC"], permitted: ["CAP_ZED"] }, 40, ALL);
    expect(sets.bounding).toBe(bit("CAP_KILL"));
    expect(sets.permitted).toBe(0n);
    expect(ignored).toEqual(["CAP_ABC", "CAP_ZED"]);
  });

  test("capabilities past the kernel's last one are ignored", () => {
    const { sets, ignored } = capabilitySets({ bounding: ["CAP_BPF", "CAP_CHECKPOINT_RESTORE", "CAP_SYSLOG"] }, 37, ALL);
    expect(sets.bounding).toBe(bit("CAP_SYSLOG"));
    expect(ignored).toEqual(["CAP_BPF", "CAP_CHECKPOINT_RESTORE"]);
  });

  test("capabilities outside the runtime's bounding set are ignored", () => {
    const bounding = ALL & ~bit("CAP_SYS_RESOURCE");
    const caps = ["CAP_SYS_RESOURCE", "CAP_KILL"];
    const { sets, ignored } = capabilitySets({ bounding: caps, effective: caps, permitted: caps, ambient: caps }, 40, bounding);
    for (const set of [sets.bounding, sets.effective, sets.permitted, sets.ambient]) expect(set).toBe(bit("CAP_KILL"));
    expect(ignored).toEqual(["CAP_SYS_RESOURCE"]);
  });
});

test("boundingSetOf reads CapBnd from /proc/PID/status", () => {
  expect(boundingSetOf("Name:\tx\nCapPrm:\t0000000000000000\nCapBnd:\t000001fffeffffff\nCapAmb:\t0\n")).toBe(0x1fffeffffffn);
  expect(boundingSetOf("Name:\tx\n")).toBe(ALL);
});
