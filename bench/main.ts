// The benchmark driver: runb, runc and crun side by side on the same
// bundle, interleaved (runb runc crun runb runc crun ...), each runtime with
// its own --root and every container with its own id and cgroupsPath.
// Started by bench/run.sh, inside a private mount namespace.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release } from "node:os";
import { join, resolve } from "node:path";
import { Aborted, type CallResult, Harness, pool, type Runtime } from "./harness.ts";
import { failures, grid, type Row, Samples, summarize, type Summary, table } from "./report.ts";
import { buildHello } from "./hello.ts";
import { pageTouchCost, type PageTouchCost } from "./page-touch.ts";
import { becomeSubreaper, waitExit } from "./sys.ts";

const ALL_CASES = ["startup", "run", "run-idle", "run-busy", "lifecycle", "exec", "many", "concurrent", "rss", "short", "faults", "blocks", "podman-config", "mounts", "fixed", "profile"];
// The pause before each sample of "run-idle": long enough for the kernel's
// cgroup migration lock to return to its fast mode, as on a host that
// starts a container now and then rather than one after another.
const IDLE_PAUSE_MS = 250;
// Time for the CPU hogs of "run-busy" to be running on every CPU before the first sample.
const HOG_SETTLE_MS = 200;

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
async function createContainer(rt: Runtime, id: string, args: string[], rss = false, seccomp?: unknown): Promise<{ pid: number; r: CallResult }> {
  const b = harness.bundle(id, args, seccomp);
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

/** How the machine is while `run` is measured: as it is, with a pause before each sample, or with every CPU kept busy. */
type RunMode = "quiet" | "idle" | "busy";

async function runTrue(mode: RunMode): Promise<void> {
  const s = new Samples();
  for (let i = 0; i < opts.n; i++)
    for (const rt of runtimes)
      await attempt([s], rt, async () => {
        const id = `${rt.name}-run-${mode}-${i}`;
        const b = harness.bundle(id, ["/bin/true"]);
        harness.track(rt, id);
        if (mode === "idle") await Bun.sleep(IDLE_PAUSE_MS);
        try {
          s.add(rt.name, (await harness.must(rt, ["run", "--bundle", b, id])).ms);
        } finally {
          await harness.remove(rt, id); // `run` deleted it already; this checks nothing is left
        }
      });
  if (mode === "idle") rows.push(s.row("run-idle", `(1) run /bin/true, ${IDLE_PAUSE_MS} ms apart`, "ms", names()));
  else if (mode === "busy") rows.push(s.row("run-busy", `(1) run /bin/true, ${cpus().length} CPU hogs`, "ms", names()));
  else rows.push(s.row("run", "(1) run /bin/true", "ms", names()));
}

async function caseRun(): Promise<void> {
  log("run: /bin/true");
  await runTrue("quiet");
}

async function caseRunIdle(): Promise<void> {
  log(`run: /bin/true, ${IDLE_PAUSE_MS} ms apart`);
  await runTrue("idle");
}

/**
 * `run` while one busy loop per CPU competes with it at the same priority,
 * as on a loaded host: what counts there is how much CPU time a runtime
 * needs and how often it waits to be scheduled, not how fast one core is.
 */
async function caseRunBusy(): Promise<void> {
  const n = cpus().length;
  log(`run: /bin/true with ${n} CPU hogs`);
  harness.startHogs(n);
  try {
    await Bun.sleep(HOG_SETTLE_MS);
    await runTrue("busy");
  } finally {
    await harness.stopHogs();
  }
}

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
          const run = (c: (typeof batch)[number]) =>
            harness.call(rt, ["run", "-d", "--bundle", c.bundle, "--pid-file", join(c.bundle, "pid"), c.id], { settleLater: true });
          const results = await Promise.all(batch.map(run));
          const ms = performance.now() - t0;
          await harness.settleAll();
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
  // and shared ones: of its own executable file, which every copy of the
  // runtime shares through the page cache, or of a memfd (runb's waiter
  // runs from one).
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
              file.add(rt.name, (statusKb(pid, "RssFile") + statusKb(pid, "RssShmem")) / 1024);
            },
          });
        } finally {
          await harness.remove(rt, id);
        }
      });
  rows.push(run.row("rss.run", "(6) peak RSS, run", "MB", names()));
  rows.push(anon.row("rss.fg.anon", "(6) run in the foreground: private RSS", "MB", names()));
  rows.push(file.row("rss.fg.file", "(6) run in the foreground: shared RSS", "MB", names()));
  rows.push(create.row("rss.create", "(6) peak RSS, create", "MB", names()));
  rows.push(init.row("rss.init", "(6) init VmRSS after create", "MB", names()));
}

