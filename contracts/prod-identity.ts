import { emptyFingerprints, FingerprintSet, matchesFingerprint } from "./fingerprint";
import { findJwtClaims } from "./jwt";
import { normaliseSecret, textVariants } from "./normalise";

/**
 * What names prod: its Supabase project refs, the host names of its database (a non-Supabase Postgres such as Neon;
 * lowercase, no trailing dot) and fingerprints of its values. The policy pack knows all three from policy config; the
 * program's config validation knows the refs and hosts from the stack's own config (prodProjectRef, prodDatabaseHost)
 * and calls the same matcher, so the two never disagree about what names prod.
 */
export interface ProdIdentity {
  refs: readonly string[];
  hosts: readonly string[];
  fingerprints: FingerprintSet;
}

/** A prod identity without fingerprints (what a stack's config knows). */
export function identityOf(refs: readonly string[], hosts: readonly string[]): ProdIdentity {
  return { refs, hosts, fingerprints: emptyFingerprints };
}

/** Supabase project refs are exactly 20 lowercase letters (Supabase CLI `ProjectRefPattern`). */
export const projectRefPattern = /^[a-z]{20}$/;

/**
 * A DNS host name of at least two labels (so a bare `localhost` or `postgres`, which every stack may use, can never
 * be configured as prod), optionally with a trailing dot, any case. No lookahead: the engine validates policy config
 * schemas with Go's RE2, and this source is also the schema's `pattern`.
 */
export const databaseHostPatternSource = "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\\.?$";
const databaseHostPattern = new RegExp(databaseHostPatternSource);

/** A configured database host in the form the policy compares: trimmed, lowercase, no trailing dot; or undefined. */
export function normaliseDatabaseHost(host: string): string | undefined {
  const trimmed = host.trim();
  if (trimmed.length > 253 || !databaseHostPattern.test(trimmed)) return undefined;
  return trimmed.toLowerCase().replace(/\.$/, "");
}

/** The host of a URL (`scheme://[user@]host[:port]…`), lowercase, percent-decoded and unquoted; or undefined. */
export function hostOfUrl(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#,[\]]+)/i.exec(normaliseSecret(url));
  return match?.[1].trim().toLowerCase();
}

const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The host of a connection URL as a prod database host, or undefined: no URL, a single-label host (`localhost`) or an
 * IP address (a tunnel or private address that other stacks may use too) identifies nothing.
 */
export function databaseHostOfUrl(url: string): string | undefined {
  const raw = hostOfUrl(url);
  const host = raw === undefined ? undefined : normaliseDatabaseHost(raw);
  return host !== undefined && !ipv4.test(host) ? host : undefined;
}

/**
 * How a prod credential showed up, in words that never contain the value itself, e.g.
 * "the prod project ref in a pooler user name (postgres.<ref>)".
 */
export type ProdForm = string;

export const forms = {
  databaseHost: "the prod project ref in a database host (db.<ref>.supabase.co)",
  poolerUser: "the prod project ref in a pooler user name (postgres.<ref>)",
  projectHost: "the prod project ref in a Supabase URL or host (<ref>.supabase.co)",
  bareRef: "the prod project ref",
  jwtRef: "a legacy Supabase key (JWT) whose ref claim is the prod project",
  fingerprint: "a value matching a prod fingerprint",
  prodDatabaseHost: "the prod database host (prodDatabaseHosts)",
  prodPoolerHost: "the prod database host's connection pooler (<endpoint>-pooler)",
  prodEndpointId: "the prod database's Neon endpoint id (ep-…)",
} as const;

/** The forms that name the prod database's host rather than a Supabase ref or a secret. */
export const databaseHostForms: ReadonlySet<ProdForm> = new Set([forms.prodDatabaseHost, forms.prodPoolerHost, forms.prodEndpointId]);

/** Every form in which `value` carries a prod credential; empty when it carries none. */
export function findProdCredential(value: string, identity: ProdIdentity): ProdForm[] {
  const found = new Set<ProdForm>();
  const refs = identity.refs.filter((r) => projectRefPattern.test(r));
  const hosts = hostPatterns(identity.hosts);
  for (const variant of textVariants(value)) {
    const lower = variant.toLowerCase();
    for (const ref of refs) {
      for (const form of refForms(lower, ref)) found.add(form);
    }
    for (const { pattern, form } of hosts) if (pattern.test(lower)) found.add(form);
    for (const claims of findJwtClaims(variant)) {
      const ref = claims.ref?.trim().toLowerCase();
      if (ref !== undefined && refs.includes(ref)) found.add(forms.jwtRef);
    }
  }
  if (matchesFingerprint(value, identity.fingerprints)) found.add(forms.fingerprint);
  return [...found];
}

/** Where a ref occurs as a whole word (not inside a longer run of letters or digits) and what surrounds it. */
function refForms(lower: string, ref: string): ProdForm[] {
  const result: ProdForm[] = [];
  const pattern = new RegExp(`(?<![a-z0-9])${ref}(?![a-z0-9])`, "g");
  for (const match of lower.matchAll(pattern)) {
    const before = lower.slice(0, match.index);
    const after = lower.slice((match.index ?? 0) + ref.length);
    if (/(?:^|[^a-z0-9])db\.$/.test(before) && after.startsWith(".supabase.")) result.push(forms.databaseHost);
    else if (/(?:^|[^a-z0-9])postgres\.$/.test(before)) result.push(forms.poolerUser);
    else if (after.startsWith(".supabase.")) result.push(forms.projectHost);
    else result.push(forms.bareRef);
  }
  return result;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// A host name counts where it is not part of a longer label and not the parent domain of another host
// (`staging.<host>` is a different host); followed by a dot it still counts (an FQDN, `<host>.internal`). The endpoint
// id alone counts only where no host label follows (else it is the start of a host name, judged as such).
const hostBefore = "(?<![a-z0-9.-])";
const hostAfter = "(?![a-z0-9-])";
const endpointAfter = "(?![a-z0-9-])(?!\\.[a-z0-9])";

/**
 * What to look for per configured prod database host: the host itself, Neon's pooler host of the same endpoint
 * (`<endpoint>-pooler.<rest>`; configuring either one covers both) and, for a Neon endpoint (`ep-…`), the endpoint id
 * alone (Neon's `options=endpoint%3D<id>` selects an endpoint by id).
 */
function hostPatterns(configured: readonly string[]): { pattern: RegExp; form: ProdForm }[] {
  const result: { pattern: RegExp; form: ProdForm }[] = [];
  for (const given of configured) {
    const host = normaliseDatabaseHost(given);
    if (host === undefined) continue;
    const dot = host.indexOf(".");
    const endpoint = host.slice(0, dot).replace(/-pooler$/, "");
    const rest = host.slice(dot + 1);
    if (endpoint.length === 0) continue;
    result.push({ pattern: new RegExp(`${hostBefore}${escapeRegExp(`${endpoint}.${rest}`)}${hostAfter}`), form: forms.prodDatabaseHost });
    result.push({ pattern: new RegExp(`${hostBefore}${escapeRegExp(`${endpoint}-pooler.${rest}`)}${hostAfter}`), form: forms.prodPoolerHost });
    if (/^ep-[a-z0-9-]+$/.test(endpoint)) {
      result.push({ pattern: new RegExp(`${hostBefore}${escapeRegExp(endpoint)}${endpointAfter}`), form: forms.prodEndpointId });
    }
  }
  return result;
}
