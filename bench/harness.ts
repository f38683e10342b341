// Running runtimes and keeping track of what they create, so that every
// container, state directory, cgroup and bundle the benchmark made is
// removed again — at the end, on an error, or on Ctrl-C.

import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { liveChildrenNamed, reap, waitExit, zombieChildren } from "./sys.ts";

export interface Runtime {
  name: string;
  bin: string;
  /** This runtime's own --root. */
  root: string;
  version: string;
}

export interface CallResult {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
  /** Peak RSS in KiB as GNU time reports it, when measured. */
  maxRssKb?: number;
  /** Minor page faults as GNU time reports them, measured with the RSS. */
  minorFaults?: number;
}

export interface CallOptions {
  /** Keep stdout (only for commands that leave no container holding it). */
  stdout?: boolean;
  /** Run under /usr/bin/time to get the peak RSS and the minor page faults. */
  rss?: boolean;
  timeoutMs?: number;
  /** Run even after an interrupt (the cleanup's own calls). */
  cleanup?: boolean;
  /** Called with the process's pid once it is spawned; awaited before the call returns. */
  whileRunning?: (pid: number) => Promise<void>;
  /**
   * Leave the wait for runb's exit helpers to the caller (settleAll), for
   * calls made in parallel and timed together: that wait blocks, and made
   * per call it would hold up the other calls' completions.
   */
  settleLater?: boolean;
}

/** A call whose output lines were stamped as they arrived. */
export interface StampedResult {
  /** Spawn to exit. */
  ms: number;
  code: number;
  /** Each line of the watched stream, with the time since spawn it arrived at. */
  lines: { ms: number; text: string }[];
}

export class Aborted extends Error {
  constructor() {
    super("interrupted");
  }
}

export class CallError extends Error {}

const CGROUP_FS = "/sys/fs/cgroup";
const TIME = "/usr/bin/time";
const CGROUP_MAGIC = new Set([0x27e0eb, 0x63677270]); // cgroup v1, cgroup2

export class Harness {
  readonly work: string;
  readonly rootfs: string;
  readonly cgroupPrefix: string;
  private readonly baseConfig: Record<string, unknown>;
  private seq = 0;
  /** cgroupsPath name -> container id, to say whose cgroup was left behind. */
  private readonly cgroupOwner = new Map<string, string>();
  private callSeq = 0;
  /** Container ids per runtime, from the moment a create or run is attempted. */
  private readonly containers = new Map<string, Set<string>>();
  /** Init pids of containers, reaped once they are deleted. */
  private readonly pids = new Set<number>();
  private readonly running = new Set<Bun.Subprocess>();
  /** Busy-loop processes keeping the CPUs loaded, killed by pid when done. */
  private readonly hogs = new Set<Bun.Subprocess>();
  aborted = false;

  constructor(work: string, bundle: string) {
    this.work = work;
    this.rootfs = join(bundle, "rootfs");
    this.cgroupPrefix = `runb-bench-${process.pid}-`;
    const config = JSON.parse(readFileSync(join(bundle, "config.json"), "utf8")) as Record<string, unknown>;
    // crun 1.8 accepts only 1.0.x configs ("unknown version specified");
    // nothing in this config needs a later version, so all runtimes get 1.0.2.
    config.ociVersion = "1.0.2";
    config.root = { path: this.rootfs, readonly: true };
    this.baseConfig = config;
    mkdirSync(join(work, "bundles"), { recursive: true });
    mkdirSync(join(work, "out"), { recursive: true });
  }

  /** A bundle for one container: the shared rootfs, its own cgroupsPath. */
  bundle(id: string, args: string[], seccomp?: unknown): string {
    const dir = join(this.work, "bundles", id);
    mkdirSync(dir, { recursive: true });
    const config = structuredClone(this.baseConfig) as { process: { args: string[] }; linux: { cgroupsPath?: string; seccomp?: unknown } };
    config.process.args = args;
    if (seccomp !== undefined) config.linux.seccomp = seccomp;
    const cgroup = `${this.cgroupPrefix}${this.seq++}`;
    this.cgroupOwner.set(cgroup, id);
    config.linux.cgroupsPath = `/${cgroup}`;
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    return dir;
  }

  /** Stops new calls and kills the runtime processes in flight (all started here). */
  abort(): void {
    this.aborted = true;
    for (const proc of this.running) proc.kill("SIGKILL");
  }

  /** Records a container before it is created, so cleanup finds it even half-made. */
  track(rt: Runtime, id: string): void {
    let ids = this.containers.get(rt.name);
    if (!ids) this.containers.set(rt.name, (ids = new Set()));
    ids.add(id);
  }

  trackPid(pid: number): void {
    if (pid > 0) this.pids.add(pid);
  }

  /** Runs `rt --root ROOT args...` and times it, from spawn to exit. */
  async call(rt: Runtime, args: string[], opts: CallOptions = {}): Promise<CallResult> {
    return this.spawn([rt.bin, "--root", rt.root, ...args], opts);
  }

