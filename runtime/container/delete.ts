// `delete`: remove a stopped container; with --force, kill it first.
import { RuntimeError } from "../errors.ts";
import type { Container } from "./container.ts";
import { allows } from "./status.ts";
import { destroyContainer } from "./destroy.ts";

export function deleteContainer(c: Container, force: boolean): void {
  if (!force && !allows(c.status, "delete")) {
    throw new RuntimeError("INVALID_STATE", `cannot delete container ${c.state.id} that is not stopped: ${c.status}`);
  }
  destroyContainer(c.root, c.state, c.cgroups);
}
