// The work the runtime does from outside at the stage's sync points: id
// maps and time offsets for new namespaces, the oom score.
import { RuntimeError, SyscallError } from "../errors.ts";
import { errnoMessage } from "../linux/errno.ts";
import { writeTextFile } from "../linux/files.ts";
import type { IDMapping, Spec } from "../../spec/types.ts";
import { mapMethod, runMapHelper } from "./idmaps.ts";

/** A /proc file write with the file and value in the error, not just the errno. */
function writeProc(path: string, value: string): void {
  try {
    writeTextFile(path, value);
  } catch (e) {
    const reason = e instanceof SyscallError ? errnoMessage(e.errno) : (e as Error).message;
    throw new RuntimeError("SYSCALL", `write ${JSON.stringify(value.trim())} to ${path}: ${reason}`, { cause: e });
  }
}

function mapText(maps: readonly IDMapping[]): string {
  return maps.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join("");
}

const CLOCKS: Record<string, string> = { monotonic: "monotonic", boottime: "boottime" };

/** Called while the stage has unshared its namespaces and waits, before it forks. */
export function writeNamespaceSettings(spec: Spec, stagePid: number): void {
  const linux = spec.linux ?? {};
  // Time offsets can only be set before any process lives in the namespace.
  for (const [clock, off] of Object.entries(linux.timeOffsets ?? {})) {
    const name = CLOCKS[clock] ?? clock;
    writeProc(`/proc/${stagePid}/timens_offsets`, `${name} ${off.secs ?? 0} ${off.nanosecs ?? 0}`);
  }
  if (linux.uidMappings?.length) writeIdMap("uid", linux.uidMappings, stagePid);
  if (linux.gidMappings?.length) writeIdMap("gid", linux.gidMappings, stagePid);
}

function writeIdMap(which: "uid" | "gid", maps: readonly IDMapping[], pid: number): void {
  const euid = process.geteuid?.() ?? 0;
  const method = mapMethod(which, maps, euid, which === "uid" ? euid : (process.getegid?.() ?? 0));
  if (method.kind === "helper") return runMapHelper(method.helper, pid, maps);
  if (method.denySetgroups) writeProc(`/proc/${pid}/setgroups`, "deny");
  writeProc(`/proc/${pid}/${which}_map`, mapText(maps));
}

export function writeOomScoreAdj(pid: number, score: number | undefined): void {
  if (score !== undefined) writeProc(`/proc/${pid}/oom_score_adj`, String(score));
}
