import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Spec } from "../spec/types.ts";
import { hasHooks, namespacePid, phaseState, runPhase, type HookTarget } from "./lifecycle.ts";

const spec: Spec = { ociVersion: "1.3.0", annotations: { a: "b" } };
const target: HookTarget = { id: "c1", bundle: "/bundle", spec, pid: process.pid };

test("namespacePid: our own pid, outside any pid namespace of our own", () => {
  expect(namespacePid(process.pid)).toBe(Number(/^NSpid:\s*(.*)$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1]?.split(/\s+/).pop()));
  expect(namespacePid(0x7ffffff0)).toBe(0x7ffffff0);
});

test("phaseState: status and pid as runc gives them in each phase", () => {
  const docs = Object.fromEntries(
    (["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"] as const).map((n) => [n, phaseState(n, target)]),
  );
  expect(docs.createRuntime).toEqual({ ociVersion: "1.3.0", id: "c1", status: "creating", pid: process.pid, bundle: "/bundle", annotations: { a: "b" } });
  expect(docs.prestart?.status).toBe("creating");
  expect(docs.createContainer?.status).toBe("creating");
  expect(docs.startContainer?.status).toBe("created");
  expect(docs.poststart).toMatchObject({ status: "running", pid: process.pid });
  expect(docs.poststop?.status).toBe("stopped");
  expect("pid" in (docs.poststop ?? {})).toBe(false);
});

test("runPhase feeds the phase's document to its hooks", () => {
  const dir = mkdtempSync(join(tmpdir(), "hooks-lifecycle-"));
  try {
    const hooks = { poststop: [{ path: "/bin/sh", args: ["sh", "-c", `cat > ${dir}/got`] }] };
    runPhase("poststop", { ...target, spec: { ...spec, hooks } });
    expect(JSON.parse(readFileSync(join(dir, "got"), "utf8"))).toEqual({ ociVersion: "1.3.0", id: "c1", status: "stopped", bundle: "/bundle", annotations: { a: "b" } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("runPhase without hooks does nothing", () => {
  expect(() => runPhase("createRuntime", target)).not.toThrow();
});

test("hasHooks", () => {
  const withHooks: Spec = { ociVersion: "1.3.0", hooks: { prestart: [], createContainer: [{ path: "/bin/true" }] } };
  expect(hasHooks(withHooks, "prestart", "createRuntime")).toBe(false);
  expect(hasHooks(withHooks, "prestart", "createContainer")).toBe(true);
  expect(hasHooks(spec, "poststop")).toBe(false);
});