// ---------------------------------------------------------------------------
// The short commands: each one on a container of its own.

const SHORT_COMMANDS = ["start", "state", "list", "kill", "delete"] as const;
type ShortCommand = (typeof SHORT_COMMANDS)[number];
type Timed<T> = (command: ShortCommand, args: string[]) => Promise<T>;

/**
 * Runs the short commands on a fresh container, each through `timed`:
 * create (not timed) a `sleep 1000`, start it, state and list while it
 * runs, kill it with SIGKILL, and once its process has exited (not timed)
 * delete it. A fresh container each time, so that every command always
 * finds the container in the same state.
 */
async function shortCommands<T>(rt: Runtime, id: string, timed: Timed<T>, seccomp?: unknown): Promise<Record<ShortCommand, T>> {
  let pid: number | undefined;
  try {
    pid = (await createContainer(rt, id, ["sleep", "1000"], false, seccomp)).pid;
    const start = await timed("start", ["start", id]);
    const state = await timed("state", ["state", id]);
    const list = await timed("list", ["list"]);
    const kill = await timed("kill", ["kill", id, "KILL"]);
    if (!waitExit(pid, 30_000)) throw new Error(`${id} still running 30 s after kill`);
    const del = await timed("delete", ["delete", id]);
    harness.reapPid(pid);
    return { start, state, list, kill, delete: del };
  } finally {
    await harness.remove(rt, id, pid);
  }
}

/** Times a short command from spawn to exit, checking that state and list see the running container. */
function plainTimed(rt: Runtime, id: string): Timed<number> {
  return async (command, args) => {
    const r = await harness.must(rt, args, { stdout: command === "state" || command === "list" });
    if (command === "state" && (JSON.parse(r.stdout) as { status?: string }).status !== "running")
      throw new Error(`state of ${id} is not "running"`);
    if (command === "list" && !r.stdout.includes(id)) throw new Error(`list does not show ${id}`);
    return r.ms;
  };
}

/** The short commands' samples, opts.n fresh containers per runtime, each measured by `measure`. */
async function shortCommandSamples(
  tag: string,
  measure: (rt: Runtime, id: string) => Timed<number>,
  seccomp?: unknown,
): Promise<Record<ShortCommand, Samples>> {
  const s = Object.fromEntries(SHORT_COMMANDS.map((c) => [c, new Samples()])) as Record<ShortCommand, Samples>;
  for (let i = 0; i < opts.n; i++)
    for (const rt of runtimes)
      await attempt(Object.values(s), rt, async () => {
        const id = `${rt.name}-${tag}-${i}`;
        const values = await shortCommands(rt, id, measure(rt, id), seccomp);
        for (const c of SHORT_COMMANDS) s[c].add(rt.name, values[c]);
      });
  return s;
}

async function caseShort(): Promise<void> {
  log("start, state, list, kill, delete on a sleep container");
  const s = await shortCommandSamples("short", plainTimed);
  const labels: Record<ShortCommand, string> = {
    start: "(7) start (sleep)",
    state: "(7) state, running",
    list: "(7) list, 1 running",
    kill: "(7) kill KILL, running",
    delete: "(7) delete, stopped",
  };
  for (const c of SHORT_COMMANDS) rows.push(s[c].row(`short.${c}`, labels[c], "ms", names()));
}

/**
 * The minor page faults of each short command (GNU time %R): every first
 * touch of a page a process has not used yet. On a virtual machine each
 * costs the host's work too, and they, more than instructions, set the
 * fixed cost of a command there.
 */
