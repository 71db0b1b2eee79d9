import { Fingerprints, matchesFingerprint } from "./fingerprint";
import { findJwtClaims } from "./jwt";
import { textVariants } from "./normalise";

/** What the policies know about prod: its project refs and salted fingerprints of its secret values. */
export interface ProdIdentity {
  refs: readonly string[];
  fingerprints: Fingerprints;
}

/** Supabase project refs are exactly 20 lowercase letters (Supabase CLI `ProjectRefPattern`). */
export const projectRefPattern = /^[a-z]{20}$/;

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
  fingerprint: "a value matching a prod secret fingerprint",
} as const;

/** Every form in which `value` carries a prod credential; empty when it carries none. */
export function findProdCredential(value: string, identity: ProdIdentity): ProdForm[] {
  const found = new Set<ProdForm>();
  const refs = identity.refs.filter((r) => projectRefPattern.test(r));
  for (const variant of textVariants(value)) {
    const lower = variant.toLowerCase();
    for (const ref of refs) {
      for (const form of refForms(lower, ref)) found.add(form);
    }
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
