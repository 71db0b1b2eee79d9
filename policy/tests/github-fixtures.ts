import { FakeResource } from "./helpers";

/** A classic branch protection of main, as the program declared it before rulesets (teams may still declare one). */
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

/** What the program's productionEnvironmentArgs() and GithubEnvironment produce for a prod stack with several authorities. */
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

/** The same for a sole release authority (the committed prod stack): prevent self-review off, one reviewer. */
export const soleProductionEnvironment: FakeResource = {
  ...productionEnvironment,
  props: { ...productionEnvironment.props, preventSelfReview: false },
};

const ruleset = (name: string, title: string, bypassActors: unknown[], rules: Record<string, unknown>, includes = ["refs/heads/main"]): FakeResource => ({
  type: "github:index/repositoryRuleset:RepositoryRuleset",
  name,
  stack: "prod",
  props: {
    repository: "dm-internal",
    name: `deploy-guardrails: ${title}`,
    target: "branch",
    enforcement: "active",
    conditions: { refName: { includes, excludes: [] } },
    bypassActors,
    rules,
  },
});

/** What the program's rulesetPlan() produces for the committed prod stack (sole release authority 100001). */
export const mergeRestriction = ruleset(
  "github-ruleset-merge-restriction",
  "only the release authority merges",
  [{ actorType: "User", actorId: 100001, bypassMode: "always" }],
  { creation: true, update: true },
);
export const pullRequestReviews = ruleset(
  "github-ruleset-pull-request-reviews",
  "reviewed pull requests only",
  [{ actorType: "User", actorId: 100001, bypassMode: "pull_request" }],
  {
    pullRequest: {
      requiredApprovingReviewCount: 1,
      dismissStaleReviewsOnPush: true,
      requireLastPushApproval: true,
      requireCodeOwnerReview: true,
      requiredReviewThreadResolution: true,
    },
  },
);
export const statusChecks = ruleset("github-ruleset-status-checks", "required checks of main", [], {
  requiredStatusChecks: { requiredChecks: [{ context: "preview", integrationId: 15368 }], strictRequiredStatusChecksPolicy: true, doNotEnforceOnCreate: true },
});
export const branchIntegrity = ruleset("github-ruleset-branch-integrity", "no force push, no deletion", [], {
  deletion: true,
  nonFastForward: true,
  requiredLinearHistory: true,
});
export const workflowPermissions: FakeResource = {
  type: "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions",
  name: "github-workflow-permissions",
  stack: "prod",
  props: { repository: "dm-internal", defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false },
};
export const rulesets = [mergeRestriction, pullRequestReviews, statusChecks, branchIntegrity];
/** Policy config of the committed prod stack for the ruleset and environment policies. */
export const soleAuthorityConfig = { releaseAuthorityIds: [100001], releaseAuthorityTeamIds: [], soleReleaseAuthority: true };