async function caseFaults(): Promise<void> {
  log("minor page faults of start, state, list, kill, delete; of a Bun hello-world");
  const s = await shortCommandSamples("faults", (rt) => async (_command, args) => (await harness.must(rt, args, { rss: true })).minorFaults ?? NaN);
  for (const c of SHORT_COMMANDS) rows.push(s[c].row(`faults.${c}`, `(8) page faults, ${c}`, "pages", names()));
  const hello: number[] = [];
  for (let i = 0; i < opts.n; i++) hello.push((await harness.spawn([helloBinary().bin], { rss: true })).minorFaults ?? NaN);
  helloFaults = summarize(hello);
}

let helloFaults: Summary | undefined;

// The engine hands out its heap in blocks of 16 KiB and, once a process
// has used more of them than this option says, starts a thread that makes
// blocks resident ahead of use: for a command about to exit, work on the
// other CPU and a thread more to tear down. A command's blocks are found
// by lowering the option until the command starts that thread.
const WARM_UP_OPTION = "warmUpMarkedBlockStartAfterBlocks";
const BLOCKS_SEARCH_MAX = 256;
type BlocksSubject = ShortCommand | "--version";

interface HeapBlocks {
  /** The smallest threshold at which the command starts no warm-up thread: the blocks it uses. */
  blocks: Partial<Record<BlocksSubject, number>>;
  /** The option's value when nothing sets it, as the engine reports it. */
  threshold?: number;
  error?: string;
}

let heapBlocks: HeapBlocks | undefined;

/** How many threads (and processes) argv starts, as strace sees its clone calls, with the warm-up threshold set. */
async function clonesWith(argv: string[], threshold: number): Promise<number> {
  const trace = join(work, "out", "clones");
  const r = await harness.spawn(["strace", "-f", "-qq", "-e", "trace=clone,clone3", "-o", trace, "env", `BUN_JSC_${WARM_UP_OPTION}=${threshold}`, ...argv], { stdout: true });
  if (r.code !== 0) throw new Error(`${argv.slice(3).join(" ")} under strace: exit ${r.code}: ${r.stderr.trim()}`);
  return readFileSync(trace, "utf8").split("\n").filter((l) => /\bclone3?\(/.test(l)).length;
}

/**
 * The heap blocks each short command and --version use, searched for all
 * of them at once: each round one fresh container, each command run with
 * the middle of what is left of its own range.
 */
async function caseBlocks(): Promise<void> {
  const runb = runtimes.find((r) => r.name === "runb");
  if (!runb) return;
  log("engine heap blocks of --version and start, state, list, kill, delete (strace)");
  heapBlocks = { blocks: {} };
  if (spawnSync("strace", ["-V"]).status !== 0) {
    heapBlocks.error = "strace not found (apt-get install strace)";
    return;
  }
  const subjects: BlocksSubject[] = ["--version", ...SHORT_COMMANDS];
  const lo = Object.fromEntries(subjects.map((c) => [c, 1])) as Record<BlocksSubject, number>;
  const hi = Object.fromEntries(subjects.map((c) => [c, BLOCKS_SEARCH_MAX])) as Record<BlocksSubject, number>;
  const argv = (args: string[]) => [runb.bin, "--root", runb.root, ...args];
  const round = async (label: string, at: (c: BlocksSubject) => number) => {
    const clones = { "--version": await clonesWith(argv(["--version"]), at("--version")) } as Record<BlocksSubject, number>;
    Object.assign(clones, await shortCommands(runb, `runb-blocks-${label}`, (c, args) => clonesWith(argv(args), at(c))));
    return clones;
  };
  try {
    const base = await round("base", () => 1e9);
    const mid = (c: BlocksSubject) => Math.floor((lo[c] + hi[c]) / 2);
    for (let i = 0; subjects.some((c) => lo[c] < hi[c]); i++) {
      const clones = await round(String(i), mid);
      for (const c of subjects) {
        if (lo[c] >= hi[c]) continue;
        if (clones[c] > base[c]) lo[c] = mid(c) + 1;
        else hi[c] = mid(c);
      }
    }
    for (const c of subjects) heapBlocks.blocks[c] = lo[c] >= BLOCKS_SEARCH_MAX ? undefined : lo[c];
    // Every option with its value, on stderr, when this one is 2.
    const dump = spawnSync(runb.bin, ["--version"], { env: { ...process.env, BUN_JSC_dumpOptions: "2" }, encoding: "utf8" });
    const m = new RegExp(`\\b${WARM_UP_OPTION}=(\\d+)`).exec(dump.stderr ?? "");
    if (m) heapBlocks.threshold = Number(m[1]);
  } catch (e) {
    if (e instanceof Aborted || harness.aborted) throw e;
    heapBlocks.error = errMsg(e);
  }
}

// Podman's default seccomp profile (containers-common), as it ends up in a
// container's config on x86-64: the rules for the architecture and for the
// default capabilities, in the runtime spec's form. Its hundred-odd rules
// and some four hundred names are what a config written by Podman (or
// containerd, with its own default profile) carries.
const PODMAN_SECCOMP = "/usr/share/containers/seccomp.json";

interface ContainersRule {
  names: string[];
  action: string;
  args?: unknown[];
  errnoRet?: number;
  includes?: { caps?: string[]; arches?: string[] };
  excludes?: Record<string, unknown>;
}

function podmanSeccomp(): unknown {
  const profile = JSON.parse(readFileSync(PODMAN_SECCOMP, "utf8")) as { defaultAction: string; defaultErrnoRet?: number; syscalls: ContainersRule[] };
  const syscalls = profile.syscalls
    .filter((r) => !(r.includes?.caps?.length) && Object.keys(r.excludes ?? {}).length === 0)
    .filter((r) => !(r.includes?.arches?.length) || r.includes.arches.includes("amd64"))
    .map((r) => ({ names: r.names, action: r.action, ...(r.args?.length ? { args: r.args } : {}), ...(r.errnoRet === undefined ? {} : { errnoRet: r.errnoRet }) }));
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet === undefined ? {} : { defaultErrnoRet: profile.defaultErrnoRet }),
    architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    syscalls,
  };
}

