// `create`: from a bundle to a container process blocked before exec, in
// its namespaces and cgroups with its rootfs pivoted. What is about to be
// made is recorded first, so a create killed half-way can be undone by
// `delete --force`; a create that fails undoes itself.
import { resolve } from "../linux/paths.ts";
import type { Subprocess } from "bun";
import { RuntimeError } from "../errors.ts";
import { loadConfig } from "../../spec/load.ts";
import type { Mount, Spec } from "../../spec/types.ts";
import { createCgroupManager, detectLayout, type CgroupManager } from "../cgroups/index.ts";
import { primeCgroupMigration } from "../process/prime.ts";
import { processStartTime } from "../linux/procfs.ts";
import { consoleSetup } from "../process/console.ts";
import { listenFdCount, withListenEnv } from "../process/listen-fds.ts";
import { specWithHome } from "../process/home.ts";
import { launchInit, passedFd } from "../process/parent.ts";
import { sendSeccompListener } from "../process/seccomp-listener.ts";
import { relayTerminal, type Relay } from "../process/terminal.ts";
import { changeMode, changeOwner, cloneMountTree, closeFd, mkfifo, openFile, pathExists, pathStat, readTextFile, renamePath } from "../linux/ffi.ts";
import { removeTree, writeTextFile } from "../linux/files.ts";
import { bundleFiles } from "./bundle-files.ts";
import { initPlan, SYNC_CGROUP, SYNC_HOOKS, SYNC_NAMESPACES } from "../process/plan.ts";
import { runCreateHooks } from "./create-hooks.ts";
import { writeNamespaceSettings, writeOomScoreAdj } from "../process/outside.ts";
import { cgroupView } from "./cgroup-mounts.ts";
import { validateId } from "./id.ts";
import { compileSeccomp } from "../linux/seccomp/compile.ts";
import { mark } from "../timing.ts";
import { applyResources, joinCgroups, makeCgroups } from "./resources.ts";
import { destroyContainer, destroyRemains } from "./destroy.ts";
import { checkExistingCgroup } from "./existing-cgroup.ts";
import { claimContainerDir, containerDir, EXEC_FIFO, initRecordOf, isAbandoned, loadRemains, saveState, withConfig, type SavedState } from "./state.ts";
import { writeStateFile } from "./state-file.ts";
import { INIT_FILE } from "./init-record.ts";
import { fsErrorText } from "../linux/errno.ts";
import { log } from "../log.ts";

export interface CreateOptions {
  root: string;
  id: string;
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  noPivot: boolean;
  noNewKeyring: boolean;
  preserveFds: number;
  systemdCgroup: boolean;
  /** Rootless (decided as runc does): cgroups where permitted, no device rules, the user's systemd. */
  rootless: boolean;
  /** The uid the host sees for the runtime, for the bus login. */
  busUid: number;
  /** `run` in the foreground keeps the init stage's parent to report the exit. */
  foreground: boolean;
}

export interface Created {
  state: SavedState;
  /** The container's cgroups, as state.cgroup records them. */
  cgroups: CgroupManager | undefined;
  stub: Subprocess;
  /** The terminal relay, when the runtime itself holds the container's pty. */
  relay?: Relay;
}

function rootfsOf(bundle: string, spec: Spec): string {
  const path = spec.root?.path;
  if (!path) throw new RuntimeError("INVALID_CONFIG", "root.path must be set");
  const rootfs = resolve(bundle, path);
  let isDir = false;
  try {
    isDir = pathStat(rootfs).kind === "dir";
  } catch (e) {
    throw new RuntimeError("INVALID_CONFIG", `invalid rootfs: stat ${rootfs}: no such file or directory`, { cause: e });
  }
  if (!isDir) throw new RuntimeError("INVALID_CONFIG", `invalid rootfs: ${rootfs}: not a directory`);
  return rootfs;
}

/** The fifo the container's process opens to wait for `start`: writable
 * by the container's root, also inside a user namespace. */
// An O_PATH descriptor names the fifo without opening it (which would block).
const O_PATH = 0o10000000;
const O_RDONLY = 0;
const O_DIRECTORY = 0o200000;
const O_NOFOLLOW = 0o400000;

