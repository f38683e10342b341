// Signal names and numbers (x86-64), as `kill` accepts them: KILL, SIGKILL, 9.
import { RuntimeError } from "../errors.ts";
import { isDigits } from "../chars.ts";

const SIGNALS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9,
  USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17,
  CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25,
  VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31,
};

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
    const n = SIGNALS[name];
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
  for (const [name, num] of Object.entries(SIGNALS)) if (num === n) return `SIG${name}`;
  return undefined;
}
