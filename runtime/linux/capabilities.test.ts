import { describe, expect, test } from "bun:test";
import { CAPABILITIES, capabilitySets } from "./capabilities.ts";

const bit = (name: string) => 1n << BigInt(CAPABILITIES.indexOf(name));

describe("capabilitySets", () => {
  test("names map to their bits, with or without the CAP_ prefix", () => {
    const { sets, ignored } = capabilitySets({ bounding: ["CAP_CHOWN", "kill"], effective: ["CAP_SYS_ADMIN"] }, 40);
    expect(sets.bounding).toBe(bit("CAP_CHOWN") | bit("CAP_KILL"));
    expect(sets.effective).toBe(bit("CAP_SYS_ADMIN"));
    expect(sets.ambient).toBe(0n);
    expect(ignored).toEqual([]);
  });

  test("unknown names are ignored and listed once, sorted", () => {
    const { sets, ignored } = capabilitySets({ bounding: ["CAP_ZED", "CAP_KILL", "CAP_ABC"], permitted: ["CAP_ZED"] }, 40);
    expect(sets.bounding).toBe(bit("CAP_KILL"));
    expect(sets.permitted).toBe(0n);
    expect(ignored).toEqual(["CAP_ABC", "CAP_ZED"]);
  });

  test("capabilities past the kernel's last one are ignored", () => {
    const { sets, ignored } = capabilitySets({ bounding: ["CAP_BPF", "CAP_CHECKPOINT_RESTORE", "CAP_SYSLOG"] }, 37);
    expect(sets.bounding).toBe(bit("CAP_SYSLOG"));
    expect(ignored).toEqual(["CAP_BPF", "CAP_CHECKPOINT_RESTORE"]);
  });
});
