// A stand-in for the system bus with systemd on it, at the transport level:
// it answers the SASL exchange, decodes each call the client sends and
// answers as dbus-daemon and systemd would, including the JobRemoved signal
// of each job. Units are kept with their properties; a unit's cgroup
// directory is made below `root` when it starts and removed when it stops.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { posix } from "node:path";
import { Connection, type Transport } from "./dbus/connection.ts";
import type { DbusValue, Variant } from "./dbus/marshal.ts";
import { decodeMessage, encodeMessage, messageLength, MessageType, type Message } from "./dbus/message.ts";
import { expandSlice } from "../path.ts";

export interface FakeUnit {
  properties: Map<string, DbusValue>;
  /** A failed unit stays loaded until ResetFailedUnit. */
  failed?: boolean;
}

export class FakeSystemd implements Transport {
  readonly calls: Message[] = [];
  readonly units = new Map<string, FakeUnit>();
  /** Result of every job, "done" unless a test says otherwise. */
  jobResult = "done";
  version = "252.22-1~deb12u1";
  controlGroup = "";
  private readonly inbox: Uint8Array[] = [];
  private authed = false;
  private serial = 100;
  private job = 0;
  closed = 0;
  connections = 0;

  constructor(private readonly root?: string) {}

  /** A new connection (one stand-in serves them one after the other). */
  connection(): Connection {
    this.authed = false;
    this.connections++;
    const conn = new Connection(this);
    conn.open(0);
    return conn;
  }

  private push(m: Parameters<typeof encodeMessage>[0]): void {
    this.inbox.push(encodeMessage({ sender: "org.freedesktop.systemd1", ...m }, ++this.serial));
  }

  private reply(to: Message, signature = "", body: DbusValue[] = []): void {
    this.push({ type: MessageType.METHOD_RETURN, replySerial: to.serial, signature, body });
  }

  private error(to: Message, name: string, text: string): void {
    this.push({ type: MessageType.ERROR, replySerial: to.serial, errorName: name, signature: "s", body: [text] });
  }

  private finishJob(to: Message, unit: string): void {
    const path = `/org/freedesktop/systemd1/job/${++this.job}`;
    this.reply(to, "o", [path]);
    const signal = { path: "/org/freedesktop/systemd1", interface: "org.freedesktop.systemd1.Manager", member: "JobRemoved" };
    this.push({ type: MessageType.SIGNAL, ...signal, signature: "uoss", body: [this.job, path, unit, this.jobResult] });
  }

  private cgroupDir(unit: string, slice: string): string | undefined {
    return this.root === undefined ? undefined : posix.join(this.root, this.controlGroup, expandSlice(slice), unit);
  }

  private handle(m: Message): void {
    this.calls.push(m);
    const unit = String(m.body[0]);
    switch (m.member) {
      case "Hello":
        return this.reply(m, "s", [":1.42"]);
      case "AddMatch":
        return this.reply(m);
      case "Get":
        return this.reply(m, "v", [{ sig: "s", value: m.body[1] === "Version" ? this.version : this.controlGroup }]);
      case "StartTransientUnit": {
        if (this.units.has(unit)) return this.error(m, "org.freedesktop.systemd1.UnitExists", `Unit ${unit} already exists.`);
        const props = new Map((m.body[2] as [string, Variant][]).map(([k, v]) => [k, v.value]));
        this.units.set(unit, { properties: props });
        const dir = this.cgroupDir(unit, String(props.get("Slice")));
        if (dir !== undefined) {
          mkdirSync(dir, { recursive: true });
          writeFileSync(`${dir}/cgroup.procs`, `${(props.get("PIDs") as number[]).join("\n")}\n`);
        }
        return this.finishJob(m, unit);
      }
      case "SetUnitProperties": {
        const u = this.units.get(unit);
        if (u === undefined) return this.error(m, "org.freedesktop.systemd1.NoSuchUnit", `Unit ${unit} not loaded.`);
        for (const [k, v] of m.body[2] as [string, Variant][]) u.properties.set(k, v.value);
        return this.reply(m);
      }
      case "StopUnit": {
        const u = this.units.get(unit);
        if (u === undefined) return this.error(m, "org.freedesktop.systemd1.NoSuchUnit", `Unit ${unit} not loaded.`);
        this.units.delete(unit);
        const dir = this.cgroupDir(unit, String(u.properties.get("Slice")));
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
        return this.finishJob(m, unit);
      }
      case "ResetFailedUnit":
        if (this.units.get(unit)?.failed === true) this.units.delete(unit);
        return this.reply(m);
    }
    this.error(m, "org.freedesktop.DBus.Error.UnknownMethod", `no method ${m.member}`);
  }

  send(bytes: Uint8Array): void {
    if (!this.authed) {
      const text = Buffer.from(bytes).toString();
      if (text.startsWith("\0AUTH EXTERNAL ")) this.inbox.push(Buffer.from("OK 0123456789abcdef\r\n"));
      if (text === "BEGIN\r\n") this.authed = true;
      return;
    }
    for (let rest = bytes; rest.length > 0; ) {
      const n = messageLength(rest) as number;
      this.handle(decodeMessage(rest.subarray(0, n)));
      rest = rest.subarray(n);
    }
  }

  recv(_ms: number): Uint8Array | undefined {
    return this.inbox.shift();
  }

  close(): void {
    this.closed++;
  }

  /** The calls made, by member name. */
  members(): string[] {
    return this.calls.map((c) => c.member ?? "");
  }
}
