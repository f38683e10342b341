// Generated input for the fuzz tests: a seeded generator (so a failure can
// be replayed from its case number) and mutations of JSON documents, both of
// their values and of their text.

/** mulberry32: small, fast, good enough to pick mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

// Values that break code written for the expected ones.
const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53,
  -(2 ** 63),
  1e308,
  "",
  "\0",
  "a\0b",
  "../../..",
  "/",
  "x".repeat(5000),
  "🙂",
  [],
  [null],
  [""],
  {},
  { "": "" },
  { __proto__: "x" },
  [[[[[[]]]]]],
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value;
  let cur = root as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return root;
}

/** One to three changes at random places: odd values, removed keys, unknown keys. */
export function mutateValue(r: Rand, doc: Json): { doc: Json; what: string } {
  let out = structuredClone(doc);
  const done: string[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const path = pick(r, paths(out));
    const where = path.join(".") || "(top)";
    const roll = r();
    if (roll < 0.6) {
      const value = structuredClone(pick(r, ODD_VALUES)) as Json;
      out = setAt(out, path, value);
      done.push(`${where}=${JSON.stringify(value)?.slice(0, 20)}`);
    } else if (roll < 0.8 && path.length > 0) {
      out = setAt(out, path, undefined);
      done.push(`-${where}`);
    } else {
      // a copy of another part of the document in a place it does not belong
      const other = structuredClone(pick(r, paths(out)).reduce<Json>((v, p) => (v as Record<string | number, Json>)[p]!, out));
      out = setAt(out, path, other);
      done.push(`${where}=<copy>`);
    }
  }
  return { doc: out, what: done.join(" ") };
}

/** The text cut short, a byte changed, or junk put in. */
export function mutateText(r: Rand, text: string): { text: string; what: string } {
  const at = Math.floor(r() * (text.length + 1));
  const roll = r();
  if (roll < 0.3) return { text: text.slice(0, at), what: `cut at ${at}` };
  if (roll < 0.6) {
    const c = pick(r, ["\0", "}", "]", '"', ",", "\\", "x", "\n", "\u00ff", "{"]);
    return { text: text.slice(0, at) + c + text.slice(at + 1), what: `byte ${at} -> ${JSON.stringify(c)}` };
  }
  if (roll < 0.8) return { text: "\0".repeat(at), what: `${at} NULs` };
  const junk = pick(r, ["null", "[]", '""', "1e999", "{", "[".repeat(5000), "\ufeff{}"]);
  return { text: text.slice(0, at) + junk + text.slice(at), what: `insert ${JSON.stringify(junk.slice(0, 10))} at ${at}` };
}

// Messages that are the engine's, not ours.
const ENGINE_WORDS = [
  "JSON Parse error",
  "is not an object",
  "is not a function",
  "undefined is not",
  "null is not",
  "Cannot read",
  "Maximum call stack",
  "[object Object]",
  "err_invalid_arg",
  "ERR_INVALID_ARG",
];

/** Why a message is not one to show a user, or undefined when it is fine. */
export function badMessage(message: string): string | undefined {
  if (message.trim() === "") return "empty message";
  const word = ENGINE_WORDS.find((w) => message.includes(w));
  return word === undefined ? undefined : `engine words "${word}"`;
}
