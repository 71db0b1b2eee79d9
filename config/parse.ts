import { z } from "zod";
import { ConfigError, namespace, redactIssue } from "./errors";
import { RawConfig, flag } from "./raw";
import {
  EdgeFunctionConfig,
  NamedSource,
  Tier,
  VercelProjectConfig,
  edgeFunctionSchema,
  generatedSecretSchema,
  namedSourceSchema,
  tiers,
  vercelProjectSchema,
} from "./schema";
import { checkGithub, githubKeys, parseGithub, GithubSettings } from "./github";
import { checkVercel, parseVercelRules, vercelRuleKeys } from "./vercel";
import { DatabaseIdentity, databaseKeys, parseIdentity, releaseDatabaseUrl } from "./identity";
import { SourceFields, secretReferences, sourceOf, sourceProblem, valueSources } from "./sources";
import { builtInSecretKeys, refusedTokenKeys, secretKeyIssues } from "./secret-keys";
import { plainCredentialIssues } from "./plain-values";
import { gateStackIssues } from "./gate-stack";
import { configSizeWarningText } from "./size";
import { TokenReachSettings, parseTokenReach, tokenReachKeys } from "./token-reach";
import { findProdCredential, identityOf } from "../contracts/prod-identity";
import { defaultProdStacks } from "../contracts/stacks";
import { sqlIdentifier, sqlTableName } from "../contracts/sql-names";
import { ReleaseRules, parseReleaseRules, releaseKeys } from "./release";
import { PromotionSettings, parsePromotion, promotionKeys } from "./promotion";

export interface SupabaseSettings {
  url: string;
  anonKey?: string;
  /** Connection URL without a password: the password travels only as PGPASSWORD. */
  databaseUrl: string;
  markerTable: string;
  /** Column of markerTable that holds the marker (a lowercase SQL identifier). */
  markerColumn: string;
  /** What the marker must say for this stack: environmentMarkerValue, or the tier's name. */
  markerValue: string;
  /** The folder holding `migrations/` and `functions/`, as the Supabase CLI lays it out. */
  supabaseDir: string;
  functions: EdgeFunctionConfig[];
  functionSecrets: NamedSource[];
  migrationCommand: string;
  integrationTestCommand?: string;
  /** The migration history rules (config/release.ts). */
  migrationRules: Omit<ReleaseRules, "breakGlass">;
}

export interface Settings {
  stack: string;
  tier: Tier;
  isProd: boolean;
  /** Supabase projects only; a plain Postgres (databaseProvider postgres) has none. */
  projectRef?: string;
  identity: DatabaseIdentity;
  supabase?: SupabaseSettings;
  /** This stack's project as clients see it (the `supabase` value sources), whether or not the release is enabled. */
  supabaseProject: { url: string; anonKey?: string };
  releaseGateStack: string;
  /** Prod only: why this update runs no release step (config/release.ts). */
  breakGlass?: string;
  /** How prod makes a release's app code live: from merges or tags, and a rollback (config/promotion.ts). */
  promotion: PromotionSettings;
  generatedSecrets: { name: string; length: number; version: number }[];
  vercel?: { teamId?: string; projects: VercelProjectConfig[]; sensitivePolicy: boolean };
  github?: GithubSettings;
  /** Every config key this stack reads with requireSecret. */
  secretKeys: string[];
  /** Whether to ask the Supabase and Vercel APIs if this stack's tokens reach prod, and the cases a team accepted. */
  tokenReach: TokenReachSettings;
  /** Things the user must hear at every run that do not stop it (printed by config/load.ts). */
  warnings: string[];
}

/** Runs from the project root; the release step sets DATABASE_URL (no password), PGPASSWORD and SUPABASE_WORKDIR. */
export const defaultMigrationCommand = './node_modules/.bin/supabase db push --remote="$DATABASE_URL" --include-all --yes --workdir "$SUPABASE_WORKDIR"';