/** The (7) commands again, on containers whose config carries Podman's seccomp profile. */
async function casePodmanConfig(): Promise<void> {
  if (!existsSync(PODMAN_SECCOMP)) {
    log(`${PODMAN_SECCOMP} not found (containers-common): no (9) rows`);
    return;
  }
  log("start, state, list, kill, delete on a sleep container with Podman's seccomp profile");
  const s = await shortCommandSamples("podcfg", plainTimed, podmanSeccomp());
  for (const c of SHORT_COMMANDS) rows.push(s[c].row(`podman-config.${c}`, `(9) ${c}, Podman's seccomp profile`, "ms", names()));
}

// A host that runs many containers has many mounts (a Kubernetes node: a
// few per pod, for its volumes, secrets and rootfs), and every process
// that reads /proc/self/mountinfo pays for each line.
const EXTRA_MOUNTS = 1000;

/** The (7) commands again, with EXTRA_MOUNTS more tmpfs mounts in the (private) mount namespace. */
async function caseMounts(): Promise<void> {
  log(`start, state, list, kill, delete on a sleep container, with ${EXTRA_MOUNTS} more mounts`);
  const dir = join(work, "mounts");
  const made = spawnSync("sh", ["-c", `for i in $(seq ${EXTRA_MOUNTS}); do mkdir -p "$0/$i" && mount -t tmpfs -o size=4k bench-mount "$0/$i" || exit 1; done`, dir]);
  try {
    if (made.status !== 0) throw new Error(`mounting ${EXTRA_MOUNTS} tmpfs under ${dir}: ${made.stderr.toString().trim()}`);
    const s = await shortCommandSamples("mounts", plainTimed);
    for (const c of SHORT_COMMANDS) rows.push(s[c].row(`mounts.${c}`, `(10) ${c}, ${EXTRA_MOUNTS} more mounts`, "ms", names()));
  } finally {
    // Gone with the namespace anyway; unmounted here so that later cases run as before.
    spawnSync("sh", ["-c", `for i in $(seq ${EXTRA_MOUNTS}); do umount "$0/$i" 2>/dev/null; done`, dir]);
  }
}

// ---------------------------------------------------------------------------
// Fixed costs: how long runb takes before a command's own work begins.

