// `update`: change a running container's resource limits. The change is
// merged into the resources saved with the container, because some limits
// depend on others (memory+swap on the memory limit, the CFS quota on the
// period); the merged whole is applied, device rules aside (as runc does),
// and saved back.
import { RuntimeError } from "../errors.ts";
import type { LinuxResources } from "../../spec/types.ts";
import type { Container } from "./container.ts";
import { configOf, saveState, withConfig } from "./state.ts";

// Fields left undefined by the caller leave the saved values alone.
function overlay<T extends object>(base: T | undefined, change: T | undefined): T | undefined {
  if (change === undefined) return base;
  const defined = Object.entries(change).filter(([, v]) => v !== undefined);
  return { ...(base ?? {}), ...Object.fromEntries(defined) } as T;
}

/**
 * The saved resources with an update on top. As in runc, only memory, cpu,
 * the block IO weight, the pids limit and unified keys can change.
 */
export function mergeResources(saved: LinuxResources | undefined, change: LinuxResources): LinuxResources {
  const out: LinuxResources = structuredClone(saved ?? {});
  const memory = overlay(out.memory, change.memory);
  // Unlimited memory with swap unsaid lifts the swap limit too.
  if (change.memory?.limit === -1 && change.memory.swap === undefined && memory !== undefined) memory.swap = -1;
  if (memory !== undefined) out.memory = memory;
  const cpu = overlay(out.cpu, change.cpu);
  if (cpu !== undefined) out.cpu = cpu;
  if (change.blockIO?.weight !== undefined) out.blockIO = { ...out.blockIO, weight: change.blockIO.weight };
  if (change.pids !== undefined) out.pids = change.pids;
  if (change.unified !== undefined) out.unified = { ...out.unified, ...change.unified };
  return out;
}

function restore(c: Container, resources: LinuxResources | undefined): void {
  try {
    c.cgroups?.apply(resources, { skipDevices: true });
  } catch {
    // The error of the update itself says more.
  }
}

/** Applies the change and records it; returns warnings about settings not enforced. */
export function updateContainer(c: Container, change: LinuxResources): string[] {
  if (c.status === "stopped") throw new RuntimeError("CONTAINER_NOT_RUNNING", "container not running");
  if (c.cgroups === undefined) throw new RuntimeError("CGROUP", "cannot update: cgroups not configured for container");
  const config = configOf(c.state);
  const before = config.linux?.resources;
  const after = mergeResources(before, change);
  let warnings: string[];
  try {
    warnings = c.cgroups.apply(after, { skipDevices: true, linuxDevices: config.linux?.devices });
  } catch (err) {
    // Do not leave the container half updated.
    restore(c, before);
    throw err;
  }
  config.linux = { ...config.linux, resources: after };
  Object.assign(c.state, withConfig(config));
  saveState(c.root, c.state);
  return warnings;
}
