// Resolve a path inside a root directory the way the container will see it:
// symlinks are followed, but always relative to the root, so a rootfs that
// links /etc to /../../host cannot make a mount land outside it. Missing
// components are kept as they are (they will be created).
import { lstatSync, readlinkSync } from "node:fs";
import { RuntimeError } from "../errors.ts";

const MAX_LINKS = 255;

export interface FsView {
  /** The link's target, or undefined when the path is not a symlink. */
  readlink(path: string): string | undefined;
}

const hostFs: FsView = {
  readlink(path) {
    try {
      if (!lstatSync(path).isSymbolicLink()) return undefined;
      return readlinkSync(path);
    } catch {
      return undefined;
    }
  },
};

export function secureJoin(root: string, unsafe: string, fs: FsView = hostFs): string {
  const pending = unsafe.split("/");
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      done.pop();
      continue;
    }
    const candidate = `${root}/${[...done, part].join("/")}`;
    const target = fs.readlink(candidate);
    if (target === undefined) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) {
      throw new RuntimeError("INVALID_CONFIG", `too many levels of symbolic links resolving ${unsafe} in ${root}`);
    }
    if (target.startsWith("/")) done.length = 0;
    pending.unshift(...target.split("/"));
  }
  return done.length === 0 ? root : `${root}/${done.join("/")}`;
}
