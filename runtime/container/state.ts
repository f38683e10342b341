// The on-disk record of a container: <root>/<id>/, holding init.json (what
// delete --force needs, see init-record.ts) and state.json (everything),
// each written atomically (temp file + rename) so a reader never sees half
// of one. Both are input when read back: checked, and refused by name when
// they are not what runb writes. The config is kept as its JSON text, with
// the few facts most commands need of it beside it (config-facts.ts): only
// the commands that need all of it (exec, update, hooks) parse it.
import { closeFd } from "../linux/ffi.ts";
import { linkStat, linkStatIfExists, listNames, makeDirectories, makeDirectory, pathExists, removeTree, renamePath } from "../linux/files.ts";
import { RuntimeError } from "../errors.ts";
import { fsErrorText } from "../linux/errno.ts";
import { isAlive } from "../linux/procfs.ts";
import { parseJsonText } from "../../spec/json.ts";
import type { Spec } from "../../spec/types.ts";
import { factsFault, factsOf, type ConfigFacts } from "./config-facts.ts";
import { validateId } from "./id.ts";
import { INIT_FILE, initRecordFault, isObject, toInitRecord, type InitRecord, type ProcessId } from "./init-record.ts";
import { openStateDir, readStateFile, writeStateFile } from "./state-file.ts";

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
  /** The runtime process that ran create. */
  creator: ProcessId;
  owner: string;
  systemdCgroup: boolean;
  /** What the cgroup manager needs to find (and remove) what it made. */
  cgroup: unknown;
  /** The config as saved, as JSON text: configOf parses it. */
  configJson: string;
  /** What the config says that most commands need (factsOf). */
  facts: ConfigFacts;
}

/** The config and what is known of it, for a state about to be saved. */
export function withConfig(config: Spec): Pick<SavedState, "configJson" | "facts"> {
  return { configJson: JSON.stringify(config), facts: factsOf(config) };
}

/** The saved config, parsed: checked when the state was loaded (loadState). */
export function configOf(state: SavedState): Spec {
  return JSON.parse(state.configJson) as Spec;
}

export const STATE_FILE = "state.json";
export const EXEC_FIFO = "exec.fifo";
// Not a valid container id ('~'), so never taken for one.
const CLAIM_PREFIX = ".claim~";

export function containerDir(root: string, id: string): string {
  return `${root}/${id}`;
}

export function initRecordOf(state: SavedState): InitRecord {
  return {
    id: state.id,
    creator: state.creator,
    pid: state.pid,
    startTime: state.startTime,
    creating: state.creating,
    ownPidNamespace: state.facts.ownPidNamespace,
    cgroupsPath: state.facts.cgroupsPath ?? "",
    cgroup: state.cgroup ?? null,
  };
}

// Claim directories left by a create killed before it could rename its own.
function removeStaleClaims(root: string): void {
  let names: string[];
  try {
    names = listNames(root);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(CLAIM_PREFIX)) continue;
    const pid = Number.parseInt(name.slice(CLAIM_PREFIX.length), 10);
    if (Number.isSafeInteger(pid) && pid !== process.pid && !pathExists(`/proc/${pid}`)) {
      removeTree(`${root}/${name}`);
    }
  }
}

/**
 * Makes the container's directory, with init.json already in it: it is
 * prepared under a temporary name and renamed into place, so the id never
 * names an empty directory. An empty directory left by something else is
 * replaced (rename(2) does that atomically); any other entry means the id
 * is taken.
 */
export function claimContainerDir(root: string, state: SavedState): string {
  try {
    makeDirectories(root, 0o711);
  } catch (e) {
    throw new RuntimeError("SYSCALL", fsErrorText("mkdir", root, e), { cause: e });
  }
  removeStaleClaims(root);
  const dir = containerDir(root, state.id);
  const tmp = `${root}/${CLAIM_PREFIX}${process.pid}~${Math.random().toString(36).slice(2)}`;
  try {
    makeDirectory(tmp, 0o711);
    writeStateFile(tmp, INIT_FILE, JSON.stringify(initRecordOf(state)));
    renamePath(tmp, dir);
  } catch (e) {
    removeTree(tmp);
    const code = (e as { code?: string }).code;
    if (code === "EEXIST" || code === "ENOTEMPTY" || code === "ENOTDIR" || code === "EISDIR") {
      throw new RuntimeError("CONTAINER_EXISTS", `container with given ID already exists: ${state.id}`, { cause: e });
    }
    if (e instanceof RuntimeError) throw e;
    throw new RuntimeError("SYSCALL", fsErrorText("mkdir", dir, e), { cause: e });
  }
  return dir;
}

