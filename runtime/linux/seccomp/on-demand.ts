// The seccomp compiler, loaded when a config first asks for a filter: only
// configs that carry a profile need it, and what a command loads it pays
// for in page faults of engine heap. A `require` makes it a chunk of its
// own that the bundle loads synchronously on the first call.
import type { LinuxSeccomp } from "../../../spec/types.ts";
import type { ArchName } from "./arch.ts";
import type { CompiledSeccomp } from "./compile.ts";

export function compileSeccomp(seccomp: LinuxSeccomp, arch?: ArchName): CompiledSeccomp {
  const compiler: typeof import("./compile.ts") = require("./compile.ts");
  return compiler.compileSeccomp(seccomp, arch);
}