/**
 * In a user namespace the container's root may not be able to reach a bind
 * source on the host (a private directory on the way): the runtime makes a
 * detached copy of each (open_tree) and the stage attaches it. Appends
 * the fds to `passFds`; `stageFd` says where the stage finds passFds[i].
 */
function openBindSources(spec: Spec, passFds: number[], stageFd: (i: number) => number) {
  const paths = new Map<Mount, number>();
  const fds: number[] = [];
  const stageFds: number[] = [];
  if (!spec.linux?.namespaces?.some((n) => n.type === "user")) return { paths, fds, stageFds };
  for (const m of spec.mounts ?? []) {
    const bind = m.type === "bind" || (m.options ?? []).some((o) => o === "bind" || o === "rbind");
    if (!bind || !m.source) continue;
    let fd: number;
    try {
      fd = cloneMountTree(m.source, (m.options ?? []).includes("rbind"));
    } catch {
      continue; // a missing source is named by the plan; without open_tree, the path is used
    }
    fds.push(fd);
    passFds.push(fd);
    const at = stageFd(passFds.length - 1);
    stageFds.push(at);
    paths.set(m, at);
  }
  return { paths, fds, stageFds };
}

/** The container's cgroup v2 directory, for its process to be born in. */
function openBirthCgroup(cgroups: CgroupManager | undefined): number | undefined {
  const dir = cgroups?.birthDir?.();
  if (dir === undefined) return undefined;
  try {
    return openFile(dir, O_RDONLY | O_DIRECTORY);
  } catch {
    return undefined; // joined through cgroup.procs after the fork instead
  }
}

function makeExecFifo(path: string, spec: Spec): void {
  mkfifo(path, 0o622);
  changeMode(path, 0o622); // mkfifo honours our umask
  const uid = hostIdOf(spec.linux?.uidMappings);
  const gid = hostIdOf(spec.linux?.gidMappings);
  if (uid !== 0 || gid !== 0) changeOwner(path, uid, gid);
}

function hostIdOf(maps: readonly { containerID: number; hostID: number; size: number }[] | undefined): number {
  const m = maps?.find((x) => x.containerID === 0);
  return m ? m.hostID : 0;
}

/** The pid file holds bare digits, no newline: containerd parses it as is. */
export function writePidFile(path: string, pid: number): void {
  const target = resolve(path);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeTextFile(tmp, String(pid), 0o666);
    renamePath(tmp, target);
  } catch (e) {
    removeTree(tmp);
    throw new RuntimeError("SYSCALL", `pid file: ${fsErrorText("write", target, e)}`, { cause: e });
  }
}

/**
 * init.json alone, with the pid just learnt: it is what `delete --force`
 * reads first, and what loading the state takes over state.json, which the
 * next full save brings up to date.
 */
function recordInit(root: string, state: SavedState): void {
  writeStateFile(containerDir(root, state.id), INIT_FILE, JSON.stringify(initRecordOf(state)));
}

/** Claims the id; a directory left by a create that died is cleaned up and taken over. */
async function claim(root: string, state: SavedState): Promise<string> {
  try {
    return claimContainerDir(root, state);
  } catch (e) {
    if (!(e instanceof RuntimeError) || e.code !== "CONTAINER_EXISTS") throw e;
    const record = loadRemains(root, state.id);
    if (record === undefined || !isAbandoned(record)) throw e;
    log.debug(`container ${state.id}: taking over what an abandoned create left`);
    await destroyRemains(root, state.id, record);
    return claimContainerDir(root, state);
  }
}

/**
 * Whether the container's process will be moved into a cgroup by a write
 * to cgroup.procs, which waits for the kernel's migration lock; one born
 * in its only cgroup (pure v2, clone3 into it) never takes that lock.
 */
function joinsByWrite(cgroups: CgroupManager | undefined, birthFd: number | undefined): boolean {
  if (cgroups === undefined) return false;
  return cgroups.mode !== "v2" || birthFd === undefined || cgroups.startsOnJoin;
}

