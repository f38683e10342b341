import { expect, test } from "bun:test";
import { findJsonFault, findNulString, lineColumn, parseJsonText } from "./json.ts";
import { mutateText, rng } from "./fuzz.test-support.ts";

const accepts = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

test("the scanner accepts exactly what JSON.parse accepts", () => {
  const samples = [
    "{}", "[]", "0", "-0.5e+3", '"a\\u00e9\\n"', ' {"a": [1, true, null, {"b": "c"}]} ', "01", "1.", ".5", "+1",
    "[1,]", '{"a":1,}', '{"a" 1}', "tru", "nul", '"\\x"', '"\t"', "[", "]", "{}{}", "\ufeff{}", '"\\ud800"', "",
    '"\\uABcd"', '"\\u00G0"', '"\\u12"', '"\\u12"x', '"\\/\\b\\f\\r\\t"', '"\\a"', "\r\n\t [ 1 ]\n", "\f[]",
  ];
  const base = JSON.stringify({ ociVersion: "1.0.2", process: { args: ["sh", "-c", "echo \"hi\""], env: ["A=1"] }, n: [1.5, -2e10] }, null, 2);
  for (let i = 0; i < 2000; i++) samples.push(mutateText(rng(i), base).text);
  for (const s of samples) expect({ s, ok: findJsonFault(s) === undefined }).toEqual({ s, ok: accepts(s) });
});

test("parsing reports the scanner's fault for text the engine refuses", () => {
  expect(() => parseJsonText('{\n  "a": x}', (r) => new Error(r))).toThrow('invalid JSON at line 2, column 8: unexpected character "x"');
  expect(parseJsonText('{"a": [1, "b"]}', (r) => new Error(r))).toEqual({ a: [1, "b"] });
});

test("a fault has a place and a reason", () => {
  expect(findJsonFault('{"a": x}')).toEqual({ offset: 6, reason: 'unexpected character "x"' });
  expect(findJsonFault("[1, 2")).toEqual({ offset: 5, reason: "unexpected end of input" });
  expect(findJsonFault('"abc')).toEqual({ offset: 0, reason: "unterminated string" });
  expect(lineColumn("a\nbc\nd", 4)).toEqual({ line: 2, column: 3 });
});

test("nesting is limited, whatever the depth of the input", () => {
  const deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
  expect(findJsonFault(deep)?.reason).toBe("nesting deeper than 100 levels");
  expect(findJsonFault("[".repeat(100) + "]".repeat(100))).toBeUndefined();
  expect(() => parseJsonText(deep, (r) => new Error(r))).toThrow("invalid JSON at line 1, column 101: nesting deeper than 100 levels");
  // Deep enough to refuse, shallow enough for the engine's parser to take.
  const justTooDeep = '{"a":' + "[".repeat(100) + "]".repeat(100) + "}";
  expect(() => parseJsonText(justTooDeep, (r) => new Error(r))).toThrow("invalid JSON at line 1, column 105: nesting deeper than 100 levels");
  expect(parseJsonText("[".repeat(100) + "]".repeat(100), (r) => new Error(r))).toBeArray();
});

test("a NUL byte is found by its path", () => {
  expect(findNulString({ a: [{ b: "x" }, { c: "y\0" }] })).toBe("a[1].c");
  expect(findNulString({ "k\0": 1 })).toBe("k\0");
  expect(findNulString({ a: "fine" })).toBeUndefined();
});
