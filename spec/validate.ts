// Schema validation of config.json, state and features documents. Uses the
// validators generated ahead of time by spec/gen.ts (plain code, no schema
// compilation at start) and turns ajv's error list into one message.

import type { ErrorObject } from "ajv";
import { RuntimeError } from "../runtime/errors.ts";
import configValidator from "./generated/validate-config.js";
import featuresValidator from "./generated/validate-features.js";
import stateValidator from "./generated/validate-state.js";
import type { Features, Spec, State } from "./types.ts";

export type Validation<T> = { valid: true; value: T } | { valid: false; message: string };

interface GeneratedValidator<T> {
  (data: unknown): data is T;
  errors?: ErrorObject[] | null;
}

// Errors that only say "one of the branches failed"; the branch's own error
// says what is actually wrong.
const combinatorKeywords = new Set(["anyOf", "oneOf", "allOf", "not"]);

function depth(error: ErrorObject): number {
  return error.instancePath === "" ? 0 : error.instancePath.split("/").length - 1;
}

/** The error most worth showing: the deepest, and a specific one over a combinator's summary. */
export function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const error of errors) {
    if (best === undefined) {
      best = error;
      continue;
    }
    const deeper = depth(error) - depth(best);
    const moreSpecific = combinatorKeywords.has(best.keyword) && !combinatorKeywords.has(error.keyword);
    if (deeper > 0 || (deeper === 0 && moreSpecific)) best = error;
  }
  return best;
}

function describe(error: ErrorObject): string {
  const message = error.message ?? `fails "${error.keyword}"`;
  switch (error.keyword) {
    case "enum": {
      const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      return `${message}: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    case "additionalProperties":
      return `${message}: '${(error.params as { additionalProperty?: string }).additionalProperty}'`;
    default:
      // ajv's required message already names the property: must have required property 'cwd'
      return message;
  }
}

/** `<document>: <json pointer>: <what is wrong>`, with `/` standing for the root. */
export function formatError(document: string, errors: readonly ErrorObject[] | null | undefined): string {
  const error = pickError(errors ?? []);
  if (error === undefined) return `${document}: does not match its schema`;
  return `${document}: ${error.instancePath || "/"}: ${describe(error)}`;
}

function check<T>(validator: GeneratedValidator<T>, document: string, value: unknown): Validation<T> {
  if (validator(value)) return { valid: true, value };
  return { valid: false, message: formatError(document, validator.errors) };
}

/** config.json checked against the schema, plus what the schema cannot say. */
export function checkConfig(value: unknown): Validation<Spec> {
  const result = check(configValidator, "config.json", value);
  // The schema accepts any string; an empty version means the field was left blank.
  if (result.valid && result.value.ociVersion === "") {
    return { valid: false, message: "config.json: /ociVersion: must not be empty" };
  }
  return result;
}

/** The parsed config.json as a Spec, or a RuntimeError INVALID_CONFIG saying what is wrong. */
export function validateConfig(value: unknown): Spec {
  const result = checkConfig(value);
  if (!result.valid) throw new RuntimeError("INVALID_CONFIG", result.message);
  return result.value;
}

/** A state document (the `state` command's output). */
export function validateState(value: unknown): Validation<State> {
  return check(stateValidator, "state", value);
}

/** A features document (the `features` command's output). */
export function validateFeatures(value: unknown): Validation<Features> {
  return check(featuresValidator, "features", value);
}
