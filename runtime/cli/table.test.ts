import { expect, test } from "bun:test";
import { COMMANDS } from "./table.ts";

test("each entry loads the command it names, with the same summary", async () => {
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const cmd = await entry.load();
    expect(cmd.spec.name).toBe(name);
    expect(cmd.spec.summary).toBe(entry.summary);
  }
});
