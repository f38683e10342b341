// Device rules as systemd's DevicePolicy and DeviceAllow (pure). systemd
// only has allow lists, so the rules are first played through the way the
// kernel would keep them (a default and exceptions); what remains of a
// deny-by-default list becomes DeviceAllow entries, as runc sends them.
// The runtime still puts its own rules in place after the unit starts;
// these keep systemd from undoing them when it reapplies the unit's settings.

import type { DeviceRule } from "../devices.ts";
import { variant } from "./dbus/marshal.ts";
import type { Property } from "./properties.ts";

/** Looks up a device group in /proc/devices: ("c", 136) → "pts". */
export type DeviceGroupLookup = (type: "b" | "c", major: number) => string | undefined;

interface Emulated {
  defaultAllow: boolean;
  /** "c 1:3" → access letters that differ from the default. */
  exceptions: Map<string, Set<string>>;
}

/** The rules as the kernel would hold them after applying them in order. */
export function emulateDeviceRules(rules: readonly DeviceRule[]): Emulated {
  const state: Emulated = { defaultAllow: false, exceptions: new Map() };
  for (const r of rules) {
    if (r.type === "a") {
      state.defaultAllow = r.allow;
      state.exceptions.clear();
      continue;
    }
    const key = `${r.type} ${r.major}:${r.minor}`;
    const have = state.exceptions.get(key) ?? new Set<string>();
    for (const a of r.access) {
      if (r.allow === state.defaultAllow) have.delete(a);
      else have.add(a);
    }
    if (have.size === 0) state.exceptions.delete(key);
    else state.exceptions.set(key, have);
  }
  return state;
}

const TYPE_NAME = { b: "block", c: "char" } as const;

function allowEntry(key: string, access: string, lookup: DeviceGroupLookup): [string, string] | undefined {
  const [type, nums = ""] = key.split(" ") as ["b" | "c", string];
  const [major, minor] = nums.split(":").map(Number) as [number, number];
  if (major < 0) return minor < 0 ? [`${TYPE_NAME[type]}-*`, access] : undefined; // "*:n" has no systemd form
  if (minor < 0) {
    const group = lookup(type, major);
    return group === undefined ? undefined : [`${TYPE_NAME[type]}-${group}`, access];
  }
  return [`/dev/${TYPE_NAME[type]}/${major}:${minor}`, access];
}

export function deviceProperties(rules: readonly DeviceRule[], lookup: DeviceGroupLookup): Property[] {
  const state = emulateDeviceRules(rules);
  if (state.defaultAllow) {
    // A deny list cannot be said to systemd: allow all, or deny all until
    // the runtime's own rules are in place.
    return state.exceptions.size === 0
      ? [["DevicePolicy", variant("s", "auto")], ["DeviceAllow", variant("a(ss)", [])]]
      : [["DevicePolicy", variant("s", "strict")], ["DeviceAllow", variant("a(ss)", [])]];
  }
  const allow: [string, string][] = [];
  for (const [key, access] of state.exceptions) {
    const letters = ["r", "w", "m"].filter((a) => access.has(a)).join("");
    const entry = allowEntry(key, letters, lookup);
    if (entry !== undefined) allow.push(entry);
  }
  return [["DevicePolicy", variant("s", "strict")], ["DeviceAllow", variant("a(ss)", allow)]];
}

/** /proc/devices text → lookup: the "Character devices:" and "Block devices:" sections. */
export function parseProcDevices(text: string): DeviceGroupLookup {
  const groups = new Map<string, string>();
  let type: "b" | "c" | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("Character")) type = "c";
    else if (line.startsWith("Block")) type = "b";
    else {
      const m = /^\s*(\d+)\s+(\S+)$/.exec(line);
      if (m !== null && type !== undefined) groups.set(`${type}${m[1]}`, m[2] as string);
    }
  }
  return (t, major) => groups.get(`${t}${major}`);
}
