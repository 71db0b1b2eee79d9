import type { GithubSettings } from "../config/github";
import { rulesetRoles } from "../contracts/github-names";
import type { AcknowledgeableSetting } from "../contracts/github-settings";

/** The GitHub Actions app (`gh api /apps/github-actions` → id 15368): a required check from any other source does not count. */
export const githubActionsAppId = 15368;

export interface RulesetBypassActor {
  actorType: "User" | "Team";
  actorId: number;
  bypassMode: "always" | "pull_request";
}

/** The inputs of one github.RepositoryRuleset, as plain data. */
export interface RulesetArgs {
  repository: string;
  name: string;
  target: "branch";
  enforcement: "active";
  conditions: { refName: { includes: string[]; excludes: string[] } };
  bypassActors: RulesetBypassActor[];
  rules: Record<string, unknown>;
}

export interface RulesetPlan {
  /** Logical name `github-ruleset-<role>`; also the key of adoptGithubRulesetIds. */
  role: string;
  /** The setting this ruleset provides, as violations and acknowledgements name it. */
  setting: AcknowledgeableSetting;
  args: RulesetArgs;
}

/** Every branch that releases a stack: the production branch first, then releaseBranches. */
export function protectedBranches(github: Pick<GithubSettings, "productionBranch" | "releaseBranches">): string[] {
  return [github.productionBranch, ...github.releaseBranches.map((b) => b.branch)];
}

const refOf = (branch: string) => `refs/heads/${branch}`;

/**
 * The rulesets that protect every release branch, as plain data. A bypass in a ruleset lets its actors skip that
 * ruleset's rules only (rulesets layer; each ruleset's bypass list is its own), so each concern gets its own ruleset
 * and only the merge restriction (and, for a sole release authority, the review ruleset) has a bypass list:
 *
 * - merge-restriction: only the release authority may create or update a release branch (rulesets' "restrict
 *   creations/updates" with the authority as User/Team bypass actors; this works in user-owned repositories too,
 *   where classic push restrictions do not exist). Bypass mode `always`, so the authority can also create a release
 *   branch; direct pushes stay impossible because the review ruleset below requires a pull request of everyone.
 * - pull-request-reviews: a pull request with approvals, stale approvals dismissed, the last push approved by someone
 *   else, code-owner review (CODEOWNERS gives the guarded paths to the release authority), conversations resolved.
 *   A sole release authority is its only bypass actor, in `pull_request` mode: GitHub never lets authors approve their
 *   own pull request, so one person could not otherwise merge their own change. Agents' pull requests still need that
 *   person's approval.
 * - status-checks[-<branch>]: the required checks, each pinned to the GitHub Actions app, branch up to date. No bypass.
 * - branch-integrity: no force push, no deletion, linear history. No bypass.
 *
 * An acknowledged setting (githubAcknowledgedGaps) leaves its ruleset out, or, for code-owner review inside the review
 * ruleset, its one flag.
 */
export function rulesetPlan(github: GithubSettings): RulesetPlan[] {
  const acknowledged = new Set(github.acknowledgedGaps.map((g) => g.setting));
  const all = protectedBranches(github).map(refOf);
  const pinned = !acknowledged.has("pinnedStatusChecks");
  const checks = (contexts: string[]) => ({
    requiredStatusChecks: {
      requiredChecks: contexts.map((context) => (pinned ? { context, integrationId: githubActionsAppId } : { context })),
      strictRequiredStatusChecksPolicy: true,
      // Creating a release branch is the release authority's alone (merge-restriction); its first commit has no checks yet.
      doNotEnforceOnCreate: true,
    },
  });
  const ruleset = (
    role: string,
    setting: AcknowledgeableSetting,
    title: string,
    includes: string[],
    bypassActors: RulesetBypassActor[],
    rules: Record<string, unknown>,
  ): RulesetPlan => ({
    role,
    setting,
    args: {
      repository: github.repository,
      name: `deploy-guardrails: ${title}`,
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes, excludes: [] } },
      bypassActors,
      rules,
    },
  });
  const releaseChecks = new Map(github.releaseBranches.map((b) => [b.branch, b.requiredStatusChecks]));
  const releaseBranches = github.releaseBranches.map((b) => b.branch);

  return rulesetRoles({ acknowledged, releaseBranches }).map(({ role, kind, branch }) => {
    switch (kind) {
      case "merge-restriction": {
        const authority: RulesetBypassActor[] = [
          ...github.releaseAuthority.map((a) => ({ actorType: "User" as const, actorId: a.id, bypassMode: "always" as const })),
          ...github.releaseAuthorityTeams.map((t) => ({ actorType: "Team" as const, actorId: t.id, bypassMode: "always" as const })),
        ];
        return ruleset(role, "mergeRestriction", "only the release authority merges", all, authority, { creation: true, update: true });
      }
      case "pull-request-reviews": {
        const reviews = !acknowledged.has("pullRequestReviews");
        const codeOwners = !acknowledged.has("codeOwnerReview");
        const sole = github.soleReleaseAuthority
          ? github.releaseAuthority.map((a) => ({ actorType: "User" as const, actorId: a.id, bypassMode: "pull_request" as const }))
          : [];
        return ruleset(role, reviews ? "pullRequestReviews" : "codeOwnerReview", "reviewed pull requests only", all, sole, {
          pullRequest: {
            requiredApprovingReviewCount: reviews ? github.requiredApprovals : 0,
            dismissStaleReviewsOnPush: reviews,
            requireLastPushApproval: reviews,
            requireCodeOwnerReview: codeOwners,
            requiredReviewThreadResolution: reviews,
          },
        });
      }
      case "status-checks": {
        const target = branch ?? github.productionBranch;
        const contexts = branch === undefined ? github.requiredStatusChecks : (releaseChecks.get(branch) ?? []);
        return ruleset(role, "pinnedStatusChecks", `required checks of ${target}`, [refOf(target)], [], checks(contexts));
      }
      case "branch-integrity":
        return ruleset(role, "branchIntegrity", "no force push, no deletion", all, [], { deletion: true, nonFastForward: true, requiredLinearHistory: true });
    }
  });
}

/** Repository-wide GITHUB_TOKEN settings: read-only by default, and never able to approve a pull request. */
export function workflowPermissionsArgs(github: Pick<GithubSettings, "repository">) {
  return { repository: github.repository, defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false };
}

/**
 * Branches a non-prod stack releases from (environmentDeploymentBranches) that the prod stack does not protect: each
 * one decides what prod may release, so each must be productionBranch or one of prod's releaseBranches.
 */
export function unprotectedDeploymentBranches(
  prod: Pick<GithubSettings, "productionBranch" | "releaseBranches">,
  others: { stack: string; github: Pick<GithubSettings, "environmentDeploymentBranches"> }[],
): { stack: string; branch: string }[] {
  const protectedSet = new Set(protectedBranches(prod));
  return others.flatMap(({ stack, github }) => github.environmentDeploymentBranches.filter((b) => !protectedSet.has(b)).map((branch) => ({ stack, branch })));
}
