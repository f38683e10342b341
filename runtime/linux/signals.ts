// Signal names and numbers (x86-64), as `kill` accepts them: KILL, SIGKILL, 9.
import { RuntimeError } from "../errors.ts";
import { isDigits } from "../chars.ts";

// Signals 1 to 31 in number order: one array, where an object keyed by
// name makes the engine build a structure per name as it is filled.
const NAMES = [
  "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
  "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
  "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

function numberOf(name: string): number | undefined {
  if (name === "IOT") return 6;
  if (name === "POLL") return 29;
  const i = NAMES.indexOf(name);
  return i < 0 ? undefined : i + 1;
}

const SIGRTMIN = 34;
const SIGRTMAX = 64;

export function parseSignal(text: string): number {
  if (isDigits(text)) {
    const n = Number(text);
    // 0 sends nothing and only asks whether the process exists, as kill(2) does.
    if (n >= 0 && n <= SIGRTMAX) return n;
  } else {
    const upper = text.toUpperCase();
    const name = upper.startsWith("SIG") ? upper.slice(3) : upper;
    const n = numberOf(name);
    if (n !== undefined) return n;
    const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
    if (rt) {
      const off = Number(rt[1] ?? 0);
      const sig = name.startsWith("RTMIN") ? SIGRTMIN + off : SIGRTMAX - off;
      if (sig >= SIGRTMIN && sig <= SIGRTMAX) return sig;
    }
  }
  throw new RuntimeError("USAGE", `unknown signal "${text}"`);
}

export function signalName(n: number): string | undefined {
  const name = NAMES[n - 1];
  return name === undefined ? undefined : `SIG${name}`;
}
