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

/** The test environment carries test credentials to any branch's workflow: that is what previews run with. */
export function testEnvironmentArgs(github: GithubSettings, environment: string) {
  return {
    repository: github.repository,
    environment,
    preventSelfReview: false,
    canAdminsBypass: true,
  };
}

/** Import ids for adopting settings that were made by hand (`repository:pattern`, `repository:environment`). */
export function githubImportIds(github: GithubSettings, environment: string) {
  return {
    branchProtection: `${github.repository}:${github.productionBranch}`,
    environment: `${github.repository}:${environment}`,
  };
}