// The mark runtime/main.ts logs right before a command's own work, with the
// in-process time it carries (ms since Bun's clock started), and the one it
// logs once the command's work is done.
const STARTUP_MARK = /^timing: start-up and argument parsing at ([\d.]+) ms/;
const DONE_MARK = /^timing: \S+ done at /;

interface FixedSample {
  /** Spawn to the arrival of the start-up mark. */
  fixedMs: number;
  /** The mark's own time, on runb's clock (which starts after exec). */
  selfMs: number;
  /** From the arrival of the done mark to exit: the fixed cost at the other end. */
  doneToExitMs: number;
  /** Spawn to exit, with --debug. */
  totalMs: number;
}

/** The message of a runb --log-format json line (the line itself when it is not JSON). */
function logMessage(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: string; msg?: string };
    return `${entry.level ?? "?"}: ${entry.msg ?? line}`;
  } catch {
    return line;
  }
}

/** Runs `runb --debug --log-format json args`, with each log line stamped on arrival. */
async function debugCall(rt: Runtime, args: string[]): Promise<{ totalMs: number; lines: { ms: number; msg: string }[] }> {
  const r = await harness.spawnStamped([rt.bin, "--root", rt.root, "--debug", "--log-format", "json", ...args], "stderr");
  const lines = r.lines.map((l) => ({ ms: l.ms, msg: logMessage(l.text) }));
  if (r.code !== 0) throw new Error(`${rt.name} --debug ${args.join(" ")}: exit ${r.code}: ${lines.slice(-3).map((l) => l.msg).join(" | ")}`);
  return { totalMs: r.ms, lines };
}

function fixedTimed(rt: Runtime): Timed<FixedSample> {
  return async (_command, args) => {
    const r = await debugCall(rt, args);
    const at = (re: RegExp) => r.lines.find((l) => re.test(l.msg.replace(/^debug: /, "")));
    const startup = at(STARTUP_MARK);
    const done = at(DONE_MARK);
    if (!startup || !done) throw new Error(`${rt.name} --debug ${args[0]}: no "start-up and argument parsing" or "done" timing mark`);
    const selfMs = Number(STARTUP_MARK.exec(startup.msg.replace(/^debug: /, ""))?.[1]);
    return { fixedMs: startup.ms, selfMs, doneToExitMs: r.totalMs - done.ms, totalMs: r.totalMs };
  };
}

let hello: ReturnType<typeof buildHello> | undefined;
/** The compiled hello-world, built once per run with runb's build flags. */
function helloBinary(): ReturnType<typeof buildHello> {
  hello ??= buildHello(process.execPath, join(repo, "justfile"), join(work, "hello"));
  return hello;
}

/** When a program's first line of stdout arrives, and when it exits, from spawn. */
async function lineAndExit(argv: string[], expect: RegExp): Promise<{ lineMs: number; exitMs: number }> {
  const r = await harness.spawnStamped(argv, "stdout");
  const first = r.lines[0];
  if (r.code !== 0 || !first || !expect.test(first.text)) throw new Error(`${argv.join(" ")}: exit ${r.code}, printed ${JSON.stringify(first?.text)}`);
  return { lineMs: first.ms, exitMs: r.ms };
}

interface LineAndExit {
  lineMs: Summary;
  exitMs: Summary;
}

interface FixedCommand {
  fixedMs: Summary;
  selfMs: Summary;
  /** fixed − the hello-world's line arrival, and − its exit, paired per iteration. */
  overHelloLineMs: Summary;
  overHelloExitMs: Summary;
  doneToExitMs: Summary;
  debugTotalMs: Summary;
  /** Without --debug. */
  totalMs: Summary;
  runcTotalMs?: Summary;
  /** Median totals without --debug, runb over runc. */
  runbPerRunc: number | null;
}

interface FixedCosts {
  helloFlags?: string[];
  hello?: LineAndExit;
  version?: LineAndExit;
  /** runb --version − hello-world, line and exit, paired per iteration. */
  versionOverHello?: LineAndExit;
  commands: Partial<Record<ShortCommand, FixedCommand>>;
  error?: string;
}

