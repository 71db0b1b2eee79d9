import type { Tier } from "./stacks";

/**
 * The names of what a stack declares on GitHub: the environments of each tier, their deployment branch policies and
 * the prod stack's rulesets. The plans (lib/github-plan.ts, lib/github-rulesets.ts) build their resources under
 * these names, and config validation (config/github.ts) checks adoptGithubPolicyIds, adoptGithubRulesetIds and
 * environmentDeploymentBranches against them: one definition, so the two cannot disagree.
 */

/** A branch inside a logical name: characters other than letters, digits, '.', '_' and '-' as '_'. */
export const branchNamePart = (branch: string): string => branch.replace(/[^A-Za-z0-9._-]/g, "_");

/** Branches the writing environment of a non-prod stack deploys from: environmentDeploymentBranches, or the production branch. */
export function writingEnvironmentBranches(github: { environmentDeploymentBranches: readonly string[]; productionBranch: string }): string[] {
  return github.environmentDeploymentBranches.length > 0 ? [...github.environmentDeploymentBranches] : [github.productionBranch];
}

/**
 * One deployment policy per branch, each matching exactly that branch. The production branch keeps the role
 * `deploy-policy` (logical name `<environment>-deploy-policy`, as before this list existed); any other branch gets
 * `deploy-policy-<branch>`, with characters other than letters, digits, '.', '_' and '-' replaced by '_'.
 */
export function deploymentPolicyPlan(branches: string[], productionBranch: string): { role: string; branchPattern: string }[] {
  return branches.map((branch) => ({
    role: branch === productionBranch ? "deploy-policy" : `deploy-policy-${branchNamePart(branch)}`,
    branchPattern: branch,
  }));
}

export interface EnvironmentName {
  /** The environment's name on GitHub. */
  environment: string;
  /** Whether it is the tier's writing environment (its secrets go there) or the read-only one. */
  writing: boolean;
  /** The branches its deployment policies allow, one policy each (none: any branch). */
  branches: string[];
}

/**
 * The two environments of a tier: the writing one (`production`, or the tier's name) and the read-only one for
 * previews and drift checks. Production and production-readonly deploy from the production branch only; a non-prod
 * writing environment from writingEnvironmentBranches; test-readonly from any branch.
 */
export function environmentNames(github: { environmentDeploymentBranches: readonly string[]; productionBranch: string }, tier: Tier): EnvironmentName[] {
  if (tier === "prod") {
    return [
      { environment: "production", writing: true, branches: [github.productionBranch] },
      { environment: "production-readonly", writing: false, branches: [github.productionBranch] },
    ];
  }
  return [
    { environment: tier, writing: true, branches: writingEnvironmentBranches(github) },
    { environment: `${tier}-readonly`, writing: false, branches: [] },
  ];
}

export type RulesetKind = "merge-restriction" | "pull-request-reviews" | "status-checks" | "branch-integrity";

/**
 * The prod stack's rulesets, in order, by role (logical name `github-ruleset-<role>`, the key of
 * adoptGithubRulesetIds): an acknowledged gap leaves its ruleset out (code-owner review and pull-request reviews
 * share one ruleset, left out only when both are acknowledged); the production branch's required checks and each
 * release branch's (`status-checks-<branch>`) are always declared.
 */
export function rulesetRoles(args: {
  acknowledged: ReadonlySet<string>;
  releaseBranches: readonly string[];
}): { role: string; kind: RulesetKind; branch?: string }[] {
  const declared = (setting: string) => !args.acknowledged.has(setting);
  return [
    ...(declared("mergeRestriction") ? [{ role: "merge-restriction", kind: "merge-restriction" as const }] : []),
    ...(declared("pullRequestReviews") || declared("codeOwnerReview") ? [{ role: "pull-request-reviews", kind: "pull-request-reviews" as const }] : []),
    { role: "status-checks", kind: "status-checks" as const },
    ...args.releaseBranches.map((branch) => ({ role: `status-checks-${branchNamePart(branch)}`, kind: "status-checks" as const, branch })),
    ...(declared("branchIntegrity") ? [{ role: "branch-integrity", kind: "branch-integrity" as const }] : []),
  ];
}
