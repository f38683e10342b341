// A blocking D-Bus client connection: the runtime is a short-lived command
// that makes a few calls and waits for one signal, so calls block (with a
// deadline) instead of going through the event loop. The transport is an
// interface so that tests can stand in for the bus.

import { RuntimeError } from "../../../errors.ts";
import { decodeMessage, encodeCall, messageLength, MessageType, type Call, type Message } from "./message.ts";
import type { DbusValue } from "./marshal.ts";

export interface Transport {
  send(bytes: Uint8Array): void;
  /** Bytes available within `ms`; undefined on timeout, empty at end of stream. */
  recv(ms: number): Uint8Array | undefined;
  close(): void;
}

/** An error reply from the bus or a service. */
export class DbusError extends RuntimeError {
  readonly errorName: string;

  constructor(errorName: string, text: string) {
    super("CGROUP", `${errorName}: ${text}`);
    this.errorName = errorName;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

const hex = (s: string) => Buffer.from(s).toString("hex");

export class Connection {
  private serial = 0;
  private buffered = new Uint8Array(0);
  private readonly signals: Message[] = [];
  private closed = false;

  constructor(private readonly transport: Transport) {}

  /**
   * SASL EXTERNAL with the uid the bus sees (the host uid when the runtime
   * runs in a user namespace), then Hello, which every client must send first.
   */
  open(uid: number, timeoutMs = DEFAULT_TIMEOUT_MS): void {
    this.transport.send(Buffer.from(`\0AUTH EXTERNAL ${hex(String(uid))}\r\n`));
    const line = this.readLine(Date.now() + timeoutMs);
    if (!line.startsWith("OK ")) throw new RuntimeError("CGROUP", `d-bus authentication as uid ${uid} failed: ${line}`);
    this.transport.send(Buffer.from("BEGIN\r\n"));
    this.call({ destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus", member: "Hello" }, timeoutMs);
  }

  private readLine(deadline: number): string {
    for (;;) {
      const end = this.buffered.indexOf(0x0a);
      if (end >= 0) {
        const line = Buffer.from(this.buffered.subarray(0, end)).toString().replace(/\r$/, "");
        this.buffered = this.buffered.subarray(end + 1);
        return line;
      }
      this.fill(deadline, "authentication");
    }
  }

  private fill(deadline: number, waitingFor: string): void {
    const chunk = this.transport.recv(Math.max(0, deadline - Date.now()));
    if (chunk === undefined) throw new RuntimeError("CGROUP", `timed out waiting for d-bus ${waitingFor}`);
    if (chunk.length === 0) throw new RuntimeError("CGROUP", `d-bus connection closed while waiting for ${waitingFor}`);
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered);
    joined.set(chunk, this.buffered.length);
    this.buffered = joined;
  }

  private nextMessage(deadline: number, waitingFor: string): Message {
    for (;;) {
      const n = messageLength(this.buffered);
      if (n !== undefined && this.buffered.length >= n) {
        const msg = decodeMessage(this.buffered.subarray(0, n));
        this.buffered = this.buffered.subarray(n);
        return msg;
      }
      this.fill(deadline, waitingFor);
    }
  }

  /** Sends a method call and returns the body of its reply; a D-Bus error is thrown as DbusError. */
  call(call: Call, timeoutMs = DEFAULT_TIMEOUT_MS): DbusValue[] {
    const serial = ++this.serial;
    this.transport.send(encodeCall(call, serial));
    const deadline = Date.now() + timeoutMs;
    const what = `the reply to ${call.member}`;
    for (;;) {
      const msg = this.nextMessage(deadline, what);
      if (msg.type === MessageType.SIGNAL) this.signals.push(msg);
      if (msg.replySerial !== serial) continue;
      if (msg.type === MessageType.ERROR) throw new DbusError(msg.errorName ?? "unknown error", String(msg.body[0] ?? ""));
      return msg.body;
    }
  }

  /** The first signal (already received or still to come) that `matches`, within the timeout. */
  waitSignal(matches: (m: Message) => boolean, waitingFor: string, timeoutMs = DEFAULT_TIMEOUT_MS): Message {
    const seen = this.signals.findIndex(matches);
    if (seen >= 0) return this.signals.splice(seen, 1)[0] as Message;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const msg = this.nextMessage(deadline, waitingFor);
      if (msg.type !== MessageType.SIGNAL) continue;
      if (matches(msg)) return msg;
      this.signals.push(msg);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
