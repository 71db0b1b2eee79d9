import { ConfigIssue, namespace } from "./errors";

/** Config keys this program reads as secrets, whether or not a value source refers to them. */
export const builtInSecretKeys = ["supabaseDbPassword", "supabaseAccessToken", "supabaseServiceRoleKey", "vercelApiToken", "generatedSecretsSeed"] as const;

/**
 * Keys that hold a GitHub token in a stack file. The GitHub provider takes its token from the job's GITHUB_TOKEN
 * environment variable only: a token in the stack file is readable by everyone who can decrypt that stack (in CI,
 * every job with its passphrase), and a repository-admin token there can undo production's protection.
 */
export const refusedTokenKeys = [`${namespace}:githubToken`, "github:token"] as const;

const setSecret = (stack: string, key: string) =>
  `pulumi config set --secret --stack ${stack} ${namespace}:${key}   (it prompts; never type a secret on the command line)`;

/**
 * Every secret key must be stored encrypted: the built-in ones whenever they are set, and every key that a
 * `{"secret": ...}` source names (those are also required). No GitHub token may be in any stack's config.
 */
export function secretKeyIssues(args: {
  values: Record<string, string>;
  secretKeysSet: ReadonlySet<string>;
  stack: string;
  /** Keys this stack reads with requireSecret (built-in ones it needs, and every key a secret source names). */
  required: ReadonlySet<string>;
}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const has = (key: string) => (args.values[`${namespace}:${key}`] ?? "") !== "";
  const isSecret = (key: string) => args.secretKeysSet.has(`${namespace}:${key}`);
  for (const key of new Set<string>([...builtInSecretKeys, ...args.required])) {
    if (!has(key)) {
      if (args.required.has(key)) issues.push({ key, problem: "is required but not set", example: setSecret(args.stack, key) });
    } else if (!isSecret(key)) {
      issues.push({
        key,
        problem:
          "is stored in plain text in the stack file; it must be a secret (set it again with --secret, and rotate it: the plain value is in git history)",
        example: setSecret(args.stack, key),
      });
    }
  }
  for (const full of refusedTokenKeys) {
    if ((args.values[full] ?? "") === "") continue;
    issues.push({
      key: full.startsWith(`${namespace}:`) ? full.slice(namespace.length + 1) : full,
      problem:
        "is set, but no stack may hold a GitHub token: the GitHub provider takes it from the GITHUB_TOKEN environment variable " +
        "of the run only, so that a stack file (and everyone who can decrypt it) never holds a token that can change the repository's protection",
      example: `pulumi config rm --stack ${args.stack} ${full}, then set GITHUB_TOKEN for the run that applies GitHub settings`,
    });
  }
  return issues;
}
