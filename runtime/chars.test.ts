import { expect, test } from "bun:test";
import { isDigits, isIdChars, isUnitName, trimLeadingSlashes, words } from "./chars.ts";

// The loops must agree with the regular expressions they stand for.
const samples = ["", "0", "42", "007", "12345678901234567890", "123456789012345678901", "-1", "+1", "1.5", " 1", "1 ", "1a", "٣", "abc", "a_b", "A-Z.z+9", "a/b", "..", ".", "a b", "é", "a\u0000", "x".repeat(300)];

test("isDigits is /^\\d+$/, with a length limit", () => {
  for (const s of samples) {
    expect(isDigits(s)).toBe(/^\d+$/.test(s));
    expect(isDigits(s, 20)).toBe(/^\d{1,20}$/.test(s));
  }
});

test("isIdChars is /^[\\w+\\-.]+$/", () => {
  for (const s of samples) expect(isIdChars(s)).toBe(/^[\w+\-.]+$/.test(s));
  for (let c = 0; c < 256; c++) expect(isIdChars(String.fromCharCode(c))).toBe(/^[\w+\-.]+$/.test(String.fromCharCode(c)));
});

const lines = ["", " ", "frozen 1", "populated 0\n", "  a \t b  ", "a", "\tTHAWED\n", "k  v  w", "x\ry", "a\u000bb\u000cc"];

test("words is line.trim().split(/\\s+/)", () => {
  for (const l of [...lines, ...samples]) {
    if (/[^\x00-\x7f]/.test(l)) continue;
    expect(words(l)).toEqual(l.trim().split(/\s+/));
  }
});

const paths = ["", "/", "//", "///a", "/a/", "a/", "/a/b//", "a", "/sys/fs/cgroup/x/", "x//"];

test("trimLeadingSlashes is replace(/^\\/+/, \"\")", () => {
  for (const p of [...paths, ...samples]) expect(trimLeadingSlashes(p)).toBe(p.replace(/^\/+/, ""));
});

test("isUnitName is /^[\\w.:@\\\\-]+\\.(scope|slice)$/", () => {
  const units = ["a.scope", "a.slice", ".scope", "scope", "x.service", "runb-1.scope", "machine.slice", "user-1000.slice", "a b.scope", "a/b.scope", "a\\x2d.slice", "a:b@c.scope", "a.scope.slice", "é.scope", "a.scopex", "A_Z-9.slice"];
  for (const u of [...units, ...samples]) expect(isUnitName(u)).toBe(/^[\w.:@\\-]+\.(scope|slice)$/.test(u));
  for (let c = 0; c < 256; c++) {
    const u = `${String.fromCharCode(c)}.scope`;
    expect(isUnitName(u)).toBe(/^[\w.:@\\-]+\.(scope|slice)$/.test(u));
  }
});
