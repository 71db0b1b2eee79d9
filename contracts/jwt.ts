/** Claims of a legacy Supabase API key (a long-lived HS256 JWT) that the policies look at. */
export interface SupabaseJwtClaims {
  ref?: string;
  role?: string;
  iss?: string;
}

// Three base64url segments, the header starting with `ey` (`{"`); found anywhere, also inside URLs or scripts.
const jwtPattern = /(?<![A-Za-z0-9_-])(ey[A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]*)/g;

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Decoded payload claims of every JWT found in `text`; tokens that do not decode to a JSON object are skipped. */
export function findJwtClaims(text: string): SupabaseJwtClaims[] {
  const claims: SupabaseJwtClaims[] = [];
  for (const match of text.matchAll(jwtPattern)) {
    const header = decodeSegment(match[1]);
    const payload = decodeSegment(match[2]);
    if (!isObject(header) || !isObject(payload)) continue;
    claims.push({
      ref: typeof payload.ref === "string" ? payload.ref : undefined,
      role: typeof payload.role === "string" ? payload.role : undefined,
      iss: typeof payload.iss === "string" ? payload.iss : undefined,
    });
  }
  return claims;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
