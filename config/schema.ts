import { z } from "zod";
import { Tier, tiers } from "../contracts/stacks";
import { configKeyName, sourceShape } from "./sources";

export { projectRefPattern } from "../contracts/prod-identity";
export { tiers };
export type { Tier };
/** What Vercel, GitHub and POSIX shells accept as a variable name. */
export const envVarNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Supabase function names are slugs: they become URL path segments. */
export const functionNamePattern = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const vercelTargets = ["production", "preview", "development"] as const;
export type VercelTarget = (typeof vercelTargets)[number];
const envVarName = z.string().regex(envVarNamePattern, "must be a valid environment variable name such as SUPABASE_URL");

export const vercelVariableSchema = z
  .object({
    key: envVarName,
    ...sourceShape,
    targets: z.array(z.enum(vercelTargets)).nonempty().optional(),
    gitBranch: z.string().min(1).optional(),
    comment: z.string().max(1000).optional(),
    // The Vercel id of this variable made by hand (the ENV_CONFLICT error names it, or GET /v10/projects/<id>/env): adopted instead of created.
    adoptId: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,64}$/, "must be the id of a Vercel environment variable, such as 0Y3SVUop5h3vB5DX (the ENV_CONFLICT error names it)")
      .optional(),
  })
  .strict();
export type VercelVariableConfig = z.infer<typeof vercelVariableSchema>;

export const vercelProjectSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, "must be a Vercel project name: lowercase letters, digits, '.', '_' or '-'"),
    projectId: z
      .string()
      .regex(/^prj_[A-Za-z0-9]+$/, "must be a Vercel project id such as prj_abc123")
      .optional(),
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
    ...sourceShape,
  })
  .strict();
/** A function secret or GitHub environment secret: a name and exactly one value source (checked in config/parse.ts). */
export type NamedSource = z.infer<typeof namedSourceSchema>;

export const edgeFunctionSchema = z
  .object({
    name: z.string().regex(functionNamePattern, "must be a function folder name without spaces, such as send-email"),
    verifyJwt: z.boolean().default(true),
  })
  .strict();
export type EdgeFunctionConfig = z.infer<typeof edgeFunctionSchema>;

export const generatedSecretSchema = z
  .object({
    name: configKeyName,
    length: z.number().int().min(24).max(128).default(48),
    // Raise it to rotate the secret: the value is derived from the stack's seed, the name and the version.
    version: z.number().int().min(1).default(1),
  })
  .strict();
