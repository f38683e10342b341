import { expect, test } from "bun:test";
import { validateFeatures } from "../../spec/validate.ts";
import { featuresDocument } from "./features.ts";

test("the features document is valid against the vendored schema", () => {
  const result = validateFeatures(featuresDocument("0.0.0"));
  expect(result.valid ? "" : result.message).toBe("");
});

test("it lists every hook phase and namespace the runtime handles", () => {
  const doc = featuresDocument("0.0.0");
  expect(doc.hooks).toEqual(["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]);
  expect(doc.linux?.namespaces?.sort()).toEqual(["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"]);
  expect(doc.linux?.capabilities).toContain("CAP_SYS_ADMIN");
  expect(doc.mountOptions).toContain("rbind");
});
