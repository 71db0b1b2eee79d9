import { z } from "zod";
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

function describe(issue: z.ZodIssue): string {
  if (issue.code === "invalid_enum_value") return `is "${String(issue.received)}", but must be one of ${issue.options.map((o) => `"${String(o)}"`).join(", ")}`;
  if (issue.code === "unrecognized_keys") return `has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_type" && issue.received === "undefined") return "is required but not set";
  return issue.message;
}

const booleanString = z.enum(["true", "false"]).transform((v) => v === "true");
export const flag = (raw: RawConfig, key: string, fallback: boolean) => raw.read(key, booleanString.default(fallback ? "true" : "false"), "true");
