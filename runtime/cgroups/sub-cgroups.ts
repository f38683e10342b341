// `exec --cgroup [<controller>[,<controller>...]:]<path>`: run the new
// process in an existing cgroup below the container's, as runc does. One
// argument without a controller applies to every hierarchy; otherwise
// each argument names the controllers it applies to.

import * as posix from "../linux/paths.ts";
import { RuntimeError } from "../errors.ts";
import type { CgroupMode } from "./detect.ts";

function invalid(what: string): RuntimeError {
  return new RuntimeError("USAGE", `invalid --cgroup argument${what}`);
}

// A sub-cgroup stays below the container's: no "..", no way out. "/" (or
// an empty path) is the container's cgroup itself, as in runc; "" here.
function subPath(path: string): string {
  const rel = posix.normalize(path.replace(/^\/+/, ""));
  if (rel === ".." || rel.startsWith("../")) throw new RuntimeError("USAGE", `${path} is not a sub cgroup path`);
  return rel === "." ? "" : rel.replace(/\/+$/, "");
}

/** Controller ("" for all) → sub-cgroup path relative to the container's cgroup. */
export function parseSubCgroups(args: readonly string[], mode: CgroupMode): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    const parts = arg.split(":");
    if (parts.length > 2) throw invalid(`: ${arg}`);
    if (parts.length === 1) {
      if (args.length !== 1) throw invalid(`: ${arg} (missing <controller>: prefix)`);
      out.set("", subPath(arg));
      continue;
    }
    if (mode === "v2") throw invalid(`: ${arg} (no controllers on cgroup v2, give the path alone)`);
    const path = subPath(parts[1] ?? "");
    for (const controller of (parts[0] ?? "").split(",")) {
      if (controller === "") throw invalid(`: ${arg} (empty <controller> prefix)`);
      if (out.has(controller)) throw invalid(`(s): controller ${controller} specified multiple times`);
      out.set(controller, path);
    }
  }
  return out;
}

/** Every controller named must be one the container has a cgroup in. */
export function checkControllers(sub: ReadonlyMap<string, string>, dirs: Readonly<Record<string, string>>): void {
  for (const controller of sub.keys()) {
    if (controller !== "" && dirs[controller] === undefined) throw new RuntimeError("USAGE", `unknown controller ${controller} in --cgroup argument`);
  }
}

/**
 * The directories a process joins: the container's, with the sub-cgroup
 * appended where one applies (by controller, or "" for all), each once.
 */
export function joinDirs(dirs: Readonly<Record<string, string>>, sub: ReadonlyMap<string, string> | undefined): string[] {
  const out = Object.entries(dirs).map(([key, dir]) => {
    const rel = sub?.get(key) ?? sub?.get("");
    return rel === undefined ? dir : posix.join(dir, rel);
  });
  return [...new Set(out)];
}
