// Where a command's time goes, logged with --debug: each mark says how far
// into the process (Bun's own start-up included) a phase ended.
import { log } from "./log.ts";

let last = 0;

export function mark(phase: string): void {
  const now = performance.now();
  log.debug(`timing: ${phase} at ${now.toFixed(1)} ms (+${(now - last).toFixed(1)} ms)`);
  last = now;
}
