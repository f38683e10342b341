import { readFileSync } from "node:fs";
import { loadContainer } from "../container/container.ts";
import { updateContainer } from "../container/update.ts";
import { RuntimeError } from "../errors.ts";
import { log } from "../log.ts";
import type { LinuxResources } from "../../spec/types.ts";
import type { Command } from "./command.ts";
import { defineCommand, type Parsed, requireArgs } from "./flags.ts";
import { parseRamBytes } from "./units.ts";

const RESOURCES_USAGE = `path to the file containing the resources to update or '-' to read from the standard input

The accepted format is as follow (unchanged values can be omitted):

{
  "memory": {
    "limit": 0,
    "reservation": 0,
    "swap": 0
  },
  "cpu": {
    "shares": 0,
    "quota": 0,
    "period": 0,
    "realtimeRuntime": 0,
    "realtimePeriod": 0,
    "cpus": "",
    "mems": ""
  },
  "blockIO": {
    "weight": 0
  }
}

Note: if data is to be read from a file or the standard input, all
other options are ignored.`;

const FLAGS = [
  { name: "resources", short: "r", kind: "string", usage: RESOURCES_USAGE },
  { name: "blkio-weight", kind: "int", usage: "Specifies per cgroup weight, range is from 10 to 1000" },
  { name: "cpu-period", kind: "string", usage: "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default" },
  { name: "cpu-quota", kind: "string", usage: "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period" },
  { name: "cpu-burst", kind: "string", usage: "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst a given period" },
  { name: "cpu-share", kind: "string", usage: "CPU shares (relative weight vs. other containers)" },
  { name: "cpu-shares", kind: "string", usage: "CPU shares (relative weight vs. other containers)", hidden: true },
  { name: "cpu-rt-period", kind: "string", usage: "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default" },
  { name: "cpu-rt-runtime", kind: "string", usage: "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period" },
  { name: "cpu-idle", kind: "string", usage: "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE" },
  { name: "cpuset-cpus", kind: "string", usage: "CPU(s) to use" },
  { name: "cpuset-mems", kind: "string", usage: "Memory node(s) to use" },
  { name: "kernel-memory", kind: "string", usage: "(obsoleted; do not use)", hidden: true },
  { name: "kernel-memory-tcp", kind: "string", usage: "(obsoleted; do not use)", hidden: true },
  { name: "memory", kind: "string", usage: "Memory limit (in bytes)" },
  { name: "memory-reservation", kind: "string", usage: "Memory reservation or soft_limit (in bytes)" },
  { name: "memory-swap", kind: "string", usage: "Total memory usage (memory + swap); set '-1' to enable unlimited swap" },
  { name: "pids-limit", kind: "int", usage: "Maximum number of pids allowed in the container" },
  { name: "l3-cache-schema", kind: "string", usage: "The string of Intel RDT/CAT L3 cache schema" },
  { name: "mem-bw-schema", kind: "string", usage: "The string of Intel RDT/MBA memory bandwidth schema" },
] as const;

type P = Parsed<typeof FLAGS>;
type StringFlag = Extract<(typeof FLAGS)[number], { kind: "string" }>["name"];

const invalid = (flag: string, why: string) => new RuntimeError("USAGE", `invalid value for ${flag}: ${why}`);

// strconv.ParseUint / ParseInt, as runc parses these flags.
function integer(p: P, flag: StringFlag, signed: boolean): number | undefined {
  const text = p.str(flag);
  if (text === "") return undefined;
  if (!(signed ? /^[+-]?\d+$/ : /^\d+$/).test(text)) {
    throw invalid(flag, `strconv.Parse${signed ? "Int" : "Uint"}: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  return Number(text);
}

function bytes(p: P, flag: StringFlag): number | undefined {
  const text = p.str(flag);
  if (text === "") return undefined;
  if (text === "-1") return -1;
  const n = parseRamBytes(text);
  if (n === undefined) throw invalid(flag, `invalid size: '${text}'`);
  return n;
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The change the flags ask for; flags not given leave the values alone. */
function fromFlags(p: P): LinuxResources {
  for (const flag of ["kernel-memory", "kernel-memory-tcp"] as const) {
    if (p.str(flag) !== "") log.warn(`Setting --${flag} is ignored and will be removed`);
  }
  const shares = integer(p, "cpu-share", false) ?? integer(p, "cpu-shares", false);
  const change: LinuxResources = {
    memory: defined({ limit: bytes(p, "memory"), swap: bytes(p, "memory-swap"), reservation: bytes(p, "memory-reservation") }),
    cpu: defined({
      shares,
      quota: integer(p, "cpu-quota", true),
      period: integer(p, "cpu-period", false),
      burst: integer(p, "cpu-burst", false),
      realtimeRuntime: integer(p, "cpu-rt-runtime", true),
      realtimePeriod: integer(p, "cpu-rt-period", false),
      idle: integer(p, "cpu-idle", true),
      cpus: p.str("cpuset-cpus") || undefined,
      mems: p.str("cpuset-mems") || undefined,
    }),
  };
  if (p.int("blkio-weight") !== 0) change.blockIO = { weight: p.int("blkio-weight") };
  if (p.int("pids-limit") !== 0) change.pids = { limit: p.int("pids-limit") };
  return change;
}

async function fromDocument(source: string): Promise<LinuxResources> {
  let text: string;
  try {
    text = source === "-" ? await Bun.stdin.text() : readFileSync(source, "utf8");
  } catch (e) {
    throw new RuntimeError("INVALID_CONFIG", `open ${source}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const doc = JSON.parse(text) as unknown;
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error("not a JSON object");
    return doc as LinuxResources;
  } catch (e) {
    throw new RuntimeError("INVALID_CONFIG", `invalid resources in ${source === "-" ? "standard input" : source}: ${(e as Error).message}`, { cause: e });
  }
}

function refuseRdt(p: P): void {
  if (p.str("l3-cache-schema") !== "") throw new RuntimeError("USAGE", "Intel RDT/CAT: l3 cache schema is not enabled");
  if (p.str("mem-bw-schema") !== "") throw new RuntimeError("USAGE", "Intel RDT/MBA: memory bandwidth schema is not enabled");
}

export const update: Command = {
  spec: defineCommand({ name: "update", summary: "update container resource constraints", argsUsage: "<container-id>", flags: FLAGS }),
  async run(globals, parsed) {
    const p = parsed as P;
    const [id] = requireArgs(p, 1, "update");
    const c = await loadContainer(globals.root, id!);
    const source = p.str("resources");
    const change = source !== "" ? await fromDocument(source) : fromFlags(p);
    refuseRdt(p);
    for (const w of updateContainer(c, change)) log.warn(w);
    return 0;
  },
};
