// The runtime's end of a container's terminal when nobody else takes it
// (`run -t` or `exec -t` in the foreground without --console-socket): raw
// mode on our terminal, bytes both ways, window size changes passed on.
import { closeFd, pollReadable, readInto, setWindowSize, writeAll } from "../linux/ffi.ts";

export interface Relay {
  stop(): void;
}

export function relayTerminal(master: number): Relay {
  const stdin = process.stdin;
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (stdin.isTTY) stdin.setRawMode(true);
  const syncSize = () => {
    if (process.stdout.isTTY) setWindowSize(master, process.stdout.rows, process.stdout.columns);
  };
  syncSize();
  process.stdout.on("resize", syncSize);
  const onInput = (chunk: Buffer) => {
    try {
      writeAll(master, chunk);
    } catch {
      // The container closed its terminal; its exit ends the relay.
    }
  };
  stdin.on("data", onInput);
  // Polled on this thread rather than streamed through the thread pool: a
  // read in flight when the container exits would lose its bytes.
  const pump = setInterval(() => drain(master), 5);
  return {
    stop() {
      stdin.off("data", onInput);
      stdin.pause();
      process.stdout.off("resize", syncSize);
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      clearInterval(pump);
      drain(master);
      closeFd(master);
    },
  };
}

/** What the container wrote just before it exited is still in the pty. */
function drain(master: number): void {
  const buf = Buffer.alloc(65536);
  try {
    while (pollReadable(master, 0)) {
      const n = readInto(master, buf);
      if (n <= 0) return;
      writeAll(1, buf.subarray(0, n));
    }
  } catch {
    // EIO: the terminal is gone, and so is what was in it.
  }
}
