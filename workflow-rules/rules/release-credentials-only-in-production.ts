import {
  githubTokenEnvVars,
  hasRequiredReviewers,
  isGithubWriteTokenName,
  isPassphraseName,
  isProdEnvironment,
  production,
  secretNamesOf,
} from "../credentials";

/** All an unreviewed prod environment (`production-readonly`) holds: read-only state access and a read-only database role. */
const unreviewedProdSecrets = [...secretNamesOf.stateBackend, ...secretNamesOf.driftDatabase];
import { WorkflowRule } from "../rule";
import { Job, Workflow, environmentName, isExpression, isRecord, secretNames } from "../workflow";

/**
 * Only a job with required reviewers (`production`) holds the prod passphrase or a GitHub token that can write the
 * repository. The prod passphrase decrypts prod's state and config, which hold every prod write credential (the
 * Vercel production variables' values, the environment secrets, the release commands' environment). A token that
 * can write environments, secrets or settings can change `production`'s reviewers too: GitHub's permissions are
 * per repository, not per environment. And `production-readonly` holds nothing but read-only state access and a
 * read-only database role. The rule knows the credentials by the job's environment and the secret names in
 * ../credentials.ts.
 */
export function releaseCredentialViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const env = environmentName(job);
    const reviewed = env !== undefined && hasRequiredReviewers(env);
    const names = secretNames(job);
    for (const name of names.filter(isPassphraseName)) {
      if (env === undefined) {
        out.push(
          `jobs.${id} reads ${name} without an environment, so it gets a repository or organization secret any branch's workflow can read; bind the job to the environment of the stack it opens`,
        );
      } else if (isExpression(env)) {
        out.push(
          `jobs.${id} reads ${name} in an environment chosen by an expression, which could resolve to \`${production}\`; name the environment literally`,
        );
      } else if (isProdEnvironment(env) && !reviewed) {
        out.push(
          `jobs.${id} reads ${name} in \`${env}\`, which has no required reviewers: the prod passphrase decrypts every prod write credential in the prod stack's state and config, so only \`${production}\` may hold it; read prod's plain outputs with \`pulumi stack output --json\`, which needs no passphrase`,
        );
      }
    }
    if (reviewed) continue;
    if (env !== undefined && isProdEnvironment(env)) {
      for (const name of names.filter((n) => !isPassphraseName(n) && !isGithubWriteTokenName(n) && !unreviewedProdSecrets.includes(n))) {
        out.push(
          `jobs.${id} reads ${name} in \`${env}\`, which holds only read-only state access and a read-only database role (${unreviewedProdSecrets.join(", ")}); a prod credential belongs in \`${production}\`, where a reviewer approves each run`,
        );
      }
    }
    for (const name of names.filter(isGithubWriteTokenName)) {
      out.push(
        `jobs.${id} reads ${name}${env ? ` in \`${env}\`` : ""}, a GitHub token that can write the repository, without a required reviewer: such a token can also remove \`${production}\`'s reviewers; give the job \`github.token\` (or the read-only ${secretNamesOf.githubReadToken}) and apply GitHub changes from \`${production}\``,
      );
    }
    for (const { key, value, where } of tokenEnvVars(workflow, id, job)) {
      const other = secretNames(value).filter((n) => n !== "GITHUB_TOKEN" && n !== secretNamesOf.githubReadToken && !isGithubWriteTokenName(n));
      for (const name of other) {
        out.push(
          `${where} sets ${key} from secrets.${name} without a required reviewer; outside \`${production}\` a job's GitHub token is \`github.token\` or the read-only ${secretNamesOf.githubReadToken}`,
        );
      }
    }
  }
  return out;
}

/** The GitHub token env vars (and pulumi/actions' `github-token` input) that reach the steps of a job. */
function tokenEnvVars(workflow: Workflow, id: string, job: Job): { key: string; value: unknown; where: string }[] {
  const found: { key: string; value: unknown; where: string }[] = [];
  const add = (env: unknown, where: string) => {
    if (!isRecord(env)) return;
    for (const key of githubTokenEnvVars) if (env[key] !== undefined) found.push({ key, value: env[key], where });
  };
  add(workflow.env, "workflow env");
  add(job.env, `jobs.${id} env`);
  (job.steps ?? []).forEach((step, index) => {
    add(step.env, `jobs.${id}.steps[${index}]`);
    if (step.with?.["github-token"] !== undefined) found.push({ key: "github-token", value: step.with["github-token"], where: `jobs.${id}.steps[${index}]` });
  });
  return found;
}

export const releaseCredentialsOnlyInProduction: WorkflowRule = {
  name: "release-credentials-only-in-production",
  description:
    "A job without required reviewers holds the prod passphrase (which opens every prod write credential in prod's " +
    "state) or a GitHub token that can write the repository (which can remove production's reviewers). Keep both in " +
    "`production`; give other jobs read-only state access, `github.token` or PULUMI_GITHUB_READ_TOKEN.",
  check: releaseCredentialViolations,
};