/** Every plain key the program reads (secret keys: config/secret-keys.ts); Pulumi.yaml declares each (tests/unit/config-keys.test.ts). */
export const plainKeys = [
  "tier",
  "supabaseProjectRef",
  "prodProjectRef",
  "databaseProvider",
  "prodDatabaseHost",
  "supabaseUrl",
  "supabaseAnonKey",
  "databaseUrl",
  "environmentMarkerTable",
  "environmentMarkerColumn",
  "environmentMarkerValue",
  "enableVercel",
  "enableGithub",
  "enableSupabaseRelease",
  "supabaseDir",
  "edgeFunctions",
  "functionSecrets",
  "migrationCommand",
  "integrationTestCommand",
  "releaseGateStack",
  "generatedSecrets",
  ...releaseKeys,
  ...promotionKeys,
  ...databaseKeys,
  "vercelTeamId",
  "vercelProjects",
  ...vercelRuleKeys,
  ...tokenReachKeys,
  ...githubKeys,
];

/**
 * Parses the whole configuration of one stack, plain data in, plain data out.
 * Collects every problem before failing, so one run shows everything to fix.
 */
export function parseSettings(values: Record<string, string>, stack: string, secretKeysSet: ReadonlySet<string>): Settings {
  const raw = new RawConfig(values);
  const tier = raw.read("tier", z.enum(tiers), "test");
  if (tier && (stack === "test" || stack === "prod") && tier !== stack) {
    raw.issues.push({ key: "tier", problem: `is "${tier}" but the stack is "${stack}"; the two standard stacks must carry their own tier`, example: stack });
  }
  const isProd = tier === "prod";
  const url = raw.read("supabaseUrl", httpsUrl.optional(), "https://abcdefghijklmnopqrst.supabase.co");
  const anonKey = raw.read("supabaseAnonKey", z.string().min(20, "is too short to be an anon or publishable key").optional(), "sb_publishable_...");
  const databaseUrl = raw.read(
    "databaseUrl",
    postgresUrlWithoutPassword.optional(),
    "postgresql://postgres.abcdefghijklmnopqrst@aws-0-eu-central-1.pooler.supabase.com:5432/postgres",
  );
  const identity = parseIdentity(raw, tier, databaseUrl);
  const releaseEnabled = flag(raw, "enableSupabaseRelease", true);
  const releaseDatabase = releaseEnabled && identity ? releaseDatabaseUrl(raw, identity, databaseUrl) : databaseUrl;
  // A list that failed to parse is undefined, not empty: checks that look across lists skip it instead of reporting
  // a second, misleading problem (a generated secret "not defined" because generatedSecrets had a bad length).
  const functionsParsed = raw.read("edgeFunctions", z.array(edgeFunctionSchema).default([]), '[{"name":"send-email","verifyJwt":false}]', true);
  const functionSecretsParsed = raw.read("functionSecrets", z.array(namedSourceSchema).default([]), '[{"name":"CRON_SECRET","generated":"cronSecret"}]', true);
  const generatedParsed = raw.read("generatedSecrets", z.array(generatedSecretSchema).default([]), '[{"name":"cronSecret","length":48}]', true);
  const functions = functionsParsed ?? [];
  const functionSecrets = functionSecretsParsed ?? [];
  const generatedSecrets = generatedParsed ?? [];
  const integrationTestCommand = raw.read("integrationTestCommand", z.string().min(1).optional(), "npm run test:integration");
  const vercelEnabled = flag(raw, "enableVercel", true);
  const projectsParsed = raw.read(
    "vercelProjects",
    z.array(vercelProjectSchema).default([]),
    '[{"name":"web","variables":[{"key":"NEXT_PUBLIC_SUPABASE_URL","supabase":"url"}]}]',
    true,
  );
  const projects = projectsParsed ?? [];
  const githubEnabled = flag(raw, "enableGithub", true);
  const github = githubEnabled ? parseGithub(raw) : undefined;
  const tokenReach = parseTokenReach(raw);

  checkUnique(
    raw,
    "edgeFunctions",
    functions.map((f) => f.name),
  );
  checkUnique(
    raw,
    "functionSecrets",
    functionSecrets.map((s) => s.name),
  );
  checkUnique(
    raw,
    "generatedSecrets",
    generatedSecrets.map((s) => s.name),
  );
  for (const [i, s] of functionSecrets.entries()) checkFunctionSecret(raw, i, s);
  for (const [p, project] of projects.entries()) {
    for (const [v, variable] of project.variables.entries()) checkSource(raw, `vercelProjects[${p}].variables[${v}]`, variable, `(${variable.key}) `, "key");
  }
  for (const [i, s] of (github?.environmentSecrets ?? []).entries()) checkSource(raw, `githubEnvironmentSecrets[${i}]`, s, `(${s.name}) `, "name");
  if (vercelEnabled && tier) checkVercel(raw, projects, tier);
  if (github && tier) checkGithub(raw, github, tier);
  if (github && isProd && github.agentAccounts.length === 0) {
    raw.issues.push({
      key: "agentAccounts",
      problem:
        "is empty in the prod stack: nothing could then tell an agent from a human, so branch protection, the production environment and the " +
        "policy pack could not keep agents out of reviewers, bypass lists and push allowances. List every AI agent account with its numeric " +
        "id; a repository without agents still lists the bots that must never approve (github-actions[bot])",
      example: '[{"login":"codex-agent","id":900001},{"login":"github-actions[bot]","id":41898282}]',
    });
  }

  const sources = [...functionSecrets, ...projects.flatMap((p) => p.variables), ...(github?.environmentSecrets ?? [])].map(sourceOf);
  const sourcesComplete = functionSecretsParsed !== undefined && projectsParsed !== undefined && (!githubEnabled || github !== undefined);
  const generatedNames = new Set(generatedSecrets.map((g) => g.name));
  for (const s of sources) {
    if (generatedParsed !== undefined && s.generated && !generatedNames.has(s.generated))
      raw.issues.push({
        key: "generatedSecrets",
        problem: `has no entry named "${s.generated}", which a variable or secret refers to`,
        example: `[{"name":"${s.generated}","length":48}]`,
      });
    if (s.supabase === "anonKey" && anonKey === undefined)
      raw.issues.push({ key: "supabaseAnonKey", problem: "is required because a variable uses the anon key", example: "sb_publishable_..." });
  }
  if (releaseEnabled && tier && !isProd && !integrationTestCommand) {
    raw.issues.push({
      key: "integrationTestCommand",
      problem: `is required on the ${tier} tier: prod only releases what passed these tests`,
      example: "npm run test:integration",
    });
  }

  const secretKeys = new Set<string>(secretReferences(sources));
  if (releaseEnabled) secretKeys.add("supabaseDbPassword");
  if (releaseEnabled && (functions.length > 0 || functionSecrets.length > 0)) secretKeys.add("supabaseAccessToken");
  if (vercelEnabled && projects.length > 0) secretKeys.add("vercelApiToken");
  if (generatedSecrets.length > 0) {
    secretKeys.add("generatedSecretsSeed");
    const seed = values[`${namespace}:generatedSecretsSeed`] ?? "";
    if (seed !== "" && seed.length < 32)
      raw.issues.push({
        key: "generatedSecretsSeed",
        problem: "is shorter than 32 characters: every generated secret of this stack is derived from it, so it must be long and random",
        example: `openssl rand -hex 32 | pulumi config set --secret --stack ${stack} ${namespace}:generatedSecretsSeed`,
      });
  }
  raw.issues.push(...secretKeyIssues({ values, secretKeysSet, stack, required: secretKeys }));
  checkUnknownKeys(raw, secretKeys, sourcesComplete ? new Set() : secretKeysSet);
  for (const issue of plainCredentialIssues(values, secretKeysSet)) if (!raw.issues.some((i) => i.key === issue.key)) raw.issues.push(issue);
  if (identity) checkNoProdNameOutsideProd(raw, identity, isProd);
  if (identity?.provider === "postgres") checkPostgresOnly(raw, functions.length + functionSecrets.length, sources);

  const markerTable = raw.read(
    "environmentMarkerTable",
    z.string().regex(sqlTableName, "must be a table name such as public.deploy_env_marker").default("public.deploy_env_marker"),
    "public.deploy_env_marker",
  );
  const markerColumn = raw.read(
    "environmentMarkerColumn",
    z.string().regex(sqlIdentifier, "must be a column name: a lowercase SQL identifier (letters, digits, _), such as environment").default("environment"),
    "environment",
  );
  const markerValue = raw.read(
    "environmentMarkerValue",
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,63}$/, "must be one short word (letters, digits, '.', '_', '-'), such as dev")
      .optional(),
    tier ?? "test",
  );
  if (tier && markerValue) checkMarkerValue(raw, markerValue, tier);
  const supabaseDir = raw.read("supabaseDir", relativeFolder.default("supabase"), "supabase");
  const migrationCommand = raw.read("migrationCommand", z.string().min(1).default(defaultMigrationCommand), defaultMigrationCommand);
  const releaseGateStack = raw.read(
    "releaseGateStack",
    z.string().min(1).default("organization/deploy-guardrails/test"),
    "organization/deploy-guardrails/test",
  );
  if (releaseGateStack && isProd) raw.issues.push(...gateStackIssues(releaseGateStack, stack, defaultProdStacks));
  const releaseRules = parseReleaseRules(raw, tier);
  const promotion = parsePromotion(raw, tier, releaseRules?.breakGlass);
  const vercelTeamId = raw.read(
    "vercelTeamId",
    z
      .string()
      .regex(/^team_[A-Za-z0-9]+$/, "must be a Vercel team id such as team_abc123")
      .optional(),
    "team_abc123",
  );
  const vercelRules = parseVercelRules(raw);
  if (
    raw.issues.length > 0 ||
    !tier ||
    !identity ||
    !markerTable ||
    !markerColumn ||
    !supabaseDir ||
    !migrationCommand ||
    !releaseGateStack ||
    !releaseRules ||
    !promotion
  ) {
    const secretValues = [...secretKeysSet].map((k) => values[k]).filter((v): v is string => typeof v === "string" && v.length > 0);
    throw new ConfigError(
      stack,
      raw.issues.map((issue) => redactIssue(issue, secretValues)),
    );
  }
  const sizeWarning = configSizeWarningText(values);
  const supabaseProject = { url: url ?? (identity.projectRef ? `https://${identity.projectRef}.supabase.co` : ""), anonKey };
  return {
    stack,
    tier,
    isProd,
    projectRef: identity.projectRef,
    identity,
    supabaseProject,
    supabase: releaseEnabled
      ? {
          ...supabaseProject,
          databaseUrl: releaseDatabase ?? "",
          markerTable,
          markerColumn,
          markerValue: markerValue ?? tier,
          supabaseDir,
          functions,
          functionSecrets,
          migrationCommand,
          integrationTestCommand: isProd ? undefined : integrationTestCommand,
          migrationRules: {
            historyTable: releaseRules.historyTable,
            baseline: releaseRules.baseline,
            acknowledged: releaseRules.acknowledged,
            allowedOutOfOrder: releaseRules.allowedOutOfOrder,
          },
        }
      : undefined,
    releaseGateStack,
    breakGlass: releaseRules.breakGlass,
    promotion,
    generatedSecrets,
    vercel: vercelEnabled ? { teamId: vercelTeamId, projects, sensitivePolicy: vercelRules.sensitivePolicy } : undefined,
    github,
    secretKeys: [...secretKeys].sort(),
    tokenReach,
    warnings: sizeWarning ? [sizeWarning] : [],
  };
}

