import { createHash } from "crypto";
import { normaliseSecret, splitTokens, textVariants } from "./normalise";

/**
 * Values shorter than this are neither fingerprinted nor compared: a short value ("true", "postgres", a port) is
 * not a secret, and hashing it would flag every stack that happens to use the same word.
 */
export const minFingerprintLength = 8;

/** A salted fingerprint as kept in policy config: sha256(salt + normalised value), hex. */
export function fingerprint(salt: string, value: string): string {
  return createHash("sha256").update(salt + normaliseSecret(value), "utf8").digest("hex");
}

/**
 * Every substring of `value` that could be a whole secret: the normalised value and each token between
 * separators (so a password inside a connection string or a `KEY=value` line is found), in every variant.
 */
export function fingerprintCandidates(value: string): string[] {
  const candidates = new Set<string>();
  for (const variant of textVariants(value)) {
    candidates.add(normaliseSecret(variant));
    for (const token of splitTokens(variant)) candidates.add(normaliseSecret(token));
  }
  return [...candidates].filter((c) => c.length >= minFingerprintLength);
}

export interface Fingerprints {
  salt: string;
  sha256: ReadonlySet<string>;
}

export function matchesFingerprint(value: string, fingerprints: Fingerprints): boolean {
  if (fingerprints.sha256.size === 0) return false;
  return fingerprintCandidates(value).some((c) => fingerprints.sha256.has(fingerprint(fingerprints.salt, c)));
}
