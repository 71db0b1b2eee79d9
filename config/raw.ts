import { z } from "zod";
import { findCredentials } from "../contracts/credential-shapes";
import { ConfigIssue, namespace } from "./errors";

/** Reads one key's raw string through a zod schema, recording an issue instead of throwing. */
export class RawConfig {
  readonly issues: ConfigIssue[] = [];
  constructor(readonly values: Record<string, string>) {}

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Pulumi.yaml gives optional keys an empty default, so an empty string means "not set". */
  get(key: string): string | undefined {
    const raw = this.values[`${namespace}:${key}`];
    return raw === "" ? undefined : raw;
  }

  read<T>(key: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, example: string, json = false): T | undefined {
    const raw = this.get(key);
    let input: unknown = raw;
    if (raw !== undefined && json) {
      try {
        input = JSON.parse(raw);
      } catch {
        this.issues.push({ key, problem: "is not valid JSON/YAML structure", example });
        return undefined;
      }
    }
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const where = issue.path.length ? `${key}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}` : key;
      const problem = raw === undefined && issue.path.length === 0 ? "is required but not set" : describe(issue);
      this.issues.push({ key: where, problem, example });
    }
    return undefined;
  }
}

/**
 * A zod issue in words that never repeat the value given: a secret pasted into the wrong field (a token as a tier, a
 * key as a `supabase` source) must not land in a CI log through the error that refuses it.
 */
function describe(issue: z.ZodIssue): string {
  if (issue.code === "invalid_enum_value") return `is not one of ${issue.options.map((o) => `"${String(o)}"`).join(", ")}`;
  if (issue.code === "unrecognized_keys") return `has unknown field(s) ${issue.keys.map(fieldName).join(", ")}`;
  if (issue.code === "invalid_type" && issue.received === "undefined") return "is required but not set";
  return issue.message;
}

const booleanString = z.enum(["true", "false"]).transform((v) => v === "true");
export const flag = (raw: RawConfig, key: string, fallback: boolean) => raw.read(key, booleanString.default(fallback ? "true" : "false"), "true");

/** A field name as it may be shown: a plain identifier; anything else (it may be a pasted value) is not repeated. */
function fieldName(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(key) && findCredentials(key).length === 0
    ? `"${key}"`
    : "(a field whose name is not shown: it looks like a value)";
}