/** Words that name the prod database on one side and a non-prod one on the other: a stack must not expect the other side's marker. */
const prodMarkers = ["prod", "production"];
const nonProdMarkers = ["test", "staging", "dev", "development", "preview"];

function checkMarkerValue(raw: RawConfig, value: string, tier: Tier) {
  const word = value.toLowerCase();
  if (tier !== "prod" && prodMarkers.includes(word)) {
    raw.issues.push({
      key: "environmentMarkerValue",
      problem: `is "${value}", the marker of a prod database, but this is the ${tier} tier; the check would let this stack release to prod`,
      example: tier,
    });
  }
  if (tier === "prod" && nonProdMarkers.includes(word)) {
    raw.issues.push({ key: "environmentMarkerValue", problem: `is "${value}", the marker of a non-prod database, but this is the prod tier`, example: "prod" });
  }
}

const httpsUrl = z
  .string()
  .url("must be a URL")
  .refine((u) => u.startsWith("https://"), "must start with https://");

/** A folder inside the project: relative, and no `.` or `..` segment, so it cannot point outside it (`../../../etc`). */
const relativeFolder = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "must be a relative folder path inside the project, such as supabase")
  .refine((dir) => dir.split("/").every((segment) => segment !== "." && segment !== ".."), "must stay inside the project: no '.' or '..' segments");

