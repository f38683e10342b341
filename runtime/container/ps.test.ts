import { expect, test } from "bun:test";
import { filterPsOutput } from "./ps.ts";

const PS = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 19:00 ?        00:00:01 /sbin/init
root        4053       1  0 19:42 ?        00:00:00 sh -c sleep 1
root        4063    4053  0 19:42 ?        00:00:00 sleep 1
`;

test("keeps the header and the lines of the given pids", () => {
  expect(filterPsOutput(PS, [4053, 4063])).toEqual([
    "UID          PID    PPID  C STIME TTY          TIME CMD",
    "root        4053       1  0 19:42 ?        00:00:00 sh -c sleep 1",
    "root        4063    4053  0 19:42 ?        00:00:00 sleep 1",
  ]);
  expect(filterPsOutput("  PID COMMAND\n    1 init\n 4063 sleep\n", [4063])).toEqual(["  PID COMMAND", " 4063 sleep"]);
});

test("output without a PID column is refused", () => {
  expect(() => filterPsOutput("COMMAND\ninit\n", [1])).toThrow("couldn't find PID field in ps output");
});
