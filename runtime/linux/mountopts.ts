// Mount options as the spec (and mount(8)) name them → mount(2) flags.
// Pure: the table and the fold are all there is.

export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  SYNCHRONOUS: 16,
  REMOUNT: 32,
  MANDLOCK: 64,
  DIRSYNC: 128,
  NOSYMFOLLOW: 256,
  NOATIME: 1024,
  NODIRATIME: 2048,
  BIND: 4096,
  MOVE: 8192,
  REC: 16384,
  SILENT: 32768,
  UNBINDABLE: 1 << 17,
  PRIVATE: 1 << 18,
  SLAVE: 1 << 19,
  SHARED: 1 << 20,
  RELATIME: 1 << 21,
  STRICTATIME: 1 << 24,
  LAZYTIME: 1 << 25,
} as const;

/** [set, clear] for each flag option. */
const FLAG_OPTIONS: Record<string, [set: number, clear: number]> = {
  ro: [MS.RDONLY, 0],
  rw: [0, MS.RDONLY],
  nosuid: [MS.NOSUID, 0],
  suid: [0, MS.NOSUID],
  nodev: [MS.NODEV, 0],
  dev: [0, MS.NODEV],
  noexec: [MS.NOEXEC, 0],
  exec: [0, MS.NOEXEC],
  sync: [MS.SYNCHRONOUS, 0],
  async: [0, MS.SYNCHRONOUS],
  remount: [MS.REMOUNT, 0],
  mand: [MS.MANDLOCK, 0],
  nomand: [0, MS.MANDLOCK],
  dirsync: [MS.DIRSYNC, 0],
  nosymfollow: [MS.NOSYMFOLLOW, 0],
  symfollow: [0, MS.NOSYMFOLLOW],
  noatime: [MS.NOATIME, 0],
  atime: [0, MS.NOATIME],
  nodiratime: [MS.NODIRATIME, 0],
  diratime: [0, MS.NODIRATIME],
  bind: [MS.BIND, 0],
  rbind: [MS.BIND | MS.REC, 0],
  relatime: [MS.RELATIME, 0],
  norelatime: [0, MS.RELATIME],
  strictatime: [MS.STRICTATIME, 0],
  nostrictatime: [0, MS.STRICTATIME],
  lazytime: [MS.LAZYTIME, 0],
  nolazytime: [0, MS.LAZYTIME],
  silent: [MS.SILENT, 0],
  loud: [0, MS.SILENT],
  defaults: [0, 0],
};

const PROPAGATION_OPTIONS: Record<string, number> = {
  private: MS.PRIVATE,
  rprivate: MS.PRIVATE | MS.REC,
  shared: MS.SHARED,
  rshared: MS.SHARED | MS.REC,
  slave: MS.SLAVE,
  rslave: MS.SLAVE | MS.REC,
  unbindable: MS.UNBINDABLE,
  runbindable: MS.UNBINDABLE | MS.REC,
};

/** mount_setattr(2) attributes, for the recursive options. */
export const MOUNT_ATTR = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  ATIME_MASK: 0x70,
  RELATIME: 0,
  NOATIME: 0x10,
  STRICTATIME: 0x20,
  NODIRATIME: 0x80,
  NOSYMFOLLOW: 0x200000,
} as const;

// [set, clear] for each recursive option: applied to the mount and every
// mount below it. The atime ones replace the whole atime mode.
const A = MOUNT_ATTR;
const RECURSIVE_OPTIONS: Record<string, [set: number, clear: number]> = {
  rro: [A.RDONLY, 0],
  rrw: [0, A.RDONLY],
  rnosuid: [A.NOSUID, 0],
  rsuid: [0, A.NOSUID],
  rnodev: [A.NODEV, 0],
  rdev: [0, A.NODEV],
  rnoexec: [A.NOEXEC, 0],
  rexec: [0, A.NOEXEC],
  rnodiratime: [A.NODIRATIME, 0],
  rdiratime: [0, A.NODIRATIME],
  rrelatime: [A.RELATIME, A.ATIME_MASK],
  rnorelatime: [A.RELATIME, A.ATIME_MASK],
  ratime: [A.RELATIME, A.ATIME_MASK],
  rnoatime: [A.NOATIME, A.ATIME_MASK],
  rstrictatime: [A.STRICTATIME, A.ATIME_MASK],
  rnostrictatime: [A.RELATIME, A.ATIME_MASK],
  rnosymfollow: [A.NOSYMFOLLOW, 0],
  rsymfollow: [0, A.NOSYMFOLLOW],
};

/** Options the runtime understands but that are not mount(2) flags. */
const IGNORED_OPTIONS = new Set(["tmpcopyup", "copy-symlink", "notmpcopyup"]);

export interface ParsedMountOptions {
  flags: number;
  /** Propagation changes, each applied with its own mount(2) call. */
  propagation: number[];
  /** Everything else, for the filesystem: "mode=755,size=65536k". */
  data: string;
  /** Attributes the recursive options set and clear (mount_setattr). */
  recursive?: { set: number; clear: number };
}

export function parseMountOptions(options: readonly string[] = []): ParsedMountOptions {
  let flags = 0;
  const recursive = { set: 0, clear: 0 };
  let seenRecursive = false;
  const propagation: number[] = [];
  const data: string[] = [];
  for (const opt of options) {
    const flag = FLAG_OPTIONS[opt];
    if (flag) {
      flags = (flags | flag[0]) & ~flag[1];
      continue;
    }
    const rec = RECURSIVE_OPTIONS[opt];
    if (rec) {
      const [set, clear] = rec;
      if (clear === A.ATIME_MASK) {
        recursive.clear |= clear;
        recursive.set = (recursive.set & ~clear) | set;
      } else if (set) {
        recursive.set |= set;
        recursive.clear &= ~set;
      } else {
        recursive.clear |= clear;
        recursive.set &= ~clear;
      }
      seenRecursive = true;
      continue;
    }
    const prop = PROPAGATION_OPTIONS[opt];
    if (prop !== undefined) propagation.push(prop);
    else if (!IGNORED_OPTIONS.has(opt)) data.push(opt);
  }
  const parsed: ParsedMountOptions = { flags, propagation, data: data.join(",") };
  if (seenRecursive) parsed.recursive = recursive;
  return parsed;
}

export function propagationFlag(name: string): number | undefined {
  return PROPAGATION_OPTIONS[name];
}

/** Every option name accepted in `mounts[].options` (for `features`). */
export function knownMountOptions(): string[] {
  return [...Object.keys(FLAG_OPTIONS), ...Object.keys(RECURSIVE_OPTIONS), ...Object.keys(PROPAGATION_OPTIONS), ...IGNORED_OPTIONS].sort();
}
