// Enforcing device rules on cgroup v2: the program from devices-bpf.ts is
// loaded into the kernel and attached to the container's cgroup directory.

import { RuntimeError, SyscallError } from "../errors.ts";
import { bpfAttachCgroupDevice, bpfLoadCgroupDeviceProgram, closeFd, openFile } from "../linux/ffi.ts";

/** Attaches a device program (struct bpf_insn bytes) to the cgroup v2 directory dir. */
export type AttachDevices = (dir: string, program: Uint8Array) => void;

// Any license string works for cgroup device programs (they call no GPL-only
// helpers); runc declares the project's.
const LICENSE = "Apache";

const O_RDONLY = 0;
const O_DIRECTORY = 0o200000;

export const attachDeviceProgram: AttachDevices = (dir, program) => {
  let dirFd: number;
  try {
    dirFd = openFile(dir, O_RDONLY | O_DIRECTORY);
  } catch (err) {
    throw new RuntimeError("CGROUP", `cannot open ${dir} to attach the device program: ${(err as Error).message}`, { cause: err });
  }
  try {
    const progFd = bpfLoadCgroupDeviceProgram(program, LICENSE);
    try {
      bpfAttachCgroupDevice(dirFd, progFd);
    } finally {
      closeFd(progFd); // the attachment keeps the program alive
    }
  } catch (err) {
    if (!(err instanceof SyscallError)) throw err;
    throw new RuntimeError("CGROUP", `cannot set device rules on ${dir}: ${err.message}`, { cause: err });
  } finally {
    closeFd(dirFd);
  }
};
