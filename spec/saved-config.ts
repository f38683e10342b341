// The schema check of a config read back from a container's state. A
// module of its own, loaded by dynamic import: the validator is most of
// runb's code, and a config that reads back as it was saved never needs it.
import { validateWithClientQuirks } from "./quirks.ts";
import { checkConfig } from "./validate.ts";

/** What is wrong with the saved config, or undefined when it is valid. */
export function savedConfigFault(config: unknown): string | undefined {
  const result = validateWithClientQuirks(config, checkConfig);
  return result.valid ? undefined : `saved ${result.message}`;
}
