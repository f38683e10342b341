import { describe, expect, test } from "bun:test";
import { helperArgs, mapMethod } from "./idmaps.ts";

const own = [{ containerID: 0, hostID: 1000, size: 1 }];
const wide = [
  { containerID: 0, hostID: 1000, size: 1 },
  { containerID: 1, hostID: 100000, size: 65536 },
];

describe("id maps", () => {
  test("root writes any map itself", () => {
    expect(mapMethod("uid", wide, 0, 0)).toEqual({ kind: "write", denySetgroups: false });
    expect(mapMethod("gid", wide, 0, 0)).toEqual({ kind: "write", denySetgroups: false });
  });

  test("a user writes its own id; for gids after setgroups is denied", () => {
    expect(mapMethod("uid", own, 1000, 1000)).toEqual({ kind: "write", denySetgroups: false });
    expect(mapMethod("gid", own, 1000, 1000)).toEqual({ kind: "write", denySetgroups: true });
  });

  test("anything else goes through newuidmap/newgidmap", () => {
    expect(mapMethod("uid", wide, 1000, 1000)).toEqual({ kind: "helper", helper: "newuidmap" });
    expect(mapMethod("gid", [{ containerID: 0, hostID: 5, size: 1 }], 1000, 1000)).toEqual({ kind: "helper", helper: "newgidmap" });
    expect(helperArgs(42, wide)).toEqual(["42", "0", "1000", "1", "1", "100000", "65536"]);
  });
});
