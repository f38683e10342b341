// Character checks written as loops. The first regular expression a
// command runs costs it the engine's regular-expression compiler and the
// memory it compiles into (a dozen fresh pages), more than a short
// command's own checks; these run on every container id, state file and
// saved cgroup record.

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

/** The whitespace-separated words of a line, as line.trim().split(/\s+/) gives them for ASCII text. */
export function words(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 32;
    const space = c === 32 || (c >= 9 && c <= 13);
    if (!space && start < 0) start = i;
    else if (space && start >= 0) {
      out.push(line.slice(start, i));
      start = -1;
    }
  }
  return out.length === 0 ? [""] : out;
}

/** `s` without the slashes it starts with. */
export function trimLeadingSlashes(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 47) i++;
  return s.slice(i);
}

/** A systemd scope or slice name as runb writes one: letters, digits and _ . : @ \ - , ending in .scope or .slice. */
export function isUnitName(s: string): boolean {
  const suffix = s.endsWith(".scope") || s.endsWith(".slice") ? 6 : 0;
  if (suffix === 0 || s.length === suffix) return false;
  for (let i = 0; i < s.length - suffix; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 58 || c === 64 || c === 92 || c === 45;
    if (!ok) return false;
  }
  return true;
}
