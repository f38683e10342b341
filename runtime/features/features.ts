// The runtime-spec "features" document: what this runtime supports on this
// host. Each entry is derived from the same tables the runtime uses, so the
// document cannot claim more than the code does.
import { existsSync, readFileSync } from "node:fs";
import type { Features } from "../../spec/types.ts";
import { CAPABILITIES } from "../linux/capabilities.ts";
import { fileSystemType } from "../linux/ffi.ts";
import { knownMountOptions } from "../linux/mountopts.ts";
import { NAMESPACES } from "../linux/namespaces.ts";
import { HOOK_PHASES } from "./hook-phases.ts";
import { seccompFeatures } from "./seccomp.ts";
import { CGROUP2_SUPER_MAGIC } from "../linux/fs-types.ts";

type LinuxFeatures = NonNullable<Features["linux"]>;

function enabledFile(path: string, yes: string): boolean {
  try {
    return readFileSync(path, "utf8").trim() === yes;
  } catch {
    return false;
  }
}

// The unified hierarchy mounted at /sys/fs/cgroup, as runc tells it: by
// the file system's type.
function unifiedMode(): boolean {
  try {
    return fileSystemType("/sys/fs/cgroup") === CGROUP2_SUPER_MAGIC;
  } catch {
    // No cgroups mounted: report what the code supports anyway.
    return false;
  }
}

function cgroupFeatures(): LinuxFeatures["cgroup"] {
  return { v1: true, v2: true, systemd: true, systemdUser: true, rdma: !unifiedMode() || existsSync("/sys/fs/cgroup/rdma.max") };
}

export function featuresDocument(version: string): Features {
  return {
    ociVersionMin: "1.0.0",
    ociVersionMax: "1.3.0",
    hooks: [...HOOK_PHASES],
    mountOptions: knownMountOptions(),
    linux: {
      namespaces: NAMESPACES.map((n) => n.type),
      capabilities: [...CAPABILITIES],
      cgroup: cgroupFeatures(),
      seccomp: seccompFeatures(),
      apparmor: { enabled: enabledFile("/sys/module/apparmor/parameters/enabled", "Y") },
      selinux: { enabled: existsSync("/sys/fs/selinux/enforce") },
      intelRdt: { enabled: false },
      mountExtensions: { idmap: { enabled: false } },
    },
    annotations: { "org.opencontainers.runb.version": version },
  };
}