  async spawn(argv: string[], opts: CallOptions = {}): Promise<CallResult> {
    if (this.aborted && !opts.cleanup) throw new Aborted();
    const n = this.callSeq++;
    // stderr goes to a file: a container started by the call inherits it and
    // would hold a pipe open.
    const errPath = join(this.work, "out", `err-${n % 64}`);
    const errFd = openSync(errPath, "w");
    const rssPath = join(this.work, "out", `rss-${n % 64}`);
    const cmd = opts.rss ? [TIME, "-f", "%M %R", "-o", rssPath, ...argv] : argv;
    let timedOut = false;
    try {
      const t0 = performance.now();
      const proc = Bun.spawn({
        cmd,
        cwd: this.work,
        stdin: "ignore",
        stdout: opts.stdout ? "pipe" : "ignore",
        stderr: errFd,
      });
      this.running.add(proc);
      const timer = setTimeout(() => {
        timedOut = true;
        proc.kill("SIGKILL");
      }, opts.timeoutMs ?? 60_000);
      const stdoutText = opts.stdout && proc.stdout instanceof ReadableStream ? new Response(proc.stdout).text() : Promise.resolve("");
      const during = opts.whileRunning?.(proc.pid);
      const code = await proc.exited;
      await during;
      const ms = performance.now() - t0;
      clearTimeout(timer);
      this.running.delete(proc);
      if (!opts.settleLater) await this.settle(argv);
      const result: CallResult = { ms, code, stdout: await stdoutText, stderr: readFileSync(errPath, "utf8") };
      if (opts.rss) {
        const [rss, faults] = (readFileSync(rssPath, "utf8").trim().split("\n").pop() ?? "").split(" ");
        result.maxRssKb = Number(rss);
        result.minorFaults = Number(faults);
      }
      if (timedOut) result.stderr += `\n(killed after ${opts.timeoutMs ?? 60_000} ms)`;
      return result;
    } finally {
      closeSync(errFd);
    }
  }

  /**
   * After a runb call, outside the time measured: waits for the helper
   * that frees the exited command's memory (runtime/linux/exit.ts), so that
   * this work, which the caller no longer waits for, is not done during the
   * next sample, another runtime's.
   */
  private async settle(argv: string[]): Promise<void> {
    if (argv[0]?.endsWith("/runb")) await this.settleAll();
  }

  /** The wait of settle() for every runb exit helper this harness has adopted. */
  async settleAll(): Promise<void> {
    // Only adopted ones: a runb this harness spawned itself and is still
    // running (calls in parallel) is Bun's to wait for.
    const spawned = new Set<number>();
    for (const proc of this.running) spawned.add(proc.pid);
    for (const pid of liveChildrenNamed("runb")) {
      if (spawned.has(pid)) continue;
      waitExit(pid, 2000);
      reap(pid);
    }
  }

