import { findJwtClaims } from "./jwt";
import { textVariants } from "./normalise";

/**
 * Credential shapes that must stay on the server. Public-by-design values (the anon key, `sb_publishable_…`,
 * Stripe `pk_…`) are deliberately absent. Patterns follow gitleaks, trufflehog and kingfisher (see
 * shared/reference/credentials.md §3), loosened where the vendor does not document the exact length.
 */
export type CredentialKind =
  | "service-role-jwt"
  | "supabase-secret-key"
  | "supabase-access-token"
  | "database-url"
  | "database-url-with-password"
  | "github-token"
  | "vercel-token"
  | "stripe-secret-key"
  | "slack-token"
  | "aws-access-key"
  | "private-key"
  | "openai-key"
  | "pulumi-token"
  | "npm-token"
  | "secret-assignment";

export interface CredentialShape {
  kind: CredentialKind;
  /** Words for a violation message; never the value. */
  description: string;
}

const tokenShapes: { kind: CredentialKind; description: string; pattern: RegExp }[] = [
  { kind: "supabase-secret-key", description: "a Supabase secret key (sb_secret_…)", pattern: /(?<![A-Za-z0-9])sb_secret_[A-Za-z0-9_-]{10,}/ },
  { kind: "supabase-access-token", description: "a Supabase access token (sbp_…)", pattern: /(?<![A-Za-z0-9])sbp_[A-Za-z0-9_]{20,}/ },
  { kind: "github-token", description: "a GitHub token", pattern: /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { kind: "vercel-token", description: "a Vercel token (vc?_…)", pattern: /(?<![A-Za-z0-9])vc[pikar]_[A-Za-z0-9_-]{24,}/ },
  { kind: "stripe-secret-key", description: "a Stripe secret key", pattern: /(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/ },
  { kind: "slack-token", description: "a Slack token", pattern: /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/ },
  { kind: "aws-access-key", description: "an AWS access key id", pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/ },
  { kind: "private-key", description: "a PEM private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: "openai-key", description: "an OpenAI API key", pattern: /(?<![A-Za-z0-9])sk-(?:proj-)?[A-Za-z0-9_-]{32,}/ },
  { kind: "pulumi-token", description: "a Pulumi access token", pattern: /(?<![A-Za-z0-9])pul-[a-f0-9]{40}(?![a-f0-9])/ },
  { kind: "npm-token", description: "an npm token", pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/ },
];

const databaseUrl = /(?<![A-Za-z0-9+])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|sqlserver|mssql|cockroachdb):\/\/[^\s'"`]+/gi;

/** A userinfo password that is really a placeholder or a shell reference, not a secret. */
function isPlaceholder(secret: string): boolean {
  return secret === "" || /^\$/.test(secret) || /^\[.*\]$/.test(secret) || /^<.*>$/.test(secret) || /^\*+$/.test(secret);
}

export function databaseUrlHasPassword(url: string): boolean {
  const afterScheme = url.slice(url.indexOf("://") + 3);
  const authority = afterScheme.split(/[/?#]/, 1)[0];
  const at = authority.lastIndexOf("@");
  if (at < 0) return false;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(":");
  return colon >= 0 && !isPlaceholder(userinfo.slice(colon + 1));
}

const secretName = /(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|SERVICE_ROLE(?:_KEY)?|PRIVATE_KEY)$/i;
const assignment = /(?<![A-Za-z0-9_-])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|)]+)/g;
const passwordFlag = /--(?:db-)?password[= ]("[^"]*"|'[^']*'|[^\s;&|)]+)/g;

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

/** Every `NAME=value` assignment in a script or env-file text, with quotes removed from the value. */
export function findAssignments(text: string): { name: string; value: string }[] {
  return [...text.matchAll(assignment)].map((m) => ({ name: m[1], value: unquote(m[2]) }));
}

/**
 * Literal secrets written into a script: `PGPASSWORD=hunter2 psql …`, `--password hunter2`. A reference such as
 * `PGPASSWORD="$PGPASSWORD"` is fine: the value then comes from `environment`.
 */
export function findSecretAssignments(script: string): string[] {
  const names: string[] = [];
  for (const m of script.matchAll(assignment)) {
    if (secretName.test(m[1]) && !isPlaceholder(unquote(m[2]))) names.push(m[1]);
  }
  for (const m of script.matchAll(passwordFlag)) {
    if (!isPlaceholder(unquote(m[1]))) names.push("--password");
  }
  return names;
}

/** Every server-only credential shape found in `value`, looking through percent-encoding, quotes and base64. */
export function findCredentialShapes(value: string): CredentialShape[] {
  const found = new Map<CredentialKind, CredentialShape>();
  const add = (kind: CredentialKind, description: string) => {
    if (!found.has(kind)) found.set(kind, { kind, description });
  };
  for (const variant of textVariants(value)) {
    for (const claims of findJwtClaims(variant)) {
      if (claims.role === "service_role" || claims.role === "supabase_admin") add("service-role-jwt", "a service_role key (JWT)");
    }
    for (const shape of tokenShapes) {
      if (shape.pattern.test(variant)) add(shape.kind, shape.description);
    }
    for (const m of variant.matchAll(databaseUrl)) {
      add("database-url", "a database connection URL");
      if (databaseUrlHasPassword(m[0])) add("database-url-with-password", "a database URL with a password");
    }
  }
  return [...found.values()];
}

/**
 * The credentials among the shapes in `value`: every shape but a database URL without a password, which names a server
 * without opening it. What a literal in config, a readable Vercel variable or a command script must never hold.
 */
export function findCredentials(value: string): CredentialShape[] {
  return findCredentialShapes(value).filter((s) => s.kind !== "database-url");
}
