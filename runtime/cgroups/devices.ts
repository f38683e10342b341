// Device access rules: the config's linux.resources.devices followed by the
// devices runc lets every container use (containers and tools expect /dev/null
// and friends to work even under a "deny all" rule). A default whose path is
// also in linux.devices is dropped: the config's own rules decide for it.

import type { LinuxDeviceCgroup } from "../../spec/types.ts";
import { int, resourceError, type PlanOptions, type Write } from "./resources.ts";

export interface DeviceRule {
  /** "a" is every device, and resets the list (it ignores major/minor). */
  type: "a" | "b" | "c";
  /** -1: any. */
  major: number;
  minor: number;
  /** Some of "rwm". */
  access: string;
  allow: boolean;
}

interface DefaultRule extends DeviceRule {
  path?: string;
}

const rwm = (type: "b" | "c", major: number, minor: number, path?: string): DefaultRule => ({
  type,
  major,
  minor,
  access: "rwm",
  allow: true,
  ...(path === undefined ? {} : { path }),
});

// runc's list, in runc's order.
const DEFAULT_RULES: readonly DefaultRule[] = [
  { type: "c", major: -1, minor: -1, access: "m", allow: true }, // mknod of any device
  { type: "b", major: -1, minor: -1, access: "m", allow: true },
  rwm("c", 1, 3, "/dev/null"),
  rwm("c", 1, 8, "/dev/random"),
  rwm("c", 1, 7, "/dev/full"),
  rwm("c", 5, 0, "/dev/tty"),
  rwm("c", 1, 5, "/dev/zero"),
  rwm("c", 1, 9, "/dev/urandom"),
  rwm("c", 136, -1), // /dev/pts/*
  rwm("c", 5, 2), // /dev/ptmx
  rwm("c", 10, 200), // /dev/net/tun
];

const TYPES = new Set(["a", "b", "c"]);

/**
 * The access as the kernel takes it: the r, w and m the string has, in that
 * order, each once. Other letters are left out, as runc leaves them out
 * ("rwa" is "rw"); a string with none of the three grants nothing and is
 * refused, as is an empty one.
 */
export function normalizeAccess(access: string, index: number): string {
  if (access === "") throw resourceError(`device access at ${index} field cannot be empty`);
  const normal = [..."rwm"].filter((c) => access.includes(c)).join("");
  if (normal === "") throw resourceError(`invalid device access "${access}" in linux.resources.devices[${index}]: none of r, w, m`);
  return normal;
}

function fromSpec(d: LinuxDeviceCgroup, index: number): DeviceRule {
  const type = d.type ?? "a";
  if (!TYPES.has(type)) throw resourceError(`invalid device type "${type}" in linux.resources.devices[${index}]`);
  const access = normalizeAccess(d.access ?? "", index);
  return { type: type as DeviceRule["type"], major: d.major ?? -1, minor: d.minor ?? -1, access, allow: d.allow };
}

/** The rules to enforce, in order; later rules win where they overlap. */
export function deviceRules(spec: readonly LinuxDeviceCgroup[] | undefined, opts: PlanOptions = {}): DeviceRule[] {
  const configured = new Set((opts.linuxDevices ?? []).map((d) => d.path));
  const defaults = DEFAULT_RULES.filter((d) => d.path === undefined || !configured.has(d.path));
  return [...(spec ?? []).map(fromSpec), ...defaults.map(({ path: _path, ...rule }) => rule)];
}

const wildcard = (n: number) => (n < 0 ? "*" : int(n));

/** A rule as devices.allow/devices.deny take it: "c 1:3 rwm", or "a" for all. */
export function v1RuleText(r: DeviceRule): string {
  if (r.type === "a") return "a";
  return `${r.type} ${wildcard(r.major)}:${wildcard(r.minor)} ${r.access}`;
}

/** v1: each rule written in order; the kernel keeps the list. */
export function v1DeviceWrites(rules: readonly DeviceRule[]): Write[] {
  return rules.map((r) => ({ key: "devices", file: r.allow ? "devices.allow" : "devices.deny", value: v1RuleText(r) }));
}
