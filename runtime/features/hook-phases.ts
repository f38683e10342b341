// The hook phases the runtime runs, in the spec's order.
export const HOOK_PHASES = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"] as const;
