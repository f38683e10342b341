// What a command prints on stdout. Not through process.stdout: that is a
// Node stream whose first use costs a command about 8 ms, several times
// the whole of runc's start-up.
import { writeAll } from "../linux/ffi.ts";

/** Synchronous, for the commands that work through libc anyway. */
export function printOut(text: string): void {
  writeAll(1, text, "stdout");
}

/** For --version and --help, which have no other use for libc: opening it
 * costs more than the rest of what they do. */
export async function printOutAsync(text: string): Promise<void> {
  await Bun.write(Bun.stdout, text);
}
