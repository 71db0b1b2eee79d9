import { FakeResource } from "./helpers";

/** What the program's branchProtectionArgs() produces for the committed prod stack. */
export const mainProtection: FakeResource = {
  type: "github:index/branchProtection:BranchProtection",
  name: "github-main-protection",
  stack: "prod",
  props: {
    repositoryId: "dm-internal",
    pattern: "main",
    enforceAdmins: true,
    allowsDeletions: false,
    allowsForcePushes: false,
    requiredLinearHistory: true,
    requireConversationResolution: true,
    requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireLastPushApproval: true, pullRequestBypassers: [] }],
    requiredStatusChecks: [{ strict: true, contexts: ["preview"] }],
    restrictPushes: [{ pushAllowances: ["/release-captain"], blocksCreations: true }],
  },
};

/** What the program's productionEnvironmentArgs() and GithubEnvironment produce for the committed prod stack. */
export const productionEnvironment: FakeResource = {
  type: "github:index/repositoryEnvironment:RepositoryEnvironment",
  name: "github-production-environment",
  stack: "prod",
  props: {
    repository: "dm-internal",
    environment: "production",
    preventSelfReview: true,
    canAdminsBypass: false,
    reviewers: [{ users: [100001], teams: [] }],
    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
  },
};
export const deployPolicy: FakeResource = {
  type: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  name: "github-production-deploy-policy",
  stack: "prod",
  props: { repository: "dm-internal", environment: "production", branchPattern: "main" },
};
