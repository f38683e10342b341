import { expect, test } from "bun:test";
import type { Spec } from "../../spec/types.ts";
import { factsFault, factsOf, hasHooks } from "./config-facts.ts";

const base: Spec = { ociVersion: "1.0.2", root: { path: "rootfs" } };

test("facts of a config: namespaces, cgroups path, hooks with at least one entry", () => {
  const config: Spec = {
    ...base,
    annotations: { a: "b" },
    hooks: { poststop: [{ path: "/bin/true" }], prestart: [] },
    linux: {
      cgroupsPath: "/x/y",
      namespaces: [{ type: "pid" }, { type: "mount", path: "/proc/1/ns/mnt" }],
    },
  };
  expect(factsOf(config)).toEqual({
    ociVersion: "1.0.2",
    annotations: { a: "b" },
    cgroupsPath: "/x/y",
    ownPidNamespace: true,
    mountNamespace: true,
    hooks: ["poststop"],
  });
  const facts = factsOf(config);
  expect(hasHooks(facts, "poststop")).toBe(true);
  expect(hasHooks(facts, "prestart")).toBe(false);
});

test("a config without those sections: no cgroups path at all, a joined pid namespace is not the container's own", () => {
  const facts = factsOf({ ...base, linux: { namespaces: [{ type: "pid", path: "/proc/1/ns/pid" }] } });
  expect(facts).toEqual({ ociVersion: "1.0.2", annotations: {}, ownPidNamespace: false, mountNamespace: false, hooks: [] });
  expect("cgroupsPath" in facts).toBe(false);
  expect(factsOf({ ...base, linux: { cgroupsPath: "" } }).cgroupsPath).toBe("");
});

test("saved facts are checked field by field", () => {
  const good = factsOf(base);
  expect(factsFault(JSON.parse(JSON.stringify(good)))).toBeUndefined();
  expect(factsFault(null)).toBe("is not a JSON object");
  expect(factsFault([])).toBe("is not a JSON object");
  expect(factsFault({ ...good, ociVersion: 1 })).toBe("ociVersion is not a string");
  expect(factsFault({ ...good, annotations: [] })).toBe("annotations is not a JSON object");
  expect(factsFault({ ...good, annotations: { a: 1 } })).toBe("annotations holds a value that is not a string");
  expect(factsFault({ ...good, cgroupsPath: 5 })).toBe("cgroupsPath is not a string");
  expect(factsFault({ ...good, ownPidNamespace: "yes" })).toBe("a namespace flag is not a boolean");
  expect(factsFault({ ...good, mountNamespace: undefined })).toBe("a namespace flag is not a boolean");
  expect(factsFault({ ...good, hooks: "poststop" })).toBe("hooks is not a list");
  expect(factsFault({ ...good, hooks: [1] })).toBe("hooks holds a name that is not a string");
});
