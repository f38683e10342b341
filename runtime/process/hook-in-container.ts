// startContainer hooks run inside the container, as runc runs them from
// its init: in the container's namespaces and root, with its process's
// user, capabilities, rlimits and cwd (and its seccomp filter where runc
// has it in force by then: without noNewPrivileges), but with the hook's
// own argv and env. The init stage does that setup: it gets a plan that
// joins the container and execs the hook, read from a socket filled before
// it starts, so that the hook runner can spawn it like any other command.
import type { Hook, Process, Spec } from "../../spec/types.ts";
import type { Launch } from "../../hooks/run.ts";
import { closeFd, pollReadable, recvPacketWithFd, sendPacket, seqpacketPair } from "../linux/ffi.ts";
import { compileSeccomp } from "../linux/seccomp/compile.ts";
import { execStep, processSteps } from "./credentials.ts";
import { joinContainerSteps } from "./namespace-plan.ts";
import { stepError } from "./parent.ts";
import { hasMountNamespace } from "./plan.ts";
import { decodeMessage, encodePlan, Op, planPackets, type Step } from "./protocol.ts";
import { step } from "./steps.ts";
import { stubImage, stubMemfd } from "./stub.ts";

/** The stage's program for one hook. */
export function hookPlan(spec: Spec, hook: Hook, initPid: number): Step[] {
  const proc = spec.process ?? { cwd: "/" };
  const args = hook.args && hook.args.length > 0 ? hook.args : [hook.path];
  const hookProc: Process = { ...proc, args, env: hook.env ?? [], terminal: false };
  const seccomp = spec.linux?.seccomp && !proc.noNewPrivileges ? compileSeccomp(spec.linux.seccomp) : undefined;
  return [
    ...joinContainerSteps(spec, initPid),
    // A new pid namespace takes the children of whoever joins it.
    step(Op.FORK, "fork the hook", 1, -1),
    ...(hasMountNamespace(spec) ? [] : [step(Op.CHROOT, "take the container's root", `/proc/${initPid}/root`)]),
    ...processSteps(hookProc, { noNewKeyring: true, keyringName: "", seccomp, program: hook.path }),
    execStep(hookProc),
  ];
}

/** A launcher for runHooks: each hook through the stage, inside the container. */
export async function inContainer(spec: Spec, initPid: number): Promise<(hook: Hook) => Launch> {
  const stage = await stubImage();
  return (hook) => {
    const steps = hookPlan(spec, hook, initPid);
    const [ours, theirs] = seqpacketPair();
    let memfd = -1;
    try {
      for (const packet of planPackets(encodePlan(steps))) sendPacket(ours, packet);
      memfd = stubMemfd(stage);
    } catch (e) {
      closeFd(ours);
      closeFd(theirs);
      throw e;
    }
    return {
      cmd: [`/proc/${process.pid}/fd/${memfd}`, "3"],
      argv0: "runb-init",
      fds: [theirs],
      failure() {
        // What the stage reported before the hook ran: an error, or nothing.
        while (pollReadable(ours, 0)) {
          const packet = recvPacketWithFd(ours);
          const msg = decodeMessage(packet.data, packet.fd);
          if (packet.fd >= 0) closeFd(packet.fd);
          if (msg.type === "eof") break;
          if (msg.type === "error") return stepError(steps, msg).message;
        }
        return undefined;
      },
      close() {
        closeFd(ours);
        closeFd(theirs);
        closeFd(memfd);
      },
    };
  };
}
