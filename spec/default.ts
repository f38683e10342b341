// The example config.json written by the `spec` command: the document runc
// (1.3) writes, with our spec version. Keys are in runc's order so that the
// serialised file reads the same as runc's.

import { existsSync } from "node:fs";
import type { LinuxNamespace, Mount, Spec } from "./types.ts";

export const ociVersion = "1.3.0";

export interface DefaultSpecOptions {
  /** Run as an unprivileged user: user namespace, no network namespace, no cgroup limits. */
  rootless: boolean;
  /** Add a cgroup namespace; by default only on a cgroup v2 (unified) host, as runc does. */
  cgroupNamespace?: boolean;
  /** Host IDs mapped to root in the rootless variant; default the effective uid and gid. */
  hostUid?: number;
  hostGid?: number;
}

function isCgroup2Host(): boolean {
  // Only the unified hierarchy has this file at its root.
  return existsSync("/sys/fs/cgroup/cgroup.controllers");
}

const defaultCapabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

function mounts(): Mount[] {
  return [
    { destination: "/proc", type: "proc", source: "proc" },
    {
      destination: "/dev",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    {
      destination: "/dev/shm",
      type: "tmpfs",
      source: "shm",
      options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
    },
    { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
    { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    {
      destination: "/sys/fs/cgroup",
      type: "cgroup",
      source: "cgroup",
      options: ["nosuid", "noexec", "nodev", "relatime", "ro"],
    },
  ];
}

/** A user namespace cannot mount sysfs without a network namespace of its own, nor pick a gid for devpts. */
function rootlessMounts(): Mount[] {
  return mounts().map((mount) => {
    if (mount.destination === "/sys") {
      const options = ["rbind", "nosuid", "noexec", "nodev", "ro"];
      return { destination: "/sys", type: "none", source: "/sys", options };
    }
    if (mount.options === undefined) return mount;
    return { ...mount, options: mount.options.filter((o) => !o.startsWith("uid=") && !o.startsWith("gid=")) };
  });
}

export function defaultSpec(opts: DefaultSpecOptions): Spec {
  const namespaces: LinuxNamespace[] = [
    { type: "pid" },
    ...(opts.rootless ? [] : [{ type: "network" } as const]),
    { type: "ipc" },
    { type: "uts" },
    { type: "mount" },
    ...(opts.cgroupNamespace ?? isCgroup2Host() ? [{ type: "cgroup" } as const] : []),
    ...(opts.rootless ? [{ type: "user" } as const] : []),
  ];
  const hostUid = opts.hostUid ?? process.geteuid?.() ?? 0;
  const hostGid = opts.hostGid ?? process.getegid?.() ?? 0;

  return {
    ociVersion,
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ["sh"],
      env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
      cwd: "/",
      capabilities: {
        bounding: [...defaultCapabilities],
        effective: [...defaultCapabilities],
        permitted: [...defaultCapabilities],
      },
      rlimits: [{ type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: "rootfs", readonly: true },
    hostname: "runc",
    mounts: opts.rootless ? rootlessMounts() : mounts(),
    linux: {
      ...(opts.rootless
        ? {
            uidMappings: [{ containerID: 0, hostID: hostUid, size: 1 }],
            gidMappings: [{ containerID: 0, hostID: hostGid, size: 1 }],
          }
        : { resources: { devices: [{ allow: false, access: "rwm" }] } }),
      namespaces,
      maskedPaths: [
        "/proc/acpi",
        "/proc/asound",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/sys/firmware",
        "/proc/scsi",
        "/sys/devices/virtual/tpm",
      ],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}
