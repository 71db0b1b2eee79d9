import { z } from "zod";

export const supabaseValues = ["url", "anonKey", "serviceRoleKey", "projectRef"] as const;
export type SupabaseValue = (typeof supabaseValues)[number];

export const configKeyName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a config key name such as stripeSecretKey");

/**
 * What a source resolves against. `S` is how the program carries a secret (a secret pulumi Output): this module
 * stays free of the SDK, and a secret is only ever handed on, never read.
 */
export interface SourceContext<S> {
  secrets: Record<string, S>;
  generated: Record<string, S>;
  supabase: { url: string; anonKey?: string; projectRef?: string };
}

function loaded<S>(values: Record<string, S>, key: string, what: string): S {
  const value = values[key];
  if (!value) throw new Error(`${what} "${key}" was not loaded: config validation should have caught this`);
  return value;
}

const serviceRoleKeyConfig = "supabaseServiceRoleKey";

/**
 * Where a value (a Vercel variable, a function secret, a GitHub environment secret) comes from: the one table that
 * drives the field schemas, "exactly one source", sensitivity, which config keys must be secrets, and what the
 * value resolves to. A new source is one row here.
 */
export const valueSources = {
  /** A literal in the stack file: public values only (config validation refuses credential shapes). */
  value: {
    schema: z.string(),
    sensitive: () => false,
    secretKey: () => undefined,
    resolve: <S>(literal: string, _ctx: SourceContext<S>): S | string => literal,
    example: '{"key":"NEXT_PUBLIC_APP_ENV","value":"preview"}',
  },
  /** A secret config key of this stack. */
  secret: {
    schema: configKeyName,
    sensitive: () => true,
    secretKey: (key: string) => key,
    resolve: <S>(key: string, ctx: SourceContext<S>): S | string => loaded(ctx.secrets, key, "secret config key"),
    example: '{"key":"STRIPE_SECRET_KEY","secret":"stripeSecretKey"}',
  },
  /** A generatedSecrets entry of this stack. */
  generated: {
    schema: configKeyName,
    sensitive: () => true,
    secretKey: () => undefined,
    resolve: <S>(name: string, ctx: SourceContext<S>): S | string => loaded(ctx.generated, name, "generated secret"),
    example: '{"key":"CRON_SECRET","generated":"cronSecret"}',
  },
  /** A value of this stack's Supabase project. */
  supabase: {
    schema: z.enum(supabaseValues),
    sensitive: (v: SupabaseValue) => v === "serviceRoleKey",
    secretKey: (v: SupabaseValue) => (v === "serviceRoleKey" ? serviceRoleKeyConfig : undefined),
    resolve: <S>(v: SupabaseValue, ctx: SourceContext<S>): S | string => {
      if (v === "serviceRoleKey") return loaded(ctx.secrets, serviceRoleKeyConfig, "secret config key");
      return v === "url" ? ctx.supabase.url : ((v === "anonKey" ? ctx.supabase.anonKey : ctx.supabase.projectRef) ?? "");
    },
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
