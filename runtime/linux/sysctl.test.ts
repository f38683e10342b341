import { expect, test } from "bun:test";
import { sysctlNamespace, sysctlWrites } from "./sysctl.ts";

test("sysctls map to their namespace", () => {
  expect(sysctlNamespace("net.ipv4.ip_forward")).toBe("network");
  expect(sysctlNamespace("kernel.shmmax")).toBe("ipc");
  expect(sysctlNamespace("fs.mqueue.msg_max")).toBe("ipc");
  expect(sysctlNamespace("kernel.domainname")).toBe("uts");
  expect(sysctlNamespace("vm.swappiness")).toBeUndefined();
});

test("writes go to /proc/sys when the namespace is the container's own", () => {
  expect(sysctlWrites({ "net.ipv4.ip_forward": "1" }, new Set(["network"]))).toEqual([["/proc/sys/net/ipv4/ip_forward", "1"]]);
});

test("host-wide or shared-namespace sysctls are refused", () => {
  expect(() => sysctlWrites({ "vm.swappiness": "1" }, new Set(["network"]))).toThrow(/not in a separate kernel namespace/);
  expect(() => sysctlWrites({ "net.ipv4.ip_forward": "1" }, new Set(["ipc"]))).toThrow(/conflicts with the OCI "network" namespace/);
});
