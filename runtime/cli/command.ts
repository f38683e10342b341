// What every verb file exports: its flag table and what it does.
import type { CommandSpec, GlobalOptions, Parsed } from "./flags.ts";
import { RuntimeError } from "../errors.ts";

export interface Command {
  spec: CommandSpec;
  /** Returns the exit status. */
  run(globals: GlobalOptions, parsed: Parsed): number | Promise<number>;
}

/** Exactly `n` positional arguments, as runc checks them. */
export function requireArgs(parsed: Parsed, n: number, name: string, exact = true): string[] {
  const got = parsed.args.length;
  if (got < n || (exact && got > n)) {
    const what = exact ? "exactly" : "a minimum of";
    throw new RuntimeError("USAGE", `"${name}" requires ${what} ${n} argument(s)`);
  }
  return parsed.args;
}
