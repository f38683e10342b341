// D-Bus wire format (little-endian), the part of the specification's
// "Marshaling" section the systemd driver needs: every basic type, arrays,
// structs, dict entries and variants. Pure: bytes in, values out.
//
// Values: y n q i u h → number; x t → bigint (a number is accepted when
// writing); b → boolean; s o g → string; arrays and structs → JS arrays (a
// dict entry is a [key, value] pair); v → Variant.

import { RuntimeError } from "../../../errors.ts";

export interface Variant {
  sig: string;
  value: DbusValue;
}

export type DbusValue = number | bigint | boolean | string | Variant | DbusValue[];

export const variant = (sig: string, value: DbusValue): Variant => ({ sig, value });

function malformed(what: string): RuntimeError {
  return new RuntimeError("CGROUP", `malformed d-bus data: ${what}`);
}

const ALIGN: Record<string, number> = { y: 1, b: 4, n: 2, q: 2, i: 4, u: 4, x: 8, t: 8, d: 8, h: 4, s: 4, o: 4, g: 1, a: 4, "(": 8, "{": 8, v: 1 };

/** Length of the complete type starting at sig[at]. */
function typeLength(sig: string, at: number): number {
  const c = sig[at];
  if (c === undefined) throw malformed(`signature ${sig} ends early`);
  if (c === "a") return 1 + typeLength(sig, at + 1);
  if (c === "(" || c === "{") {
    const close = c === "(" ? ")" : "}";
    let i = at + 1;
    while (sig[i] !== close) {
      if (sig[i] === undefined) throw malformed(`unbalanced signature ${sig}`);
      i += typeLength(sig, i);
    }
    return i + 1 - at;
  }
  if (!(c in ALIGN)) throw malformed(`unknown type ${c} in signature ${sig}`);
  return 1;
}

/** "sa(sv)" → ["s", "a(sv)"]. */
export function splitSignature(sig: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < sig.length; ) {
    const n = typeLength(sig, i);
    out.push(sig.slice(i, i + n));
    i += n;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.grow(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  raw(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  setU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  private fixed(align: number, put: (v: DataView, at: number) => void): void {
    this.align(align);
    this.grow(align);
    put(this.view, this.length);
    this.length += align;
  }

  private string(s: string, lengthBytes: 1 | 4): void {
    const b = encoder.encode(s);
    if (lengthBytes === 4) this.fixed(4, (v, at) => v.setUint32(at, b.length, true));
    else this.fixed(1, (v, at) => v.setUint8(at, b.length));
    this.raw(b);
    this.raw(new Uint8Array(1));
  }

  /** Writes the values of a signature of one or more complete types. */
  write(sig: string, values: readonly DbusValue[]): void {
    const types = splitSignature(sig);
    if (types.length !== values.length) throw malformed(`signature ${sig} has ${types.length} types for ${values.length} values`);
    types.forEach((t, i) => this.value(t, values[i] as DbusValue));
  }

  value(type: string, v: DbusValue): void {
    const c = type[0];
    switch (c) {
      case "y": return this.fixed(1, (d, at) => d.setUint8(at, Number(v)));
      case "b": return this.fixed(4, (d, at) => d.setUint32(at, v === true ? 1 : 0, true));
      case "n": return this.fixed(2, (d, at) => d.setInt16(at, Number(v), true));
      case "q": return this.fixed(2, (d, at) => d.setUint16(at, Number(v), true));
      case "i": return this.fixed(4, (d, at) => d.setInt32(at, Number(v), true));
      case "u":
      case "h": return this.fixed(4, (d, at) => d.setUint32(at, Number(v), true));
      case "x": return this.fixed(8, (d, at) => d.setBigInt64(at, BigInt(v as number | bigint), true));
      case "t": return this.fixed(8, (d, at) => d.setBigUint64(at, BigInt(v as number | bigint), true));
      case "d": return this.fixed(8, (d, at) => d.setFloat64(at, Number(v), true));
      case "s":
      case "o": return this.string(String(v), 4);
      case "g": return this.string(String(v), 1);
      case "v": {
        const x = v as Variant;
        this.string(x.sig, 1);
        return this.value(x.sig, x.value);
      }
      case "a": return this.array(type.slice(1), v as DbusValue[]);
      case "(":
      case "{": {
        this.align(8);
        return this.write(type.slice(1, -1), v as DbusValue[]);
      }
    }
    throw malformed(`cannot write type ${type}`);
  }

  // The length excludes the padding before the first element.
  private array(element: string, items: readonly DbusValue[]): void {
    this.fixed(4, () => undefined);
    const lengthAt = this.length - 4;
    this.align(ALIGN[element[0] ?? ""] ?? 1);
    const start = this.length;
    for (const item of items) this.value(element, item);
    this.setU32(lengthAt, this.length - start);
  }
}

export class Reader {
  private readonly view: DataView;
  offset: number;

  constructor(private readonly buf: Uint8Array, offset = 0) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.offset = offset;
  }

  align(n: number): void {
    this.offset += (n - (this.offset % n)) % n;
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw malformed("message ends early");
  }

  private fixed<T>(size: number, get: (v: DataView, at: number) => T): T {
    this.align(size);
    this.need(size);
    const out = get(this.view, this.offset);
    this.offset += size;
    return out;
  }

  private string(lengthBytes: 1 | 4): string {
    const n = lengthBytes === 4 ? this.fixed(4, (v, at) => v.getUint32(at, true)) : this.fixed(1, (v, at) => v.getUint8(at));
    this.need(n + 1);
    const s = decoder.decode(this.buf.subarray(this.offset, this.offset + n));
    this.offset += n + 1;
    return s;
  }

  /** Reads the values of a signature of one or more complete types. */
  read(sig: string): DbusValue[] {
    return splitSignature(sig).map((t) => this.value(t));
  }

  value(type: string): DbusValue {
    switch (type[0]) {
      case "y": return this.fixed(1, (d, at) => d.getUint8(at));
      case "b": return this.fixed(4, (d, at) => d.getUint32(at, true)) !== 0;
      case "n": return this.fixed(2, (d, at) => d.getInt16(at, true));
      case "q": return this.fixed(2, (d, at) => d.getUint16(at, true));
      case "i": return this.fixed(4, (d, at) => d.getInt32(at, true));
      case "u":
      case "h": return this.fixed(4, (d, at) => d.getUint32(at, true));
      case "x": return this.fixed(8, (d, at) => d.getBigInt64(at, true));
      case "t": return this.fixed(8, (d, at) => d.getBigUint64(at, true));
      case "d": return this.fixed(8, (d, at) => d.getFloat64(at, true));
      case "s":
      case "o": return this.string(4);
      case "g": return this.string(1);
      case "v": {
        const sig = this.string(1);
        return { sig, value: this.value(sig) };
      }
      case "a": return this.array(type.slice(1));
      case "(":
      case "{":
        this.align(8);
        return this.read(type.slice(1, -1));
    }
    throw malformed(`cannot read type ${type}`);
  }

  private array(element: string): DbusValue[] {
    const n = this.fixed(4, (v, at) => v.getUint32(at, true));
    this.align(ALIGN[element[0] ?? ""] ?? 1);
    const end = this.offset + n;
    this.need(n);
    const out: DbusValue[] = [];
    while (this.offset < end) out.push(this.value(element));
    if (this.offset !== end) throw malformed("array overruns its length");
    return out;
  }
}
