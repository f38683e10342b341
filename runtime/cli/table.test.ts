import { expect, test } from "bun:test";
import { commandSummaries, loadCommand } from "./table.ts";

test("each name loads the command it names, with the summary help lists", async () => {
  for (const [name, summary] of Object.entries(commandSummaries())) {
    const cmd = await loadCommand(name);
    expect(cmd?.spec.name).toBe(name);
    expect(cmd?.spec.summary).toBe(summary);
  }
});

test("a name that is no command loads nothing, whatever Object.prototype has", async () => {
  for (const name of ["nope", "constructor", "__proto__", "toString", ""]) expect(await loadCommand(name)).toBeUndefined();
});
