// D-Bus messages: a method call as bytes, and bytes back to a message. The
// header is the fixed part (endianness, type, flags, version, body length,
// serial) and an array of (code, variant) fields.

import { RuntimeError } from "../../../errors.ts";
import { Reader, variant, Writer, type DbusValue, type Variant } from "./marshal.ts";

export const MessageType = { METHOD_CALL: 1, METHOD_RETURN: 2, ERROR: 3, SIGNAL: 4 } as const;

const FIELD = { PATH: 1, INTERFACE: 2, MEMBER: 3, ERROR_NAME: 4, REPLY_SERIAL: 5, DESTINATION: 6, SENDER: 7, SIGNATURE: 8 } as const;

export interface Call {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

export interface Message {
  type: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature: string;
  body: DbusValue[];
}

/** A message to send: the serial is the connection's to give. */
export type Outgoing = Omit<Message, "serial" | "signature" | "body"> & { signature?: string; body?: DbusValue[] };

/** The bytes of any message with the given serial (tests use it to stand in for a bus). */
export function encodeMessage(m: Outgoing, serial: number): Uint8Array {
  const fields: [number, Variant][] = [];
  const add = (code: number, sig: string, v: string | number | undefined) => {
    if (v !== undefined) fields.push([code, variant(sig, v)]);
  };
  add(FIELD.PATH, "o", m.path);
  add(FIELD.INTERFACE, "s", m.interface);
  add(FIELD.MEMBER, "s", m.member);
  add(FIELD.ERROR_NAME, "s", m.errorName);
  add(FIELD.REPLY_SERIAL, "u", m.replySerial);
  add(FIELD.DESTINATION, "s", m.destination);
  add(FIELD.SENDER, "s", m.sender);
  const sig = m.signature ?? "";
  if (sig !== "") fields.push([FIELD.SIGNATURE, variant("g", sig)]);
  const body = new Writer();
  if (sig !== "") body.write(sig, m.body ?? []);
  const w = new Writer();
  w.write("yyyyuua(yv)", [0x6c, m.type, 0, 1, body.length, serial, fields]);
  w.align(8);
  w.raw(body.bytes());
  return w.bytes();
}

/** The bytes of a method call with the given serial. */
export function encodeCall(call: Call, serial: number): Uint8Array {
  return encodeMessage({ type: MessageType.METHOD_CALL, ...call }, serial);
}

/** The whole length of the message starting buf, once its first 16 bytes are there. */
export function messageLength(buf: Uint8Array): number | undefined {
  if (buf.length < 16) return undefined;
  if (buf[0] !== 0x6c) throw new RuntimeError("CGROUP", "d-bus peer sent a big-endian message, which is not supported");
  const view = new DataView(buf.buffer, buf.byteOffset, 16);
  const fields = view.getUint32(12, true);
  return 16 + fields + ((8 - (fields % 8)) % 8) + view.getUint32(4, true);
}

/** One complete message (messageLength bytes). */
export function decodeMessage(buf: Uint8Array): Message {
  const r = new Reader(buf);
  const [, type, , , bodyLength, serial, fields] = r.read("yyyyuua(yv)") as [number, number, number, number, number, number, [number, Variant][]];
  r.align(8);
  const get = (code: number) => fields.find(([c]) => c === code)?.[1].value;
  const msg: Message = { type, serial, signature: (get(FIELD.SIGNATURE) as string | undefined) ?? "", body: [] };
  const str = (code: number) => get(code) as string | undefined;
  msg.path = str(FIELD.PATH);
  msg.interface = str(FIELD.INTERFACE);
  msg.member = str(FIELD.MEMBER);
  msg.errorName = str(FIELD.ERROR_NAME);
  msg.sender = str(FIELD.SENDER);
  msg.destination = str(FIELD.DESTINATION);
  msg.replySerial = get(FIELD.REPLY_SERIAL) as number | undefined;
  if (msg.signature !== "" && bodyLength > 0) msg.body = new Reader(buf.subarray(r.offset)).read(msg.signature);
  return msg;
}
