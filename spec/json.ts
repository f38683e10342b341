// JSON text from files the runtime reads (config.json, state files), parsed
// so that a bad file is reported by name, line and column, and so that
// nesting deep enough to exhaust the stack of whatever walks the value later
// is refused up front.

export const MAX_JSON_DEPTH = 100;

export interface JsonFault {
  /** Offset into the text (UTF-16 units). */
  offset: number;
  reason: string;
}

// Strings rather than module-level sets and expressions: every command
// that reads a state file loads this module, and only a bad file is scanned.
const ESCAPES = '"\\/bfnrt';
const WHITESPACE = " \t\n\r";
const HEX = "0123456789abcdefABCDEF";

function isHex4(s: string): boolean {
  if (s.length !== 4) return false;
  for (const c of s) if (!HEX.includes(c)) return false;
  return true;
}

type Expect = "value" | "valueOrClose" | "key" | "keyOrClose" | "colon" | "commaOrClose" | "end";

// Returns the offset after the string starting at `start` (a '"'), or a fault.
function scanString(text: string, start: number): number | JsonFault {
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"') return j + 1;
    if (c === "\\") {
      const e = text[j + 1];
      if (e === "u") {
        if (!isHex4(text.slice(j + 2, j + 6))) return { offset: j, reason: "invalid \\u escape in string" };
        j += 5;
      } else if (e !== undefined && ESCAPES.includes(e)) j += 1;
      else return { offset: j, reason: "invalid escape in string" };
    } else if (c.charCodeAt(0) < 0x20) {
      return { offset: j, reason: "control character in string" };
    }
  }
  return { offset: start, reason: "unterminated string" };
}

function scanLiteral(text: string, i: number): number | JsonFault {
  const c = text[i]!;
  if (c === "-" || (c >= "0" && c <= "9")) {
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    const m = number.exec(text);
    if (m === null) return { offset: i, reason: "invalid number" };
    return i + m[0].length;
  }
  for (const word of ["true", "false", "null"]) {
    if (text.startsWith(word, i)) return i + word.length;
  }
  return { offset: i, reason: `unexpected character ${JSON.stringify(c)}` };
}

/**
 * The first syntax error in `text`, or nesting deeper than `maxDepth`;
 * undefined when the text is one valid JSON value. Iterative, so any depth
 * of input is safe to scan.
 */
export function findJsonFault(text: string, maxDepth = MAX_JSON_DEPTH): JsonFault | undefined {
  const stack: string[] = [];
  let expect: Expect = "value";
  let i = 0;
  const afterValue = (): Expect => (stack.length === 0 ? "end" : "commaOrClose");
  const open = (c: string): JsonFault | undefined => {
    stack.push(c);
    i++;
    return stack.length > maxDepth ? { offset: i - 1, reason: `nesting deeper than ${maxDepth} levels` } : undefined;
  };
  for (;;) {
    while (i < text.length && WHITESPACE.includes(text[i]!)) i++;
    if (i >= text.length) return expect === "end" ? undefined : { offset: i, reason: "unexpected end of input" };
    const c = text[i]!;
    switch (expect) {
      case "end":
        return { offset: i, reason: "unexpected data after the value" };
      case "colon":
        if (c !== ":") return { offset: i, reason: "expected ':' after an object key" };
        i++;
        expect = "value";
        continue;
      case "commaOrClose": {
        const top = stack[stack.length - 1];
        const close = top === "{" ? "}" : "]";
        if (c === ",") {
          i++;
          expect = top === "{" ? "key" : "value";
        } else if (c === close) {
          stack.pop();
          i++;
          expect = afterValue();
        } else return { offset: i, reason: `expected ',' or '${close}'` };
        continue;
      }
      case "key":
      case "keyOrClose": {
        if (expect === "keyOrClose" && c === "}") {
          stack.pop();
          i++;
          expect = afterValue();
          continue;
        }
        if (c !== '"') return { offset: i, reason: "expected a string as object key" };
        const end = scanString(text, i);
        if (typeof end !== "number") return end;
        i = end;
        expect = "colon";
        continue;
      }
      case "value":
      case "valueOrClose": {
        if (expect === "valueOrClose" && c === "]") {
          stack.pop();
          i++;
          expect = afterValue();
          continue;
        }
        if (c === "{" || c === "[") {
          const fault = open(c);
          if (fault !== undefined) return fault;
          expect = c === "{" ? "keyOrClose" : "valueOrClose";
          continue;
        }
        const end = c === '"' ? scanString(text, i) : scanLiteral(text, i);
        if (typeof end !== "number") return end;
        i = end;
        expect = afterValue();
        continue;
      }
    }
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses `text`; throws `fail(reason)` naming line and column when it is not JSON. */
export function parseJsonText(text: string, fail: (reason: string, cause?: unknown) => Error): unknown {
  // The engine's parser first: scanning every character in script costs
  // more than the rest of a short command's work. The scan runs only to
  // say where a text that failed is wrong.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const fault = findJsonFault(text);
    if (fault !== undefined) throw fail(faultText(text, fault));
    throw fail(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (deeperThan(value, MAX_JSON_DEPTH)) {
    throw fail(faultText(text, findJsonFault(text) ?? { offset: 0, reason: `nesting deeper than ${MAX_JSON_DEPTH} levels` }));
  }
  return value;
}

function faultText(text: string, fault: JsonFault): string {
  const { line, column } = lineColumn(text, fault.offset);
  return `invalid JSON at line ${line}, column ${column}: ${fault.reason}`;
}

/** Whether objects and arrays nest more than `max` levels; iterative, so any depth is safe. */
function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Where a string holds a NUL byte, as a dotted path ("linux.cgroupsPath"), or undefined. */
export function findNulString(value: unknown, path = ""): string | undefined {
  // Depth is bounded by MAX_JSON_DEPTH when the value came from parseJsonText.
  if (typeof value === "string") return value.includes("\0") ? path || "(top level)" : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulString(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const here = path === "" ? k : `${path}.${k}`;
    if (k.includes("\0")) return here;
    const found = findNulString(v, here);
    if (found !== undefined) return found;
  }
  return undefined;
}
