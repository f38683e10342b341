import { describe, expect, test } from "bun:test";
import { Reader, splitSignature, variant, Writer } from "./marshal.ts";
import { decodeMessage, encodeCall, messageLength, MessageType } from "./message.ts";

describe("marshalling", () => {
  test("splits a signature into complete types", () => {
    expect(splitSignature("ssa(sv)a(sa(sv))")).toEqual(["s", "s", "a(sv)", "a(sa(sv))"]);
    expect(splitSignature("a{sv}uoss")).toEqual(["a{sv}", "u", "o", "s", "s"]);
    expect(() => splitSignature("a(sv")).toThrow("malformed d-bus data");
  });

  test("a string is its length, the bytes and a NUL, aligned to 4", () => {
    const w = new Writer();
    w.write("ys", [7, "ab"]);
    expect([...w.bytes()]).toEqual([7, 0, 0, 0, 2, 0, 0, 0, 0x61, 0x62, 0]);
  });

  test("an array's length leaves out the padding before its first struct", () => {
    const w = new Writer();
    w.write("a(ut)", [[[1, 2n]]]);
    // length (4) + pad to 8 (0) + u (4) + pad (4) + t (8): length says 16
    expect(w.length).toBe(24);
    expect(new DataView(w.bytes().buffer).getUint32(0, true)).toBe(16);
  });

  test("values come back as they went in", () => {
    const sig = "ssa(sv)a(sa(sv))btxay";
    const values = [
      "runb-x.scope",
      "replace",
      [
        ["PIDs", variant("au", [1, 2])],
        ["Delegate", variant("b", true)],
        ["MemoryMax", variant("t", 67108864n)],
        ["AllowedCPUs", variant("ay", [5])],
      ],
      [],
      false,
      0xffff_ffff_ffff_ffffn,
      -5n,
      [1, 2, 3],
    ];
    const w = new Writer();
    w.write(sig, values);
    expect(new Reader(w.bytes()).read(sig)).toEqual(values);
  });

  test("a truncated body is refused", () => {
    const w = new Writer();
    w.write("s", ["hello"]);
    expect(() => new Reader(w.bytes().subarray(0, 6)).read("s")).toThrow("message ends early");
  });
});

describe("messages", () => {
  test("a method call decodes to what was sent", () => {
    const call = { destination: "org.freedesktop.systemd1", path: "/org/freedesktop/systemd1", interface: "org.freedesktop.systemd1.Manager", member: "StopUnit", signature: "ss", body: ["a.scope", "replace"] };
    const bytes = encodeCall(call, 7);
    expect(messageLength(bytes)).toBe(bytes.length);
    expect(messageLength(bytes.subarray(0, 15))).toBeUndefined();
    const m = decodeMessage(bytes);
    expect(m).toMatchObject({ type: MessageType.METHOD_CALL, serial: 7, path: call.path, interface: call.interface, member: "StopUnit", destination: call.destination, signature: "ss", body: ["a.scope", "replace"] });
  });

  test("a big-endian message is refused by name", () => {
    const bytes = encodeCall({ destination: "d", path: "/", interface: "i", member: "m" }, 1);
    bytes[0] = 0x42;
    expect(() => messageLength(bytes)).toThrow("big-endian");
  });
});
