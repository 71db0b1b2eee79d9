import { fingerprint, minFingerprintLength } from "./fingerprint";
import { findJwtClaims } from "./jwt";
import { normaliseSecret, textVariants } from "./normalise";
import { projectRefPattern } from "./prod-identity";

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
  secretValues: string[];
  /** Secret or secret-named values skipped because they are too short to be secrets. */
  skippedShort: number;
  agentLogins: string[];
  agentIds: number[];
  releaseAuthorityIds: number[];
  releaseAuthorityTeamIds: number[];
  requiredStatusChecks: string[];
}

export class ConfigReadError extends Error {}

const secretNamedKey = /(?:key|token|password|secret)$/i;
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
 * `prodProjectRef` and any Supabase URL, pooler user or JWT), every secret value, every value whose key ends with
 * Key/Token/Password/Secret, and the GitHub accounts the policies need.
 */
export function extractProdValues(config: StackConfigJson, options: { skipKeys?: readonly string[] } = {}): ProdValues {
  const skip = new Set(options.skipKeys ?? []);
  const refs = new Set<string>();
  const secrets = new Set<string>();
  let skippedShort = 0;
  const result: ProdValues = {
    refs: [],
    secretValues: [],
    skippedShort: 0,
    agentLogins: [],
    agentIds: [],
    releaseAuthorityIds: [],
    releaseAuthorityTeamIds: [],
    requiredStatusChecks: [],
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

    const isSecret = entry.secret === true || (entry.objectValue === undefined && secretNamedKey.test(name));
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
  }
  return { ...result, refs: [...refs].sort(), secretValues: [...secrets], skippedShort };
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
 * drops one written by hand); refs, fingerprints and the release authority are replaced by what prod has now.
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
    if ("prodProjectRefs" in declared) section.prodProjectRefs = prod.refs;
    if ("prodFingerprints" in declared) section.prodFingerprints = { salt, sha256 };
    if ("agentAccounts" in declared) section.agentAccounts = union(section.agentAccounts as string[], prod.agentLogins);
    if ("agentAccountIds" in declared) section.agentAccountIds = union(section.agentAccountIds as number[], prod.agentIds);
    if ("releaseAuthorityIds" in declared && prod.releaseAuthorityIds.length + prod.releaseAuthorityTeamIds.length > 0) {
      section.releaseAuthorityIds = prod.releaseAuthorityIds;
      section.releaseAuthorityTeamIds = prod.releaseAuthorityTeamIds;
    }
    if ("requiredStatusChecks" in declared && prod.requiredStatusChecks.length > 0) {
      section.requiredStatusChecks = union(section.requiredStatusChecks as string[], prod.requiredStatusChecks);
    }
    result[policy.name] = section;
  }
  for (const [name, section] of Object.entries(existing)) if (!(name in result)) result[name] = section;
  return result;
}
