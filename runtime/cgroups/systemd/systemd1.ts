// The calls to systemd's manager object this driver makes, over one
// connection: starting a transient unit and waiting for its job, changing
// a unit's properties, stopping it, and reading manager properties.

import type { Connection } from "./dbus/connection.ts";
import { DbusError } from "./dbus/connection.ts";
import type { DbusValue, Variant } from "./dbus/marshal.ts";
import type { Message } from "./dbus/message.ts";
import type { Property } from "./properties.ts";
import { RuntimeError } from "../../errors.ts";

const DEST = "org.freedesktop.systemd1";
const PATH = "/org/freedesktop/systemd1";
const MANAGER = "org.freedesktop.systemd1.Manager";

const JOB_REMOVED_MATCH = `type='signal',sender='${DEST}',path='${PATH}',interface='${MANAGER}',member='JobRemoved'`;

function manager(conn: Connection, member: string, signature: string, body: DbusValue[]): DbusValue[] {
  return conn.call({ destination: DEST, path: PATH, interface: MANAGER, member, signature, body });
}

/** A property of the manager object, e.g. "Version" or "ControlGroup". */
export function managerProperty(conn: Connection, name: string): DbusValue {
  const [v] = conn.call({
    destination: DEST,
    path: PATH,
    interface: "org.freedesktop.DBus.Properties",
    member: "Get",
    signature: "ss",
    body: [MANAGER, name],
  });
  return (v as Variant).value;
}

/** "252.22-1~deb12u1" → 252; 0 when it cannot be read. */
export function parseVersion(v: DbusValue): number {
  const m = /^v?(\d+)/.exec(String(v));
  return m === null ? 0 : Number(m[1]);
}

const isJobRemoved = (job: string) => (m: Message) => m.member === "JobRemoved" && m.body[1] === job;

function waitJob(conn: Connection, job: string, unit: string, what: string, timeoutMs: number): void {
  const msg = conn.waitSignal(isJobRemoved(job), `systemd to ${what} ${unit}`, timeoutMs);
  const result = String(msg.body[3]);
  if (result !== "done") throw new RuntimeError("CGROUP", `error ${what === "start" ? "creating" : "stopping"} systemd unit ${unit}: got ${result}`);
}

const isError = (err: unknown, name: string) => err instanceof DbusError && err.errorName === name;

/** StartTransientUnit, waiting for its job; a failed unit left by an earlier container of that name is reset first. */
export function startTransientUnit(conn: Connection, unit: string, properties: Property[], timeoutMs = 30_000): void {
  conn.call({ destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus", member: "AddMatch", signature: "s", body: [JOB_REMOVED_MATCH] });
  const start = () => manager(conn, "StartTransientUnit", "ssa(sv)a(sa(sv))", [unit, "replace", properties, []])[0] as string;
  let job: string;
  try {
    job = start();
  } catch (err) {
    if (!isError(err, "org.freedesktop.systemd1.UnitExists")) throw err;
    resetFailedUnit(conn, unit);
    job = start();
  }
  waitJob(conn, job, unit, "start", timeoutMs);
}

/** SetUnitProperties for the unit's runtime (not persisted). */
export function setUnitProperties(conn: Connection, unit: string, properties: Property[]): void {
  if (properties.length === 0) return;
  manager(conn, "SetUnitProperties", "sba(sv)", [unit, true, properties]);
}

/**
 * StopUnit and wait; a unit that is already gone is fine (a scope goes
 * away by itself once its processes have). A unit left failed (say, by the
 * OOM killer) is reset either way, so that nothing of it stays loaded.
 */
export function stopUnit(conn: Connection, unit: string, timeoutMs = 30_000): void {
  conn.call({ destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus", member: "AddMatch", signature: "s", body: [JOB_REMOVED_MATCH] });
  try {
    const job = manager(conn, "StopUnit", "ss", [unit, "replace"])[0] as string;
    waitJob(conn, job, unit, "stop", timeoutMs);
  } catch (err) {
    if (!isError(err, "org.freedesktop.systemd1.NoSuchUnit")) throw err;
  } finally {
    resetFailedUnit(conn, unit);
  }
}

/** Forgets a failed unit so its name can be used again; nothing to reset is fine. */
export function resetFailedUnit(conn: Connection, unit: string): void {
  try {
    manager(conn, "ResetFailedUnit", "s", [unit]);
  } catch (err) {
    if (!(err instanceof DbusError)) throw err;
  }
}
