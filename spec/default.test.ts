import { describe, expect, test } from "bun:test";
import { defaultSpec, ociVersion } from "./default.ts";
import { checkConfig } from "./validate.ts";

describe("defaultSpec", () => {
  for (const rootless of [false, true]) {
    test(`${rootless ? "rootless" : "root"} variant validates`, () => {
      expect(checkConfig(defaultSpec({ rootless }))).toMatchObject({ valid: true });
    });
  }

  test("matches runc's example where it matters", () => {
    const spec = defaultSpec({ rootless: false, cgroupNamespace: false });
    expect(spec.ociVersion).toBe("1.3.0");
    expect(ociVersion).toBe("1.3.0");
    expect(spec.process?.args).toEqual(["sh"]);
    expect(spec.process?.terminal).toBe(true);
    expect(spec.process?.cwd).toBe("/");
    expect(spec.process?.noNewPrivileges).toBe(true);
    expect(spec.root).toEqual({ path: "rootfs", readonly: true });
    expect(spec.hostname).toBe("runc");
    expect(spec.mounts?.map((m) => m.destination)).toEqual([
      "/proc",
      "/dev",
      "/dev/pts",
      "/dev/shm",
      "/dev/mqueue",
      "/sys",
      "/sys/fs/cgroup",
    ]);
    expect(spec.linux?.namespaces?.map((n) => n.type)).toEqual(["pid", "network", "ipc", "uts", "mount"]);
    expect(spec.linux?.resources?.devices).toEqual([{ allow: false, access: "rwm" }]);
  });

  test("keys serialise in runc's order", () => {
    const spec = defaultSpec({ rootless: false });
    expect(Object.keys(spec)).toEqual(["ociVersion", "process", "root", "hostname", "mounts", "linux"]);
    expect(Object.keys(spec.process ?? {})).toEqual([
      "terminal",
      "user",
      "args",
      "env",
      "cwd",
      "capabilities",
      "rlimits",
      "noNewPrivileges",
    ]);
    expect(Object.keys(spec.linux ?? {})).toEqual(["resources", "namespaces", "maskedPaths", "readonlyPaths"]);
  });

  test("a cgroup namespace only when asked or on cgroup v2", () => {
    const types = (cgroupNamespace: boolean) =>
      defaultSpec({ rootless: false, cgroupNamespace }).linux?.namespaces?.map((n) => n.type);
    expect(types(true)).toContain("cgroup");
    expect(types(false)).not.toContain("cgroup");
  });

  test("rootless: user namespace, no network namespace, mapped ids, no resources", () => {
    const spec = defaultSpec({ rootless: true, cgroupNamespace: true, hostUid: 1000, hostGid: 1001 });
    expect(spec.linux?.namespaces?.map((n) => n.type)).toEqual(["pid", "ipc", "uts", "mount", "cgroup", "user"]);
    expect(spec.linux?.uidMappings).toEqual([{ containerID: 0, hostID: 1000, size: 1 }]);
    expect(spec.linux?.gidMappings).toEqual([{ containerID: 0, hostID: 1001, size: 1 }]);
    expect(spec.linux?.resources).toBeUndefined();
    expect(Object.keys(spec.linux ?? {})).toEqual([
      "uidMappings",
      "gidMappings",
      "namespaces",
      "maskedPaths",
      "readonlyPaths",
    ]);
    const sys = spec.mounts?.find((m) => m.destination === "/sys");
    expect(sys).toEqual({
      destination: "/sys",
      type: "none",
      source: "/sys",
      options: ["rbind", "nosuid", "noexec", "nodev", "ro"],
    });
    const pts = spec.mounts?.find((m) => m.destination === "/dev/pts");
    expect(pts?.options).toEqual(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]);
  });

  test("rootless maps the effective ids by default", () => {
    const spec = defaultSpec({ rootless: true });
    expect(spec.linux?.uidMappings?.[0]?.hostID).toBe(process.geteuid?.() ?? 0);
    expect(spec.linux?.gidMappings?.[0]?.hostID).toBe(process.getegid?.() ?? 0);
  });

  test("each call returns a fresh document", () => {
    const a = defaultSpec({ rootless: false });
    a.process?.args?.push("-c");
    a.mounts?.[1]?.options?.push("ro");
    a.process?.capabilities?.bounding?.push("CAP_SYS_ADMIN");
    const b = defaultSpec({ rootless: false });
    expect(b.process?.args).toEqual(["sh"]);
    expect(b.mounts?.[1]?.options).toEqual(["nosuid", "strictatime", "mode=755", "size=65536k"]);
    expect(b.process?.capabilities?.bounding).toEqual(["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]);
  });
});
