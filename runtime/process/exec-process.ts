// The process `exec` starts: the container's own process settings with the
// command line's changes on top (or a whole process.json with -p), as runc
// builds it. Pure.
import { RuntimeError } from "../errors.ts";
import type { Process } from "../../spec/types.ts";

export interface ExecRequest {
  /** The parsed -p document, when given. */
  processJson?: unknown;
  args: string[];
  tty: boolean;
  cwd: string;
  env: string[];
  /** "uid" or "uid:gid" */
  user: string;
  additionalGids: string[];
  caps: string[];
  noNewPrivs: boolean;
  apparmor: string;
  processLabel: string;
}

function parseId(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new RuntimeError("USAGE", `parsing ${text} as ${what}: invalid syntax`);
  return Number(text);
}

// --cap never touches the inheritable set: a capability there survives an
// exec of a file with matching inheritable file caps (the CVE-2022-29162
// pattern). Ambient needs the capability inheritable, so it is raised only
// where the config already made it so.
function withCaps(p: Process, caps: string[]): Process["capabilities"] {
  if (caps.length === 0) return p.capabilities;
  const c = p.capabilities ?? {};
  const add = (set: string[] | undefined, extra: string[]) => [...(set ?? []), ...extra];
  const inheritable = new Set(c.inheritable ?? []);
  return {
    ...c,
    bounding: add(c.bounding, caps),
    effective: add(c.effective, caps),
    permitted: add(c.permitted, caps),
    inheritable: c.inheritable,
    ambient: add(c.ambient, caps.filter((x) => inheritable.has(x))),
  };
}

export function execProcess(base: Process, req: ExecRequest): Process {
  if (req.processJson !== undefined) return req.processJson as Process;
  if (req.args.length === 0) throw new RuntimeError("USAGE", "exec args cannot be empty");
  const p: Process = { ...base, args: req.args, terminal: req.tty };
  if (req.cwd) p.cwd = req.cwd;
  if (req.env.length > 0) p.env = [...(base.env ?? []), ...req.env];
  const user = { ...(base.user ?? { uid: 0, gid: 0 }) };
  if (req.user) {
    const [uid, gid] = req.user.split(":");
    user.uid = parseId(uid ?? "", "uid");
    if (gid !== undefined) user.gid = parseId(gid, "gid");
  }
  if (req.additionalGids.length > 0) user.additionalGids = req.additionalGids.map((g) => parseId(g, "gid"));
  p.user = user;
  p.capabilities = withCaps(p, req.caps);
  if (req.noNewPrivs) p.noNewPrivileges = true;
  if (req.apparmor) p.apparmorProfile = req.apparmor;
  if (req.processLabel) p.selinuxLabel = req.processLabel;
  return p;
}
