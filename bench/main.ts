// The benchmark driver: runb, runc and crun side by side on the same
// bundle, interleaved (runb runc crun runb runc crun ...), each runtime with
// its own --root and every container with its own id and cgroupsPath.
// Started by bench/run.sh, inside a private mount namespace.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release } from "node:os";
import { join, resolve } from "node:path";
import { Aborted, type CallResult, Harness, pool, type Runtime } from "./harness.ts";
import { failures, type Row, Samples, summarize, type Summary, table } from "./report.ts";
import { becomeSubreaper, waitExit } from "./sys.ts";

const ALL_CASES = ["startup", "run", "run-idle", "lifecycle", "exec", "many", "concurrent", "rss", "profile"];
// The pause before each sample of "run-idle": long enough for the kernel's
// cgroup migration lock to return to its fast mode, as on a host that
// starts a container now and then rather than one after another.
const IDLE_PAUSE_MS = 250;

const USAGE = `usage: bench/run.sh [--full] [-n N] [-c M] [--cases LIST]

  --full        also state/list with 1000 containers (BENCH_FULL=1)
  -n N          iterations per case (BENCH_N, default 20)
  -c M          iterations of the concurrent-start case (BENCH_CONCURRENT_N, default 5)
  --cases LIST  comma-separated subset of: ${ALL_CASES.join(",")}`;

const CONCURRENCY = 50;
const SETUP_PARALLEL = 4;

interface Options {
  full: boolean;
  n: number;
  concurrentN: number;
  cases: Set<string>;
}

function parseOptions(argv: string[]): Options {
  const env = process.env;
  const opts: Options = {
    full: env.BENCH_FULL === "1",
    n: Number(env.BENCH_N ?? 20),
    concurrentN: Number(env.BENCH_CONCURRENT_N ?? 5),
    cases: new Set(ALL_CASES),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === "--full") opts.full = true;
    else if (a === "-n" || a === "--iterations") opts.n = Number(value());
    else if (a === "-c" || a === "--concurrent-iterations") opts.concurrentN = Number(value());
    else if (a === "--cases") opts.cases = new Set(value().split(","));
    else if (a === "-h" || a === "--help") usage();
    else usage(`unknown argument ${a}`);
  }
  if (!(opts.n >= 1) || !(opts.concurrentN >= 1)) usage("iteration counts must be at least 1");
  for (const c of opts.cases) if (!ALL_CASES.includes(c)) usage(`unknown case ${c}`);
  return opts;
}

function usage(error?: string): never {
  if (error) console.error(`bench: ${error}`);
  console.error(USAGE);
  process.exit(error ? 2 : 0);
}

const log = (msg: string) => console.error(`bench: ${msg}`);
const errMsg = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ---------------------------------------------------------------------------

const opts = parseOptions(process.argv.slice(2));
const repo = process.env.BENCH_REPO ?? resolve(import.meta.dir, "..");
const cgroupMode = process.env.BENCH_CGROUP_MODE;
if (!cgroupMode) {
  console.error("bench: start me through bench/run.sh (it sets up the mount namespace)");
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error("bench: must run as root");
  process.exit(1);
}

const started = performance.now();
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadBefore = loadavg();

// State roots and bundles live on a tmpfs, as /run does on most hosts. The
// mount is private to this namespace; the directory is removed at the end.
const work = process.env.BENCH_WORK ?? `/run/runb-bench-${process.pid}`;
mkdirSync(work, { mode: 0o700 });
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "mode=0700", "runb-bench", work]).status === 0;

const harness = new Harness(work, join(repo, "build", "bench-bundle"));
const subreaper = becomeSubreaper();

function runtime(name: string, bin: string | null): Runtime | undefined {
  if (!bin || !existsSync(bin)) {
    log(`${name} not found, left out`);
    return undefined;
  }
  const v = spawnSync(bin, ["--version"], { encoding: "utf8" });
  const version = (v.stdout ?? "").split("\n")[0]?.trim() || "unknown";
  return { name, bin, root: join(work, `root-${name}`), version };
}

