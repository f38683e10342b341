// init.json: the few facts `delete --force` needs to find and stop a
// container's processes, kept apart from state.json. It is written first
// (it is in the directory from the moment the id is claimed) and rewritten
// before state.json each time, so a state.json that is lost, cut short or
// overwritten with garbage cannot hide a running container.
import { isDigits } from "../chars.ts";
import { RuntimeError } from "../errors.ts";
import type { Spec } from "../../spec/types.ts";

export const INIT_FILE = "init.json";

export interface ProcessId {
  pid: number;
  /** Field 22 of /proc/PID/stat: tells the process from a later one with its pid. */
  startTime: string;
}

export interface InitRecord {
  id: string;
  /** The runtime process running create; a create whose creator is gone was abandoned. */
  creator: ProcessId;
  /** The container's first process; 0 until it exists. */
  pid: number;
  startTime: string;
  creating: boolean;
  /** The container has a pid namespace of its own: its init's death takes every process in it along. */
  ownPidNamespace: boolean;
  /** linux.cgroupsPath, against which the saved cgroups are checked. */
  cgroupsPath: string;
  /** SavedCgroups, or null before they are known. */
  cgroup: unknown;
}

/** Whether the config gives the container a new pid namespace (not one joined by path). */
export function hasOwnPidNamespace(config: Spec | undefined): boolean {
  for (const n of config?.linux?.namespaces ?? []) if (n.type === "pid" && (n.path ?? "") === "") return true;
  return false;
}

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isPid = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 0x3fffffff;
const isStartTime = (v: unknown): v is string => typeof v === "string" && (v === "" || isDigits(v, 20));

function checkProcessId(v: unknown): string | undefined {
  if (!isObject(v)) return "is not a JSON object";
  if (!isPid(v.pid) || v.pid === 0) return "has no valid pid";
  if (!isStartTime(v.startTime)) return "has no valid startTime";
  return undefined;
}

/** What is wrong with a parsed init.json of container `id`, or undefined if nothing. */
export function initRecordFault(v: unknown, id: string): string | undefined {
  if (!isObject(v)) return "is not a JSON object";
  if (v.id !== id) return `belongs to container ${JSON.stringify(v.id)}, not ${id}`;
  const creator = checkProcessId(v.creator);
  if (creator !== undefined) return `creator ${creator}`;
  if (!isPid(v.pid)) return "pid is not a process id";
  if (!isStartTime(v.startTime)) return "startTime is not a start time";
  if (typeof v.creating !== "boolean") return "creating is not a boolean";
  if (typeof v.ownPidNamespace !== "boolean") return "ownPidNamespace is not a boolean";
  if (typeof v.cgroupsPath !== "string") return "cgroupsPath is not a string";
  if (v.cgroup !== null && !isObject(v.cgroup)) return "cgroup is not a JSON object";
  return undefined;
}

/** Checks a parsed init.json; `path` names the file in errors. */
export function toInitRecord(v: unknown, id: string, path: string): InitRecord {
  const fault = initRecordFault(v, id);
  if (fault !== undefined) throw new RuntimeError("STATE_DAMAGED", `${path}: ${fault}`);
  return v as InitRecord;
}
