// The runtime's end of a container's terminal when nobody else takes it
// (`run -t` or `exec -t` in the foreground without --console-socket): raw
// mode on our terminal, bytes both ways, window size changes passed on.
import { createReadStream, readSync, writeSync } from "node:fs";
import { closeFd, pollReadable, setWindowSize } from "../linux/ffi.ts";

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
      writeSync(master, chunk);
    } catch {
      // The container closed its terminal; its exit ends the relay.
    }
  };
  stdin.on("data", onInput);
  const output = createReadStream("", { fd: master, autoClose: false });
  output.on("data", (chunk) => process.stdout.write(chunk));
  output.on("error", () => {}); // EIO once the last slave fd closes
  return {
    stop() {
      stdin.off("data", onInput);
      stdin.pause();
      process.stdout.off("resize", syncSize);
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      output.destroy();
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
      const n = readSync(master, buf);
      if (n <= 0) return;
      writeSync(1, buf.subarray(0, n));
    }
  } catch {
    // EIO: the terminal is gone, and so is what was in it.
  }
}
