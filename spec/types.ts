// Readable names for the types generated from the OCI runtime-spec schemas.
// The generator names only what the schemas define separately; the rest
// (process, root, hooks, resources, ...) are inline objects, picked out here.

import type * as Config from "./generated/config.ts";
import type { Spec } from "./generated/config.ts";
import type * as FeaturesDoc from "./generated/features.ts";
import type { Features } from "./generated/features.ts";
import type { State } from "./generated/state.ts";

export type { Features, Spec, State };

export type Annotations = Config.MapStringString;

export type Root = NonNullable<Spec["root"]>;
export type Mount = Config.Mount;
export type IDMapping = Config.IDMapping;

export type Process = NonNullable<Spec["process"]>;
export type User = NonNullable<Process["user"]>;
export type Capabilities = NonNullable<Process["capabilities"]>;
export type Rlimit = NonNullable<Process["rlimits"]>[number];
export type ConsoleSize = NonNullable<Process["consoleSize"]>;
export type IOPriority = NonNullable<Process["ioPriority"]>;
export type Scheduler = NonNullable<Process["scheduler"]>;
export type ExecCPUAffinity = NonNullable<Process["execCPUAffinity"]>;

export type Hook = Config.Hook;
export type Hooks = NonNullable<Spec["hooks"]>;
/** prestart, createRuntime, createContainer, startContainer, poststart, poststop */
export type HookName = keyof Hooks;

export type Linux = Config.Linux;
export type LinuxNamespace = Config.NamespaceReference;
export type LinuxNamespaceType = LinuxNamespace["type"];
export type LinuxDevice = Config.Device;
export type LinuxNetDevice = Config.NetDevice;
export type LinuxResources = NonNullable<Linux["resources"]>;
export type LinuxDeviceCgroup = Config.DeviceCgroup;
export type LinuxMemory = NonNullable<LinuxResources["memory"]>;
export type LinuxCPU = NonNullable<LinuxResources["cpu"]>;
export type LinuxPids = NonNullable<LinuxResources["pids"]>;
export type LinuxBlockIO = NonNullable<LinuxResources["blockIO"]>;
export type LinuxNetwork = NonNullable<LinuxResources["network"]>;
export type LinuxHugepageLimit = NonNullable<LinuxResources["hugepageLimits"]>[number];
export type LinuxRdma = Config.Rdma;
export type LinuxSeccomp = NonNullable<Linux["seccomp"]>;
export type LinuxSyscall = Config.Syscall;
export type LinuxSeccompArg = Config.SyscallArg;
export type LinuxSeccompAction = LinuxSyscall["action"];
export type LinuxIntelRdt = NonNullable<Linux["intelRdt"]>;
export type LinuxMemoryPolicy = NonNullable<Linux["memoryPolicy"]>;
export type LinuxPersonality = Config.Personality;
export type LinuxTimeOffset = Config.TimeOffsets;
export type RootfsPropagation = NonNullable<Linux["rootfsPropagation"]>;

/** creating, created, running, stopped */
export type ContainerStatus = State["status"];

export type LinuxFeatures = FeaturesDoc.Linux;
