import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RuntimeError } from "../runtime/errors.ts";
import type { ErrorObject } from "ajv";
import {
  checkConfig,
  formatError,
  pickError,
  validateConfig,
  validateFeatures,
  validateState,
  type Validation,
} from "./validate.ts";

const fixtures = join(import.meta.dir, "schema", "test");

function fixtureNames(kind: string, verdict: "good" | "bad"): string[] {
  return readdirSync(join(fixtures, kind, verdict))
    .filter((name) => name.endsWith(".json"))
    .sort();
}

/** Parses a fixture; a parse failure counts as failing validation. */
function checkFixture(kind: string, verdict: string, name: string, check: (v: unknown) => Validation<unknown>) {
  const text = readFileSync(join(fixtures, kind, verdict, name), "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { parsed: false as const, error: err };
  }
  return { parsed: true as const, result: check(value) };
}

const checks: Record<string, (v: unknown) => Validation<unknown>> = {
  config: checkConfig,
  state: validateState,
  features: validateFeatures,
};

for (const [kind, check] of Object.entries(checks)) {
  describe(`${kind} fixtures`, () => {
    const good = fixtureNames(kind, "good");
    const bad = fixtureNames(kind, "bad");

    test("there are fixtures of both kinds", () => {
      expect(good.length).toBeGreaterThan(0);
      expect(bad.length).toBeGreaterThan(0);
    });

    for (const name of good) {
      test(`good/${name} validates`, () => {
        const outcome = checkFixture(kind, "good", name, check);
        expect(outcome.parsed).toBe(true);
        if (outcome.parsed) expect(outcome.result).toMatchObject({ valid: true });
      });
    }

    for (const name of bad) {
      test(`bad/${name} is rejected`, () => {
        const outcome = checkFixture(kind, "bad", name, check);
        if (name === "invalid-json.json") {
          expect(outcome.parsed).toBe(false);
          return;
        }
        expect(outcome.parsed).toBe(true);
        if (!outcome.parsed) return;
        expect(outcome.result.valid).toBe(false);
        const document = kind === "config" ? "config.json" : kind;
        if (!outcome.result.valid) expect(outcome.result.message).toStartWith(`${document}: /`);
      });
    }
  });
}

/** A small valid config to break one field at a time. */
function minimal(): Record<string, any> {
  return {
    ociVersion: "1.3.0",
    root: { path: "rootfs" },
    process: { args: ["sh"], cwd: "/" },
  };
}

function messageFor(value: unknown): string {
  try {
    validateConfig(value);
  } catch (err) {
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe("INVALID_CONFIG");
    return (err as RuntimeError).message;
  }
  throw new Error("config was accepted");
}

describe("validateConfig messages", () => {
  test("a valid config comes back unchanged", () => {
    const config = minimal();
    expect(validateConfig(config)).toBe(config as never);
  });

  test("args not an array", () => {
    const config = minimal();
    config.process.args = "sh -c true";
    expect(messageFor(config)).toBe("config.json: /process/args: must be array");
  });

  test("missing process.cwd", () => {
    const config = minimal();
    delete config.process.cwd;
    expect(messageFor(config)).toBe("config.json: /process: must have required property 'cwd'");
  });

  test("root without path", () => {
    const config = minimal();
    config.root = { readonly: true };
    expect(messageFor(config)).toBe("config.json: /root: must have required property 'path'");
  });

  test("missing ociVersion is reported at the root", () => {
    const config = minimal();
    delete config.ociVersion;
    expect(messageFor(config)).toBe("config.json: /: must have required property 'ociVersion'");
  });

  test("empty ociVersion", () => {
    const config = minimal();
    config.ociVersion = "";
    expect(messageFor(config)).toBe("config.json: /ociVersion: must not be empty");
  });

  test("not an object at all", () => {
    expect(messageFor([])).toBe("config.json: /: must be object");
  });

  test("an unknown namespace names the field inside the anyOf, with the allowed values", () => {
    const config = minimal();
    config.linux = { namespaces: [{ type: "pid" }, { type: "bogus" }] };
    expect(messageFor(config)).toBe(
      "config.json: /linux/namespaces/1/type: must be equal to one of the allowed values: " +
        '"mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time"',
    );
  });

  test("a negative uid", () => {
    const config = minimal();
    config.process.user = { uid: -1, gid: 0 };
    expect(messageFor(config)).toBe("config.json: /process/user/uid: must be >= 0");
  });

  test("a hook without path", () => {
    const config = minimal();
    config.hooks = { prestart: [{ args: ["x"] }] };
    expect(messageFor(config)).toBe("config.json: /hooks/prestart/0: must have required property 'path'");
  });
});

describe("validateState and validateFeatures", () => {
  test("a state without status", () => {
    const result = validateState({ ociVersion: "1.3.0", id: "c1", bundle: "/b" });
    expect(result).toEqual({ valid: false, message: "state: /: must have required property 'status'" });
  });

  test("a state with an unknown status", () => {
    const result = validateState({ ociVersion: "1.3.0", id: "c1", status: "paused", bundle: "/b" });
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.message).toStartWith("state: /status: must be equal to one of the allowed values");
  });

  test("features missing ociVersionMax", () => {
    expect(validateFeatures({ ociVersionMin: "1.0.0" })).toEqual({
      valid: false,
      message: "features: /: must have required property 'ociVersionMax'",
    });
  });
});

describe("pickError", () => {
  const error = (instancePath: string, keyword: string, message: string): ErrorObject => ({
    instancePath,
    keyword,
    message,
    schemaPath: "#",
    params: {},
  });

  test("the deepest error wins", () => {
    const errors = [error("/a", "type", "shallow"), error("/a/b/c", "type", "deep"), error("/a/b", "type", "middle")];
    expect(pickError(errors)?.message).toBe("deep");
  });

  test("at equal depth a specific error beats a combinator's summary", () => {
    const errors = [
      error("/ns/0", "oneOf", "must match exactly one schema in oneOf"),
      error("/ns/0", "type", "must be object"),
    ];
    expect(pickError(errors)?.message).toBe("must be object");
  });

  test("at equal depth the first specific error is kept", () => {
    const errors = [error("/x", "type", "first"), error("/x", "enum", "second")];
    expect(pickError(errors)?.message).toBe("first");
  });

  test("no errors still gives a message", () => {
    expect(formatError("config.json", null)).toBe("config.json: does not match its schema");
  });
});
