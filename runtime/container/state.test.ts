// The config in state.json: kept as text with its facts beside it, and
// checked in full (facts worked out again) whenever either was changed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configureLog } from "../log.ts";
import { defaultSpec } from "../../spec/default.ts";
import type { Spec } from "../../spec/types.ts";
import { factsOf } from "./config-facts.ts";
import { configOf, loadState, saveState, STATE_FILE, withConfig, type SavedState } from "./state.ts";

let root: string;
let n = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "runb-state-"));
  configureLog({ file: "/dev/null", format: "text", debug: false });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config: Spec = {
  ...defaultSpec({ rootless: false, cgroupNamespace: false }),
  annotations: { "org.example/key": "value" },
  hooks: { poststop: [{ path: "/bin/true" }] },
};

/** A container saved as create saves it; returns its id and the path of its state.json. */
function saved(): { id: string; file: string } {
  const id = `c${n++}`;
  mkdirSync(join(root, id));
  const state: SavedState = {
    id,
    pid: 0,
    startTime: "",
    bundle: "/b",
    rootfs: "/b/rootfs",
    created: "2026-01-01T00:00:00Z",
    creating: false,
    creator: { pid: 1, startTime: "1" },
    owner: "",
    systemdCgroup: false,
    cgroup: null,
    ...withConfig(config),
  };
  saveState(root, state);
  return { id, file: join(root, id, STATE_FILE) };
}

const edit = (file: string, change: (doc: Record<string, unknown>) => void) => {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  change(doc);
  writeFileSync(file, JSON.stringify(doc));
};

test("the config is saved as text with its facts, and reads back as it was", async () => {
  const { id, file } = saved();
  const doc = JSON.parse(readFileSync(file, "utf8"));
  expect(typeof doc.configJson).toBe("string");
  expect(doc.config).toBeUndefined();
  const state = await loadState(root, id);
  expect(state.facts).toEqual(factsOf(config));
  expect(configOf(state)).toEqual(config);
});

test("facts edited on disk are worked out again from the config", async () => {
  const { id, file } = saved();
  edit(file, (doc) => {
    const facts = doc.facts as Record<string, unknown>;
    facts.annotations = { forged: "yes" };
    facts.ownPidNamespace = false;
    facts.hooks = [];
  });
  expect((await loadState(root, id)).facts).toEqual(factsOf(config));
});

test("an edited config is checked against the schema: a valid edit loads, with its own facts; an invalid one is refused", async () => {
  const { id, file } = saved();
  edit(file, (doc) => {
    doc.configJson = JSON.stringify({ ...config, annotations: { edited: "1" } });
  });
  expect((await loadState(root, id)).facts.annotations).toEqual({ edited: "1" });
  edit(file, (doc) => {
    doc.configJson = JSON.stringify({ ...config, ociVersion: 5 });
  });
  await expect(loadState(root, id)).rejects.toThrow(`${file}: saved config.json: /ociVersion: must be string`);
  edit(file, (doc) => {
    doc.configJson = "{";
  });
  await expect(loadState(root, id)).rejects.toThrow(`${file}: configJson: invalid JSON`);
});

test("a state.json of an earlier version, with the config as an object, loads after a full check", async () => {
  const { id, file } = saved();
  edit(file, (doc) => {
    doc.config = JSON.parse(doc.configJson as string);
    doc.configDigest = "crc32:0";
    delete doc.configJson;
    delete doc.facts;
  });
  const state = await loadState(root, id);
  expect(state.facts).toEqual(factsOf(config));
  expect(configOf(state)).toEqual(config);
  edit(file, (doc) => {
    doc.config = { ...(doc.config as object), ociVersion: 5, linux: { namespaces: 7 } };
  });
  await expect(loadState(root, id)).rejects.toThrow(`${file}: saved config.json: /ociVersion: must be string`);
});