const candidates = [
  runtime("runb", process.env.BENCH_RUNB ?? join(repo, "dist", "runb")),
  runtime("runc", Bun.which("runc")),
  runtime("crun", Bun.which("crun")),
].filter((r): r is Runtime => r !== undefined);
const runtimes: Runtime[] = [];
const excluded: Record<string, string> = {};

let cleanupPromise: Promise<void> | undefined;
const cleanupProblems: string[] = [];
/** Removes everything this run made; runs once, after the cases have unwound. */
function cleanup(): Promise<void> {
  cleanupPromise ??= (async () => {
    harness.aborted = true;
    try {
      cleanupProblems.push(...(await harness.cleanup(candidates)));
    } catch (e) {
      cleanupProblems.push(`cleanup: ${errMsg(e)}`);
    }
    if (mounted && spawnSync("umount", [work]).status !== 0) spawnSync("umount", ["--lazy", work]);
    try {
      rmSync(work, { recursive: true, force: true });
    } catch (e) {
      cleanupProblems.push(`removing ${work}: ${errMsg(e)}`);
    }
  })();
  return cleanupPromise;
}

// A signal stops the runtime calls in flight; the cases then unwind (each
// deleting what it made) and the global cleanup removes whatever is left.
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    if (interrupted) return log(`${sig}: still cleaning up`);
    interrupted = true;
    log(`${sig}: removing containers, cgroups and state, then exiting`);
    harness.abort();
  });
}

// ---------------------------------------------------------------------------
// Helpers shared by the cases.

const rows: Row[] = [];
const names = () => runtimes.map((r) => r.name);

/** Runs fn for one runtime; a failure marks the runtime failed in each group and is not retried. */
async function attempt(groups: Samples[], rt: Runtime, fn: () => Promise<void>): Promise<void> {
  if (groups.some((g) => g.failed(rt.name))) return;
  try {
    await fn();
  } catch (e) {
    if (e instanceof Aborted || harness.aborted) throw e;
    for (const g of groups) g.fail(rt.name, errMsg(e));
    log(`${rt.name}: ${errMsg(e)}`);
  }
}

function readPid(file: string): number {
  const pid = Number(readFileSync(file, "utf8").trim());
  if (!(pid > 0)) throw new Error(`bad pid file ${file}`);
  harness.trackPid(pid);
  return pid;
}

