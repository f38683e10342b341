import { printOut } from "./output.ts";
import { featuresDocument } from "../features/features.ts";
import { VERSION } from "../version.ts";
import type { Command } from "./command.ts";
import { defineCommand } from "./flags.ts";

export const features: Command = {
  spec: defineCommand({ name: "features", summary: "show the enabled features", argsUsage: " ", flags: [] }),
  run() {
    printOut(`${JSON.stringify(featuresDocument(VERSION), null, 4)}\n`);
    return 0;
  },
};
