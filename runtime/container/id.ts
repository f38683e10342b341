// Container ids name a directory under the runtime's root, so they must
// never reach outside it. runc allows the same characters.
import { RuntimeError } from "../errors.ts";
import { isIdChars } from "../chars.ts";

export function validateId(id: string | undefined): string {
  if (id === undefined || id === "") throw new RuntimeError("USAGE", "container id cannot be empty");
  if (!isIdChars(id) || id === "." || id === "..") {
    throw new RuntimeError("INVALID_ID", `invalid container ID format: ${id}`);
  }
  return id;
}
