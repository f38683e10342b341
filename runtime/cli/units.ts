// Value syntaxes runc's flags accept beyond plain integers: Go durations
// (time.ParseDuration) and memory sizes (docker/go-units RAMInBytes).

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration ("5s", "1m30s", "250ms", "1.5h") in milliseconds; undefined if invalid. */
export function parseDurationMs(text: string): number | undefined {
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.replace(/^[-+]/, "");
  if (body === "0") return 0;
  const parts = [...body.matchAll(/(\d+\.?\d*|\.\d+)([a-zµμ]+)/g)];
  if (body === "" || parts.map((m) => m[0]).join("") !== body) return undefined;
  let ms = 0;
  for (const [, num, unit] of parts) {
    const scale = DURATION_UNITS[unit ?? ""];
    if (scale === undefined) return undefined;
    ms += Number(num) * scale;
  }
  return sign * ms;
}

const RAM_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** "64m", "1.5g", "1024", "512 KiB" → bytes (binary units); undefined if invalid. */
export function parseRamBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (m === null) return undefined;
  const n = Number.parseFloat(m[1]!);
  return Math.trunc(n * RAM_UNITS[(m[2] ?? "").toLowerCase()]!);
}
