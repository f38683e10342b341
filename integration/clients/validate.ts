// Validate a JSON document from stdin against the vendored runtime-spec
// schemas: `bun validate.ts config|state|features`. Prints the first
// problem and exits 1 when invalid.
import { checkConfig, validateFeatures, validateState } from "../../spec/validate.ts";

const kind = process.argv[2];
const check = { config: checkConfig, state: validateState, features: validateFeatures }[kind ?? ""];
if (!check) {
  console.error("usage: validate.ts config|state|features < document.json");
  process.exit(2);
}
const result = check(JSON.parse(await Bun.stdin.text()));
if (!result.valid) {
  console.error(result.message);
  process.exit(1);
}
console.log("valid");
