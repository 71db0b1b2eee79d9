import { findCredentials, findSecretAssignments } from "../contracts/credential-shapes";
import { ConfigIssue, namespace } from "./errors";

/** Keys whose plain value is a shell command: a literal `PGPASSWORD=…` there is a secret in the stack file. */
const commandKeys = new Set(["migrationCommand", "integrationTestCommand"]);

function leaves(value: unknown, path: string): { path: string; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${path}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leaves(v, /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : path));
  return [];
}

function parsed(raw: string): unknown {
  if (!/^\s*[[{]/.test(raw)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Every plain (non-secret) value of this program's config that holds a credential: a service_role JWT, an sb_secret_
 * key, a token, a database URL with a password, a literal password in a command. Plain config is stored readable in
 * the stack file (so in git) and in the state, and a `value` source reaches Vercel as a readable variable. Names the
 * key and the kind of credential, never the value.
 */
export function plainCredentialIssues(values: Record<string, string>, secretKeys: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [full, raw] of Object.entries(values)) {
    if (!full.startsWith(`${namespace}:`) || secretKeys.has(full) || raw === "") continue;
    const key = full.slice(namespace.length + 1);
    for (const leaf of leaves(parsed(raw), key)) {
      const kinds = findCredentials(leaf.value).map((c) => c.description);
      if (commandKeys.has(key)) kinds.push(...findSecretAssignments(leaf.value).map((name) => `a literal value for ${name}`));
      if (kinds.length === 0) continue;
      const inSource = /\.value$/.test(leaf.path);
      issues.push({
        key: leaf.path,
        problem:
          `holds ${[...new Set(kinds)].join(" and ")} in plain text, readable in the stack file (so in git) and in the state` +
          (inSource ? '; a "value" source is for public values only' : ""),
        example: inSource
          ? `{"secret": "<a config key>"} with pulumi config set --secret ${namespace}:<a config key>, and rotate the credential`
          : commandKeys.has(key)
            ? 'read it from the environment ("$PGPASSWORD") and keep the value in a secret config key'
            : `pulumi config set --secret ${namespace}:<a key for it>, refer to it from a {"secret": ...} source, and rotate the credential`,
      });
    }
  }
  return issues;
}
