import { expect, test } from "bun:test";
import { processStateDocument } from "./seccomp-listener.ts";

test("the supervisor gets runtime-spec's containerProcessState", () => {
  const doc = JSON.parse(
    processStateDocument({ defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/a", listenerMetadata: "meta" }, 42, {
      ociVersion: "1.3.0", id: "c1", status: "creating", pid: 42, bundle: "/b", annotations: {},
    }),
  );
  expect(doc).toEqual({
    ociVersion: "1.3.0", fds: ["seccompFd"], pid: 42, metadata: "meta",
    state: { ociVersion: "1.3.0", id: "c1", status: "creating", pid: 42, bundle: "/b" },
  });
});
