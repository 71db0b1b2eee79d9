/**
 * The credential layout of the pipelines (docs/pipelines.md, "The credential layout"), as names the rules can check:
 * which GitHub environment may hold which credential, and by which secret names the workflows read them.
 *
 * GitHub gives an environment's secrets to any job bound to it on a branch its deployment policy allows, and a
 * secret's name says nothing about its value: `PULUMI_CONFIG_PASSPHRASE` is the test passphrase in `test` and the
 * prod one in `production`. So a rule knows a credential by the environment of the job plus the secret name.
 */

/** Environment names the layout uses. A non-prod tier `<tier>` has `<tier>` and `<tier>-readonly` (test, staging). */
export const production = "production";
export const productionReadonly = "production-readonly";

/**
 * What an environment may hold:
 * - `production`: required reviewers (the release authority). The prod passphrase, prod state read-write, the
 *   GitHub admin token. The only place a job may open a prod write credential.
 * - `production-readonly`: production branch only, no reviewers. Read-only state access and a read-only database
 *   role; no prod passphrase, no provider or GitHub write token.
 * - `writing` (`test`, `staging`): the stack's release branch only, no reviewers. Its own stack's state read-write and
 *   passphrase; no GitHub write token.
 * - `readonly` (`test-readonly`, `staging-readonly`): any branch, pull requests included. Read-only state access to
 *   its stack and that stack's passphrase; at most a read-only GitHub token.
 */
export type EnvironmentKind = "production" | "production-readonly" | "writing" | "readonly";

/** Any other `prod…` environment counts as an unreviewed prod one: only `production` itself has reviewers. */
export function environmentKind(name: string): EnvironmentKind {
  if (name === production) return "production";
  if (isProdEnvironment(name)) return "production-readonly";
  return /-readonly$/.test(name) ? "readonly" : "writing";
}

/** Environments with required reviewers. Everything else runs without a human approving the run. */
export function hasRequiredReviewers(name: string): boolean {
  return name === production;
}

/** Environments that hold prod credentials of some kind (`production`, `production-readonly`, `prod…`). */
export function isProdEnvironment(name: string): boolean {
  return /^prod/i.test(name);
}

/** The secret names the workflows read, by what they are. docs/pipelines.md, "Put the secrets in", lists them. */
export const secretNamesOf = {
  /** The stack's passphrase: in `production` it opens every prod write credential in prod's state and config. */
  passphrase: ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"],
  /** A GitHub token that can write the repository's environments, secrets and settings: `production` only. */
  githubAdminToken: "PULUMI_GITHUB_TOKEN",
  /** Optional read-only GitHub token for the test drift check's refresh (`test-readonly`). */
  githubReadToken: "PULUMI_GITHUB_READ_TOKEN",
  /** State backend credentials: read-only or read-write depending on the environment. */
  stateBackend: ["PULUMI_ACCESS_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  /** A read-only database role for the migration history drift check. */
  driftDatabase: ["DRIFT_DATABASE_URL", "DRIFT_DATABASE_PASSWORD"],
};

export function isPassphraseName(name: string): boolean {
  return secretNamesOf.passphrase.includes(name) || /PASSPHRASE/i.test(name);
}

/**
 * A secret that is (or may well be) a GitHub token able to write the repository: the admin token by its name, any
 * other name with ADMIN in it, or a GitHub-ish token name (`GH_PAT`, `GITHUB_APP_KEY`…) that is neither the job's own
 * token nor the read-only one. GitHub's permissions are per repository, not per environment: a token that can write
 * environments or secrets can also change `production`'s reviewers, secrets and variables.
 */
export function isGithubWriteTokenName(name: string): boolean {
  if (name === "GITHUB_TOKEN" || name === secretNamesOf.githubReadToken) return false;
  if (name === secretNamesOf.githubAdminToken || /ADMIN/i.test(name)) return true;
  return /(^|_)(GITHUB|GH)(_|$)/i.test(name) && /(TOKEN|PAT|KEY)/i.test(name);
}

export function isStateBackendName(name: string): boolean {
  return secretNamesOf.stateBackend.includes(name);
}

/** Env vars through which a step hands a GitHub token to a tool (the GitHub provider, `gh`, scripts). */
export const githubTokenEnvVars = ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_ADMIN_TOKEN", "GH_ENTERPRISE_TOKEN"];

/**
 * `--target` globs that select every GitHub resource of a stack and the GitHub provider itself, whatever its
 * component parent: a top-level `github:index/…` type, a child type after `$`, and `pulumi:providers:github`.
 * Pulumi (3.276, pkg/resource/deploy/deployment.go `UrnTargets`) reads `*` as `[^:]*` and `**` as `.*`.
 * `up-test` previews these with `--expect-no-changes` before it changes anything, and the release authority
 * applies them with an admin token (docs/pipelines.md, "GitHub settings of the test stack").
 */
export const githubResourceTargets = ["urn:pulumi:*::*::github:index/**", "urn:pulumi:*::*::**$github:index/**", "urn:pulumi:*::*::pulumi:providers:github::*"];
