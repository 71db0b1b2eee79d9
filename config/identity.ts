import { z } from "zod";
import { hostOfUrl, normaliseDatabaseHost } from "../contracts/prod-identity";
import { RawConfig } from "./raw";
import { Tier, projectRefPattern } from "./schema";

export const databaseProviders = ["supabase", "postgres"] as const;
export type DatabaseProvider = (typeof databaseProviders)[number];

/** Which database this stack releases to, and what names the prod one, so non-prod stacks can refuse it. */
export interface DatabaseIdentity {
  provider: DatabaseProvider;
  /** Supabase only: this stack's project ref. */
  projectRef?: string;
  prodProjectRef?: string;
  /** Postgres only (e.g. Neon): the prod database's host name. */
  prodDatabaseHost?: string;
  /** Strings that name prod; a non-prod stack must contain none of them. */
  prodNames: string[];
  /** Config keys that legitimately hold a prod name in every stack. */
  identityKeys: string[];
}

const refSchema = z.string().regex(projectRefPattern, "must be a Supabase project ref: exactly 20 lowercase letters");
/** What the policy pack accepts as prodDatabaseHosts (contracts/prod-identity.ts), normalised the same way. */
const hostSchema = z
  .string()
  .refine((h) => normaliseDatabaseHost(h) !== undefined, "must be a host name of at least two labels, such as ep-prod-123.eu-central-1.aws.neon.tech")
  .transform((h) => normaliseDatabaseHost(h) as string);

export function parseIdentity(raw: RawConfig, tier: Tier | undefined, databaseUrl: string | undefined): DatabaseIdentity | undefined {
  const provider = raw.read("databaseProvider", z.enum(databaseProviders).default("supabase"), "supabase");
  const isProd = tier === "prod";
  if (provider === "postgres") {
    const prodDatabaseHost = raw.read("prodDatabaseHost", hostSchema, "ep-prod-123.eu-central-1.aws.neon.tech");
    if (!databaseUrl) raw.issues.push({ key: "databaseUrl", problem: "is required when databaseProvider is postgres", example: "postgresql://app@ep-dev-456.eu-central-1.aws.neon.tech/app" });
    if (!raw.has("migrationCommand")) raw.issues.push({ key: "migrationCommand", problem: "is required when databaseProvider is postgres: the Supabase CLI does not migrate it", example: "pnpm db:migrate" });
    if (!prodDatabaseHost) return undefined;
    const host = databaseUrl ? hostOfUrl(databaseUrl) : undefined;
    if (host && isProd && host !== prodDatabaseHost) raw.issues.push({ key: "databaseUrl", problem: `points at ${host}, but this is the prod tier, whose database is prodDatabaseHost`, example: `postgresql://app@${prodDatabaseHost}/app` });
    return { provider, prodDatabaseHost, prodNames: [prodDatabaseHost], identityKeys: ["prodDatabaseHost"] };
  }
  if (!provider) return undefined;
  const projectRef = raw.read("supabaseProjectRef", refSchema, "abcdefghijklmnopqrst");
  const prodProjectRef = raw.read("prodProjectRef", refSchema, "abcdefghijklmnopqrst");
  if (!projectRef || !prodProjectRef) return undefined;
  if (isProd && projectRef !== prodProjectRef) raw.issues.push({ key: "supabaseProjectRef", problem: "differs from prodProjectRef, but this is the prod tier", example: prodProjectRef });
  if (!isProd && projectRef === prodProjectRef) raw.issues.push({ key: "supabaseProjectRef", problem: `is the prod project, but this is the ${tier} tier; only the prod stack may point at prod`, example: "the ref of your test project" });
  return { provider, projectRef, prodProjectRef, prodNames: [prodProjectRef], identityKeys: ["prodProjectRef"] };
}
