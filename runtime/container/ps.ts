// `ps`: the container's processes, as pids or as the host's ps output cut
// down to the lines of those pids (header kept), as runc does.
import { RuntimeError } from "../errors.ts";
import type { Container } from "./container.ts";

export function containerPids(c: Container): number[] {
  return c.cgroups?.pids() ?? [];
}

/** The header line of ps output and the lines whose PID column is in pids. */
export function filterPsOutput(output: string, pids: readonly number[]): string[] {
  const [header = "", ...rows] = output.split("\n");
  const column = header.trim().split(/\s+/).indexOf("PID");
  if (column < 0) throw new RuntimeError("INTERNAL", "couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const kept = rows.filter((line) => {
    if (line.trim() === "") return false;
    const pid = Number.parseInt(line.trim().split(/\s+/)[column] ?? "", 10);
    if (Number.isNaN(pid)) throw new RuntimeError("INTERNAL", `unable to parse pid in ps output: ${line}`);
    return wanted.has(pid);
  });
  return [header, ...kept];
}

/** Runs the host's ps with args (default -ef) and keeps the container's lines. */
export function psTable(c: Container, args: readonly string[]): string[] {
  const pids = containerPids(c);
  const argv = ["ps", ...(args.length === 0 ? ["-ef"] : args)];
  let result;
  try {
    result = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  } catch (err) {
    throw new RuntimeError("INTERNAL", `exec: "ps": ${(err as Error).message}`, { cause: err });
  }
  const out = result.stdout.toString() + result.stderr.toString();
  if (result.exitCode !== 0) throw new RuntimeError("INTERNAL", `exit status ${result.exitCode}: ${out}`);
  return filterPsOutput(result.stdout.toString(), pids);
}
