// A few thousand generated configs through everything create does with a
// config before it touches the kernel: parsing, validation, the init and
// exec plans, the cgroup resource plans, the cgroup path and seccomp. The
// only failure allowed is a RuntimeError with a message meant for a user.
import { beforeAll, expect, test } from "bun:test";
import { configureLog } from "../log.ts";
import { RuntimeError } from "../errors.ts";
import { parseConfigText } from "../../spec/load.ts";
import { validateWithClientQuirks } from "../../spec/quirks.ts";
import { validateConfig } from "../../spec/validate.ts";
import { defaultSpec } from "../../spec/default.ts";
import type { Spec } from "../../spec/types.ts";
import { badMessage, mutateText, mutateValue, rng } from "../../spec/fuzz.test-support.ts";
import { planV1 } from "../cgroups/resources-v1.ts";
import { planV2 } from "../cgroups/resources-v2.ts";
import type { Probe } from "../cgroups/resources.ts";
import { innerCgroupPath } from "../cgroups/path.ts";
import { compileSeccomp } from "../linux/seccomp/compile.ts";
import { execPlan, initPlan, type InitContext } from "../process/plan.ts";

const CASES = 3000;

// Warnings about odd but accepted values are expected by the thousand.
beforeAll(() => configureLog({ file: "/dev/null", format: "text", debug: false }));

// The default config with most optional sections filled in, so that
// mutations reach the code behind each of them.
function richSpec(): Spec {
  const spec = defaultSpec({ rootless: false, cgroupNamespace: true });
  spec.hostname = "fuzz";
  spec.process!.rlimits = [{ type: "RLIMIT_NOFILE", soft: 1024, hard: 1024 }];
  spec.process!.user = { uid: 1, gid: 1, additionalGids: [2, 3], umask: 0o22 };
  spec.process!.oomScoreAdj = 10;
  spec.mounts!.push({ destination: "/data", type: "bind", source: "/tmp", options: ["rbind", "ro"] });
  spec.hooks = { prestart: [{ path: "/bin/true", args: ["true"], timeout: 5 }] };
  spec.linux!.cgroupsPath = "/fuzz/c1";
  spec.linux!.sysctl = { "net.ipv4.ip_forward": "1" };
  spec.linux!.devices = [{ path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 0o666 }];
  spec.linux!.resources = {
    memory: { limit: 2 ** 30, reservation: 2 ** 20, swap: 2 ** 31 },
    cpu: { shares: 512, quota: 50000, period: 100000, cpus: "0", mems: "0" },
    pids: { limit: 100 },
    blockIO: { weight: 500, throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1000 }] },
    hugepageLimits: [{ pageSize: "2MB", limit: 1 << 21 }],
    devices: [{ allow: false, access: "rwm" }, { allow: true, type: "c", major: 1, minor: 3, access: "rw" }],
    unified: { "memory.high": "max" },
  };
  spec.linux!.seccomp = {
    defaultAction: "SCMP_ACT_ALLOW",
    architectures: ["SCMP_ARCH_X86_64"],
    syscalls: [{ names: ["chmod", "mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 1, args: [{ index: 1, value: 0o777, op: "SCMP_CMP_EQ" }] }],
  };
  return spec;
}

const ctx: InitContext = {
  rootfs: "/nonexistent-rootfs",
  noPivot: false,
  cgroups: [],
  cgroupLinks: [],
  execFifoFd: 5,
  foreground: false,
  noNewKeyring: false,
  id: "c1",
};

// A cgroup where every file exists and reads back as a plain number.
const probe: Probe = { mounted: () => true, exists: () => true, read: () => "100" };

function everythingCreateDoes(text: string): void {
  const spec = validateWithClientQuirks(parseConfigText(text), validateConfig);
  innerCgroupPath(spec.linux?.cgroupsPath, "c1");
  planV1(spec.linux?.resources, probe);
  planV2(spec.linux?.resources, probe);
  if (spec.linux?.seccomp) compileSeccomp(spec.linux.seccomp);
  initPlan(spec, ctx);
  if (spec.process) execPlan(spec, spec.process, { initPid: 1, foreground: false, id: "c1" });
}

test(`${CASES} generated configs fail only with a RuntimeError that says what is wrong`, () => {
  const base = JSON.parse(JSON.stringify(richSpec()));
  expect(() => everythingCreateDoes(JSON.stringify(base))).not.toThrow();
  const failures: string[] = [];
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const r = rng(i);
    let text: string;
    let what: string;
    if (r() < 0.75) {
      const m = mutateValue(r, base);
      text = JSON.stringify(m.doc);
      what = m.what;
    } else {
      const m = mutateText(r, JSON.stringify(base, null, 2));
      text = m.text;
      what = m.what;
    }
    try {
      everythingCreateDoes(text);
    } catch (e) {
      refused++;
      const reason = e instanceof RuntimeError ? badMessage(e.message) : `${(e as Error)?.name}: ${(e as Error)?.message}`;
      if (reason !== undefined) failures.push(`case ${i} (${what}): ${reason}`);
    }
  }
  expect(failures.slice(0, 20)).toEqual([]);
  // Most mutations must be refused, or the generator is not reaching anything.
  expect(refused).toBeGreaterThan(CASES / 3);
}, 60_000);