const postgresUrlWithoutPassword = z
  .string()
  .regex(/^postgres(ql)?:\/\/[^\s]+$/, "must be a postgresql:// URL")
  .refine((u) => !/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(u), "must not contain a password; put it in the secret supabaseDbPassword");

function checkUnique(raw: RawConfig, key: string, names: string[]) {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) raw.issues.push({ key, problem: `lists "${n}" twice`, example: "each name once" });
    seen.add(n);
  }
}

/** Exactly one value source, for every kind of entry that takes one (config/sources.ts is the table). */
function checkSource(raw: RawConfig, key: string, s: SourceFields, label: string, entry: "key" | "name") {
  const problem = sourceProblem(s);
  if (problem)
    raw.issues.push({
      key,
      problem: `${label}${problem}`,
      example: entry === "key" ? valueSources.generated.example : valueSources.generated.example.replace('"key"', '"name"'),
    });
}

/**
 * Supabase reserves the SUPABASE_ prefix for the secrets it sets itself: `supabase secrets set` skips such a name with
 * "Env name cannot start with SUPABASE_, skipping" (supabase/cli internal/secrets/set/set.go) and the Management API's
 * schema refuses it (secret names match ^(?!SUPABASE_).*), so the function would never see the value.
 */
function checkFunctionSecret(raw: RawConfig, i: number, s: NamedSource) {
  checkSource(raw, `functionSecrets[${i}]`, s, `(${s.name}) `, "name");
  if (s.name.startsWith("SUPABASE_")) {
    raw.issues.push({
      key: `functionSecrets[${i}].name`,
      problem: `(${s.name}) starts with SUPABASE_, which Supabase reserves for the secrets it sets itself; \`supabase secrets set\` skips the name, so the function would never see this value`,
      example: `"${s.name.slice("SUPABASE_".length) || "APP_SECRET"}"`,
    });
  }
}

