// What the commands that act on an existing container need of its config,
// saved in state.json beside the config's text. Those commands (state,
// list, kill, start, delete ...) read these few fields and never parse the
// config itself: a config with a seccomp profile, as Podman and containerd
// write them, is hundreds of objects and strings, more of the engine's heap
// than all the rest of such a command.
import type { HookName, Spec } from "../../spec/types.ts";
import { hasOwnPidNamespace, isObject } from "./init-record.ts";

export interface ConfigFacts {
  ociVersion: string;
  annotations: Record<string, string>;
  /** linux.cgroupsPath; absent when the config has none. */
  cgroupsPath?: string;
  /** A new pid namespace of the container's own (see hasOwnPidNamespace). */
  ownPidNamespace: boolean;
  /** Any mount namespace, new or joined: without one, create's mounts are in the runtime's. */
  mountNamespace: boolean;
  /** The hook phases the config has at least one hook for. */
  hooks: HookName[];
}

export function factsOf(config: Spec): ConfigFacts {
  const facts: ConfigFacts = {
    ociVersion: config.ociVersion,
    annotations: config.annotations ?? {},
    ownPidNamespace: hasOwnPidNamespace(config),
    mountNamespace: false,
    hooks: [],
  };
  const cgroupsPath = config.linux?.cgroupsPath;
  if (cgroupsPath !== undefined) facts.cgroupsPath = cgroupsPath;
  for (const n of config.linux?.namespaces ?? []) if (n.type === "mount") facts.mountNamespace = true;
  const hooks = config.hooks ?? {};
  for (const name of Object.keys(hooks) as HookName[]) if ((hooks[name]?.length ?? 0) > 0) facts.hooks.push(name);
  return facts;
}

/** Whether the config has hooks for `phase`. */
export function hasHooks(facts: ConfigFacts, phase: HookName): boolean {
  for (const h of facts.hooks) if (h === phase) return true;
  return false;
}

/** What is wrong with saved facts, or undefined. */
export function factsFault(v: unknown): string | undefined {
  if (!isObject(v)) return "is not a JSON object";
  if (typeof v.ociVersion !== "string") return "ociVersion is not a string";
  if (!isObject(v.annotations)) return "annotations is not a JSON object";
  for (const key in v.annotations) if (typeof v.annotations[key] !== "string") return "annotations holds a value that is not a string";
  if (v.cgroupsPath !== undefined && typeof v.cgroupsPath !== "string") return "cgroupsPath is not a string";
  if (typeof v.ownPidNamespace !== "boolean" || typeof v.mountNamespace !== "boolean") return "a namespace flag is not a boolean";
  if (!Array.isArray(v.hooks)) return "hooks is not a list";
  for (const h of v.hooks) if (typeof h !== "string") return "hooks holds a name that is not a string";
  return undefined;
}
