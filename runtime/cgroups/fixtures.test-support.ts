// Shared by the cgroup unit tests: mountinfo samples and a fake cgroup file
// system made of plain directories and files in a temp dir.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { CGROUP2_SUPER_MAGIC, CGROUP_SUPER_MAGIC, TMPFS_MAGIC } from "../linux/fs-types.ts";
import { nodeFs, type CgroupFs, type FsIdentity } from "./io.ts";

/** A hybrid host: the cgroup lines of a real Debian 12 machine's mountinfo. */
export const HYBRID_MOUNTINFO = `\
23 1 253:0 / / rw,relatime - ext4 /dev/vda rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

/** A systemd-era pure v1 host with co-mounted controllers. */
export const V1_MOUNTINFO = `\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
25 22 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,release_agent=/sbin/cgroup-release,name=systemd
29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpu,cpuacct
30 25 0:27 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,net_cls,net_prio
31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
32 25 0:29 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,devices
33 25 0:30 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,freezer
34 25 0:31 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,cpuset,clone_children
35 25 0:32 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:19 - cgroup cgroup rw,pids
36 25 0:33 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:20 - cgroup cgroup rw,blkio
`;

/** A pure v2 host. */
export const V2_MOUNTINFO = `\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

export const HYBRID_SELF = "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n4:memory:/machine\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";

export interface FakeTree {
  root: string;
  file(rel: string): string;
  read(rel: string): string;
  write(rel: string, data: string): void;
  mkdir(rel: string): void;
  isDir(rel: string): boolean;
  cleanup(): void;
}

/** A temp dir standing in for /sys/fs/cgroup. */
export function fakeTree(): FakeTree {
  const root = mkdtempSync(join(tmpdir(), "runb-cgroups-"));
  const file = (rel: string) => join(root, rel);
  return {
    root,
    file,
    read: (rel) => readFileSync(file(rel), "utf8"),
    write: (rel, data) => writeFileSync(file(rel), data),
    mkdir: (rel) => mkdirSync(file(rel), { recursive: true }),
    isDir: (rel) => {
      try {
        return statSync(file(rel)).isDirectory();
      } catch {
        return false;
      }
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

function errno(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

/**
 * cgroupfs semantics on plain dirs: control files do not keep rmdir from
 * working, but a non-empty cgroup.procs does (EBUSY). `busy` can force EBUSY
 * for the first n rmdirs of a path.
 */
export function fakeCgroupFs(busy: Map<string, number> = new Map(), hierarchies?: FakeHierarchies): CgroupFs {
  return {
    ...nodeFs,
    identify: (path) => (hierarchies === undefined ? undefined : fakeIdentity(hierarchies, path)),
    rmdir(path) {
      const left = busy.get(path) ?? 0;
      if (left > 0) {
        busy.set(path, left - 1);
        throw errno("EBUSY", path);
      }
      let procs = "";
      try {
        procs = readFileSync(join(path, "cgroup.procs"), "utf8");
      } catch {
        // no processes file: an empty cgroup
      }
      if (procs.trim() !== "") throw errno("EBUSY", path);
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        if (entry.isFile()) rmSync(join(path, entry.name));
      }
      nodeFs.rmdir(path);
    },
  };
}

/** Where fakeCgroupFs pretends cgroup file systems are mounted: the tree's root itself (v2), or each directory in it (v1, "unified" cgroup2). */
export interface FakeHierarchies {
  root: string;
  v2: boolean;
}

// A hierarchy's root is inode 1 of a file system of its own (one device
// number per hierarchy); everything else keeps its real inode number.
function fakeIdentity(h: FakeHierarchies, path: string): FsIdentity | undefined {
  let ino: number;
  try {
    ino = statSync(path).ino;
  } catch {
    return undefined;
  }
  const rel = relative(h.root, path);
  if (rel.startsWith("..")) return { dev: 1, ino, fsType: TMPFS_MAGIC };
  if (h.v2) return { dev: 2, ino: rel === "" ? 1 : ino, fsType: CGROUP2_SUPER_MAGIC };
  if (rel === "") return { dev: 1, ino, fsType: TMPFS_MAGIC };
  const top = rel.split("/")[0]!;
  const dev = 3 + [...top].reduce((n, c) => n * 31 + c.charCodeAt(0), 0) % 100000;
  return { dev, ino: rel === top ? 1 : ino, fsType: top === "unified" ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC };
}
