import { fingerprint, minFingerprintLength } from "./fingerprint";
import { findJwtClaims } from "./jwt";
import { normaliseSecret, textVariants } from "./normalise";
import { normaliseDatabaseHost, projectRefPattern } from "./prod-identity";

/** One entry of `pulumi config --json --show-secrets`: a string value, or an object with `objectValue` too. */
export interface StackConfigEntry {
  value?: string;
  objectValue?: unknown;
  secret?: boolean;
}
export type StackConfigJson = Record<string, StackConfigEntry>;

/** The prod values the policy config is derived from. Held in memory only; never printed. */
export interface ProdValues {
  refs: string[];
  /** `databaseProvider` of the stack (`supabase` when not set). */
  databaseProvider: string;
  /** Host names of a non-Supabase prod database: `prodDatabaseHost`, and the host of `databaseUrl` for postgres. */
  databaseHosts: string[];
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
 * Keys whose values are public by design (Supabase's anon/publishable key ships to every browser): fingerprinting
 * them would make the prod stack's own NEXT_PUBLIC_SUPABASE_ANON_KEY a "server secret in a public variable". A prod
 * anon key elsewhere is still caught by its ref (legacy JWT) or by the prod URL beside it.
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

const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The host of a connection URL as a prod database host, or undefined: no URL, a single-label host (`localhost`) or an
 * IP address (a tunnel or private address that other stacks may use too) identifies nothing.
 */
export function databaseHostOfUrl(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#,[\]]+)/i.exec(normaliseSecret(url));
  const host = match ? normaliseDatabaseHost(match[1]) : undefined;
  return host !== undefined && !ipv4.test(host) ? host : undefined;
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
  const secrets = new Set<string>();
  let skippedShort = 0;
  let databaseUrl: string | undefined;
  const result: ProdValues = {
    refs: [],
    databaseProvider: "supabase",
    databaseHosts: [],
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
    if (name === "prodDatabaseHost" && entry.value !== undefined) {
      const host = normaliseDatabaseHost(entry.value);
      if (host !== undefined) hosts.add(host);
    }
    if (name === "databaseUrl" && entry.value !== undefined) databaseUrl = entry.value;

    const isSecret = entry.secret === true || (entry.objectValue === undefined && secretNamedKey.test(name) && !publicKeyName.test(name));
    if (isSecret && !skip.has(fullKey) && !skip.has(name)) {
      for (const leaf of leaves) {
        const normalised = normaliseSecret(leaf);
        if (normalised.length === 0) continue;
        if (normalised.length < minFingerprintLength) skippedShort++;
        else secrets.add(normalised);
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
  return { ...result, refs: [...refs].sort(), databaseHosts: [...hosts].sort(), secretValues: [...secrets], skippedShort };
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

/** What was written, in counts only, e.g. "1 prod ref and 5 fingerprints" or "1 prod database host and 3 fingerprints". */
export function describeWritten(prod: ProdValues): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts: string[] = [];
  if (prod.refs.length > 0 || prod.databaseHosts.length === 0) parts.push(plural(prod.refs.length, "prod ref"));
  if (prod.databaseHosts.length > 0) parts.push(plural(prod.databaseHosts.length, "prod database host"));
  parts.push(plural(prod.secretValues.length, "fingerprint"));
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

/** The salt already in use in a policy config file, if any. */
export function existingSalt(existing: PolicyConfigFile): string | undefined {
  for (const section of Object.values(existing)) {
    const salt = (section as { prodFingerprints?: { salt?: unknown } } | undefined)?.prodFingerprints?.salt;
    if (typeof salt === "string" && salt.length > 0) return salt;
  }
  return undefined;
}

/**
 * The new policy.config.json: every section keeps its hand-written keys; generated keys are (re)written into every
 * policy whose configSchema declares them. Agent accounts and status checks only ever grow (a regeneration never
 * drops one written by hand); refs, database hosts, fingerprints and the release authority are replaced by what prod
 * has now. prodProjectRefs and prodDatabaseHosts are written only when prod has some (a Neon prod stack gets no
 * prodProjectRefs, a Supabase one no prodDatabaseHosts), and removed when it has none.
 */
export function buildPolicyConfig(existing: PolicyConfigFile, prod: ProdValues, salt: string, policies: readonly PolicySchemaInfo[]): PolicyConfigFile {
  const sectionOf = (name: string) => ({ ...((existing[name] as Record<string, unknown> | undefined) ?? {}) });
  const canonical = sectionOf(canonicalSection);
  const prodStacks = (canonical.prodStacks as string[] | undefined) ?? ["prod"];
  const sha256 = [...new Set(prod.secretValues.map((v) => fingerprint(salt, v)))].sort();
  const result: PolicyConfigFile = {};
  for (const policy of policies) {
    const declared = policy.configSchema?.properties ?? {};
    if (Object.keys(declared).length === 0 && existing[policy.name] === undefined) continue;
    const section = sectionOf(policy.name);
    if ("prodStacks" in declared && section.prodStacks === undefined) section.prodStacks = prodStacks;
    if ("prodProjectRefs" in declared) {
      if (prod.refs.length > 0) section.prodProjectRefs = prod.refs;
      else delete section.prodProjectRefs;
    }
    if ("prodDatabaseHosts" in declared) {
      if (prod.databaseHosts.length > 0) section.prodDatabaseHosts = prod.databaseHosts;
      else delete section.prodDatabaseHosts;
    }
    if ("prodFingerprints" in declared) section.prodFingerprints = { salt, sha256 };
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
