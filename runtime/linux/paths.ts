// POSIX path arithmetic with node:path's results for the calls runb makes.
// Loading node:path costs a short command about a fifth of a compiled
// hello-world's whole start-up; these few functions cost nothing to load.

const SLASH = 47;

export function isAbsolute(p: string): boolean {
  return p.charCodeAt(0) === SLASH;
}

/** Resolves `.` and `..`, collapses repeated slashes, keeps one trailing slash. */
export function normalize(p: string): string {
  if (p === "") return ".";
  const absolute = isAbsolute(p);
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") out.push(part);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (!absolute) out.push("..");
  }
  let s = out.join("/");
  if (absolute) s = `/${s}`;
  else if (s === "") s = ".";
  if (p.charCodeAt(p.length - 1) === SLASH && s !== "/") s += "/";
  return s;
}

export function join(...parts: string[]): string {
  let joined = "";
  for (const part of parts) {
    if (part === "") continue;
    joined = joined === "" ? part : `${joined}/${part}`;
  }
  return joined === "" ? "." : normalize(joined);
}

/** The absolute path the parts name, from the working directory; no trailing slash. */
export function resolve(...parts: string[]): string {
  let p = "";
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(p); i--) {
    const part = parts[i] as string;
    if (part !== "") p = p === "" ? part : `${part}/${p}`;
  }
  if (!isAbsolute(p)) p = p === "" ? process.cwd() : `${process.cwd()}/${p}`;
  const n = normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** p without its trailing slashes; "/" stays "/". */
export function trimTrailing(p: string): string {
  let end = p.length;
  while (end > 1 && p.charCodeAt(end - 1) === SLASH) end--;
  return p.slice(0, end);
}

/** As node's: only the last slash goes ("a//b" → "a/"); a leading "//" is not kept. */
export function dirname(p: string): string {
  const t = trimTrailing(p);
  const i = t.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : t.slice(0, i);
}

export function basename(p: string): string {
  const t = trimTrailing(p);
  return t === "/" ? "" : t.slice(t.lastIndexOf("/") + 1);
}

/** The path from `from` to `to`, both resolved first; "" when they are the same. */
export function relative(from: string, to: string): string {
  const a = segments(resolve(from));
  const b = segments(resolve(to));
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const out: string[] = [];
  for (let i = common; i < a.length; i++) out.push("..");
  for (let i = common; i < b.length; i++) out.push(b[i] as string);
  return out.join("/");
}

function segments(absolute: string): string[] {
  return absolute === "/" ? [] : absolute.slice(1).split("/");
}
