// The bundle as create reads it: through the runtime's own file calls, so
// that making a container does not load node:fs.
import type { BundleFiles } from "../../spec/load.ts";
import { pathStat, readTextFile } from "../linux/ffi.ts";

export const bundleFiles: BundleFiles = {
  isDirectory: (path) => pathStat(path).kind === "dir",
  readText: readTextFile,
};