function statusKb(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no ${field} for pid ${pid}`);
  return Number(m[1]);
}

const vmRssKb = (pid: number) => statusKb(pid, "VmRSS");

/** create (not start) a container running args; returns its init pid. */
async function createContainer(rt: Runtime, id: string, args: string[], rss = false): Promise<{ pid: number; r: CallResult }> {
  const b = harness.bundle(id, args);
  harness.track(rt, id);
  const r = await harness.must(rt, ["create", "--bundle", b, "--pid-file", join(b, "pid"), id], { rss });
  return { pid: readPid(join(b, "pid")), r };
}

async function removeAll(rt: Runtime, containers: { id: string; pid?: number }[]): Promise<void> {
  await pool(containers, SETUP_PARALLEL, (c) => harness.remove(rt, c.id, c.pid));
}

// ---------------------------------------------------------------------------
// The cases.

async function preflight(): Promise<void> {
  for (const rt of candidates) {
    const id = `${rt.name}-preflight`;
    const b = harness.bundle(id, ["/bin/true"]);
    harness.track(rt, id);
    const r = await harness.call(rt, ["run", "--bundle", b, id]);
    await harness.remove(rt, id);
    if (r.code === 0) runtimes.push(rt);
    else {
      excluded[rt.name] = r.stderr.trim().split("\n").slice(-2).join(" | ") || `exit ${r.code}`;
      log(`${rt.name} cannot run a container here, left out: ${excluded[rt.name]}`);
    }
  }
  if (!runtimes.some((r) => r.name === "runb")) throw new Error("runb cannot run a container here");
}

async function caseStartup(): Promise<void> {
  log("startup: --version");
  const s = new Samples();
  for (let i = 0; i < opts.n; i++)
    for (const rt of runtimes) await attempt([s], rt, async () => s.add(rt.name, (await harness.must(rt, ["--version"])).ms));
  rows.push(s.row("version", "--version (process start-up)", "ms", names()));
}

async function runTrue(idle: boolean): Promise<void> {
  log(idle ? `run: /bin/true, ${IDLE_PAUSE_MS} ms apart` : "run: /bin/true");
  const s = new Samples();
  for (let i = 0; i < opts.n; i++)
    for (const rt of runtimes)
      await attempt([s], rt, async () => {
        const id = `${rt.name}-run${idle ? "-idle" : ""}-${i}`;
        const b = harness.bundle(id, ["/bin/true"]);
        harness.track(rt, id);
        if (idle) await Bun.sleep(IDLE_PAUSE_MS);
        try {
          s.add(rt.name, (await harness.must(rt, ["run", "--bundle", b, id])).ms);
        } finally {
          await harness.remove(rt, id); // `run` deleted it already; this checks nothing is left
        }
      });
  if (idle) rows.push(s.row("run-idle", `(1) run /bin/true, ${IDLE_PAUSE_MS} ms apart`, "ms", names()));
  else rows.push(s.row("run", "(1) run /bin/true", "ms", names()));
}

const caseRun = () => runTrue(false);
const caseRunIdle = () => runTrue(true);

async function caseLifecycle(): Promise<void> {
  log("create + start + wait + delete");
  const total = new Samples();
  const steps = { create: new Samples(), start: new Samples(), wait: new Samples(), delete: new Samples() };
  const all = [total, ...Object.values(steps)];
  for (let i = 0; i < opts.n; i++)
    for (const rt of runtimes)
      await attempt(all, rt, async () => {
        const id = `${rt.name}-life-${i}`;
        let pid: number | undefined;
        try {
          const c = await createContainer(rt, id, ["/bin/true"]);
          pid = c.pid;
          const start = await harness.must(rt, ["start", id]);
          const t0 = performance.now();
          if (!waitExit(c.pid, 30_000)) throw new Error(`${id} still running 30 s after start`);
          const wait = performance.now() - t0;
          const del = await harness.must(rt, ["delete", id]);
          harness.reapPid(c.pid);
          steps.create.add(rt.name, c.r.ms);
          steps.start.add(rt.name, start.ms);
          steps.wait.add(rt.name, wait);
          steps.delete.add(rt.name, del.ms);
          total.add(rt.name, c.r.ms + start.ms + wait + del.ms);
        } finally {
          await harness.remove(rt, id, pid);
        }
      });
  rows.push(total.row("lifecycle", "(2) create+start+wait+delete", "ms", names()));
  for (const [k, v] of Object.entries(steps)) rows.push(v.row(`lifecycle.${k}`, `    ${k}`, "ms", names()));
}

async function caseExec(): Promise<void> {
  log("exec /bin/true into a running container");
  const s = new Samples();
  const hosts = new Map<string, { id: string; pid?: number }>();
  try {
    for (const rt of runtimes)
      await attempt([s], rt, async () => {
        const id = `${rt.name}-exec`;
        const b = harness.bundle(id, ["sleep", "1000"]);
        harness.track(rt, id);
        hosts.set(rt.name, { id });
        await harness.must(rt, ["run", "-d", "--bundle", b, "--pid-file", join(b, "pid"), id]);
        hosts.set(rt.name, { id, pid: readPid(join(b, "pid")) });
      });
    for (let i = 0; i < opts.n; i++)
      for (const rt of runtimes)
        await attempt([s], rt, async () => {
          const host = hosts.get(rt.name);
          if (host) s.add(rt.name, (await harness.must(rt, ["exec", host.id, "/bin/true"])).ms);
        });
  } finally {
    for (const rt of runtimes) {
      const host = hosts.get(rt.name);
      if (host) await harness.remove(rt, host.id, host.pid);
    }
  }
  rows.push(s.row("exec", "(3) exec /bin/true", "ms", names()));
}

async function caseMany(): Promise<void> {
  const sizes = opts.full ? [1, 100, 1000] : [1, 100];
  const made = new Map<string, { id: string; pid?: number }[]>(runtimes.map((r) => [r.name, []]));
  const setupErrors = new Map<string, string>();
  try {
    for (const size of sizes) {
      const state = new Samples();
      const list = new Samples();
      for (const rt of runtimes) {
        const mine = made.get(rt.name) ?? [];
        const err = setupErrors.get(rt.name);
        if (err !== undefined) {
          state.fail(rt.name, err);
          list.fail(rt.name, err);
          continue;
        }
        log(`state/list: ${rt.name} creating ${size - mine.length} containers (${size} in its --root)`);
        const todo = Array.from({ length: size - mine.length }, (_, k) => `${rt.name}-many-${mine.length + k}`);
        await pool(todo, SETUP_PARALLEL, async (id) => {
          if (setupErrors.has(rt.name)) return;
          const entry: { id: string; pid?: number } = { id };
          mine.push(entry);
          try {
            entry.pid = (await createContainer(rt, id, ["sleep", "1000"])).pid;
          } catch (e) {
            if (e instanceof Aborted || harness.aborted) throw e;
            setupErrors.set(rt.name, `creating ${size} containers: ${errMsg(e)}`);
          }
        });
        const err2 = setupErrors.get(rt.name);
        if (err2 !== undefined) {
          state.fail(rt.name, err2);
          list.fail(rt.name, err2);
        }
      }
      log(`state/list with ${size} container(s)`);
      for (let i = 0; i < opts.n; i++)
        for (const rt of runtimes) {
          const first = made.get(rt.name)?.[0];
          if (!first) continue;
          await attempt([state], rt, async () => {
            const r = await harness.must(rt, ["state", first.id], { stdout: true });
            if (i === 0 && (JSON.parse(r.stdout) as { status?: string }).status !== "created")
              throw new Error(`state of ${first.id} is not "created"`);
            state.add(rt.name, r.ms);
          });
          await attempt([list], rt, async () => {
            const r = await harness.must(rt, ["list"], { stdout: true });
            const lines = r.stdout.trim().split("\n").length - 1;
            if (i === 0 && lines !== size) throw new Error(`list shows ${lines} containers, ${size} were created`);
            list.add(rt.name, r.ms);
          });
        }
      rows.push(state.row(`state@${size}`, `(4) state, ${size} in --root`, "ms", names()));
      rows.push(list.row(`list@${size}`, `(4) list, ${size} in --root`, "ms", names()));
    }
  } finally {
    for (const rt of runtimes) {
      const mine = made.get(rt.name) ?? [];
      if (mine.length > 0) log(`state/list: ${rt.name} deleting ${mine.length} containers`);
      await removeAll(rt, mine);
    }
  }
}

async function caseConcurrent(): Promise<void> {
  log(`${CONCURRENCY} concurrent run -d, ${opts.concurrentN} rounds`);
  const s = new Samples();
  for (let i = 0; i < opts.concurrentN; i++)
    for (const rt of runtimes) {
      const batch = Array.from({ length: CONCURRENCY }, (_, k) => {
        const id = `${rt.name}-conc-${i}-${k}`;
        const bundle = harness.bundle(id, ["sleep", "1000"]);
        harness.track(rt, id);
        return { id, bundle, pid: undefined as number | undefined };
      });
      try {
        await attempt([s], rt, async () => {
          const t0 = performance.now();
          const results = await Promise.all(batch.map((c) => harness.call(rt, ["run", "-d", "--bundle", c.bundle, "--pid-file", join(c.bundle, "pid"), c.id])));
          const ms = performance.now() - t0;
          for (const c of batch) if (existsSync(join(c.bundle, "pid"))) c.pid = readPid(join(c.bundle, "pid"));
          const bad = results.findIndex((r) => r.code !== 0);
          if (bad >= 0) {
            const n = results.filter((r) => r.code !== 0).length;
            throw new Error(`${n}/${CONCURRENCY} failed, e.g. ${results[bad]?.stderr.trim().split("\n").pop()}`);
          }
          s.add(rt.name, ms);
        });
      } finally {
        await removeAll(rt, batch);
      }
    }
  rows.push(s.row("concurrent", `(5) ${CONCURRENCY} x run -d at once, until all run`, "ms", names()));
}

async function caseRss(): Promise<void> {
  log("peak RSS (GNU time) of run and create; init VmRSS after create");
  const run = new Samples();
  const create = new Samples();
  const init = new Samples();
  for (let i = 0; i < opts.n; i++)
    for (const rt of runtimes) {
      await attempt([run], rt, async () => {
        const id = `${rt.name}-rssrun-${i}`;
        const b = harness.bundle(id, ["/bin/true"]);
        harness.track(rt, id);
        try {
          run.add(rt.name, ((await harness.must(rt, ["run", "--bundle", b, id], { rss: true })).maxRssKb ?? NaN) / 1024);
        } finally {
          await harness.remove(rt, id);
        }
      });
      await attempt([create, init], rt, async () => {
        const id = `${rt.name}-rsscreate-${i}`;
        let pid: number | undefined;
        try {
          const c = await createContainer(rt, id, ["sleep", "1000"], true);
          pid = c.pid;
          create.add(rt.name, (c.r.maxRssKb ?? NaN) / 1024);
          init.add(rt.name, vmRssKb(c.pid) / 1024);
        } finally {
          await harness.remove(rt, id, pid);
        }
      });
    }
  // What a runtime that stays in the foreground holds while its container
  // runs, split the way the kernel accounts it: private (anonymous) pages,
  // and pages of its own executable file, which every copy of the runtime
  // shares through the page cache.
  const anon = new Samples();
  const file = new Samples();
  for (let i = 0; i < opts.n; i++)
    for (const rt of runtimes)
      await attempt([anon, file], rt, async () => {
        const id = `${rt.name}-rssfg-${i}`;
        const b = harness.bundle(id, ["sleep", "1"]);
        harness.track(rt, id);
        try {
          await harness.must(rt, ["run", "--bundle", b, id], {
            whileRunning: async (pid) => {
              await Bun.sleep(600);
              anon.add(rt.name, statusKb(pid, "RssAnon") / 1024);
              file.add(rt.name, statusKb(pid, "RssFile") / 1024);
            },
          });
        } finally {
          await harness.remove(rt, id);
        }
      });
  rows.push(run.row("rss.run", "(6) peak RSS, run", "MB", names()));
  rows.push(anon.row("rss.fg.anon", "(6) run in the foreground: private RSS", "MB", names()));
  rows.push(file.row("rss.fg.file", "(6) run in the foreground: shared file RSS", "MB", names()));
  rows.push(create.row("rss.create", "(6) peak RSS, create", "MB", names()));
  rows.push(init.row("rss.init", "(6) init VmRSS after create", "MB", names()));
}

interface Profile {
  harnessFloorMs?: Summary;
  bunHelloMs?: Summary;
  bunHelloRssMb?: Summary;
  runbVersionMs?: Summary;
  runbRunMs?: Summary;
  debugRun?: { totalMs: number; lines: { ms: number; msg: string }[] };
  error?: string;
}

/**
 * Where runb's time goes on `run`, measured from outside: the cost of
 * spawning any process from this harness, a compiled Bun hello-world (the
 * floor for any `bun build --compile` program), runb --version (start-up
 * plus loading runb's code), and one `runb --debug run` with each debug line
 * stamped as it arrives.
 */
async function caseProfile(profile: Profile): Promise<void> {
  log("profile: harness floor, Bun hello-world, runb --debug run");
  const dir = join(work, "hello");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "hello.ts"), 'console.log("hello");\n');
  const build = spawnSync(process.execPath, ["build", "--compile", "--minify", "--sourcemap=none", "hello.ts", "--outfile", "hello"], { cwd: dir, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`bun build --compile failed: ${build.stderr}`);
  const hello = join(dir, "hello");
  const floor: number[] = [];
  const helloMs: number[] = [];
  const helloRss: number[] = [];
  for (let i = 0; i < opts.n; i++) {
    floor.push((await harness.spawn(["/bin/true"])).ms);
    helloMs.push((await harness.spawn([hello])).ms);
    helloRss.push(((await harness.spawn([hello], { rss: true })).maxRssKb ?? NaN) / 1024);
  }
  profile.harnessFloorMs = summarize(floor);
  profile.bunHelloMs = summarize(helloMs);
  profile.bunHelloRssMb = summarize(helloRss);
  rmSync(dir, { recursive: true, force: true });

  const runb = runtimes.find((r) => r.name === "runb");
  if (!runb) return;
  const runs: NonNullable<Profile["debugRun"]>[] = [];
  for (let i = 0; i < 5; i++) {
    const id = `runb-profile-${i}`;
    const b = harness.bundle(id, ["/bin/true"]);
    harness.track(runb, id);
    try {
      runs.push(await debugRun(runb, b, id));
    } finally {
      await harness.remove(runb, id);
    }
  }
  runs.sort((a, b) => a.totalMs - b.totalMs);
  profile.debugRun = runs[Math.floor(runs.length / 2)];
}

async function debugRun(rt: Runtime, bundle: string, id: string): Promise<NonNullable<Profile["debugRun"]>> {
  const t0 = performance.now();
  const proc = Bun.spawn({
    cmd: [rt.bin, "--root", rt.root, "--debug", "--log-format", "json", "run", "--bundle", bundle, id],
    cwd: work,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  const lines: { ms: number; msg: string }[] = [];
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of proc.stderr) {
    const ms = performance.now() - t0;
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let msg = line;
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string };
        msg = `${entry.level ?? "?"}: ${entry.msg ?? line}`;
      } catch {}
      lines.push({ ms, msg });
    }
  }
  const code = await proc.exited;
  const totalMs = performance.now() - t0;
  if (code !== 0) throw new Error(`runb --debug run exited ${code}: ${lines.map((l) => l.msg).join(" | ")}`);
  return { totalMs, lines };
}

// ---------------------------------------------------------------------------

const fmt = (s: Summary | undefined, unit: string) =>
  s ? `median ${s.median.toFixed(1)} ${unit} (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.n})` : "-";

async function main(): Promise<number> {
  log(`work directory ${work}${mounted ? " (tmpfs)" : ""}; ${cgroupMode}`);
  if (!subreaper) log("could not become a child subreaper; exited containers will be left as zombies of PID 1");
  await preflight();
  const profile: Profile = {};
  const cases: Record<string, () => Promise<void>> = {
    startup: caseStartup,
    run: caseRun,
    "run-idle": caseRunIdle,
    lifecycle: caseLifecycle,
    exec: caseExec,
    many: caseMany,
    concurrent: caseConcurrent,
    rss: caseRss,
    profile: async () => {
      try {
        await caseProfile(profile);
      } catch (e) {
        if (e instanceof Aborted || harness.aborted) throw e;
        profile.error = errMsg(e);
      }
    },
  };
  for (const name of ALL_CASES) {
    if (harness.aborted) throw new Aborted();
    if (opts.cases.has(name)) await cases[name]?.();
  }
  const runRow = rows.find((r) => r.key === "run")?.results.runb;
  const versionRow = rows.find((r) => r.key === "version")?.results.runb;
  if (runRow && "median" in runRow) profile.runbRunMs = runRow;
  if (versionRow && "median" in versionRow) profile.runbVersionMs = versionRow;

  await cleanup();
  if (interrupted) throw new Aborted();
  const seconds = (performance.now() - started) / 1000;
  const loadAfter = loadavg();
  const busy = Math.max(Number(loadBefore.split(" ")[0]), Number(loadAfter.split(" ")[1])) > cpus().length;

  const out: string[] = [];
  out.push("");
  out.push(`runtimes: ${runtimes.map((r) => `${r.name} (${r.version})`).join(", ")}`);
  for (const [name, why] of Object.entries(excluded)) out.push(`left out: ${name}: ${why}`);
  out.push(`host: Linux ${release()}, ${cpus().length} CPUs; cgroups: ${cgroupMode}`);
  out.push(
    `N = ${opts.n} iterations per case, runtimes interleaved; (5): ${opts.concurrentN} rounds of ${CONCURRENCY}; (4) sizes ${opts.full ? "1, 100, 1000" : "1, 100 (--full adds 1000)"}`,
  );
  out.push("times are wall-clock from spawn to exit as seen by the harness; bundle: busybox, config ociVersion 1.0.2, readonly rootfs");
  out.push(`load average before: ${loadBefore}, after: ${loadAfter}${busy ? "  (machine busy: expect noise)" : ""}`);
  out.push("");
  out.push(table(rows, names()));
  const notes: string[] = [];
  if (opts.cases.has("lifecycle")) notes.push("(2) wait: from `start` returning until the container's process has exited (pidfd)");
  if (opts.cases.has("rss")) notes.push("(6) peak RSS: GNU time %M, the larger of the runtime process and any child it waited for");
  if (notes.length > 0) out.push("", ...notes);
  const failed = failures(rows);
  if (failed.length > 0) out.push("", "failures:", ...failed.map((f) => `  ${f}`));
  if (opts.cases.has("profile")) {
    out.push("", "where runb's time goes on `run` (measured from outside):");
    if (profile.error) out.push(`  profile failed: ${profile.error}`);
    out.push(`  spawn /bin/true from the harness:   ${fmt(profile.harnessFloorMs, "ms")}`);
    out.push(`  compiled Bun hello-world:           ${fmt(profile.bunHelloMs, "ms")}`);
    out.push(`  compiled Bun hello-world, peak RSS: ${fmt(profile.bunHelloRssMb, "MB")}`);
    out.push(`  runb --version:                     ${fmt(profile.runbVersionMs, "ms")}`);
    out.push(`  runb run /bin/true:                 ${fmt(profile.runbRunMs, "ms")}`);
    if (profile.debugRun) {
      out.push(`  runb --debug run (median of 5, ${profile.debugRun.totalMs.toFixed(1)} ms), each debug line stamped on arrival:`);
      for (const l of profile.debugRun.lines) out.push(`    +${l.ms.toFixed(1).padStart(6)} ms  ${l.msg}`);
      out.push(`    +${profile.debugRun.totalMs.toFixed(1).padStart(6)} ms  (exit)`);
    }
  }
  if (cleanupProblems.length > 0) out.push("", "cleanup:", ...cleanupProblems.map((p) => `  ${p}`));
  const resultsFile = join(repo, "build", "bench-results.json");
  out.push("", `total ${seconds.toFixed(0)} s; results in build/bench-results.json`);
  console.log(out.join("\n"));

  mkdirSync(join(repo, "build"), { recursive: true });
  writeFileSync(
    resultsFile,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        args: process.argv.slice(2),
        host: { kernel: release(), cpus: cpus().length, loadavgBefore: loadBefore, loadavgAfter: loadAfter },
        cgroupMode,
        iterations: opts.n,
        concurrentRounds: opts.concurrentN,
        concurrency: CONCURRENCY,
        runtimes: runtimes.map((r) => ({ name: r.name, version: r.version })),
        excluded,
        rows,
        profile,
        cleanupProblems,
        seconds,
      },
      null,
      2,
    ) + "\n",
  );
  return failed.length > 0 || cleanupProblems.length > 0 ? 1 : 0;
}

let status = 1;
try {
  status = await main();
} catch (e) {
  if (!(e instanceof Aborted) && !interrupted) log(`failed: ${errMsg(e)}`);
  status = interrupted ? 130 : 1;
} finally {
  await cleanup();
}
if (status !== 0) for (const p of cleanupProblems) log(`cleanup: ${p}`);
if (interrupted) log("interrupted; everything this run created is removed");
process.exit(status);
