import { expect, test } from "bun:test";
import { phase, PHASES } from "./phases.ts";

test("phases are listed in the spec's order", () => {
  expect(PHASES.map((p) => p.name)).toEqual(["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]);
});

test("poststart runs during start, as the spec's lifecycle has it", () => {
  expect(phase("poststart").operation).toBe("start");
  expect(phase("startContainer").operation).toBe("start");
});

test("only poststop failures are mere warnings", () => {
  expect(PHASES.filter((p) => p.onFailure === "warn").map((p) => p.name)).toEqual(["poststop"]);
});

test("the container-side phases are createContainer and startContainer", () => {
  expect(PHASES.filter((p) => p.execute === "container").map((p) => p.name)).toEqual(["createContainer", "startContainer"]);
  expect(phase("startContainer").resolve).toBe("container");
  expect(phase("createContainer").resolve).toBe("runtime");
});

test("phase() rejects an unknown name", () => {
  expect(() => phase("nope" as never)).toThrow();
});
