import { FingerprintEntry, FingerprintSet, KdfParams, defaultKdf, fingerprintValues, minFingerprintLength, randomSalt } from "../../contracts/fingerprint";
import { findJwtClaims } from "../../contracts/jwt";
import { normaliseSecret, textVariants } from "../../contracts/normalise";
import { databaseHostOfUrl, normaliseDatabaseHost, projectRefPattern } from "../../contracts/prod-identity";
import { tiers } from "../../contracts/stacks";

/** One entry of `pulumi config --json --show-secrets`: a string value, or an object with `objectValue` too. */
export interface StackConfigEntry {
  value?: string;
  objectValue?: unknown;
  secret?: boolean;
}
export type StackConfigJson = Record<string, StackConfigEntry>;

/** The prod values the policy config is derived from. Held in memory only; never printed. */
export interface ProdValues {
  /** `tier` of the stack read (undefined when not set): only a prod tier's values may become prod fingerprints. */
  tier?: string;
  refs: string[];
  /** `databaseProvider` of the stack (`supabase` when not set). */
  databaseProvider: string;
  /** Host names of a non-Supabase prod database: `prodDatabaseHost`, and the host of `databaseUrl` for postgres. */
  databaseHosts: string[];
  /** Every prod value that identifies prod, public keys included: becomes prodFingerprints. */
  credentialValues: string[];
  /** The server secrets among them (public anon/publishable keys left out): becomes prodSecretFingerprints. */
  secretValues: string[];
  /** Secret or secret-named values skipped because they are too short to be secrets. */
  skippedShort: number;
  agentLogins: string[];
  agentIds: number[];
  releaseAuthorityIds: number[];
  releaseAuthorityTeamIds: number[];
  requiredStatusChecks: string[];
  /** The GitHub settings of prod that the GitHub policies judge against (config/github.ts). */
  soleReleaseAuthority: boolean;
  releaseBranches: string[];
  acknowledgedGaps: { setting: string; reason: string }[];
}

export class ConfigReadError extends Error {}

const secretNamedKey = /(?:key|token|password|secret)$/i;
/**
 * Keys whose values are public by design (Supabase's anon/publishable key ships to every browser), secret or not.
 * They identify prod (a prod publishable key in a test stack points a Preview at prod), so they are in
 * prodFingerprints; they are not server secrets, so they are left out of prodSecretFingerprints, which would
 * otherwise make prod's own NEXT_PUBLIC_SUPABASE_ANON_KEY a "server secret in a public variable".
 */
const publicKeyName = /(?:anon|publishable)key$/i;
const refInText = [/(?<![a-z0-9])([a-z]{20})\.supabase\.(?:co|in|red|com)(?![a-z0-9])/g, /(?<![a-z0-9])postgres\.([a-z]{20})(?![a-z0-9])/g];

function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}

