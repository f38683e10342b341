import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Subprocess } from "bun";
import { busAddress, connectBus, socketPath, SYSTEM_BUS_ADDRESS } from "./bus.ts";
import { DbusError } from "./connection.ts";

describe("bus addresses", () => {
  test("root talks to the system bus", () => {
    expect(busAddress(false, {})).toBe(SYSTEM_BUS_ADDRESS);
    expect(busAddress(false, { DBUS_SYSTEM_BUS_ADDRESS: "unix:path=/x" })).toBe("unix:path=/x");
  });

  test("a rootless user talks to its own bus", () => {
    expect(busAddress(true, { DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus" })).toBe("unix:path=/run/user/1000/bus");
    expect(busAddress(true, { XDG_RUNTIME_DIR: "/run/user/1000" })).toBe("unix:path=/run/user/1000/bus");
    expect(() => busAddress(true, {})).toThrow("cannot find the user's d-bus");
  });

  test("the first unix:path entry is used, escapes undone", () => {
    expect(socketPath("unix:path=/run/dbus/system_bus_socket")).toBe("/run/dbus/system_bus_socket");
    expect(socketPath("tcp:host=x,port=1;unix:guid=abc,path=/tmp/a%20b")).toBe("/tmp/a b");
    expect(() => socketPath("unix:abstract=/tmp/x")).toThrow("unsupported d-bus address unix:abstract=/tmp/x");
  });
});

// The client against a real bus daemon: login, Hello, calls, error replies.
const daemon = Bun.which("dbus-daemon");
describe.skipIf(daemon === null)("against dbus-daemon", () => {
  let dir: string;
  let proc: Subprocess;
  let address: string;

  beforeAll(async () => {
    dir = mkdtempSync(`${tmpdir()}/runb-dbus-`);
    address = `unix:path=${dir}/bus`;
    proc = Bun.spawn([daemon as string, "--session", "--nofork", `--address=${address}`], { stdout: "ignore", stderr: "ignore" });
    for (let i = 0; i < 200 && !existsSync(`${dir}/bus`); i++) await Bun.sleep(10);
  });

  afterAll(async () => {
    proc.kill();
    await proc.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (member: string, signature = "", body: string[] = []) => ({
    destination: "org.freedesktop.DBus",
    path: "/org/freedesktop/DBus",
    interface: "org.freedesktop.DBus",
    member,
    signature,
    body,
  });

  test("logs in, says Hello and gets answers", () => {
    using conn = connectBus(address, process.getuid?.() ?? 0);
    const [id] = conn.call(call("GetId"));
    expect(String(id)).toMatch(/^[0-9a-f]{32}$/);
    const [names] = conn.call(call("ListNames"));
    expect(names as string[]).toContain("org.freedesktop.DBus");
    conn.call(call("AddMatch", "s", ["type='signal',member='JobRemoved'"]));
  });

  test("an error reply becomes a DbusError with its name", () => {
    using conn = connectBus(address, process.getuid?.() ?? 0);
    let err: unknown;
    try {
      conn.call(call("GetNameOwner", "s", ["org.freedesktop.systemd1"]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DbusError);
    expect((err as DbusError).errorName).toBe("org.freedesktop.DBus.Error.NameHasNoOwner");
  });

  test("a wrong uid is refused at login", () => {
    expect(() => connectBus(address, 4242)).toThrow("d-bus authentication as uid 4242 failed");
  });
});