/** Writes init.json, then state.json: the first always holds what delete needs. */
export function saveState(root: string, state: SavedState): void {
  const dir = containerDir(root, state.id);
  writeStateFile(dir, INIT_FILE, JSON.stringify(initRecordOf(state)));
  const { configDigest: _, ...rest } = state as SavedState & { configDigest?: string };
  writeStateFile(dir, STATE_FILE, withDigest(JSON.stringify(rest)));
}

// The config was checked against the schema before it was saved. A
// state.json that reads back as it was written still holds that config,
// and its facts are still the config's: the short commands (state, kill,
// start, delete) then skip the schema check, the largest part of their own
// work. So the file opens with a digest of the rest of its text; anything
// edited or damaged since (or written otherwise) has its config checked in
// full, and the facts worked out again from it.
const DIGEST_FIELD = '{"configDigest":"';

// A 32-bit CRC finds an edit as surely as a longer hash would: this is a
// check for change, not a seal (whoever can edit the file can recompute
// either). It is a number, where a 64-bit hash is a BigInt, a type the
// short commands would use for nothing else.
const digestOf = (text: string) => `crc32:${Bun.hash.crc32(text).toString(16)}`;

/** `json`, an object's text, with the digest of that text as its first field. */
function withDigest(json: string): string {
  return `${DIGEST_FIELD}${digestOf(json)}",${json.slice(1)}`;
}

/** Whether the text is one withDigest wrote, unchanged since. */
function unchangedSince(text: string): boolean {
  if (!text.startsWith(DIGEST_FIELD)) return false;
  const end = text.indexOf('"', DIGEST_FIELD.length);
  if (end < 0 || text[end + 1] !== ",") return false;
  return text.slice(DIGEST_FIELD.length, end) === digestOf(`{${text.slice(end + 2)}`);
}

function damaged(message: string, cause?: unknown): RuntimeError {
  return new RuntimeError("STATE_DAMAGED", message, cause === undefined ? {} : { cause });
}

function parsed(text: string, dir: string, name: string): unknown {
  return parseJsonText(text, (reason, cause) => damaged(`${dir}/${name}: ${reason}`, cause));
}

function readJson(dirFd: number, dir: string, name: string): unknown {
  const text = readStateFile(dirFd, dir, name);
  return text === undefined ? undefined : parsed(text, dir, name);
}

// The fields of state.json beyond those init.json has too.
const STRING_FIELDS = ["bundle", "rootfs", "created", "owner"] as const;

/** What is wrong with state.json but for its config's schema (see configChanged). */
function stateFault(v: unknown, id: string): string | undefined {
  if (!isObject(v)) return "is not a JSON object";
  for (const f of STRING_FIELDS) if (typeof v[f] !== "string") return `${f} is not a string`;
  if (typeof v.systemdCgroup !== "boolean") return "systemdCgroup is not a boolean";
  if (typeof v.configJson !== "string") return "configJson is not a string";
  const facts = factsFault(v.facts);
  if (facts !== undefined) return `facts ${facts}`;
  // The fields init.json holds are checked the same way, whichever file has them.
  const record = { ...v, ownPidNamespace: false, cgroupsPath: "" };
  return initRecordFault(record, id);
}

/** A config in a changed state.json checked in full, its facts worked out again; the validator is loaded only for it. */
async function checkChangedConfig(dir: string, state: SavedState): Promise<void> {
  const { savedConfigFault } = await import("../../spec/saved-config.ts");
  const file = `${dir}/${STATE_FILE}`;
  const config = parseJsonText(state.configJson, (reason, cause) => damaged(`${file}: configJson: ${reason}`, cause));
  const fault = savedConfigFault(config);
  if (fault !== undefined) throw damaged(`${file}: ${fault}`);
  state.facts = factsOf(config as Spec);
}

/**
 * A state.json of an earlier runb, which kept the config as an object:
 * taken as text, with no digest, so that the config is checked in full
 * and its facts worked out again once it has passed.
 */
