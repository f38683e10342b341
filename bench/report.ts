// Summaries (median, min, max) and the printed table.

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export type Cell = Summary | { error: string };

export interface Row {
  /** Short key for the JSON file, e.g. "run" or "list@100". */
  key: string;
  label: string;
  unit: "ms" | "MB" | "pages";
  results: Record<string, Cell>;
  ratios: Record<string, number | null>;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n === 0 ? NaN : n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { n, median, min: sorted[0] ?? NaN, max: sorted[n - 1] ?? NaN, samples };
}

export function isSummary(c: Cell | undefined): c is Summary {
  return c !== undefined && "median" in c;
}

/** Collects samples per runtime for one row; a runtime that failed keeps its error. */
export class Samples {
  private readonly data = new Map<string, number[]>();
  private readonly errors = new Map<string, string>();

  add(runtime: string, value: number): void {
    let list = this.data.get(runtime);
    if (!list) this.data.set(runtime, (list = []));
    list.push(value);
  }

  fail(runtime: string, error: string): void {
    if (!this.errors.has(runtime)) this.errors.set(runtime, error);
  }

  failed(runtime: string): boolean {
    return this.errors.has(runtime);
  }

  row(key: string, label: string, unit: Row["unit"], runtimes: string[], baseline = "runb"): Row {
    const results: Record<string, Cell> = {};
    for (const rt of runtimes) {
      const err = this.errors.get(rt);
      const list = this.data.get(rt);
      if (err !== undefined) results[rt] = { error: err };
      else if (list && list.length > 0) results[rt] = summarize(list);
      else results[rt] = { error: "no samples" };
    }
    const ratios: Record<string, number | null> = {};
    const base = results[baseline];
    for (const rt of runtimes) {
      if (rt === baseline) continue;
      const other = results[rt];
      ratios[`${baseline}/${rt}`] = isSummary(base) && isSummary(other) && other.median > 0 ? base.median / other.median : null;
    }
    return { key, label, unit, results, ratios };
  }
}

function num(v: number, unit: Row["unit"]): string {
  if (!Number.isFinite(v)) return "-";
  if (unit === "MB") return v.toFixed(1);
  if (unit === "pages") return v.toFixed(0);
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function cell(c: Cell | undefined, unit: Row["unit"]): string {
  if (c === undefined) return "-";
  if (!isSummary(c)) return "FAILED";
  return `${num(c.median, unit)} (${num(c.min, unit)}-${num(c.max, unit)})`;
}

/** A fixed-width table: one row per measurement, median (min-max) per runtime, then ratios. */
export function table(rows: Row[], runtimes: string[]): string {
  const ratioKeys = runtimes.filter((r) => r !== "runb").map((r) => `runb/${r}`);
  const header = ["case", "unit", ...runtimes.map((r) => `${r} median (min-max)`), ...ratioKeys];
  const body = rows.map((row) => [
    row.label,
    row.unit,
    ...runtimes.map((r) => cell(row.results[r], row.unit)),
    ...ratioKeys.map((k) => {
      const v = row.ratios[k];
      return v === null || v === undefined ? "-" : `${v.toFixed(2)}x`;
    }),
  ]);
  return grid(header, body, 2);
}

/** Fixed-width columns under a header and a rule: the first `left` columns left-aligned, the rest right-aligned. */
export function grid(header: string[], body: string[][], left: number): string {
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => (i < left ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** The failures behind FAILED cells, one line each. */
export function failures(rows: Row[]): string[] {
  const out: string[] = [];
  for (const row of rows)
    for (const [rt, c] of Object.entries(row.results)) if (!isSummary(c)) out.push(`${row.label} / ${rt}: ${c.error}`);
  return out;
}
