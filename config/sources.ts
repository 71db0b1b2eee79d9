import { z } from "zod";

export const supabaseValues = ["url", "anonKey", "serviceRoleKey", "projectRef"] as const;
export type SupabaseValue = (typeof supabaseValues)[number];

export const configKeyName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a config key name such as stripeSecretKey");

/**
 * Where a value (a Vercel variable, a function secret, a GitHub environment secret) comes from: the one table that
 * drives the field schemas, "exactly one source", sensitivity and which config keys must be secrets. A new source is
 * one row here (and its resolution in lib/resolve.ts).
 */
export const valueSources = {
  /** A literal in the stack file: public values only (config validation refuses credential shapes). */
  value: { schema: z.string(), sensitive: () => false, secretKey: () => undefined, example: '{"key":"NEXT_PUBLIC_APP_ENV","value":"preview"}' },
  /** A secret config key of this stack. */
  secret: { schema: configKeyName, sensitive: () => true, secretKey: (key: string) => key, example: '{"key":"STRIPE_SECRET_KEY","secret":"stripeSecretKey"}' },
  /** A generatedSecrets entry of this stack. */
  generated: { schema: configKeyName, sensitive: () => true, secretKey: () => undefined, example: '{"key":"CRON_SECRET","generated":"cronSecret"}' },
  /** A value of this stack's Supabase project. */
  supabase: {
    schema: z.enum(supabaseValues),
    sensitive: (v: SupabaseValue) => v === "serviceRoleKey",
    secretKey: (v: SupabaseValue) => (v === "serviceRoleKey" ? "supabaseServiceRoleKey" : undefined),
    example: '{"key":"NEXT_PUBLIC_SUPABASE_URL","supabase":"url"}',
  },
} as const;

type Sources = typeof valueSources;
export type SourceField = keyof Sources;
export const sourceFields = Object.keys(valueSources) as SourceField[];

/** The value-source fields shared by Vercel variables, function secrets and GitHub environment secrets. */
export type SourceFields = { [F in SourceField]?: z.infer<Sources[F]["schema"]> };

/** The zod fields of a value source, each optional: spread into every schema that takes one. */
export const sourceShape = Object.fromEntries(sourceFields.map((f) => [f, valueSources[f].schema.optional()])) as {
  [F in SourceField]: z.ZodOptional<Sources[F]["schema"]>;
};

export function sourceOf(s: SourceFields): SourceFields {
  return Object.fromEntries(sourceFields.map((f) => [f, s[f]])) as SourceFields;
}

/** The source fields that are set. */
export function setFields(s: SourceFields): SourceField[] {
  return sourceFields.filter((f) => s[f] !== undefined);
}

const fieldList = sourceFields
  .map((f) => `"${f}"`)
  .join(", ")
  .replace(/, ([^,]*)$/, " or $1");

/** Why an entry's source is not exactly one of the fields, or undefined. Names fields, never values. */
export function sourceProblem(s: SourceFields): string | undefined {
  const set = setFields(s);
  if (set.length === 1) return undefined;
  if (set.length === 0) return `has no value source; it needs exactly one of ${fieldList}`;
  return `has ${set.map((f) => `"${f}"`).join(" and ")}; it needs exactly one of ${fieldList}`;
}

/** Public values may be stored and shown in plain text; everything else is sensitive. */
export function isSensitive(s: SourceFields): boolean {
  const field = setFields(s)[0];
  if (field === undefined) return true;
  return (valueSources[field].sensitive as (v: unknown) => boolean)(s[field]);
}

/** Config keys that must be read with requireSecret because some source refers to them. */
export function secretReferences(sources: SourceFields[]): string[] {
  const keys = new Set<string>();
  for (const s of sources) {
    for (const field of setFields(s)) {
      const key = (valueSources[field].secretKey as (v: unknown) => string | undefined)(s[field]);
      if (key !== undefined) keys.add(key);
    }
  }
  return [...keys].sort();
}
