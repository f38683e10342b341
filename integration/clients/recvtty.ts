// A console-socket listener for tests, in the role of runc's recvtty: it
// takes the terminal master a runtime sends over SCM_RIGHTS, types the
// given input into it and prints what the terminal shows until `--expect`
// appears (exit 0) or the time is up (exit 1).
//
//   bun recvtty.ts SOCKET [--input TEXT] [--expect TEXT] [--timeout SECONDS]
import { readSync, writeSync } from "node:fs";
import { acceptConnection, closeFd, listenUnix, pollReadable, recvPacketWithFd } from "../../runtime/linux/ffi.ts";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const socketPath = process.argv[2];
if (!socketPath) {
  console.error("usage: recvtty.ts SOCKET [--input TEXT] [--expect TEXT] [--timeout SECONDS]");
  process.exit(2);
}
const input = option("--input", "").replaceAll("\\n", "\n");
const expected = option("--expect", "");
const deadline = Date.now() + Number(option("--timeout", "10")) * 1000;

const listener = listenUnix(socketPath);
// Tell the test we listen: it starts the runtime only after this line.
console.log("listening");
const conn = acceptConnection(listener);
const { data, fd: master } = recvPacketWithFd(conn);
closeFd(conn);
closeFd(listener);
if (master < 0) {
  console.error("no file descriptor received");
  process.exit(1);
}
console.log(`received ${new TextDecoder().decode(data)}`);
if (input) writeSync(master, input);

let seen = "";
const buf = Buffer.alloc(4096);
while (Date.now() < deadline) {
  if (!pollReadable(master, 100)) continue;
  let n = 0;
  try {
    n = readSync(master, buf);
  } catch {
    break; // EIO: every slave end is closed
  }
  if (n === 0) break;
  seen += buf.subarray(0, n).toString();
  if (expected && seen.includes(expected)) break;
}
process.stdout.write(seen);
process.exit(!expected || seen.includes(expected) ? 0 : 1);