  /**
   * Spawns argv with one stream (stdout or stderr) on a pipe and stamps each
   * line with the time since spawn at which it reached the harness: what an
   * observer outside the process sees, the same clock as spawn().
   * Only for commands that leave no process holding the pipe.
   */
  async spawnStamped(argv: string[], stream: "stdout" | "stderr", timeoutMs = 60_000): Promise<StampedResult> {
    if (this.aborted) throw new Aborted();
    const t0 = performance.now();
    const proc = Bun.spawn({
      cmd: argv,
      cwd: this.work,
      stdin: "ignore",
      stdout: stream === "stdout" ? "pipe" : "ignore",
      stderr: stream === "stderr" ? "pipe" : "ignore",
    });
    this.running.add(proc);
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    try {
      const lines: StampedResult["lines"] = [];
      const decoder = new TextDecoder();
      let buf = "";
      const pipe = stream === "stdout" ? proc.stdout : proc.stderr;
      if (!(pipe instanceof ReadableStream)) throw new Error(`no ${stream} pipe`);
      for await (const chunk of pipe) {
        const ms = performance.now() - t0;
        buf += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          lines.push({ ms, text: buf.slice(0, nl) });
          buf = buf.slice(nl + 1);
        }
      }
      const code = await proc.exited;
      const ms = performance.now() - t0;
      await this.settle(argv);
      if (buf) lines.push({ ms, text: buf });
      return { ms, code, lines };
    } finally {
      clearTimeout(timer);
      this.running.delete(proc);
    }
  }

  /**
   * Starts n processes that spin at normal priority, to measure under CPU
   * contention. Each also exits on its own once this process is gone, so a
   * benchmark killed with SIGKILL does not leave them spinning.
   */
  startHogs(n: number): void {
    const loop = 'while kill -0 "$1" 2>/dev/null; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; done';
    for (let k = 0; k < n; k++) {
      const proc = Bun.spawn({ cmd: ["sh", "-c", loop, "bench-hog", String(process.pid)], stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      this.hogs.add(proc);
    }
  }

  /** Kills the hogs by pid and waits for each to be gone. */
  async stopHogs(): Promise<void> {
    const hogs = [...this.hogs];
    for (const proc of hogs) proc.kill("SIGKILL");
    await Promise.all(hogs.map((proc) => proc.exited));
    for (const proc of hogs) this.hogs.delete(proc);
  }

  /** call(), failing on a non-zero exit with the runtime's own message. */
  async must(rt: Runtime, args: string[], opts: CallOptions = {}): Promise<CallResult> {
    const r = await this.call(rt, args, opts);
    if (r.code !== 0) {
      const msg = r.stderr.trim().split("\n").slice(-3).join(" | ");
      throw new CallError(`${rt.name} ${args.join(" ")}: exit ${r.code}${msg ? `: ${msg}` : ""}`);
    }
    return r;
  }

  /** Deletes (forcibly) one container, reaps its init, removes its bundle. */
  async remove(rt: Runtime, id: string, pid?: number): Promise<void> {
    await this.call(rt, ["delete", "--force", id], { timeoutMs: 30_000, cleanup: true });
    if (pid !== undefined) this.reapPid(pid);
    this.containers.get(rt.name)?.delete(id);
    rmSync(join(this.work, "bundles", id), { recursive: true, force: true });
  }

  reapPid(pid: number): void {
    if (reap(pid)) this.pids.delete(pid);
  }

  reapAll(): void {
    for (const pid of [...this.pids]) this.reapPid(pid);
  }

  /**
   * Removes everything the benchmark created: each runtime's containers
   * (tracked ones and any other entry of its --root), then reaps their
   * inits, kills what is still in our cgroups, and removes those cgroups.
   */
  async cleanup(runtimes: Runtime[]): Promise<string[]> {
    const problems: string[] = [];
    if (this.hogs.size > 0) problems.push(`${this.hogs.size} CPU hog processes still running, killed`);
    await this.stopHogs();
    for (const rt of runtimes) {
      const ids = new Set(this.containers.get(rt.name) ?? []);
      if (existsSync(rt.root)) for (const e of readdirSync(rt.root)) ids.add(e);
      await pool([...ids], 4, async (id) => {
        try {
          await this.remove(rt, id);
        } catch (e) {
          problems.push(`${rt.name} delete ${id}: ${(e as Error).message}`);
        }
      });
      if (existsSync(rt.root)) {
        const left = readdirSync(rt.root);
        if (left.length > 0) problems.push(`${rt.name}: ${left.length} state entries left in --root, removed`);
        rmSync(rt.root, { recursive: true, force: true });
      }
    }
    this.reapAll();
    problems.push(...(await this.sweepCgroups()));
    this.reapAll();
    // By now every process spawned here has been awaited, so a zombie child
    // left is one adopted from a runtime; reaped so that none outlives the run.
    for (const pid of zombieChildren()) reap(pid);
    return problems;
  }

  /**
   * Our cgroups in every cgroup hierarchy (the cgroupsPath prefix is unique
   * to this run). Other file systems are skipped: the tmpfs that hides
   * cgroup2 on a hybrid host, where crun still makes directories, goes away
   * with the mount namespace.
   */
  ownCgroups(): string[] {
    const found: string[] = [];
    if (!existsSync(CGROUP_FS)) return found;
    const hierarchies = [CGROUP_FS, ...readdirSync(CGROUP_FS).map((h) => join(CGROUP_FS, h))];
    for (const h of hierarchies) {
      let entries: string[];
      try {
        if (!CGROUP_MAGIC.has(statfsSync(h).type)) continue;
        entries = readdirSync(h);
      } catch {
        continue;
      }
      for (const e of entries) if (e.startsWith(this.cgroupPrefix)) found.push(join(h, e));
    }
    return found;
  }

  private async sweepCgroups(): Promise<string[]> {
    const problems: string[] = [];
    const dirs = this.ownCgroups();
    if (dirs.length > 0) {
      const owners = [...new Set(dirs.map((d) => this.cgroupOwner.get(d.slice(d.lastIndexOf("/") + 1)) ?? "?"))];
      problems.push(`${dirs.length} cgroup directories left behind (containers ${owners.slice(0, 5).join(", ")}${owners.length > 5 ? ", ..." : ""}), removed`);
    }
    let left = dirs;
    for (let attempt = 0; attempt < 50 && left.length > 0; attempt++) {
      if (attempt > 0) await Bun.sleep(20);
      // Only processes in cgroups named for this run can be in there.
      for (const dir of left)
        for (const pid of readProcs(dir)) {
          try {
            process.kill(pid, "SIGKILL");
            this.trackPid(pid);
          } catch {}
        }
      this.reapAll();
      left = left.filter((dir) => !rmdirTree(dir));
    }
    for (const dir of left) problems.push(`could not remove ${dir}`);
    return problems;
  }
}

function readProcs(dir: string): number[] {
  const pids: number[] = [];
  const walk = (d: string) => {
    try {
      for (const line of readFileSync(join(d, "cgroup.procs"), "utf8").split("\n")) if (line) pids.push(Number(line));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    } catch {}
  };
  walk(dir);
  return pids;
}

/** rmdir a cgroup and its children, deepest first. */
function rmdirTree(dir: string): boolean {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rmdirTree(join(dir, e.name));
    rmdirSync(dir);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** Runs fn over items, at most `limit` at a time. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}
