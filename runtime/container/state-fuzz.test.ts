// Generated state directories through what every command reads first: the
// state reader, the fallback delete --force uses, and list's scan. The only
// failure allowed is a RuntimeError whose message names the file (or the
// container) and says what is wrong in a user's words.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeError } from "../errors.ts";
import { configureLog } from "../log.ts";
import { defaultSpec } from "../../spec/default.ts";
import { badMessage, mutateText, mutateValue, pick, rng } from "../../spec/fuzz.test-support.ts";
import { createCgroupManager } from "../cgroups/index.ts";
import { loadContainer } from "./container.ts";
import { INIT_FILE } from "./init-record.ts";
import { initRecordOf, listIds, loadRemains, STATE_FILE, withConfig, type SavedState } from "./state.ts";

const CASES = 2000;
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "runb-state-fuzz-"));
  configureLog({ file: "/dev/null", format: "text", debug: false });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function savedState(id: string): SavedState {
  return {
    id,
    pid: 4242,
    startTime: "12345",
    bundle: "/b",
    rootfs: "/b/rootfs",
    created: "2026-01-01T00:00:00Z",
    creating: false,
    creator: { pid: 4241, startTime: "12340" },
    owner: "",
    systemdCgroup: false,
    // What this host's layout gives, so that an undamaged state loads.
    cgroup: { ...createCgroupManager({ cgroupsPath: `/fuzz/${id}`, containerId: id }).saved(), created: [] },
    ...withConfig({ ...defaultSpec({ rootless: false, cgroupNamespace: false }), linux: { cgroupsPath: `/fuzz/${id}` } }),
  };
}

type Damage = { files: Record<string, string>; what: string };

// Both files as runb writes them, then one of them damaged.
function damaged(i: number, id: string): Damage {
  const r = rng(i);
  const state = savedState(id);
  const docs: Record<string, unknown> = { [STATE_FILE]: state, [INIT_FILE]: initRecordOf(state) };
  const files: Record<string, string> = {};
  for (const [name, doc] of Object.entries(docs)) files[name] = JSON.stringify(doc);
  const target = pick(r, [STATE_FILE, INIT_FILE]);
  if (r() < 0.6) {
    const m = mutateValue(r, docs[target] as never);
    files[target] = JSON.stringify(m.doc);
    return { files, what: `${target}: ${m.what}` };
  }
  if (r() < 0.9) {
    const m = mutateText(r, files[target]!);
    files[target] = m.text;
    return { files, what: `${target}: ${m.what}` };
  }
  delete files[target];
  return { files, what: `${target} missing` };
}

/** Runs `run`; false when it threw (whatever it threw is checked). */
async function check(failures: string[], what: string, dir: string, id: string, run: () => unknown): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    if (!(e instanceof RuntimeError)) {
      failures.push(`${what}: ${(e as Error)?.name}: ${(e as Error)?.message}`);
      return false;
    }
    const bad = badMessage(e.message);
    const named = e.message.includes(dir) || e.message.includes(id) || e.code === "CONTAINER_NOT_FOUND";
    if (bad !== undefined || !named) failures.push(`${what}: ${bad ?? "names neither the file nor the container"}: ${e.message}`);
    return false;
  }
}

test(`${CASES} damaged state directories fail only with a RuntimeError naming the file`, async () => {
  const failures: string[] = [];
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const id = `c${i}`;
    const dir = join(root, id);
    mkdirSync(dir);
    const d = damaged(i, id);
    for (const [name, text] of Object.entries(d.files)) writeFileSync(join(dir, name), text);
    const what = `case ${i} (${d.what})`;
    if (!(await check(failures, `${what} load`, dir, id, () => loadContainer(root, id)))) refused++;
    await check(failures, `${what} remains`, dir, id, () => loadRemains(root, id));
    rmSync(dir, { recursive: true, force: true });
  }
  expect(failures.slice(0, 20)).toEqual([]);
  expect(refused).toBeGreaterThan(CASES / 2);
}, 60_000);

test("an undamaged state loads", async () => {
  mkdirSync(join(root, "ok"));
  const s = savedState("ok");
  writeFileSync(join(root, "ok", STATE_FILE), JSON.stringify(s));
  writeFileSync(join(root, "ok", INIT_FILE), JSON.stringify(initRecordOf(s)));
  expect((await loadContainer(root, "ok")).status).toBe("stopped");
  rmSync(join(root, "ok"), { recursive: true });
});

test("a state file or directory that is a link is refused, and the id inside must match", async () => {
  for (const id of ["a", "b"]) {
    mkdirSync(join(root, id));
    const s = savedState(id);
    writeFileSync(join(root, id, STATE_FILE), JSON.stringify(s));
    writeFileSync(join(root, id, INIT_FILE), JSON.stringify(initRecordOf(s)));
  }
  mkdirSync(join(root, "c"));
  symlinkSync(join(root, "b", STATE_FILE), join(root, "c", STATE_FILE));
  await expect(loadContainer(root, "c")).rejects.toThrow(`${join(root, "c", STATE_FILE)} is a symbolic link`);
  symlinkSync(join(root, "b"), join(root, "d"));
  await expect(loadContainer(root, "d")).rejects.toThrow(`${join(root, "d")} is not a directory`);
  mkdirSync(join(root, "e"));
  writeFileSync(join(root, "e", STATE_FILE), JSON.stringify(savedState("b")));
  await expect(loadContainer(root, "e")).rejects.toThrow(`${join(root, "e", STATE_FILE)}: belongs to container "b", not e`);
  expect(listIds(root)).toEqual(["a", "b", "c", "d", "e"]);
  for (const id of ["a", "b", "c", "d", "e"]) rmSync(join(root, id), { recursive: true, force: true });
});