const pairedDiff = (a: number[], b: number[]) => summarize(a.map((v, k) => v - (b[k] ?? NaN)));
const field = <T, K extends keyof T>(xs: T[], k: K) => xs.map((x) => x[k] as number);

function fixedCommand(debug: FixedSample[], total: number[], runcTotal: number[] | undefined, hello: { lineMs: number; exitMs: number }[]): FixedCommand {
  const fixedMs = field(debug, "fixedMs");
  const t = summarize(total);
  const rc = runcTotal ? summarize(runcTotal) : undefined;
  return {
    fixedMs: summarize(fixedMs),
    selfMs: summarize(field(debug, "selfMs")),
    overHelloLineMs: pairedDiff(fixedMs, field(hello, "lineMs")),
    overHelloExitMs: pairedDiff(fixedMs, field(hello, "exitMs")),
    doneToExitMs: summarize(field(debug, "doneToExitMs")),
    debugTotalMs: summarize(field(debug, "totalMs")),
    totalMs: t,
    runcTotalMs: rc,
    runbPerRunc: rc && rc.median > 0 ? t.median / rc.median : null,
  };
}

/**
 * Interleaved, N times: the hello-world, runb --version, the short commands
 * with --debug (for the marks), and the same without --debug for runb and
 * runc (for totals undisturbed by logging, and their ratio).
 */
async function caseFixed(fixed: FixedCosts): Promise<void> {
  log("fixed costs: hello-world, runb --version, runb --debug short commands, runb and runc totals");
  const runb = runtimes.find((r) => r.name === "runb");
  const runc = runtimes.find((r) => r.name === "runc");
  if (!runb) return;
  const h = helloBinary();
  fixed.helloFlags = h.flags;
  const hello: { lineMs: number; exitMs: number }[] = [];
  const version: { lineMs: number; exitMs: number }[] = [];
  const per = <T>() => Object.fromEntries(SHORT_COMMANDS.map((c) => [c, []])) as unknown as Record<ShortCommand, T[]>;
  const debug = per<FixedSample>();
  const total = per<number>();
  const runcTotal = per<number>();
  for (let i = 0; i < opts.n; i++) {
    hello.push(await lineAndExit([h.bin], /^hello$/));
    version.push(await lineAndExit([runb.bin, "--version"], /^runb version /));
    const d = await shortCommands(runb, `runb-fixed-debug-${i}`, fixedTimed(runb));
    const p = await shortCommands(runb, `runb-fixed-${i}`, plainTimed(runb, `runb-fixed-${i}`));
    const c = runc ? await shortCommands(runc, `runc-fixed-${i}`, plainTimed(runc, `runc-fixed-${i}`)) : undefined;
    for (const cmd of SHORT_COMMANDS) {
      debug[cmd].push(d[cmd]);
      total[cmd].push(p[cmd]);
      if (c) runcTotal[cmd].push(c[cmd]);
    }
  }
  const both = (xs: { lineMs: number; exitMs: number }[]) => ({ lineMs: summarize(field(xs, "lineMs")), exitMs: summarize(field(xs, "exitMs")) });
  fixed.hello = both(hello);
  fixed.version = both(version);
  fixed.versionOverHello = {
    lineMs: pairedDiff(field(version, "lineMs"), field(hello, "lineMs")),
    exitMs: pairedDiff(field(version, "exitMs"), field(hello, "exitMs")),
  };
  for (const cmd of SHORT_COMMANDS) fixed.commands[cmd] = fixedCommand(debug[cmd], total[cmd], runc ? runcTotal[cmd] : undefined, hello);
}

interface Profile {
  harnessFloorMs?: Summary;
  bunHelloMs?: Summary;
  bunHelloRssMb?: Summary;
  runbVersionMs?: Summary;
  runbRunMs?: Summary;
  debugRun?: { totalMs: number; lines: { ms: number; msg: string }[] };
  pageTouch?: PageTouchCost;
  pageTouchError?: string;
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
  const hello = helloBinary().bin;
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
  try {
    profile.pageTouch = pageTouchCost(join(repo, "bench", "page-touch.c"), work, join(repo, "dist", "runb"), opts.n);
  } catch (e) {
    profile.pageTouchError = errMsg(e);
  }

