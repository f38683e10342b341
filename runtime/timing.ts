// Where a command's time goes, logged with --debug: each mark says how far
// into the process (Bun's own start-up included) a phase ended, and how
// many page faults the phase took: on machines whose page faults are dear
// (a virtual machine's shadow page tables), faults are most of a phase's
// cost, and they show where memory is first touched.
import { debugging, log } from "./log.ts";

let last = 0;
let lastFaults = 0;

export function mark(phase: string): void {
  if (!debugging()) return;
  const now = performance.now();
  const faults = process.resourceUsage().minorPageFault;
  log.debug(`timing: ${phase} at ${now.toFixed(1)} ms (+${(now - last).toFixed(1)} ms, ${faults - lastFaults} faults)`);
  last = now;
  lastFaults = faults;
}
