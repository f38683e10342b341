// Every command, loaded only when it runs: start-up then costs what the
// one command needs, not what all of them import (the config validator,
// the cgroup code, the seccomp compiler ...).
import type { Command } from "./command.ts";

interface Entry {
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Record<string, Entry> = {
  create: { summary: "create a container", load: async () => (await import("./create.ts")).create },
  delete: { summary: "delete any resources held by the container often used with detached container", load: async () => (await import("./delete.ts")).del },
  events: { summary: "display container events such as OOM notifications, cpu, memory, and IO usage statistics", load: async () => (await import("./events.ts")).events },
  exec: { summary: "execute new process inside the container", load: async () => (await import("./exec.ts")).exec },
  features: { summary: "show the enabled features", load: async () => (await import("./features.ts")).features },
  kill: { summary: "kill sends the specified signal (default: SIGTERM) to the container's init process", load: async () => (await import("./kill.ts")).kill },
  list: { summary: "lists containers started by runb with the given root", load: async () => (await import("./list.ts")).list },
  pause: { summary: "pause suspends all processes inside the container", load: async () => (await import("./pause.ts")).pause },
  ps: { summary: "ps displays the processes running inside a container", load: async () => (await import("./ps.ts")).ps },
  resume: { summary: "resumes all processes that have been previously paused", load: async () => (await import("./resume.ts")).resume },
  run: { summary: "create and run a container", load: async () => (await import("./run.ts")).run },
  spec: { summary: "create a new specification file", load: async () => (await import("./spec.ts")).spec },
  start: { summary: "executes the user defined process in a created container", load: async () => (await import("./start.ts")).start },
  state: { summary: "output the state of a container", load: async () => (await import("./state.ts")).state },
  update: { summary: "update container resource constraints", load: async () => (await import("./update.ts")).update },
};
