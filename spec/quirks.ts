// Values real clients write that the schemas do not allow but runc accepts
// (runc never checks the schema). Each is rewritten to the form the schema
// allows and that means the same to the runtime, before validation.
//
// - Podman writes a device's whole st_mode as fileMode (0o20666 for a
//   character device): the type is in `type` already; keep the permissions.
// - Podman writes rootfsPropagation "rslave"/"rshared"/...: validated as the
//   plain name, then given back, since the recursive form means more.

type Doc = Record<string, unknown>;

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

function fixDevices(linux: Doc): void {
  if (!Array.isArray(linux.devices)) return;
  for (const d of linux.devices) {
    if (isObject(d) && typeof d.fileMode === "number" && d.fileMode > 0o777) d.fileMode &= 0o777;
  }
}

const RECURSIVE_PROPAGATION = /^r(private|shared|slave|unbindable)$/;

/** Validates `config` with the known client quirks accepted: device modes
 * are rewritten in place; a recursive rootfsPropagation is kept as given. */
export function validateWithClientQuirks<T>(config: unknown, validate: (v: unknown) => T): T {
  if (!isObject(config) || !isObject(config.linux)) return validate(config);
  const linux = config.linux;
  fixDevices(linux);
  const propagation = linux.rootfsPropagation;
  const recursive = typeof propagation === "string" && RECURSIVE_PROPAGATION.test(propagation);
  if (recursive) linux.rootfsPropagation = propagation.slice(1);
  const valid = validate(config);
  if (recursive) linux.rootfsPropagation = propagation;
  return valid;
}
