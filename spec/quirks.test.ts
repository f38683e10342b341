import { expect, test } from "bun:test";
import { validateWithClientQuirks } from "./quirks.ts";

const seen: unknown[] = [];
const validate = (v: unknown) => {
  seen.push(structuredClone(v));
  return v;
};

test("a device's st_mode becomes its permission bits", () => {
  const doc = { linux: { devices: [{ path: "/dev/x", type: "c", fileMode: 0o20666 }, { path: "/dev/y", type: "c", fileMode: 0o640 }] } };
  validateWithClientQuirks(doc, validate);
  expect(doc.linux.devices.map((d) => d.fileMode)).toEqual([0o666, 0o640]);
});

test("a recursive rootfs propagation is validated as the schema's name and kept", () => {
  seen.length = 0;
  const doc = { linux: { rootfsPropagation: "rslave" } };
  const out = validateWithClientQuirks(doc, validate) as typeof doc;
  expect((seen[0] as typeof doc).linux.rootfsPropagation).toBe("slave");
  expect(out.linux.rootfsPropagation).toBe("rslave");
});

test("validation failures still throw, and other values are untouched", () => {
  const failing = () => {
    throw new Error("bad");
  };
  expect(() => validateWithClientQuirks({ linux: { rootfsPropagation: "rbogus" } }, failing)).toThrow("bad");
  seen.length = 0;
  validateWithClientQuirks({ linux: { rootfsPropagation: "rbogus" } }, validate);
  expect((seen[0] as { linux: { rootfsPropagation: string } }).linux.rootfsPropagation).toBe("rbogus");
  expect(validateWithClientQuirks("x", validate)).toBe("x");
});
