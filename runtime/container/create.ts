// `create`: from a bundle to a container process blocked before exec, in
// its namespaces and cgroups with its rootfs pivoted. What is about to be
// made is recorded first, so a create killed half-way can be undone by
// `delete --force`; a create that fails undoes itself.
import { chmodSync, chownSync, closeSync, constants, existsSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { RuntimeError } from "../errors.ts";
import { loadConfig } from "../../spec/load.ts";
import type { Spec } from "../../spec/types.ts";
import { createCgroupManager, type CgroupManager } from "../cgroups/index.ts";
import { primeCgroupMigration } from "../cgroups/prime.ts";
import { processStartTime } from "../linux/procfs.ts";
import { consoleSetup } from "../process/console.ts";
import { listenFdCount, withListenEnv } from "../process/listen-fds.ts";
import { launchInit, passedFd } from "../process/parent.ts";
import { relayTerminal, type Relay } from "../process/terminal.ts";
import { closeFd, mkfifo } from "../linux/ffi.ts";
import { initPlan, SYNC_CGROUP, SYNC_HOOKS, SYNC_NAMESPACES } from "../process/plan.ts";
import { runCreateHooks } from "./hooks.ts";
import { runPhase } from "../../hooks/lifecycle.ts";
import { writeNamespaceSettings, writeOomScoreAdj } from "../process/outside.ts";
import { cgroupView } from "./cgroup-mounts.ts";
import { validateId } from "./id.ts";
import { compileSeccomp } from "../linux/seccomp/compile.ts";
import { mark } from "../timing.ts";
import { applyResources, joinCgroups, makeCgroups } from "./resources.ts";
import { destroyContainer } from "./destroy.ts";
import { claimContainerDir, EXEC_FIFO, saveState, type SavedState } from "./state.ts";

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
    isDir = statSync(rootfs).isDirectory();
  } catch (e) {
    throw new RuntimeError("INVALID_CONFIG", `invalid rootfs: stat ${rootfs}: no such file or directory`, { cause: e });
  }
  if (!isDir) throw new RuntimeError("INVALID_CONFIG", `invalid rootfs: ${rootfs}: not a directory`);
  return rootfs;
}

/** The fifo the container's process opens to wait for `start`: writable
 * by the container's root, also inside a user namespace. */
function makeExecFifo(path: string, spec: Spec): void {
  mkfifo(path, 0o622);
  chmodSync(path, 0o622); // mkfifo honours our umask
  const uid = hostIdOf(spec.linux?.uidMappings);
  const gid = hostIdOf(spec.linux?.gidMappings);
  if (uid !== 0 || gid !== 0) chownSync(path, uid, gid);
}

function hostIdOf(maps: readonly { containerID: number; hostID: number; size: number }[] | undefined): number {
  const m = maps?.find((x) => x.containerID === 0);
  return m ? m.hostID : 0;
}

/** The pid file holds bare digits, no newline: containerd parses it as is. */
export function writePidFile(path: string, pid: number): void {
  const target = resolve(path);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, String(pid));
  renameSync(tmp, target);
}

export async function createContainer(opts: CreateOptions): Promise<Created> {
  const id = validateId(opts.id);
  const bundle = resolve(opts.bundle);
  const spec = loadConfig(bundle);
  const rootfs = rootfsOf(bundle, spec);
  mark("config loaded and validated");
  // Compiled before anything is made: a bad profile leaves nothing to undo.
  const seccomp = spec.linux?.seccomp ? compileSeccomp(spec.linux.seccomp) : undefined;
  const listenFds = listenFdCount();
  if (spec.process) spec.process = withListenEnv(spec.process, listenFds);
  const extraFds = listenFds + opts.preserveFds;
  const dir = claimContainerDir(opts.root, id);
  const state: SavedState = {
    id,
    pid: 0,
    startTime: "",
    bundle,
    rootfs,
    created: "",
    creating: true,
    owner: "",
    systemdCgroup: opts.systemdCgroup,
    cgroup: null,
    config: spec,
  };
  let cgroups: CgroupManager | undefined;
  let relay: Relay | undefined;
  let consoleFd: number | undefined;
  let stateDirFd: number | undefined;
  try {
    // Read once for the manager and for the migration lock's early start.
    const mountinfo = readFileSync("/proc/self/mountinfo", "utf8");
    const selfCgroup = readFileSync("/proc/self/cgroup", "utf8");
    cgroups = createCgroupManager({
      cgroupsPath: spec.linux?.cgroupsPath,
      containerId: id,
      systemd: opts.systemdCgroup,
      rootless: opts.rootless,
      busUid: opts.busUid,
      mountinfo,
      selfCgroup,
    });
    // Recorded before they are made, so that `delete --force` finds them
    // even if this process is killed half-way.
    state.cgroup = { ...cgroups.saved(), created: Object.values(cgroups.paths()).filter((p) => !existsSync(p)) };
    saveState(opts.root, state);
    cgroups = makeCgroups(cgroups, spec, opts.rootless);
    primeCgroupMigration(mountinfo, selfCgroup);
    if (cgroups?.startsOnJoin === false) applyResources(cgroups, spec, opts.rootless);
    state.cgroup = cgroups?.saved() ?? null;
    saveState(opts.root, state);
    makeExecFifo(`${dir}/${EXEC_FIFO}`, spec);
    mark("cgroups created");
    const view = cgroupView(cgroups);
    const rootless = opts.rootless;
    stateDirFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    const console = consoleSetup(spec.process ?? { cwd: "/" }, opts.consoleSocket ?? "", !opts.foreground, passedFd(extraFds, 1));
    consoleFd = console.socketFd;
    const steps = initPlan(spec, {
      rootfs,
      stateDirFd: passedFd(extraFds, 0),
      foreground: opts.foreground,
      noPivot: opts.noPivot,
      noNewKeyring: opts.noNewKeyring,
      id,
      cgroups: view.sources,
      cgroupLinks: view.links,
      terminal: console.plan,
      seccomp,
    });
    mark("init plan built");
    const manager = cgroups;
    const launched = await launchInit(
      steps,
      {
        onPid(pid) {
          state.pid = pid;
          saveState(opts.root, state);
        },
        onSync(tag, { pid, stubPid }) {
          if (tag === SYNC_NAMESPACES) writeNamespaceSettings(spec, stubPid);
          if (tag === SYNC_HOOKS && pid !== undefined) runCreateHooks({ id, bundle, spec, pid }, rootfs);
          if (tag === SYNC_CGROUP && pid !== undefined) {
            joinCgroups(manager, pid, spec, rootless);
            state.cgroup = manager?.saved() ?? null;
            writeOomScoreAdj(pid, spec.process?.oomScoreAdj);
          }
        },
        onTerminal(fd) {
          relay = relayTerminal(fd);
        },
      },
      { preserveFds: extraFds, passFds: consoleFd === undefined ? [stateDirFd] : [stateDirFd, consoleFd] },
    );
    mark("container process ready");
    state.startTime = processStartTime(launched.pid) ?? "";
    state.created = new Date().toISOString();
    state.creating = false;
    saveState(opts.root, state);
    if (opts.pidFile) writePidFile(opts.pidFile, launched.pid);
    // runc runs poststart at the end of create; a failure undoes the create.
    runPhase("poststart", { id, bundle, spec, pid: launched.pid });
    return { state, stub: launched.stub, relay };
  } catch (e) {
    relay?.stop();
    destroyContainer(opts.root, state, cgroups, true);
    throw e;
  } finally {
    if (consoleFd !== undefined) closeFd(consoleFd);
    if (stateDirFd !== undefined) closeSync(stateDirFd);
  }
}
