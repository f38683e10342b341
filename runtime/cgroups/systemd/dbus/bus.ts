// Which bus to talk to and how to reach it: the system bus for a runtime
// run by root, the user's own bus (its systemd user instance) otherwise.

import { RuntimeError } from "../../../errors.ts";
import { closeFd, connectUnix, pollReadable, recvSome, sendAll } from "../../../linux/ffi.ts";
import { Connection, type Transport } from "./connection.ts";

export const SYSTEM_BUS_ADDRESS = "unix:path=/run/dbus/system_bus_socket";

/** The environment (the DBUS_* addresses and XDG_RUNTIME_DIR are read). */
export type BusEnv = Readonly<Record<string, string | undefined>>;

/** The address of the system bus, or of the user's bus. */
export function busAddress(user: boolean, env: BusEnv): string {
  if (!user) return env.DBUS_SYSTEM_BUS_ADDRESS || SYSTEM_BUS_ADDRESS;
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS;
  if (env.XDG_RUNTIME_DIR) return `unix:path=${env.XDG_RUNTIME_DIR}/bus`;
  throw new RuntimeError("CGROUP", "cannot find the user's d-bus: neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set", {
    hint: "log in through systemd-logind (or set XDG_RUNTIME_DIR), or run without --systemd-cgroup",
  });
}

function unescape(v: string): string {
  return v.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** The socket path of the first "unix:path=..." entry of a D-Bus address list. */
export function socketPath(address: string): string {
  for (const entry of address.split(";")) {
    const [transport, params = ""] = entry.split(/:(.*)/s);
    if (transport !== "unix") continue;
    for (const kv of params.split(",")) {
      const eq = kv.indexOf("=");
      if (kv.slice(0, eq) === "path") return unescape(kv.slice(eq + 1));
    }
  }
  throw new RuntimeError("CGROUP", `unsupported d-bus address ${address}: only unix:path= is supported`);
}

function socketTransport(path: string): Transport {
  let fd: number;
  try {
    fd = connectUnix(path);
  } catch (err) {
    throw new RuntimeError("CGROUP", `cannot connect to d-bus at ${path}: ${(err as Error).message}`, { cause: err });
  }
  return {
    send: (bytes) => sendAll(fd, bytes),
    recv: (ms) => (pollReadable(fd, ms) ? recvSome(fd) : undefined),
    close: () => closeFd(fd),
  };
}

/** An authenticated connection to a bus, as `uid` (the uid the bus daemon sees). */
export function connectBus(address: string, uid: number): Connection {
  const conn = new Connection(socketTransport(socketPath(address)));
  try {
    conn.open(uid);
  } catch (err) {
    conn.close();
    throw err;
  }
  return conn;
}
