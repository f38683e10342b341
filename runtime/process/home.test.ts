import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { homeAtCreate, passwdHome, readPasswdInRoot, withHome } from "./home.ts";

const PASSWD = "root:x:0:0:root:/root:/bin/sh\nbad line\nuser:x:1000:1000::/home/user:/bin/sh\nnohome:x:1001:1001:::/bin/sh\n";

describe("passwdHome", () => {
  test("the home of the uid's line; none for an unknown uid or an empty field", () => {
    expect(passwdHome(PASSWD, 0)).toBe("/root");
    expect(passwdHome(PASSWD, 1000)).toBe("/home/user");
    expect(passwdHome(PASSWD, 1001)).toBeUndefined();
    expect(passwdHome(PASSWD, 4242)).toBeUndefined();
    expect(passwdHome("x:x:7:7:x:/first:\nx:x:7:7:x:/second:\n", 7)).toBe("/first");
  });
});

describe("withHome", () => {
  const proc = (env?: string[]) => ({ cwd: "/", args: ["true"], env });
  test("added when missing or empty, left alone when set", () => {
    expect(withHome(proc(["PATH=/bin"]), () => "/root").env).toEqual(["PATH=/bin", "HOME=/root"]);
    expect(withHome(proc(undefined), () => "/").env).toEqual(["HOME=/"]);
    expect(withHome(proc(["HOME=", "A=1"]), () => "/h").env).toEqual(["A=1", "HOME=/h"]);
    const set = proc(["HOME=/mine"]);
    expect(withHome(set, () => { throw new Error("not asked"); })).toBe(set);
  });
});

describe("reading the container's passwd", () => {
  const work = mkdtempSync(join(tmpdir(), "runb-home-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // WORK/secret is outside every rootfs below.
  writeFileSync(join(work, "secret"), "root:x:0:0:root:/host-secret:/bin/sh\n");

  function rootfs(name: string, passwd: (etc: string) => void): string {
    const root = join(work, name);
    mkdirSync(join(root, "etc"), { recursive: true });
    passwd(join(root, "etc"));
    return root;
  }

  test("a plain file, and a symlink that stays inside", () => {
    const plain = rootfs("plain", (etc) => writeFileSync(join(etc, "passwd"), PASSWD));
    expect(homeAtCreate(plain, [], 1000)).toBe("/home/user");
    const linked = rootfs("linked", (etc) => {
      writeFileSync(join(etc, "real"), PASSWD);
      symlinkSync("/etc/real", join(etc, "passwd"));
    });
    expect(homeAtCreate(linked, [], 0)).toBe("/root");
  });

  test("symlinks out of the rootfs resolve inside it, never to the host's file", () => {
    for (const [i, target] of [join(work, "secret"), "../../secret", "/../../../secret"].entries()) {
      const root = rootfs(`escape-${i}`, (etc) => symlinkSync(target, join(etc, "passwd")));
      expect(readPasswdInRoot(root)).toBeUndefined();
      expect(homeAtCreate(root, [], 0)).toBe("/");
    }
  });

  test("no passwd, or not a regular file: /", () => {
    expect(homeAtCreate(rootfs("none", () => {}), [], 0)).toBe("/");
    expect(homeAtCreate(rootfs("dir", (etc) => mkdirSync(join(etc, "passwd"))), [], 0)).toBe("/");
  });

  test("a bind mount onto /etc/passwd is read at its source", () => {
    const root = rootfs("bound", (etc) => writeFileSync(join(etc, "passwd"), PASSWD));
    const source = join(work, "engine-passwd");
    writeFileSync(source, "root:x:0:0:root:/from-engine:/bin/sh\n");
    expect(homeAtCreate(root, [{ destination: "/etc/passwd", type: "bind", source, options: ["rbind", "ro"] }], 0)).toBe("/from-engine");
  });
});