/** `unsure` are keys not to report as unknown because a list that could name them failed to parse. */
function checkUnknownKeys(raw: RawConfig, secretKeys: Set<string>, unsure: ReadonlySet<string>) {
  const known = new Set<string>([...plainKeys, ...builtInSecretKeys, ...secretKeys, ...refusedTokenKeys.map((k) => k.slice(namespace.length + 1))]);
  for (const full of Object.keys(raw.values)) {
    if (!full.startsWith(`${namespace}:`) || unsure.has(full)) continue;
    const key = full.slice(namespace.length + 1);
    if (!known.has(key)) {
      const near = [...known].find((k) => k.toLowerCase() === key.toLowerCase());
      raw.issues.push({
        key,
        problem: `is not a key this program reads${near ? ` (did you mean ${near}?)` : ""}`,
        example: near ?? "see the config section of Pulumi.yaml",
      });
    }
  }
}

/**
 * A value that names the prod database in a non-prod stack is exactly the leak this tool exists to stop. The matcher
 * is the policy pack's (contracts/prod-identity.ts), fed with what this stack's config knows about prod, so the
 * program refuses what the policy refuses, and nothing the policy lets through (`staging.<prod host>` is another host).
 */
function checkNoProdNameOutsideProd(raw: RawConfig, identity: DatabaseIdentity, isProd: boolean) {
  if (isProd) return;
  const allowed = new Set(identity.identityKeys.map((k) => `${namespace}:${k}`));
  const prod = identityOf(identity.prodProjectRef ? [identity.prodProjectRef] : [], identity.prodDatabaseHost ? [identity.prodDatabaseHost] : []);
  for (const [full, value] of Object.entries(raw.values)) {
    if (!full.startsWith(`${namespace}:`) || allowed.has(full)) continue;
    const forms = findProdCredential(value, prod);
    if (forms.length > 0) {
      raw.issues.push({
        key: full.slice(namespace.length + 1),
        problem: `names the prod database (${forms.join(" and ")}); only the prod stack may point at prod`,
        example: "the matching value of your test project",
      });
    }
  }
}

/** A plain Postgres (Neon) has no edge functions and no Supabase keys to hand out. */
function checkPostgresOnly(raw: RawConfig, supabaseOnlyCount: number, sources: { supabase?: string }[]) {
  if (supabaseOnlyCount > 0)
    raw.issues.push({
      key: "edgeFunctions",
      problem: "edge functions and function secrets need a Supabase project, but databaseProvider is postgres",
      example: "[]",
    });
  if (sources.some((s) => s.supabase !== undefined))
    raw.issues.push({
      key: "vercelProjects",
      problem: 'a value uses "supabase", but databaseProvider is postgres; use "secret" or "value"',
      example: '{"key":"DATABASE_URL","secret":"databaseUrlWithPassword"}',
    });
}