  const runb = runtimes.find((r) => r.name === "runb");
  if (!runb) return;
  const runs: NonNullable<Profile["debugRun"]>[] = [];
  for (let i = 0; i < 5; i++) {
    const id = `runb-profile-${i}`;
    const b = harness.bundle(id, ["/bin/true"]);
    harness.track(runb, id);
    try {
      runs.push(await debugCall(runb, ["run", "--bundle", b, id]));
    } finally {
      await harness.remove(runb, id);
    }
  }
  runs.sort((a, b) => a.totalMs - b.totalMs);
  profile.debugRun = runs[Math.floor(runs.length / 2)];
}

// ---------------------------------------------------------------------------

const fmt = (s: Summary | undefined, unit: string) =>
  s ? `median ${s.median.toFixed(1)} ${unit} (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.n})` : "-";

const ms1 = (s: Summary | undefined) => (s ? s.median.toFixed(1) : "-");
const signed = (s: Summary | undefined) => (s ? `${s.median >= 0 ? "+" : ""}${s.median.toFixed(1)}` : "-");

/** The fixed-cost section: medians in ms, one line per short command. */
function fixedReport(fixed: FixedCosts): string[] {
  const out = ["fixed start-up cost: spawn until runb's \"start-up and argument parsing\" debug line arrives (wall-clock, outside):"];
  if (fixed.error) out.push(`  fixed costs failed: ${fixed.error}`);
  if (!fixed.hello) return out;
  out.push(`  compiled Bun hello-world, runb's build flags (${fixed.helloFlags?.join(" ")}):`);
  out.push(`    its line at ${ms1(fixed.hello.lineMs)} ms, exit at ${ms1(fixed.hello.exitMs)} ms`);
  out.push(
    `  runb --version: its line at ${ms1(fixed.version?.lineMs)} ms (${signed(fixed.versionOverHello?.lineMs)} over hello-world),` +
      ` exit at ${ms1(fixed.version?.exitMs)} ms (${signed(fixed.versionOverHello?.exitMs)})`,
  );
  out.push("");
  const header = ["command", "fixed", "-hello line", "-hello exit", "runb clock", "done→exit", "total --debug", "total", "runc total", "runb/runc"];
  const body = SHORT_COMMANDS.map((c) => {
    const f = fixed.commands[c];
    if (!f) return [c];
    const ratio = f.runbPerRunc === null ? "-" : `${f.runbPerRunc.toFixed(2)}x`;
    return [c, ms1(f.fixedMs), signed(f.overHelloLineMs), signed(f.overHelloExitMs), ms1(f.selfMs), ms1(f.doneToExitMs), ms1(f.debugTotalMs), ms1(f.totalMs), ms1(f.runcTotalMs), ratio];
  });
  out.push(...grid(header, body, 1).split("\n").map((l) => `  ${l}`));
  out.push(
    "  ms, medians. fixed: spawn → arrival of the start-up mark, with --debug --log-format json. -hello line / -hello exit: fixed minus",
    "  the hello-world's line arrival (like for like: both are the program's first words) / its exit (adds Bun's teardown), paired per",
    "  iteration. runb clock: the time the mark itself carries (Bun's clock starts after exec). done→exit: from the arrival of the",
    "  command's \"done\" mark to exit. total --debug: spawn → exit of that call. total, runc total: the same commands without --debug,",
    "  interleaved with it. runb/runc: ratio of those two totals.",
  );
  return out;
}

/** One line per subject: the engine heap blocks runb's commands use. */
function blocksReport(b: HeapBlocks): string[] {
  const limit = b.threshold ?? NaN;
  const out = [`engine heap blocks (16 KiB) each runb command uses; above ${WARM_UP_OPTION} (${b.threshold ?? "?"}) the engine starts a warm-up thread:`];
  if (b.error) return [...out, `  not measured: ${b.error}`];
  const cell = (c: BlocksSubject) => {
    const n = b.blocks[c];
    return n === undefined ? `${c} >${BLOCKS_SEARCH_MAX}` : `${c} ${n}${n > limit ? " (starts it)" : ""}`;
  };
  out.push(`  ${(["--version", ...SHORT_COMMANDS] as BlocksSubject[]).map(cell).join(", ")}`);
  return out;
}

