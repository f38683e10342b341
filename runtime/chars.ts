// Character checks written as loops. The first regular expression a
// command runs costs it the engine's regular-expression compiler and the
// memory it compiles into (a dozen fresh pages), more than a short
// command's own checks; these run on every container id and state file.

/** Whether `s` is one or more ASCII digits, and at most `max` of them. */
export function isDigits(s: string, max = Infinity): boolean {
  if (s.length === 0 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether every character of a non-empty `s` is a letter, digit, or one of _ + - . (ASCII). */
export function isIdChars(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 43 || c === 45 || c === 46;
    if (!ok) return false;
  }
  return true;
}
