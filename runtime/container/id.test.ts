import { expect, test } from "bun:test";
import { validateId } from "./id.ts";

test("accepts runc's id characters", () => {
  for (const id of ["a", "abc-123", "a_b.c+d", "X"]) expect(validateId(id)).toBe(id);
});

test("rejects ids that could leave the root", () => {
  for (const id of ["../x", "a/b", "..", ".", "a b", "", "/abs"]) expect(() => validateId(id)).toThrow();
  expect(() => validateId("a/b")).toThrow("invalid container ID format: a/b");
});
