// `exec`: a new process in a running container's namespaces and cgroups,
// through the same C stage as the container's init.
import { messageOf, RuntimeError } from "../errors.ts";
import { closeFd, sendSignal } from "../linux/ffi.ts";
import { consoleSetup } from "../process/console.ts";
import { execProcess, type ExecRequest } from "../process/exec-process.ts";
import { homeInContainer, withHome } from "../process/home.ts";
import { launchInit, passedFd } from "../process/parent.ts";
import { execPlan, SYNC_CGROUP } from "../process/plan.ts";
import { sendSeccompListener } from "../process/seccomp-listener.ts";
import { relayTerminal, type Relay } from "../process/terminal.ts";
import type { Container } from "./container.ts";
import { configOf } from "./state.ts";
import { allows } from "./status.ts";
import { compileSeccomp } from "../linux/seccomp/compile.ts";
import { forwardSignals } from "./signals.ts";
import { writePidFile } from "./create.ts";
import { primeCgroupMigration } from "../process/prime.ts";
import { checkControllers, parseSubCgroups } from "../cgroups/sub-cgroups.ts";

export interface ExecOptions extends ExecRequest {
  detach: boolean;
  pidFile: string;
  consoleSocket: string;
  preserveFds: number;
  ignorePaused: boolean;
  /** --cgroup values: sub-cgroups of the container's to run in. */
  subCgroups: string[];
}

function checkStatus(c: Container, ignorePaused: boolean): void {
  if (allows(c.status, "exec") || (c.status === "paused" && ignorePaused)) return;
  if (c.status === "paused") {
    throw new RuntimeError("INVALID_STATE", "cannot exec in a paused container (use --ignore-paused to override)");
  }
  throw new RuntimeError("CONTAINER_NOT_RUNNING", "cannot exec in a stopped container");
}

// runc's words, so that a failing join reads the same.
function joinCgroups(cgroups: Container["cgroups"], pid: number, sub: ReadonlyMap<string, string> | undefined): void {
  try {
    cgroups?.addProcess(pid, sub);
  } catch (e) {
    throw new RuntimeError("CGROUP", `error adding pid ${pid} to cgroups: failed to write ${pid}: ${messageOf(e)}`, { cause: e });
  }
}

export async function execInContainer(c: Container, opts: ExecOptions): Promise<number> {
  checkStatus(c, opts.ignorePaused);
  const cgroups = c.cgroups;
  if (opts.subCgroups.length > 0 && !cgroups) throw new RuntimeError("CGROUP", "--cgroup given, but the container has no cgroups");
  const sub = cgroups && opts.subCgroups.length > 0 ? parseSubCgroups(opts.subCgroups, cgroups.mode) : undefined;
  if (cgroups && sub) checkControllers(sub, cgroups.paths());
  if (cgroups) await primeCgroupMigration();
  const config = configOf(c.state);
  const asked = execProcess(config.process ?? { cwd: "/" }, opts);
  const proc = withHome(asked, () => homeInContainer(c.state.pid, asked.user?.uid ?? 0));
  const console = consoleSetup(proc, opts.consoleSocket, opts.detach, passedFd(opts.preserveFds, 0));
  let relay: Relay | undefined;
  const steps = execPlan(config, proc, {
    initPid: c.state.pid,
    foreground: !opts.detach,
    id: c.state.id,
    terminal: console.plan,
    // An exec'd process is held to the container's filter, as in runc.
    seccomp: config.linux?.seccomp ? compileSeccomp(config.linux.seccomp) : undefined,
  });
  let launched;
  try {
    launched = await launchInit(
      steps,
      {
        onSync(tag, { pid }) {
          if (tag === SYNC_CGROUP && pid !== undefined) joinCgroups(cgroups, pid, sub);
        },
        onSeccompListener(fd, pid) {
          sendSeccompListener(config.linux?.seccomp, fd, pid ?? 0, {
            ociVersion: config.ociVersion, id: c.state.id, status: "running", pid: c.state.pid, bundle: c.state.bundle, annotations: config.annotations,
          });
        },
        onTerminal(fd) {
          relay = relayTerminal(fd);
        },
      },
      { preserveFds: opts.preserveFds, passFds: console.socketFd === undefined ? [] : [console.socketFd] },
    );
  } finally {
    if (console.socketFd !== undefined) closeFd(console.socketFd);
  }
  if (opts.pidFile) writePidFile(opts.pidFile, launched.pid);
  if (opts.detach) {
    await launched.stub.exited;
    return 0;
  }
  const stopForwarding = forwardSignals((sig) => void sendSignal(launched.pid, sig));
  const status = await launched.stub.exited;
  stopForwarding();
  relay?.stop();
  return status;
}
