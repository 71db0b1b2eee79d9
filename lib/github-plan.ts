import { GithubSettings } from "../config/github";

/**
 * Branch protection of the production branch, as plain data. Every field is spelled out, because a default
 * that GitHub might change is a guardrail nobody decided on.
 */
export function branchProtectionArgs(github: GithubSettings) {
  const authorityActors = [
    ...github.releaseAuthority.map((a) => `/${a.login}`),
    ...github.releaseAuthorityTeams.map((t) => `${github.owner}/${t.slug}`),
  ];
  return {
    repositoryId: github.repository,
    pattern: github.productionBranch,
    enforceAdmins: true,
    allowsDeletions: false,
    allowsForcePushes: false,
    requiredLinearHistory: true,
    requireConversationResolution: true,
    requiredPullRequestReviews: [
      {
        requiredApprovingReviewCount: github.requiredApprovals,
        dismissStaleReviews: true,
        requireLastPushApproval: true,
        pullRequestBypassers: [] as string[],
      },
    ],
    requiredStatusChecks: [{ strict: true, contexts: [...github.requiredStatusChecks] }],
    // GitHub accepts push restrictions only on organization-owned repositories.
    restrictPushes: github.ownerIsOrganization ? [{ pushAllowances: authorityActors, blocksCreations: true }] : [],
  };
}

export function productionEnvironmentArgs(github: GithubSettings) {
  return {
    repository: github.repository,
    environment: "production",
    preventSelfReview: true,
    canAdminsBypass: false,
    reviewers: [{ users: github.releaseAuthority.map((a) => a.id), teams: github.releaseAuthorityTeams.map((t) => t.id) }],
    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
  };
}

/**
 * An environment without reviewers. The writing environments (`test`, `staging`) are limited to named branches
 * (writingEnvironmentBranches), so a pull request's own workflow cannot publish a release as "passed"; the
 * read-only ones serve previews and drift checks (`test-readonly` on any branch, `production-readonly` on the
 * production branch only).
 */
export function unreviewedEnvironmentArgs(github: GithubSettings, environment: string, onlyProductionBranch: boolean) {
  return {
    repository: github.repository,
    environment,
    preventSelfReview: false,
    canAdminsBypass: false,
    ...(onlyProductionBranch ? { deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } } : {}),
  };
}

/** Branches the writing environment of a non-prod stack deploys from: environmentDeploymentBranches, or the production branch. */
export function writingEnvironmentBranches(github: Pick<GithubSettings, "environmentDeploymentBranches" | "productionBranch">): string[] {
  return github.environmentDeploymentBranches.length > 0 ? [...github.environmentDeploymentBranches] : [github.productionBranch];
}

/**
 * One deployment policy per branch, each matching exactly that branch. The production branch keeps the role
 * `deploy-policy` (logical name `<environment>-deploy-policy`, as before this list existed); any other branch gets
 * `deploy-policy-<branch>`, with characters other than letters, digits, '.', '_' and '-' replaced by '_'.
 */
export function deploymentPolicyPlan(branches: string[], productionBranch: string): { role: string; branchPattern: string }[] {
  return branches.map((branch) => ({
    role: branch === productionBranch ? "deploy-policy" : `deploy-policy-${branch.replace(/[^A-Za-z0-9._-]/g, "_")}`,
    branchPattern: branch,
  }));
}

/** Import ids for adopting settings that were made by hand (`repository:pattern`, `repository:environment`). */
export function githubImportIds(github: GithubSettings, environment: string) {
  return {
    branchProtection: `${github.repository}:${github.productionBranch}`,
    environment: `${github.repository}:${environment}`,
  };
}
