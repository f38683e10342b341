// The container's filesystem as a list of init-stage steps: propagation,
// the config's mounts in order, /dev, pivot_root, then read-only and masked
// paths. Paths inside the container are passed as the config names them:
// the stage resolves each inside the rootfs at the moment it uses it
// (native/inroot.c), so nothing here looks into the rootfs. Pure apart
// from reading bind sources on the host (to know files from directories).
import { pathStat } from "./ffi.ts";
import { RuntimeError } from "../errors.ts";
import type { Mount, Spec } from "../../spec/types.ts";
import { MountHow, Op, type Step } from "../process/protocol.ts";
import { DEFAULT_DEVICES, DEV_SYMLINKS, deviceMode, makedev, type DeviceNode } from "./devices.ts";
import { cleanDestination, mountHow } from "./mount-dest.ts";
import { MS, parseMountOptions, propagationFlag } from "./mountopts.ts";

/** A cgroup hierarchy as the container should see it under /sys/fs/cgroup. */
export interface CgroupMountSource {
  /** Directory name under the cgroup mount: "memory", "cpu,cpuacct", "unified". */
  name: string;
  fstype: "cgroup" | "cgroup2";
  /** mount data: "memory", "name=systemd", "" */
  options: string;
  /** The container's cgroup on the host, for a bind mount without cgroupns. */
  hostPath: string;
}

export interface RootfsContext {
  rootfs: string;
  /** The container has a mount namespace (new or joined). Without one its
   * mounts are made in the runtime's namespace, under a bind of the rootfs
   * that delete takes away with them, and the root is changed by chroot. */
  mountNs?: boolean;
  noPivot: boolean;
  /** The container gets a new cgroup namespace: mount cgroupfs, else bind. */
  cgroupNs: boolean;
  /** In a user namespace mknod is refused: devices are bind-mounted from the host. */
  userNs: boolean;
  /** Steps for the moment the mounts are made and the root not yet pivoted. */
  beforePivot?: readonly Step[];
  cgroups: readonly CgroupMountSource[];
  /** Extra names for co-mounted v1 controllers: [link, target]. */
  cgroupLinks: readonly [string, string][];
  /** Bind sources the runtime copied (open_tree), where the config's path
   * may be out of the container's reach (a user namespace): the stage's fd
   * of each copy, to attach instead of binding the path. */
  bindSources?: ReadonlyMap<Mount, number>;
}

const step = (op: Step["op"], what: string, ...args: Step["args"]): Step => ({ op, args, what });

function isDir(path: string): boolean {
  try {
    return pathStat(path).kind === "dir";
  } catch (e) {
    throw new RuntimeError("INVALID_CONFIG", `mount source ${path}: no such file or directory`, { cause: e });
  }
}

function isBind(m: Mount): boolean {
  return m.type === "bind" || (m.options ?? []).some((o) => o === "bind" || o === "rbind");
}

/** Make the mount point, then mount, remount for bind flags, propagate. */
function mountSteps(m: Mount, ctx: RootfsContext): Step[] {
  const dest = cleanDestination(m.destination);
  const what = `mount ${m.source ?? m.type ?? "none"} to rootfs at ${m.destination}`;
  const opts = parseMountOptions(m.options);
  const bind = isBind(m);
  const how = mountHow(m, bind);
  if (m.type === "cgroup" || m.type === "cgroup2") return cgroupMountSteps(dest, opts.flags, ctx, what);
  const steps: Step[] = [];
  if (bind) {
    const source = m.source ?? "";
    if (isDir(source)) steps.push(step(Op.MKDIR_P, what, dest, 0o755, how & MountHow.PLAIN_DIR));
    else steps.push(step(Op.MKDIR_P, what, parentOf(dest), 0o755), step(Op.TOUCH, what, dest));
    const bindFlags = opts.flags & (MS.BIND | MS.REC);
    const tree = ctx.bindSources?.get(m);
    if (tree !== undefined) steps.push(step(Op.ATTACH_TREE, what, tree, dest, how));
    else steps.push(step(Op.MOUNT, what, source, dest, null, MS.BIND | bindFlags, null, how));
    const rest = opts.flags & ~(MS.BIND | MS.REC | MS.REMOUNT);
    if (rest !== 0) steps.push(step(Op.MOUNT, what, null, dest, null, MS.BIND | MS.REMOUNT | rest, null, how));
  } else {
    const keepMode = m.type === "tmpfs" && !/(^|,)mode=/.test(opts.data) ? MountHow.KEEP_MODE : 0;
    // A read-only /dev is made read-only once everything under it is made.
    const flags = lateReadonly(m, bind) ? opts.flags & ~MS.RDONLY : opts.flags;
    steps.push(step(Op.MKDIR_P, what, dest, 0o755, how & MountHow.PLAIN_DIR));
    steps.push(step(Op.MOUNT, what, m.source ?? m.type ?? "none", dest, m.type ?? null, flags, opts.data || null, how | keepMode));
  }
  if (opts.recursive) steps.push(step(Op.MOUNT_SETATTR, what, dest, opts.recursive.set, opts.recursive.clear));
  for (const p of opts.propagation) steps.push(step(Op.MOUNT, what, null, dest, null, p, null, how));
  return steps;
}

