// The seccomp compiler, loaded when a config first asks for a filter.
//
// Loading code is a large part of what a command costs (every page of the
// engine's heap it fills is a page fault), and most of this is needed only
// by configs that carry a profile: a `require` here makes it a chunk of its
// own that the bundle loads synchronously on the first call, and never
// otherwise.
import type { LinuxSeccomp } from "../../../spec/types.ts";
import type { ArchName } from "./arch.ts";
import type { CompiledSeccomp } from "./compile.ts";

export function compileSeccomp(seccomp: LinuxSeccomp, arch?: ArchName): CompiledSeccomp {
  const compiler: typeof import("./compile.ts") = require("./compile.ts");
  return compiler.compileSeccomp(seccomp, arch);
}
