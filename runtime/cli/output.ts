// What a command prints on stdout, written straight to fd 1: Bun's
// process.stdout is a Node stream whose first use costs a command about
// 8 ms, several times the whole of runc's start-up.
import { writeAll } from "../linux/ffi.ts";

export function printOut(text: string): void {
  writeAll(1, text, "stdout");
}
