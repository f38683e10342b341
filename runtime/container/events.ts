// `events`: the container's stats every interval and an event for each OOM
// kill, one JSON document per line (runc's format), until the container
// stops. OOM kills are found by polling the cgroup's kill counter.
import { RuntimeError } from "../errors.ts";
import { statsDocument, toJson, type CgroupManager } from "../cgroups/index.ts";
import { isAlive } from "../linux/procfs.ts";
import { log } from "../log.ts";
import type { Container } from "./container.ts";

/** How often the OOM counter is looked at; stats come at their own interval. */
const OOM_POLL_MS = 100;

export interface EventsOptions {
  intervalMs: number;
  write(line: string): void;
}

function cgroupsOf(c: Container): CgroupManager {
  if (c.cgroups === undefined) throw new RuntimeError("CGROUP", "cannot read events: cgroups not configured for container");
  return c.cgroups;
}

function checkRunning(c: Container): void {
  if (c.status === "stopped") throw new RuntimeError("CONTAINER_NOT_RUNNING", `container with id ${c.state.id} is not running`);
}

export function statsEvent(c: Container): string {
  return toJson({ type: "stats", id: c.state.id, data: statsDocument(cgroupsOf(c).stats()) });
}

export function oomEvent(id: string): string {
  return toJson({ type: "oom", id });
}

/** `events --stats`: one stats event. */
export function oneStatsEvent(c: Container): string {
  checkRunning(c);
  return statsEvent(c);
}

const running = (c: Container, cgroups: CgroupManager) => isAlive(c.state.pid, c.state.startTime) && cgroups.exists();

/** Writes events until the container stops. */
export async function streamEvents(c: Container, opts: EventsOptions): Promise<void> {
  checkRunning(c);
  const cgroups = cgroupsOf(c);
  let kills = cgroups.oomKillCount() ?? 0;
  let nextStats = Date.now() + opts.intervalMs;
  for (;;) {
    // The counter is read before the liveness check, so the kill that
    // stopped the container is still reported.
    const now = cgroups.oomKillCount();
    if (now !== undefined && now > kills) opts.write(oomEvent(c.state.id));
    kills = Math.max(kills, now ?? 0);
    if (!running(c, cgroups)) return;
    if (Date.now() >= nextStats) {
      try {
        opts.write(statsEvent(c));
      } catch (err) {
        log.error(`reading stats: ${(err as Error).message}`);
      }
      nextStats += opts.intervalMs;
    }
    await Bun.sleep(Math.max(1, Math.min(OOM_POLL_MS, nextStats - Date.now())));
  }
}
