import { z } from "zod";

/** Project refs are exactly 20 lowercase letters (Supabase CLI `internal/utils/misc.go`). */
export const projectRefPattern = /^[a-z]{20}$/;
/** What Vercel, GitHub and POSIX shells accept as a variable name. */
export const envVarNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Supabase function names are slugs: they become URL path segments. */
export const functionNamePattern = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const tiers = ["test", "staging", "prod"] as const;
export type Tier = (typeof tiers)[number];
export const vercelTargets = ["production", "preview", "development"] as const;
export type VercelTarget = (typeof vercelTargets)[number];
export const supabaseValues = ["url", "anonKey", "serviceRoleKey", "projectRef"] as const;
export type SupabaseValue = (typeof supabaseValues)[number];

const configKeyName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a config key name such as stripeSecretKey");
const envVarName = z.string().regex(envVarNamePattern, "must be a valid environment variable name such as SUPABASE_URL");

/**
 * Where a variable's value comes from. Exactly one field: a literal (public values only), a secret config key,
 * a generated secret of this stack, or a value derived from this stack's Supabase project.
 */
export const valueSourceSchema = z
  .object({
    value: z.string().optional(),
    secret: configKeyName.optional(),
    generated: configKeyName.optional(),
    supabase: z.enum(supabaseValues).optional(),
  })
  .strict()
  .refine((s) => [s.value, s.secret, s.generated, s.supabase].filter((v) => v !== undefined).length === 1, {
    message: 'needs exactly one of "value", "secret", "generated" or "supabase"',
  });
export type ValueSource = z.infer<typeof valueSourceSchema>;

export const vercelVariableSchema = z
  .object({
    key: envVarName,
    value: z.string().optional(),
    secret: configKeyName.optional(),
    generated: configKeyName.optional(),
    supabase: z.enum(supabaseValues).optional(),
    targets: z.array(z.enum(vercelTargets)).nonempty().optional(),
    gitBranch: z.string().min(1).optional(),
    comment: z.string().max(1000).optional(),
  })
  .strict();
export type VercelVariableConfig = z.infer<typeof vercelVariableSchema>;

export const vercelProjectSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, "must be a Vercel project name: lowercase letters, digits, '.', '_' or '-'"),
    projectId: z.string().regex(/^prj_[A-Za-z0-9]+$/, "must be a Vercel project id such as prj_abc123").optional(),
    adopt: z.boolean().default(false),
    // A Vercel framework preset slug; "other" is Vercel's "Other": the project shell sends no framework.
    framework: z
      .string({ invalid_type_error: 'must be a Vercel framework slug such as "nextjs" or "vite", or "other" for no framework' })
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a Vercel framework slug such as "nextjs" or "vite", or "other" for no framework')
      .default("nextjs"),
    rootDirectory: z.string().optional(),
    buildCommand: z.string().optional(),
    installCommand: z.string().optional(),
    outputDirectory: z.string().optional(),
    previewProtection: z
      .enum(["standard_protection_new", "standard_protection", "all_deployments", "only_preview_deployments", "none"])
      .default("standard_protection_new"),
    variables: z.array(vercelVariableSchema).default([]),
  })
  .strict();
export type VercelProjectConfig = z.infer<typeof vercelProjectSchema>;


export const namedSourceSchema = z
  .object({
    name: envVarName,
    value: z.string().optional(),
    secret: configKeyName.optional(),
    generated: configKeyName.optional(),
    supabase: z.enum(supabaseValues).optional(),
  })
  .strict();
export type NamedSource = z.infer<typeof namedSourceSchema>;

export const edgeFunctionSchema = z
  .object({
    name: z.string().regex(functionNamePattern, "must be a function folder name without spaces, such as send-email"),
    verifyJwt: z.boolean().default(true),
  })
  .strict();
export type EdgeFunctionConfig = z.infer<typeof edgeFunctionSchema>;

export const generatedSecretSchema = z
  .object({ name: configKeyName, length: z.number().int().min(24).max(128).default(48) })
  .strict();
