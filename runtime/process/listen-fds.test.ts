import { expect, test } from "bun:test";
import { listenFdCount, withListenEnv } from "./listen-fds.ts";

test("only sockets meant for this very process count", () => {
  expect(listenFdCount({ LISTEN_FDS: "2", LISTEN_PID: "42" }, 42)).toBe(2);
  expect(listenFdCount({ LISTEN_FDS: "2", LISTEN_PID: "41" }, 42)).toBe(0);
  expect(listenFdCount({ LISTEN_FDS: "x", LISTEN_PID: "42" }, 42)).toBe(0);
  expect(listenFdCount({}, 42)).toBe(0);
});

test("the container is told it has them, as pid 1", () => {
  expect(withListenEnv({ cwd: "/", env: ["A=1"] }, 2).env).toEqual(["A=1", "LISTEN_FDS=2", "LISTEN_PID=1"]);
  expect(withListenEnv({ cwd: "/", env: ["A=1"] }, 0).env).toEqual(["A=1"]);
});
