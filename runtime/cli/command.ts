// What every verb file exports: its flag table and what it does.
import type { CommandSpec, GlobalOptions, Parsed } from "./flags.ts";

export interface Command {
  spec: CommandSpec;
  /** Returns the exit status. */
  run(globals: GlobalOptions, parsed: Parsed): number | Promise<number>;
}
