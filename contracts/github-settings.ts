/**
 * The GitHub settings a prod stack must declare, by the name a violation, an acknowledgement
 * (githubAcknowledgedGaps) and docs/github-settings.md use: the program's config and the policy pack read this list.
 */
export const acknowledgeableSettings = [
  "mergeRestriction",
  "pullRequestReviews",
  "codeOwnerReview",
  "pinnedStatusChecks",
  "branchIntegrity",
  "workflowPermissions",
  "productionReviewers",
] as const;
export type AcknowledgeableSetting = (typeof acknowledgeableSettings)[number];
/** A setting no acknowledgement can waive: without environments there is no place for prod credentials at all. */
export const productionEnvironmentSetting = "productionEnvironment";
export type GithubSettingName = AcknowledgeableSetting | typeof productionEnvironmentSetting;
