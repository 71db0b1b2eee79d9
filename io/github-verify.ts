import * as github from "@pulumi/github";
import type { GithubSettings } from "../config/github";
import { PlainRunError } from "../config/errors";
import { visibilityProblem } from "../config/github-gates";
import type { EnvironmentPlan } from "../lib/github-plan";

/**
 * githubVerifyRepository: asks GitHub (the provider's getRepository invoke, at preview too) whether the repository's
 * visibility is the declared one, and stops the run before the GitHub resources are registered if it is not. Off by
 * default: the offline stand-in providers serve no invokes, and it needs a token that can read the repository.
 */
export async function assertRepositoryVisibility(settings: GithubSettings, provider: github.Provider): Promise<void> {
  const fullName = `${settings.owner}/${settings.repository}`;
  const repository = await github.getRepository({ fullName }, { provider });
  const problem = visibilityProblem(settings.repositoryVisibility, repository, fullName);
  if (problem) throw new PlainRunError(problem);
}

/** What GitHub holds of an environment this stack adopts: its deployment policies (branch or tag patterns). */
export interface ExistingPolicies {
  environment: string;
  policies: { pattern: string; type: string }[];
}

/**
 * Why the deployment policies made by hand block an adoption (adoptGithub), one message each; empty when none does.
 * GitHub keeps one policy per pattern and answers a second create with 303, which the provider stores as policy 0
 * without an error (integrations/terraform-provider-github#3611): the adopting up "succeeds", and every refresh after
 * it drops policy 0 and plans it again, so the drift check fails forever. A policy made by hand is therefore adopted
 * by its id (adoptGithubPolicyIds), and one the config does not declare (another branch that may deploy there) is
 * refused: nothing would ever remove it.
 */
export function adoptionProblems(
  github: Pick<GithubSettings, "owner" | "repository" | "adoptPolicyIds">,
  plans: EnvironmentPlan[],
  existing: ExistingPolicies[],
): string[] {
  const problems: string[] = [];
  const list = (environment: string) =>
    `gh api repos/${github.owner}/${github.repository}/environments/${environment}/deployment-branch-policies --jq '.branch_policies[] | "\\(.name) \\(.id)"'`;
  for (const { environment, policies } of existing) {
    const plan = plans.find((p) => p.environment === environment);
    for (const policy of policies) {
      const declared = policy.type === "branch" && plan?.deploymentPolicies.some((p) => p.branchPattern === policy.pattern);
      if (!declared) {
        problems.push(
          `GitHub environment ${environment} has a deployment ${policy.type} policy "${policy.pattern}" made by hand that this stack does not declare: it would stay and let ${policy.pattern} deploy there. ` +
            `Delete it first (its id: ${list(environment)}; then gh api -X DELETE repos/${github.owner}/${github.repository}/environments/${environment}/deployment-branch-policies/<id>), or declare the branch.`,
        );
      } else if (github.adoptPolicyIds[`${environment}:${policy.pattern}`] === undefined) {
        problems.push(
          `GitHub environment ${environment} has the deployment branch policy "${policy.pattern}" already: set deploy-guardrails:adoptGithubPolicyIds to adopt it, e.g. {"${environment}:${policy.pattern}": <id>} (ids: ${list(environment)}). ` +
            `Created again, GitHub would keep only the first and the stack would record policy 0 (integrations/terraform-provider-github#3611). ` +
            `A policy an earlier, unfinished adopting run created counts too: give its id; once everything is adopted, set adoptGithub to false.`,
        );
      }
    }
  }
  return problems;
}

/**
 * adoptGithub: before anything is registered, asks GitHub which of this stack's environments exist (only those are
 * imported: an import of one that does not exist fails the preview, and `production-readonly` or `test-readonly` are
 * rarely made by hand), reads their deployment policies (an environment without custom branch policies answers 404
 * and has none) and stops the run on any adoptionProblems. Returns the environments to import.
 */
export async function adoptableEnvironments(settings: GithubSettings, plans: EnvironmentPlan[], provider: github.Provider): Promise<Set<string>> {
  const environments = await github.getRepositoryEnvironments({ repository: settings.repository }, { provider });
  const names = new Set((environments.environments ?? []).map((e) => e.name).filter((name) => plans.some((p) => p.environment === name)));
  const existing: ExistingPolicies[] = [];
  for (const plan of plans.filter((p) => names.has(p.environment))) {
    try {
      const found = await github.getRepositoryEnvironmentDeploymentPolicies({ repository: settings.repository, environment: plan.environment }, { provider });
      existing.push({ environment: plan.environment, policies: found.policies ?? [] });
    } catch (error) {
      if (!/\b404\b/.test((error as Error).message)) throw error;
    }
  }
  const problems = adoptionProblems(settings, plans, existing);
  if (problems.length > 0) throw new PlainRunError(`Refusing to adopt the GitHub environments made by hand (adoptGithub):\n  - ${problems.join("\n  - ")}`);
  return names;
}
