// Every command, loaded only when it runs: start-up then costs what the
// one command needs, not what all of them import (the config validator,
// the cgroup code, the seccomp compiler ...). A switch rather than a table
// of loaders: a table would cost every command's start-up an object and a
// closure per entry, before it even knows which one it runs.
import type { Command } from "./command.ts";

/** The command a name stands for; undefined for a name that is none. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  switch (name) {
    case "create":
      return (await import("./create.ts")).create;
    case "delete":
      return (await import("./delete.ts")).del;
    case "events":
      return (await import("./events.ts")).events;
    case "exec":
      return (await import("./exec.ts")).exec;
    case "features":
      return (await import("./features.ts")).features;
    case "kill":
      return (await import("./kill.ts")).kill;
    case "list":
      return (await import("./list.ts")).list;
    case "pause":
      return (await import("./pause.ts")).pause;
    case "ps":
      return (await import("./ps.ts")).ps;
    case "resume":
      return (await import("./resume.ts")).resume;
    case "run":
      return (await import("./run.ts")).run;
    case "spec":
      return (await import("./spec.ts")).spec;
    case "start":
      return (await import("./start.ts")).start;
    case "state":
      return (await import("./state.ts")).state;
    case "update":
      return (await import("./update.ts")).update;
    default:
      return undefined;
  }
}

/** Each command's one-line summary, in the order help lists them. */
export function commandSummaries(): Record<string, string> {
  return {
    create: "create a container",
    delete: "delete any resources held by the container often used with detached container",
    events: "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
    exec: "execute new process inside the container",
    features: "show the enabled features",
    kill: "kill sends the specified signal (default: SIGTERM) to the container's init process",
    list: "lists containers started by runb with the given root",
    pause: "pause suspends all processes inside the container",
    ps: "ps displays the processes running inside a container",
    resume: "resumes all processes that have been previously paused",
    run: "create and run a container",
    spec: "create a new specification file",
    start: "executes the user defined process in a created container",
    state: "output the state of a container",
    update: "update container resource constraints",
  };
}