function upgraded(raw: unknown): unknown {
  if (!isObject(raw) || raw.configJson !== undefined || !isObject(raw.config)) return raw;
  const { config, configDigest: _, ...rest } = raw;
  let facts: ConfigFacts;
  try {
    facts = factsOf(config as unknown as Spec);
  } catch {
    // What the full check will refuse: facts that say nothing meanwhile.
    facts = { ociVersion: "", annotations: {}, ownPidNamespace: false, mountNamespace: false, hooks: [] };
  }
  return { ...rest, configJson: JSON.stringify(config), facts };
}

/** state.json alone, checked but for its config's schema; `unchanged`: as runb wrote it (see withDigest). */
function readSavedState(dirFd: number, dir: string, id: string): { state: SavedState; unchanged: boolean } | undefined {
  const text = readStateFile(dirFd, dir, STATE_FILE);
  if (text === undefined) return undefined;
  const raw = upgraded(parsed(text, dir, STATE_FILE));
  const fault = stateFault(raw, id);
  if (fault !== undefined) throw damaged(`${dir}/${STATE_FILE}: ${fault}`);
  return { state: raw as SavedState, unchanged: unchangedSince(text) };
}

function readInitRecord(dirFd: number, dir: string, id: string): InitRecord | undefined {
  const raw = readJson(dirFd, dir, INIT_FILE);
  return raw === undefined ? undefined : toInitRecord(raw, id, `${dir}/${INIT_FILE}`);
}

function withStateDir<T>(root: string, id: string, read: (fd: number, dir: string) => T): T {
  const dir = containerDir(root, id);
  const fd = openStateDir(dir);
  if (fd === undefined) throw new RuntimeError("CONTAINER_NOT_FOUND", "container does not exist");
  try {
    return read(fd, dir);
  } finally {
    closeFd(fd);
  }
}

/** The container's state; init.json, written first, has the last word on what it holds. */
export async function loadState(root: string, id: string): Promise<SavedState> {
  const { state, unchanged, dir } = withStateDir(root, id, (fd, dir) => {
    const read = readSavedState(fd, dir, id);
    if (read === undefined) throw new RuntimeError("CONTAINER_NOT_FOUND", "container does not exist");
    const { state, unchanged } = read;
    const record = readInitRecord(fd, dir, id);
    if (record === undefined) return { state, unchanged, dir };
    const { pid, startTime, creating, creator, cgroup } = record;
    return { state: { ...state, pid, startTime, creating, creator, cgroup }, unchanged, dir };
  });
  if (!unchanged) await checkChangedConfig(dir, state);
  return state;
}

/**
 * What delete --force works from when the state cannot be loaded: init.json,
 * or else what state.json still says; undefined when neither can be read.
 * Only the process and cgroup fields are used, so a config is not checked.
 */
export function loadRemains(root: string, id: string): InitRecord | undefined {
  const attempts = [
    (fd: number, dir: string) => readInitRecord(fd, dir, id),
    (fd: number, dir: string) => {
      const read = readSavedState(fd, dir, id);
      return read === undefined ? undefined : initRecordOf(read.state);
    },
  ];
  for (const attempt of attempts) {
    try {
      const found = withStateDir(root, id, attempt);
      if (found !== undefined) return found;
    } catch {
      // the next source, if any
    }
  }
  return undefined;
}

/** A create that left its directory and died: creating, and its creator gone. */
export function isAbandoned(record: InitRecord): boolean {
  return record.creating && !isAlive(record.creator.pid, record.creator.startTime);
}

export function removeContainerDir(root: string, id: string): void {
  removeTree(containerDir(root, id));
}

/** exec.fifo is there, as a fifo (a link in its place is not). */
export function fifoExists(root: string, id: string): boolean {
  try {
    return linkStatIfExists(`${containerDir(root, id)}/${EXEC_FIFO}`)?.kind === "fifo";
  } catch {
    return false;
  }
}

function isEntry(root: string, name: string): boolean {
  try {
    validateId(name);
  } catch {
    return false;
  }
  const dir = `${root}/${name}`;
  try {
    // A link is listed too, so that it shows up with its error.
    if (linkStat(dir).kind === "link") return true;
  } catch {
    return false;
  }
  return pathExists(`${dir}/${STATE_FILE}`) || pathExists(`${dir}/${INIT_FILE}`);
}

/** Ids of every container with a state or init file under root. */
export function listIds(root: string): string[] {
  let names: string[];
  try {
    names = listNames(root);
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const n of names) if (isEntry(root, n)) ids.push(n);
  return ids.sort();
}
