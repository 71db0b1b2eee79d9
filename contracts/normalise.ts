/**
 * Undo the trivial disguises a credential picks up on its way into a resource input: surrounding whitespace,
 * surrounding quotes and percent-encoding (applied once or several times). Pure; never throws.
 */

const maxRounds = 5;

/** Decodes each run of valid %XX escapes; a run that is not valid UTF-8 stays as it was. */
export function percentDecodeOnce(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

export function percentDecodeFully(s: string): string {
  let current = s;
  for (let i = 0; i < maxRounds; i++) {
    const next = percentDecodeOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

const quotePairs: Record<string, string> = { '"': '"', "'": "'", "`": "`" };

export function stripQuotes(s: string): string {
  let current = s.trim();
  while (current.length >= 2 && quotePairs[current[0]] === current[current.length - 1]) {
    current = current.slice(1, -1).trim();
  }
  return current;
}

/**
 * The canonical form of a secret value, used on both sides of a fingerprint comparison (the generator hashes
 * prod values with it; the policy hashes candidates with it).
 */
export function normaliseSecret(s: string): string {
  let current = s;
  for (let i = 0; i < maxRounds; i++) {
    const next = percentDecodeOnce(stripQuotes(current));
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Characters that separate a value from its neighbours in URLs, `KEY=value` lines, JSON and shell scripts. */
const separators = /[\s=:@/'"&?,;\\{}[\]()<>|`]+/;

export function splitTokens(s: string): string[] {
  return s.split(separators).filter((t) => t.length > 0);
}

const base64ish = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
const printable = /^[\x20-\x7e\t\r\n]+$/;

/** Decodes a token that looks like base64 (or base64url) into printable text, or returns undefined. */
export function decodeBase64Text(token: string): string | undefined {
  if (!base64ish.test(token)) return undefined;
  const text = Buffer.from(token, "base64").toString("utf8");
  return printable.test(text) ? text : undefined;
}

/**
 * The forms of one input value worth inspecting: as given, normalised (trimmed, unquoted, percent-decoded) and,
 * for each base64-looking token, its decoded text.
 */
export function textVariants(value: string): string[] {
  const variants = new Set<string>([value, normaliseSecret(value), percentDecodeFully(value)]);
  for (const v of [...variants]) {
    for (const token of splitTokens(v)) {
      const decoded = decodeBase64Text(token);
      if (decoded !== undefined) variants.add(decoded);
    }
  }
  return [...variants];
}