/**
 * Whether the cgroups are made as the process joins them rather than
 * before the stage starts: where the join is by writes to cgroup.procs
 * (v1 controllers, or a user namespace) into directories of a cgroupfs
 * manager, so that the migration lock's wait can start first. Not
 * rootless, where a cgroup that cannot be made changes what the
 * container is shown.
 */
function makesAtJoin(cgroups: CgroupManager, userns: boolean, rootless: boolean): boolean {
  return !rootless && !cgroups.startsOnJoin && (cgroups.mode !== "v2" || userns);
}

// runc reports an init that the OOM killer took as such, whatever the
// failure it caused looked like.
function oomKills(cgroups: CgroupManager | undefined): number {
  try {
    return cgroups?.oomKillCount() ?? 0;
  } catch {
    return 0;
  }
}

export async function createContainer(opts: CreateOptions): Promise<Created> {
  const id = validateId(opts.id);
  const bundle = resolve(opts.bundle);
  // Read once for the manager and for the migration lock's early start;
  // /proc/self/cgroup before that start, as reading it takes the cgroup
  // mutex the lock's first writer holds through its wait.
  const mountinfo = readTextFile("/proc/self/mountinfo");
  const selfCgroup = readTextFile("/proc/self/cgroup");
  // With v1 controllers a cgroupfs container joins by writes whatever its
  // config: the wait starts before the config is even read.
  const primed = !opts.systemdCgroup && !opts.rootless && detectLayout(mountinfo).mode !== "v2";
  if (primed) await primeCgroupMigration(mountinfo, selfCgroup);
  const spec = loadConfig(bundle, bundleFiles);
  const rootfs = rootfsOf(bundle, spec);
  mark("config loaded and validated");
  // Compiled before anything is made: a bad profile leaves nothing to undo.
  const seccomp = spec.linux?.seccomp ? compileSeccomp(spec.linux.seccomp) : undefined;
  const listenFds = listenFdCount();
  if (spec.process) spec.process = withListenEnv(spec.process, listenFds);
  const extraFds = listenFds + opts.preserveFds;
  const state: SavedState = {
    id,
    pid: 0,
    startTime: "",
    bundle,
    rootfs,
    created: "",
    creating: true,
    creator: { pid: process.pid, startTime: processStartTime(process.pid) ?? "" },
    owner: "",
    systemdCgroup: opts.systemdCgroup,
    cgroup: null,
    ...withConfig(spec),
  };
  const dir = await claim(opts.root, state);
  const userns = spec.linux?.namespaces?.some((n) => n.type === "user") === true;
  let cgroups: CgroupManager | undefined;
  let relay: Relay | undefined;
  let consoleFd: number | undefined;
  let execFifoFd: number | undefined;
  let cgroupFd: number | undefined;
  let sourceFds: number[] = [];
  try {
    // Checked before it is ours to clean up: a refused cgroup stays as it was.
    cgroups = checkExistingCgroup(
      createCgroupManager({
        cgroupsPath: spec.linux?.cgroupsPath,
        containerId: id,
        systemd: opts.systemdCgroup,
        rootless: opts.rootless,
        busUid: opts.busUid,
        mountinfo,
        selfCgroup,
      }),
    );
    // Recorded before they are made, so that `delete --force` finds them
    // even if this process is killed half-way.
    state.cgroup = { ...cgroups.saved(), created: Object.values(cgroups.paths()).filter((p) => !pathExists(p)) };
    saveState(opts.root, state);
    // Saved again only when what was made differs from what was foreseen
    // (a parent made too, a directory someone else made meanwhile).
    const foreseen = JSON.stringify(state.cgroup);
    const planned = cgroups;
    const make = (): CgroupManager | undefined => {
      const made = makeCgroups(planned, spec, opts.rootless);
      if (made?.startsOnJoin === false) applyResources(made, spec, opts.rootless);
      state.cgroup = made?.saved() ?? null;
      if (JSON.stringify(state.cgroup) !== foreseen) saveState(opts.root, state);
      return made;
    };
    const late = makesAtJoin(planned, userns, opts.rootless);
    if (late) {
      // The kernel holds its cgroup mutex, which mkdir needs too, through
      // the lock's wait: the directories are made at the join, after it.
      if (!primed) await primeCgroupMigration(mountinfo, selfCgroup);
    } else {
      cgroups = make();
      // In a user namespace the stage may not write the cgroup it would be born in.
      cgroupFd = userns ? undefined : openBirthCgroup(cgroups);
      // After the mkdirs, for the same reason.
      if (!primed && joinsByWrite(cgroups, cgroupFd)) await primeCgroupMigration(mountinfo, selfCgroup);
    }
    makeExecFifo(`${dir}/${EXEC_FIFO}`, spec);
    mark("cgroups created");
    const view = cgroupView(cgroups, mountinfo, selfCgroup);
    const rootless = opts.rootless;
    execFifoFd = openFile(`${dir}/${EXEC_FIFO}`, O_PATH | O_NOFOLLOW);
    const console = consoleSetup(spec.process ?? { cwd: "/" }, opts.consoleSocket ?? "", !opts.foreground, passedFd(extraFds, 1));
    consoleFd = console.socketFd;
    const passFds = [execFifoFd, ...(consoleFd === undefined ? [] : [consoleFd]), ...(cgroupFd === undefined ? [] : [cgroupFd])];
    const binds = openBindSources(spec, passFds, (i) => passedFd(extraFds, i));
    sourceFds = binds.fds;
    // HOME only for the process: the saved config stays as given, so that
    // `exec --user` later gets the home of its own user.
    const steps = initPlan(specWithHome(spec, rootfs), {
      rootfs,
      execFifoFd: passedFd(extraFds, 0),
      foreground: opts.foreground,
      noPivot: opts.noPivot,
      noNewKeyring: opts.noNewKeyring,
      id,
      cgroups: view.sources,
      cgroupLinks: view.links,
      terminal: console.plan,
      seccomp,
      cgroupFd: cgroupFd === undefined ? undefined : passedFd(extraFds, passFds.length - 1 - binds.fds.length),
      bindSources: binds.paths,
      transientFds: binds.stageFds,
    });
    mark("init plan built");
    let manager = cgroups;
    const oomBefore = oomKills(manager);
    const launched = await launchInit(
      steps,
      {
        onPid(pid) {
          state.pid = pid;
          state.startTime = processStartTime(pid) ?? "";
          recordInit(opts.root, state);
        },
        onSync(tag, { pid, stubPid, bornInCgroup }) {
          if (tag === SYNC_NAMESPACES) writeNamespaceSettings(spec, stubPid);
          if (tag === SYNC_HOOKS && pid !== undefined) runCreateHooks({ id, bundle, spec, pid }, rootfs);
          if (tag === SYNC_CGROUP && pid !== undefined) {
            if (late) cgroups = manager = make();
            joinCgroups(manager, pid, spec, rootless, { bornInUnified: bornInCgroup });
            state.cgroup = manager?.saved() ?? null;
            writeOomScoreAdj(pid, spec.process?.oomScoreAdj);
          }
        },
        onSeccompListener(fd, pid) {
          sendSeccompListener(spec.linux?.seccomp, fd, pid ?? 0, {
            ociVersion: spec.ociVersion, id, status: "creating", pid, bundle, annotations: spec.annotations,
          });
        },
        onTerminal(fd) {
          relay = relayTerminal(fd);
        },
      },
      { preserveFds: extraFds, passFds },
    ).catch((e: unknown) => {
      if (oomKills(manager) <= oomBefore) throw e;
      throw new RuntimeError("CGROUP", "container init was OOM-killed (memory limit too low?)", { cause: e });
    });
    mark("container process ready");
    state.startTime = processStartTime(launched.pid) ?? "";
    state.created = new Date().toISOString();
    state.creating = false;
    saveState(opts.root, state);
    if (opts.pidFile) writePidFile(opts.pidFile, launched.pid);
    return { state, cgroups, stub: launched.stub, relay };
  } catch (e) {
    relay?.stop();
    await destroyContainer(opts.root, state, cgroups, true);
    throw e;
  } finally {
    if (consoleFd !== undefined) closeFd(consoleFd);
    if (execFifoFd !== undefined) closeFd(execFifoFd);
    if (cgroupFd !== undefined) closeFd(cgroupFd);
    for (const fd of sourceFds) closeFd(fd);
  }
}
