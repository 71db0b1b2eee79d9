import { createHmac, randomBytes, scryptSync } from "crypto";
import { normaliseSecret, splitTokens, textVariants } from "./normalise";

/**
 * Values shorter than this are neither fingerprinted nor compared: a short value ("true", "postgres", a port) is
 * not a secret, and hashing it would flag every stack that happens to use the same word.
 */
export const minFingerprintLength = 8;

/**
 * The slow, memory-hard step, kept beside the fingerprints in policy config: scrypt with N = 2^logN, r, p and a
 * random salt of the file. The default, logN 11 and r 8, takes 2 MiB and a few milliseconds per value: a policy run
 * over the committed test stack (about 70 distinct candidates, each stretched once per process) takes about half a
 * second more, while an offline guesser gets about a hundred guesses a second per core instead of SHA-256's
 * hundreds of thousands (measured: policy/scripts/fingerprint-cost.ts, policy/scripts/policy-run-time.ts).
 */
export interface KdfParams {
  name: "scrypt";
  /** Hex; random per policy config file. */
  salt: string;
  logN: number;
  r: number;
  p: number;
}

/** One prod value: HMAC-SHA256 keyed with its own random salt over the stretched value, both hex. */
export interface FingerprintEntry {
  salt: string;
  hash: string;
}

/** A fingerprint list as policy.config.json holds it. */
export interface FingerprintSet {
  kdf: KdfParams;
  entries: FingerprintEntry[];
}

export const defaultKdf = { name: "scrypt", logN: 11, r: 8, p: 1 } as const;
/** Bounds the policy accepts (also the configSchema's): below 10 the KDF is no longer slow, above 20 a run takes minutes. */
export const kdfBounds = { logN: { min: 10, max: 20 }, r: { min: 1, max: 32 }, p: { min: 1, max: 4 } } as const;

export const emptyFingerprints: FingerprintSet = { kdf: { ...defaultKdf, salt: "" }, entries: [] };

const hex = /^[0-9a-f]+$/;

/** Why a KDF section cannot be used, or undefined. Names fields only. */
export function kdfProblem(kdf: Partial<KdfParams> | undefined): string | undefined {
  if (!kdf || kdf.name !== "scrypt") return 'kdf.name must be "scrypt" (regenerate with npm run policy:fingerprints)';
  if (typeof kdf.salt !== "string" || kdf.salt.length < 32 || !hex.test(kdf.salt)) return "kdf.salt must be at least 16 random bytes in lowercase hex";
  for (const key of ["logN", "r", "p"] as const) {
    const value = kdf[key];
    const { min, max } = kdfBounds[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) return `kdf.${key} must be an integer from ${min} to ${max}`;
  }
  return undefined;
}

// One policy process checks every resource of a run with three policies: each candidate is stretched once.
const stretched = new Map<string, Buffer>();
const maxMemoized = 100_000;

function stretch(kdf: KdfParams, normalised: string): Buffer {
  const key = `${kdf.salt}:${kdf.logN}:${kdf.r}:${kdf.p}\u0000${normalised}`;
  let result = stretched.get(key);
  if (result === undefined) {
    const N = 2 ** kdf.logN;
    result = scryptSync(normalised, Buffer.from(kdf.salt, "hex"), 32, { N, r: kdf.r, p: kdf.p, maxmem: 256 * N * kdf.r * kdf.p });
    if (stretched.size >= maxMemoized) stretched.clear();
    stretched.set(key, result);
  }
  return result;
}

function entryHash(entrySalt: string, stretchedValue: Buffer): string {
  return createHmac("sha256", Buffer.from(entrySalt, "hex")).update(stretchedValue).digest("hex");
}

/** The entry of one value (normalised as the policy normalises) under a given entry salt. */
export function fingerprintEntry(kdf: KdfParams, value: string, entrySalt: string): FingerprintEntry {
  return { salt: entrySalt, hash: entryHash(entrySalt, stretch(kdf, normaliseSecret(value))) };
}

export function matchesEntry(kdf: KdfParams, value: string, entry: FingerprintEntry): boolean {
  return entryHash(entry.salt, stretch(kdf, normaliseSecret(value))) === entry.hash;
}

export const randomSalt = (bytes = 16): string => randomBytes(bytes).toString("hex");

/**
 * The fingerprint list of `values`: one entry per distinct normalised value, sorted by hash. An entry of `previous`
 * that already matches a value is kept as it is (same salt), so regenerating unchanged values changes nothing.
 */
export function fingerprintValues(
  values: readonly string[],
  kdf: KdfParams,
  previous: readonly FingerprintEntry[] = [],
  newSalt: () => string = randomSalt,
): FingerprintSet {
  const problem = kdfProblem(kdf);
  if (problem) throw new Error(`cannot fingerprint: ${problem}`);
  const entries = new Map<string, FingerprintEntry>();
  for (const value of new Set(values.map(normaliseSecret))) {
    if (value.length < minFingerprintLength) continue;
    const kept = previous.find((entry) => matchesEntry(kdf, value, entry));
    const entry = kept ?? fingerprintEntry(kdf, value, newSalt());
    entries.set(entry.hash, entry);
  }
  return { kdf: { ...kdf }, entries: [...entries.values()].sort((a, b) => a.hash.localeCompare(b.hash)) };
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

/** Whether any candidate of `value` is one of the fingerprinted values. */
export function matchesFingerprint(value: string, fingerprints: FingerprintSet): boolean {
  if (fingerprints.entries.length === 0) return false;
  const problem = kdfProblem(fingerprints.kdf);
  if (problem) throw new Error(`prodFingerprints cannot be used: ${problem}`);
  for (const candidate of fingerprintCandidates(value)) {
    const stretchedValue = stretch(fingerprints.kdf, candidate);
    if (fingerprints.entries.some((entry) => entryHash(entry.salt, stretchedValue) === entry.hash)) return true;
  }
  return false;
}
