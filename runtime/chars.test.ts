import { expect, test } from "bun:test";
import { isDigits, isIdChars } from "./chars.ts";

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
