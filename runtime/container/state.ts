// The on-disk record of a container: <root>/<id>/state.json, written
// atomically (temp file + rename) so a reader never sees half of it.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { RuntimeError } from "../errors.ts";
import type { Spec } from "../../spec/types.ts";

export interface SavedState {
  id: string;
  /** 0 until the container's process exists. */
  pid: number;
  /** Field 22 of /proc/PID/stat at create: tells our process from a reused pid. */
  startTime: string;
  bundle: string;
  rootfs: string;
  created: string;
  /** Set while create runs, so a create killed half-way can be undone. */
  creating: boolean;
  owner: string;
  systemdCgroup: boolean;
  /** What the cgroup manager needs to find (and remove) what it made. */
  cgroup: unknown;
  config: Spec;
}

export const STATE_FILE = "state.json";
export const EXEC_FIFO = "exec.fifo";

export function containerDir(root: string, id: string): string {
  return `${root}/${id}`;
}

/** Make the container's directory; fails if the id is taken. */
export function claimContainerDir(root: string, id: string): string {
  mkdirSync(root, { recursive: true, mode: 0o711 });
  const dir = containerDir(root, id);
  try {
    mkdirSync(dir, { mode: 0o711 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      throw new RuntimeError("CONTAINER_EXISTS", `container with given ID already exists: ${id}`, { cause: e });
    }
    throw e;
  }
  return dir;
}

export function saveState(root: string, state: SavedState): void {
  const dir = containerDir(root, state.id);
  const tmp = `${dir}/.${STATE_FILE}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, `${dir}/${STATE_FILE}`);
}

export function loadState(root: string, id: string): SavedState {
  const path = `${containerDir(root, id)}/${STATE_FILE}`;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RuntimeError("CONTAINER_NOT_FOUND", "container does not exist", { cause: e });
    }
    throw e;
  }
  return JSON.parse(text) as SavedState;
}

export function removeContainerDir(root: string, id: string): void {
  rmSync(containerDir(root, id), { recursive: true, force: true });
}

export function fifoExists(root: string, id: string): boolean {
  return existsSync(`${containerDir(root, id)}/${EXEC_FIFO}`);
}

/** Ids of every container with a state file under root. */
export function listIds(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names.filter((n) => existsSync(`${root}/${n}/${STATE_FILE}`)).sort();
}