function keyName(fullKey: string): string {
  return fullKey.slice(fullKey.lastIndexOf(":") + 1);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function refsIn(text: string): string[] {
  const refs: string[] = [];
  for (const variant of textVariants(text)) {
    const lower = variant.toLowerCase();
    for (const pattern of refInText) for (const m of lower.matchAll(pattern)) refs.push(m[1]);
    for (const claims of findJwtClaims(variant)) {
      const ref = claims.ref?.trim().toLowerCase();
      if (ref && projectRefPattern.test(ref)) refs.push(ref);
    }
  }
  return refs;
}

/**
 * Pulls what identifies prod out of the prod stack's config: the project ref (from `supabaseProjectRef`,
 * `prodProjectRef` and any Supabase URL, pooler user or JWT), the prod database host of a non-Supabase database
 * (`prodDatabaseHost`, and the host of `databaseUrl` when `databaseProvider` is postgres), every secret value, every
 * value whose key ends with Key/Token/Password/Secret, and the GitHub accounts the policies need.
 */
export function extractProdValues(config: StackConfigJson, options: { skipKeys?: readonly string[] } = {}): ProdValues {
  const skip = new Set(options.skipKeys ?? []);
  const refs = new Set<string>();
  const hosts = new Set<string>();
  const credentials = new Set<string>();
  const secrets = new Set<string>();
  let skippedShort = 0;
  let databaseUrl: string | undefined;
  const result: ProdValues = {
    refs: [],
    databaseProvider: "supabase",
    databaseHosts: [],
    credentialValues: [],
    secretValues: [],
    skippedShort: 0,
    agentLogins: [],
    agentIds: [],
    releaseAuthorityIds: [],
    releaseAuthorityTeamIds: [],
    requiredStatusChecks: [],
    soleReleaseAuthority: false,
    releaseBranches: [],
    acknowledgedGaps: [],
  };
  for (const [fullKey, entry] of Object.entries(config)) {
    const name = keyName(fullKey);
    if (entry.secret && (entry.value === undefined || entry.value === "[secret]")) {
      throw new ConfigReadError(`config key ${fullKey} is secret but its value was not decrypted; read the config with --show-secrets`);
    }
    const structured = entry.objectValue ?? parseJson(entry.value);
    const leaves = entry.objectValue !== undefined ? stringLeaves(entry.objectValue) : entry.value !== undefined ? [entry.value] : [];
    if ((name === "supabaseProjectRef" || name === "prodProjectRef") && entry.value && projectRefPattern.test(entry.value.trim())) {
      refs.add(entry.value.trim());
    }
    for (const leaf of leaves) for (const ref of refsIn(leaf)) refs.add(ref);
    if (name === "databaseProvider" && entry.value?.trim()) result.databaseProvider = entry.value.trim();
    if (name === "tier" && entry.value?.trim()) result.tier = entry.value.trim();
    if (name === "prodDatabaseHost" && entry.value !== undefined) {
      const host = normaliseDatabaseHost(entry.value);
      if (host !== undefined) hosts.add(host);
    }
    if (name === "databaseUrl" && entry.value !== undefined) databaseUrl = entry.value;

    const identifiesProd = entry.secret === true || (entry.objectValue === undefined && secretNamedKey.test(name));
    if (identifiesProd && !skip.has(fullKey) && !skip.has(name)) {
      for (const leaf of leaves) {
        const normalised = normaliseSecret(leaf);
        if (normalised.length === 0) continue;
        if (normalised.length < minFingerprintLength) skippedShort++;
        else {
          credentials.add(normalised);
          if (!publicKeyName.test(name)) secrets.add(normalised);
        }
      }
    }

    if (name === "agentAccounts" && Array.isArray(structured)) {
      for (const a of structured) {
        if (typeof a === "string") result.agentLogins.push(a);
        else if (a && typeof a === "object") {
          const { login, id } = a as { login?: unknown; id?: unknown };
          if (typeof login === "string") result.agentLogins.push(login);
          if (typeof id === "number") result.agentIds.push(id);
        }
      }
    }
    if (name === "releaseAuthority" && Array.isArray(structured)) {
      for (const a of structured) if (a && typeof (a as { id?: unknown }).id === "number") result.releaseAuthorityIds.push((a as { id: number }).id);
    }
    if (name === "releaseAuthorityTeams" && Array.isArray(structured)) {
      for (const t of structured) if (t && typeof (t as { id?: unknown }).id === "number") result.releaseAuthorityTeamIds.push((t as { id: number }).id);
    }
    if (name === "requiredStatusChecks" && Array.isArray(structured)) {
      for (const c of structured) if (typeof c === "string") result.requiredStatusChecks.push(c);
    }
    if (name === "soleReleaseAuthority") result.soleReleaseAuthority = entry.value === "true" || structured === true;
    if (name === "releaseBranches" && Array.isArray(structured)) {
      for (const b of structured) {
        const branch = typeof b === "string" ? b : (b as { branch?: unknown } | null)?.branch;
        if (typeof branch === "string") result.releaseBranches.push(branch);
      }
    }
    if (name === "githubAcknowledgedGaps" && Array.isArray(structured)) {
      for (const g of structured as { setting?: unknown; reason?: unknown }[]) {
        if (typeof g?.setting === "string" && typeof g.reason === "string") result.acknowledgedGaps.push({ setting: g.setting, reason: g.reason });
      }
    }
  }
  // A Supabase stack's databaseUrl may name a pooler host every project of the region shares: only a plain Postgres
  // database's own host identifies prod.
  const urlHost = result.databaseProvider === "postgres" && databaseUrl !== undefined ? databaseHostOfUrl(databaseUrl) : undefined;
  if (urlHost !== undefined) hosts.add(urlHost);
  return { ...result, refs: [...refs].sort(), databaseHosts: [...hosts].sort(), credentialValues: [...credentials], secretValues: [...secrets], skippedShort };
}

/**
 * Why the prod values cannot identify prod (nothing to write as prodProjectRefs or prodDatabaseHosts), or undefined.
 * Names config keys only, never a value.
 */
export function missingProdIdentity(prod: ProdValues, stack: string): string | undefined {
  if (prod.refs.length > 0 || prod.databaseHosts.length > 0) return undefined;
  if (prod.databaseProvider === "postgres") {
    return (
      `no prod database host found in the config of stack ${stack} (databaseProvider is postgres): set ` +
      "deploy-guardrails:prodDatabaseHost to the prod database's host name, e.g. ep-prod-123.eu-central-1.aws.neon.tech"
    );
  }
  return (
    `no Supabase project ref found in the config of stack ${stack} (deploy-guardrails:supabaseProjectRef); ` +
    "for a database that is not Supabase, set deploy-guardrails:databaseProvider to postgres and deploy-guardrails:prodDatabaseHost"
  );
}

/**
 * Why the stack read is not a prod stack, or undefined: its values would otherwise become prod fingerprints, and every
 * resource of the real prod stack's siblings would be refused. Names the key, never a value other than a known tier.
 */
export function notProdTier(prod: ProdValues, stack: string): string | undefined {
  if (prod.tier === "prod") return undefined;
  const tierWords =
    prod.tier === undefined
      ? "no deploy-guardrails:tier"
      : (tiers as readonly string[]).includes(prod.tier)
        ? `deploy-guardrails:tier ${prod.tier}`
        : "a deploy-guardrails:tier that is not test, staging or prod";
  return `stack ${stack} has ${tierWords}, so its values are not prod's; pass --stack with the name of the prod stack (the one whose deploy-guardrails:tier is prod)`;
}

/** What was written, in counts only, e.g. "1 prod ref and 5 fingerprints (4 of them server secrets)". */
export function describeWritten(prod: ProdValues): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts: string[] = [];
  if (prod.refs.length > 0 || prod.databaseHosts.length === 0) parts.push(plural(prod.refs.length, "prod ref"));
  if (prod.databaseHosts.length > 0) parts.push(plural(prod.databaseHosts.length, "prod database host"));
  parts.push(`${plural(prod.credentialValues.length, "fingerprint")} (${prod.secretValues.length} of them server secrets)`);
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

export type PolicyConfigFile = Record<string, unknown>;

/** What each policy declares in its configSchema: only declared keys are written into its section. */
export interface PolicySchemaInfo {
  name: string;
  configSchema?: { properties: Record<string, unknown> };
}

const canonicalSection = "no-prod-credential-outside-prod";

function union<T>(...lists: (readonly T[] | undefined)[]): T[] {
  return [...new Set(lists.flatMap((l) => l ?? []))];
}

/** The KDF section and entries already in a policy config file: kept when they still fit, so a regeneration is stable. */
export function existingFingerprints(
  existing: PolicyConfigFile,
  key: "prodFingerprints" | "prodSecretFingerprints" = "prodFingerprints",
): Partial<FingerprintSet> | undefined {
  for (const section of Object.values(existing)) {
    const set = (section as Record<string, unknown> | undefined)?.[key] as Partial<FingerprintSet> | undefined;
    if (set && typeof set === "object" && set.kdf && Array.isArray(set.entries)) return set;
  }
  return undefined;
}

export interface BuildOptions {
  /** The prod stack the values were read from: it is written into prodStacks. */
  stack: string;
  /** The KDF salt; default: the one in the file, else a new random one. A new salt makes every entry new. */
  kdfSalt?: string;
  /** Cost parameters; default: the file's, else contracts/fingerprint.ts defaultKdf. */
  cost?: Partial<Pick<KdfParams, "logN" | "r" | "p">>;
  /** Entry salts (tests pass a deterministic one). */
  newSalt?: () => string;
}

/**
 * The new policy.config.json: every section keeps its hand-written keys; generated keys are (re)written into every
 * policy whose configSchema declares them. prodStacks, agent accounts and status checks only ever grow (a regeneration
 * never drops one written by hand; the stack read is added to prodStacks, and a section without prodStacks starts from
 * no-prod-credential-outside-prod's); refs, database hosts, fingerprints and the
 * release authority are replaced by what prod has now. prodProjectRefs and prodDatabaseHosts are written only when
 * prod has some (a Neon prod stack gets no prodProjectRefs, a Supabase one no prodDatabaseHosts), and removed when it
 * has none. Fingerprint entries whose value is unchanged keep their salt, so an unchanged prod regenerates the same file.
 */
export function buildPolicyConfig(
  existing: PolicyConfigFile,
  prod: ProdValues,
  options: BuildOptions,
  policies: readonly PolicySchemaInfo[],
): PolicyConfigFile {
  const sectionOf = (name: string) => ({ ...((existing[name] as Record<string, unknown> | undefined) ?? {}) });
  const canonicalProdStacks = (sectionOf(canonicalSection).prodStacks as string[] | undefined) ?? [];
  const previous = existingFingerprints(existing);
  const previousSecret = existingFingerprints(existing, "prodSecretFingerprints");
  const previousKdf = previous?.kdf as Partial<KdfParams> | undefined;
  const salt = options.kdfSalt ?? (previousKdf?.salt ? previousKdf.salt : randomSalt());
  const kdf: KdfParams = {
    name: "scrypt",
    salt,
    logN: options.cost?.logN ?? previousKdf?.logN ?? defaultKdf.logN,
    r: options.cost?.r ?? previousKdf?.r ?? defaultKdf.r,
    p: options.cost?.p ?? previousKdf?.p ?? defaultKdf.p,
  };
  const sameKdf = (set: Partial<FingerprintSet> | undefined) => JSON.stringify(set?.kdf) === JSON.stringify(kdf);
  const reusable = (set: Partial<FingerprintSet> | undefined): FingerprintEntry[] => (sameKdf(set) ? (set?.entries ?? []) : []);
  const credentialPrints = fingerprintValues(prod.credentialValues, kdf, reusable(previous), options.newSalt);
  const secretPrints = fingerprintValues(prod.secretValues, kdf, reusable(previousSecret), options.newSalt);
  const result: PolicyConfigFile = {};
  for (const policy of policies) {
    const declared = policy.configSchema?.properties ?? {};
    if (Object.keys(declared).length === 0 && existing[policy.name] === undefined) continue;
    const section = sectionOf(policy.name);
    if ("prodStacks" in declared) section.prodStacks = union((section.prodStacks as string[] | undefined) ?? canonicalProdStacks, [options.stack]);
    if ("prodProjectRefs" in declared) {
      if (prod.refs.length > 0) section.prodProjectRefs = prod.refs;
      else delete section.prodProjectRefs;
    }
    if ("prodDatabaseHosts" in declared) {
      if (prod.databaseHosts.length > 0) section.prodDatabaseHosts = prod.databaseHosts;
      else delete section.prodDatabaseHosts;
    }
    // A fingerprint list the policy no longer declares (the single list of before) is stale: never keep it.
    if ("prodFingerprints" in declared) section.prodFingerprints = credentialPrints;
    else delete section.prodFingerprints;
    if ("prodSecretFingerprints" in declared) section.prodSecretFingerprints = secretPrints;
    else delete section.prodSecretFingerprints;
    if ("agentAccounts" in declared) section.agentAccounts = union(section.agentAccounts as string[], prod.agentLogins);
    if ("agentAccountIds" in declared) section.agentAccountIds = union(section.agentAccountIds as number[], prod.agentIds);
    if ("releaseAuthorityIds" in declared && prod.releaseAuthorityIds.length + prod.releaseAuthorityTeamIds.length > 0) {
      section.releaseAuthorityIds = prod.releaseAuthorityIds;
      section.releaseAuthorityTeamIds = prod.releaseAuthorityTeamIds;
    }
    // The GitHub settings are prod's as they are now: a regeneration drops a release branch or gap prod no longer has.
    if ("soleReleaseAuthority" in declared) section.soleReleaseAuthority = prod.soleReleaseAuthority;
    if ("releaseBranches" in declared) section.releaseBranches = prod.releaseBranches;
    if ("acknowledgedGaps" in declared) section.acknowledgedGaps = prod.acknowledgedGaps;
    if ("requiredStatusChecks" in declared && prod.requiredStatusChecks.length > 0) {
      section.requiredStatusChecks = union(section.requiredStatusChecks as string[], prod.requiredStatusChecks);
    }
    result[policy.name] = section;
  }
  for (const [name, section] of Object.entries(existing)) if (!(name in result)) result[name] = section;
  return result;
}
