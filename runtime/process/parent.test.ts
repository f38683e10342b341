import { expect, test } from "bun:test";
import { Op } from "./protocol.ts";
import { failureText, stepError } from "./parent.ts";

test("a step's failure names its subject once", () => {
  expect(failureText("mask /proc/keys", "/proc/keys", 2)).toBe("mask /proc/keys: no such file or directory");
  expect(failureText("set rlimit RLIMIT_NOFILE", "setrlimit", 1)).toBe("set rlimit RLIMIT_NOFILE: operation not permitted");
  expect(failureText("mount proc", "/run/x/rootfs/proc", 16)).toBe("mount proc: /run/x/rootfs/proc: device or resource busy");
  expect(failureText("chdir", "", 13)).toBe("chdir: permission denied");
});

test("stepError keeps the syscall error as its cause", () => {
  const steps = [{ op: Op.MASK_PATH, args: ["/proc/keys"], what: "mask /proc/keys" }];
  const err = stepError(steps, { type: "error", step: 0, errno: 2, detail: "/proc/keys" });
  expect(err.message).toBe("unable to start container process: mask /proc/keys: no such file or directory");
  expect(err.cause).toBeInstanceOf(Error);
});