async function main(): Promise<number> {
  log(`work directory ${work}${mounted ? " (tmpfs)" : ""}; ${cgroupMode}`);
  if (!subreaper) log("could not become a child subreaper; exited containers will be left as zombies of PID 1");
  await preflight();
  const profile: Profile = {};
  const fixed: FixedCosts = { commands: {} };
  const cases: Record<string, () => Promise<void>> = {
    startup: caseStartup,
    run: caseRun,
    "run-idle": caseRunIdle,
    "run-busy": caseRunBusy,
    lifecycle: caseLifecycle,
    exec: caseExec,
    many: caseMany,
    concurrent: caseConcurrent,
    rss: caseRss,
    short: caseShort,
    faults: caseFaults,
    blocks: caseBlocks,
    "podman-config": casePodmanConfig,
    mounts: caseMounts,
    fixed: async () => {
      try {
        await caseFixed(fixed);
      } catch (e) {
        if (e instanceof Aborted || harness.aborted) throw e;
        fixed.error = errMsg(e);
        log(`fixed costs: ${fixed.error}`);
      }
    },
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
  if (rows.length > 0) out.push("", table(rows, names()));
  const notes: string[] = [];
  if (opts.cases.has("run-busy")) notes.push(`(1) CPU hogs: ${cpus().length} busy shell loops (one per CPU) at normal priority, running for the whole case`);
  if (opts.cases.has("lifecycle")) notes.push("(2) wait: from `start` returning until the container's process has exited (pidfd)");
  if (opts.cases.has("rss")) notes.push("(6) peak RSS: GNU time %M, the larger of the runtime process and any child it waited for");
  if (opts.cases.has("short"))
    notes.push("(7) each sample on a fresh `sleep 1000` container: start, state, list, kill KILL while it runs, delete once it has exited");
  if (opts.cases.has("faults"))
    notes.push(`(8) minor page faults (GNU time %R), the (7) commands on a fresh container each; a compiled Bun hello-world takes ${fmt(helloFaults, "pages")}`);
  if (opts.cases.has("podman-config") && rows.some((r) => r.key.startsWith("podman-config.")))
    notes.push(`(9) the (7) commands with Podman's default seccomp profile (${PODMAN_SECCOMP}, its x86-64 rules for default capabilities) in the config`);
  if (opts.cases.has("mounts") && rows.some((r) => r.key.startsWith("mounts.")))
    notes.push(`(10) the (7) commands with ${EXTRA_MOUNTS} more tmpfs mounts in the mount namespace every runtime runs in`);
  if (notes.length > 0) out.push("", ...notes);
  const failed = failures(rows);
  if (failed.length > 0) out.push("", "failures:", ...failed.map((f) => `  ${f}`));
  if (opts.cases.has("fixed")) out.push("", ...fixedReport(fixed));
  if (heapBlocks) out.push("", ...blocksReport(heapBlocks));
  if (opts.cases.has("profile")) {
    out.push("", "where runb's time goes on `run` (measured from outside):");
    if (profile.error) out.push(`  profile failed: ${profile.error}`);
    out.push(`  spawn /bin/true from the harness:   ${fmt(profile.harnessFloorMs, "ms")}`);
    out.push(`  compiled Bun hello-world:           ${fmt(profile.bunHelloMs, "ms")}  (runb's build flags)`);
    out.push(`  compiled Bun hello-world, peak RSS: ${fmt(profile.bunHelloRssMb, "MB")}`);
    out.push(`  runb --version:                     ${fmt(profile.runbVersionMs, "ms")}`);
    out.push(`  runb run /bin/true:                 ${fmt(profile.runbRunMs, "ms")}`);
    if (profile.pageTouch) {
      out.push(`  page fault, fresh anonymous page:   ${fmt(profile.pageTouch.anonUs, "us")}  (first write; the engine's heap)`);
      out.push(`  page fault, cached file page:       ${fmt(profile.pageTouch.fileUs, "us")}  (first read, per page; the executable)`);
    } else if (profile.pageTouchError) {
      out.push(`  page fault cost not measured: ${profile.pageTouchError}`);
    }
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
        fixed,
        heapBlocks,
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
