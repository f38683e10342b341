import { describe, expect, test } from "bun:test";
import { hostUid, isUserNamespaceMap, outsideId } from "../linux/userns.ts";
import { honorsXdgRuntimeDir, isRootless } from "./rootless.ts";

const HOST = "         0          0 4294967295\n";
const PODMAN = "         0       1000          1\n         1     100000      65536\n";
const root = { euid: 0, uidMap: HOST };
const podmanRoot = { euid: 0, uidMap: PODMAN };
const user = { euid: 1000, uidMap: HOST };

describe("user namespaces", () => {
  test("only the initial map is not a user namespace", () => {
    expect(isUserNamespaceMap(HOST)).toBe(false);
    expect(isUserNamespaceMap(PODMAN)).toBe(true);
    expect(isUserNamespaceMap("0 0 1000\n")).toBe(true);
  });

  test("ids map to the parent namespace", () => {
    expect(outsideId(PODMAN, 0)).toBe(1000);
    expect(outsideId(PODMAN, 5)).toBe(100004);
    expect(outsideId(PODMAN, 70000)).toBeUndefined();
    expect(hostUid(podmanRoot)).toBe(1000);
    expect(hostUid(root)).toBe(0);
    expect(hostUid(user)).toBe(1000);
  });
});

describe("rootless, decided as runc does", () => {
  test.each([
    ["auto", false, root, false],
    ["auto", false, user, true],
    ["auto", true, user, true],
    ["auto", false, podmanRoot, true],
    // with systemd, root in a user namespace is rootless when the host sees another user
    ["auto", true, podmanRoot, true],
    ["auto", true, { euid: 0, uidMap: "0 0 65536\n" }, false],
    ["true", false, root, true],
    ["false", false, user, false],
    ["", false, user, true],
  ] as const)("--rootless %p, systemd %p, %o → %p", (flag, systemd, id, want) => {
    expect(isRootless(flag, systemd, id)).toBe(want);
  });

  test("anything else is refused", () => {
    expect(() => isRootless("maybe", false, root)).toThrow("invalid --rootless value maybe");
  });
});

describe("state in $XDG_RUNTIME_DIR", () => {
  const xdg = { XDG_RUNTIME_DIR: "/run/user/1000" };
  test.each([
    [{}, user, false],
    [xdg, user, true],
    [xdg, root, false],
    [{ ...xdg, USER: "alice" }, podmanRoot, true],
    [{ ...xdg, USER: "root" }, podmanRoot, false],
  ] as const)("env %o, %o → %p", (env, id, want) => {
    expect(honorsXdgRuntimeDir(env, id)).toBe(want);
  });
});