function lateReadonly(m: Mount, bind: boolean): boolean {
  return !bind && cleanDestination(m.destination) === "/dev" && (parseMountOptions(m.options).flags & MS.RDONLY) !== 0;
}

/** The remount that makes a read-only /dev so, after its devices are made. */
function devReadonlySteps(mounts: readonly Mount[]): Step[] {
  const m = mounts.findLast((x) => lateReadonly(x, isBind(x)));
  if (!m) return [];
  const opts = parseMountOptions(m.options);
  return [step(Op.MOUNT, "make /dev read-only", null, "/dev", null, opts.flags | MS.REMOUNT, opts.data || null, MountHow.IN_ROOT)];
}

/** cgroup v1 needs a tmpfs with one mount per hierarchy; v2 is one mount. */
function cgroupMountSteps(dest: string, flags: number, ctx: RootfsContext, what: string): Step[] {
  const unified = ctx.cgroups.length === 1 && ctx.cgroups[0]!.name === "";
  const steps: Step[] = [step(Op.MKDIR_P, what, dest, 0o755)];
  const mountOne = (c: CgroupMountSource, at: string) =>
    ctx.cgroupNs
      ? step(Op.MOUNT, what, c.fstype, at, c.fstype, flags & ~MS.RDONLY, c.options || null, MountHow.IN_ROOT)
      : step(Op.MOUNT, what, c.hostPath, at, null, MS.BIND | MS.REC, null, MountHow.IN_ROOT);
  if (unified) {
    steps.push(mountOne(ctx.cgroups[0]!, dest));
  } else {
    steps.push(step(Op.MOUNT, what, "tmpfs", dest, "tmpfs", flags & ~MS.RDONLY, "mode=755", MountHow.IN_ROOT));
    for (const c of ctx.cgroups) {
      const at = `${dest}/${c.name}`;
      steps.push(step(Op.MKDIR_P, what, at, 0o755), mountOne(c, at));
    }
    for (const [link, target] of ctx.cgroupLinks) steps.push(step(Op.SYMLINK, what, target, `${dest}/${link}`));
  }
  // The remount makes each hierarchy read-only as the config asks; like
  // runc, the tmpfs holding them stays writable.
  if (flags & MS.RDONLY) {
    const targets = unified ? [dest] : ctx.cgroups.map((c) => `${dest}/${c.name}`);
    for (const t of targets) steps.push(step(Op.MOUNT, what, null, t, null, MS.BIND | MS.REMOUNT | flags, null, MountHow.IN_ROOT));
  }
  return steps;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

/** runc leaves /dev alone when the config bind-mounts it from the host. */
function needsDevSetup(mounts: readonly Mount[]): boolean {
  return !mounts.some((m) => m.destination === "/dev" && isBind(m));
}

function deviceSteps(devices: readonly DeviceNode[], userNs: boolean): Step[] {
  return devices.flatMap((d) => {
    const path = cleanDestination(d.path);
    const what = `create device ${d.path}`;
    if (userNs) {
      return [
        step(Op.MKDIR_P, what, parentOf(path), 0o755),
        step(Op.TOUCH, what, path),
        step(Op.MOUNT, what, d.path, path, null, MS.BIND, null, MountHow.IN_ROOT),
      ];
    }
    return [
      step(Op.MKDIR_P, what, parentOf(path), 0o755),
      step(Op.MKNOD, what, path, deviceMode(d), makedev(d.major, d.minor), d.fileMode & 0o7777, d.uid, d.gid),
    ];
  });
}

function devSteps(spec: Spec, userNs: boolean): Step[] {
  const configured = (spec.linux?.devices ?? []).map((d) => ({
    path: d.path,
    type: d.type as DeviceNode["type"],
    major: d.major ?? 0,
    minor: d.minor ?? 0,
    fileMode: d.fileMode ?? 0o666,
    uid: d.uid ?? 0,
    gid: d.gid ?? 0,
  }));
  const defaults = DEFAULT_DEVICES.filter((d) => !configured.some((c) => c.path === d.path));
  const links = DEV_SYMLINKS.map(([target, link]) => step(Op.SYMLINK, `create symlink ${link}`, target, link, 0));
  return [
    ...deviceSteps([...defaults, ...configured], userNs),
    ...links,
    // The container's ptmx must be its own devpts instance's.
    step(Op.SYMLINK, "set up /dev/ptmx", "pts/ptmx", "/dev/ptmx", 1),
  ];
}

/** Steps from a fresh mount namespace to a pivoted, finished rootfs. */
export function rootfsSteps(spec: Spec, ctx: RootfsContext): Step[] {
  const mounts = spec.mounts ?? [];
  const propagation = spec.linux?.rootfsPropagation;
  const rootProp = propagation ? propagationFlag(propagation) : undefined;
  if (propagation && rootProp === undefined) {
    throw new RuntimeError("INVALID_CONFIG", `invalid rootfsPropagation "${propagation}"`);
  }
  const ownNs = ctx.mountNs !== false;
  const steps: Step[] = [step(Op.UMASK, "set umask", 0)];
  if (ownNs) {
    steps.push(
      // rslave unless the config says otherwise: nothing the container
      // mounts reaches the host, except through what it makes shared.
      step(Op.MOUNT, "set / propagation", null, "/", null, rootProp ?? MS.SLAVE | MS.REC, null, MountHow.HOST),
      // Only a shared root leaves the rootfs's holder shared.
      ...((rootProp ?? 0) & MS.SHARED ? [step(Op.HOLDER_PRIVATE, "make the mount holding the rootfs private", ctx.rootfs)] : []),
    );
  }
  steps.push(
    step(Op.MOUNT, "bind the rootfs onto itself", ctx.rootfs, ctx.rootfs, null, MS.BIND | MS.REC, null, MountHow.HOST),
    // From here on, paths resolve inside the rootfs, through this descriptor.
    step(Op.ROOT_FD, "open the rootfs", ctx.rootfs),
    ...mounts.flatMap((m) => mountSteps(m, ctx)),
  );
  if (needsDevSetup(mounts)) steps.push(...devSteps(spec, ctx.userNs));
  steps.push(...devReadonlySteps(mounts));
  // runc makes a missing working directory rather than failing on it.
  const cwd = spec.process?.cwd;
  if (cwd) steps.push(step(Op.MKDIR_P, `create cwd ${cwd}`, cwd, 0o755));
  steps.push(...(ctx.beforePivot ?? []));
  if (!ownNs) {
    // pivot_root or a move would change the runtime's own namespace.
    steps.push(step(Op.CHROOT, "chroot into the rootfs", ctx.rootfs));
    return steps;
  }
  steps.push(
    ctx.noPivot
      ? step(Op.MOVE_CHROOT, "move the rootfs to / and chroot", ctx.rootfs)
      : step(Op.PIVOT_ROOT, "pivot_root into the rootfs", ctx.rootfs),
  );
  if (rootProp !== undefined) steps.push(step(Op.MOUNT, "set rootfs propagation", null, "/", null, rootProp, null, MountHow.HOST));
  return steps;
}

/** After sysctls are written (they need /proc/sys writable): read-only and
 * masked paths, and last the read-only root. */
export function finishRootfsSteps(spec: Spec): Step[] {
  const steps: Step[] = [];
  for (const p of spec.linux?.readonlyPaths ?? []) steps.push(step(Op.READONLY_PATH, `make ${p} read-only`, p));
  for (const p of spec.linux?.maskedPaths ?? []) steps.push(step(Op.MASK_PATH, `mask ${p}`, p));
  if (spec.root?.readonly) {
    steps.push(step(Op.REMOUNT_RO, "make the rootfs read-only", "/"));
  }
  return steps;
}
