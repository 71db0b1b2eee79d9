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
    if (!databaseUrl)
      raw.issues.push({
        key: "databaseUrl",
        problem: "is required when databaseProvider is postgres",
        example: "postgresql://app@ep-dev-456.eu-central-1.aws.neon.tech/app",
      });
    if (!raw.has("migrationCommand"))
      raw.issues.push({
        key: "migrationCommand",
        problem: "is required when databaseProvider is postgres: the Supabase CLI does not migrate it",
        example: "pnpm db:migrate",
      });
    if (!prodDatabaseHost) return undefined;
    const host = databaseUrl ? hostOfUrl(databaseUrl) : undefined;
    if (host && isProd && host !== prodDatabaseHost)
      raw.issues.push({
        key: "databaseUrl",
        problem: `points at ${host}, but this is the prod tier, whose database is prodDatabaseHost`,
        example: `postgresql://app@${prodDatabaseHost}/app`,
      });
    return { provider, prodDatabaseHost, prodNames: [prodDatabaseHost], identityKeys: ["prodDatabaseHost"] };
  }
  if (!provider) return undefined;
  const projectRef = raw.read("supabaseProjectRef", refSchema, "abcdefghijklmnopqrst");
  const prodProjectRef = raw.read("prodProjectRef", refSchema, "abcdefghijklmnopqrst");
  if (!projectRef || !prodProjectRef) return undefined;
  if (isProd && projectRef !== prodProjectRef)
    raw.issues.push({ key: "supabaseProjectRef", problem: "differs from prodProjectRef, but this is the prod tier", example: prodProjectRef });
  if (!isProd && projectRef === prodProjectRef)
    raw.issues.push({
      key: "supabaseProjectRef",
      problem: `is the prod project, but this is the ${tier} tier; only the prod stack may point at prod`,
      example: "the ref of your test project",
    });
  return { provider, projectRef, prodProjectRef, prodNames: [prodProjectRef], identityKeys: ["prodProjectRef"] };
}

/** Config keys of the database connection (besides databaseUrl). */
export const databaseKeys = ["supabasePoolerHost"];

/** The host of a project's shared pooler (Supavisor): per region and cluster, e.g. aws-0-eu-central-1.pooler.supabase.com. */
const poolerHost = /^[a-z0-9]+(-[a-z0-9]+)*\.pooler\.supabase\.com$/;
const directHost = /^db\.([a-z]{20})\.supabase\.(co|red)$/;
const poolerExample = "aws-0-eu-central-1.pooler.supabase.com";

/**
 * Where the release steps connect (psql and the Supabase CLI, from the runner of the job): databaseUrl, or for a
 * Supabase project without one, the session pooler: `postgresql://postgres.<ref>@<supabasePoolerHost>:5432/postgres`.
 *
 * Not the direct host `db.<ref>.supabase.co`: it has IPv6 addresses only (unless the project buys the IPv4 add-on),
 * and GitHub-hosted runners have no IPv6 (supabase/setup-cli#354, supabase/cli#3318), so every release from the
 * shipped workflows failed to connect. The pooler's host is per region and cluster (`aws-0-…` and `aws-1-…` both
 * exist), so it is not derived from anything: the dashboard's Connect → Session pooler string shows it. Without it
 * the config is refused, naming both keys.
 */
export function releaseDatabaseUrl(raw: RawConfig, identity: DatabaseIdentity, databaseUrl: string | undefined): string | undefined {
  const host = raw.read(
    "supabasePoolerHost",
    z
      .string()
      .refine(
        (h) => !directHost.test(h),
        "is the direct host, which has IPv6 addresses only; use the host of the Session pooler string (Connect → Session pooler in the dashboard)",
      )
      .refine(
        (h) => directHost.test(h) || poolerHost.test(h),
        `must be the host of the project's Session pooler, such as ${poolerExample} (no scheme, user or port)`,
      )
      .optional(),
    poolerExample,
  );
  if (identity.provider !== "supabase" || !identity.projectRef) return databaseUrl;
  if (databaseUrl) {
    checkSupabaseDatabaseUrl(raw, identity.projectRef, databaseUrl);
    return databaseUrl;
  }
  if (host) return `postgresql://postgres.${identity.projectRef}@${host}:5432/postgres`;
  if (!raw.has("supabasePoolerHost")) {
    raw.issues.push({
      key: "supabasePoolerHost",
      problem:
        "is required unless databaseUrl is set: the release connects from the job's runner, and the direct host " +
        `db.${identity.projectRef}.supabase.co has IPv6 addresses only, which GitHub-hosted runners cannot reach. Copy the host of the ` +
        "Session pooler connection string (dashboard → Connect → Session pooler); it differs per region",
      example: poolerExample,
    });
  }
  return undefined;
}

/** A databaseUrl of a Supabase stack must reach this stack's project: by its direct host, or the pooler as postgres.<ref>. */
function checkSupabaseDatabaseUrl(raw: RawConfig, projectRef: string, url: string) {
  const host = hostOfUrl(url);
  const user = /^postgres(?:ql)?:\/\/([^:@/]+)@/.exec(url)?.[1];
  const direct = host ? directHost.exec(host)?.[1] : undefined;
  if (direct && direct !== projectRef)
    raw.issues.push({
      key: "databaseUrl",
      problem: `points at the project ${direct}, but supabaseProjectRef is ${projectRef}`,
      example: `postgresql://postgres.${projectRef}@${poolerExample}:5432/postgres`,
    });
  if (host && poolerHost.test(host)) {
    const poolerRef = user?.startsWith("postgres.") ? user.slice("postgres.".length) : undefined;
    if (!poolerRef)
      raw.issues.push({
        key: "databaseUrl",
        problem: "reaches the shared pooler, which finds the project by the user name: it must be postgres.<project ref>",
        example: `postgresql://postgres.${projectRef}@${host}:5432/postgres`,
      });
    else if (poolerRef !== projectRef)
      raw.issues.push({
        key: "databaseUrl",
        problem: `connects as the pooler user of the project ${poolerRef}, but supabaseProjectRef is ${projectRef}`,
        example: `postgresql://postgres.${projectRef}@${host}:5432/postgres`,
      });
  }
}
