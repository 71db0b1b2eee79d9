import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { readRuleset, rulesetCovers } from "../lib/github-rulesets";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface RulesetsSoundConfig {
  prodStacks: string[];
  protectedBranch: string;
  releaseBranches: string[];
  releaseAuthorityIds: number[];
  releaseAuthorityTeamIds: number[];
  soleReleaseAuthority: boolean;
  minApprovals: number;
}

/**
 * In prod, a ruleset that applies to the production branch or a release branch must bind everyone but the release
 * authority: a bypass lets its actor skip every rule of that ruleset (GitHub's bypass is per ruleset), so only the
 * release authority may bypass, and never the checks; the checks name the app that must report them; a review ruleset
 * dismisses stale approvals and asks someone other than the last pusher.
 */
export const releaseBranchRulesetsSound: ResourceValidationPolicy = {
  name: "release-branch-rulesets-sound",
  description:
    "A prod ruleset on the production branch or a release branch lets someone around it: it is not active, a bypass actor is not " +
    "the release authority (a role, an app, a deploy key, organization admins, another user or team), the required checks have a " +
    "bypass actor or are not pinned to an app (integrationId, 15368 for GitHub Actions), or a review rule keeps stale approvals, " +
    "lets the last pusher approve, or needs too few approvals. Set enforcement: active, keep only the release authority as bypass " +
    "actors (a sole release authority may bypass the review rule, on pull requests only), and pin every check.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      protectedBranch: schema.protectedBranch,
      releaseBranches: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Other branches that release a stack (the prod stack's releaseBranches).",
      },
      releaseAuthorityIds: {
        type: "array",
        items: { type: "integer" },
        default: [],
        description: "GitHub user ids of the release authority: the only users who may bypass.",
      },
      releaseAuthorityTeamIds: {
        type: "array",
        items: { type: "integer" },
        default: [],
        description: "GitHub team ids of the release authority: the only teams who may bypass.",
      },
      soleReleaseAuthority: {
        type: "boolean",
        default: false,
        description: "One person is the release authority (the prod stack's soleReleaseAuthority): they may bypass the review rule on pull requests.",
      },
      minApprovals: { type: "integer", minimum: 1, maximum: 6, default: 1, description: "Fewest approvals a review rule may require." },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== types.github.ruleset) return;
    const config = withDefaults(args.getConfig<Partial<RulesetsSoundConfig>>(), {
      prodStacks: defaults.prodStacks,
      protectedBranch: defaults.protectedBranch,
      releaseBranches: [],
      releaseAuthorityIds: [],
      releaseAuthorityTeamIds: [],
      soleReleaseAuthority: false,
      minApprovals: 1,
    });
    if (!isProdStack(args.urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const view = readRuleset(unknowns, args.props as Record<string, unknown>);
    if (view === UNKNOWN) return unknowns.deferToUpdate();
    const branches = [config.protectedBranch, ...config.releaseBranches].filter((b) => rulesetCovers(view, b, "possibly"));
    if (branches.length === 0) return;
    const report = (problem: string) => reportViolation(`The ruleset "${view.name}" on ${branches.join(", ")} ${problem}.`);

    if (view.enforcement !== "active") report(`has enforcement "${view.enforcement}", so GitHub does not enforce it. Set enforcement: "active"`);

    const users = new Set(config.releaseAuthorityIds.map(Number));
    const teams = new Set(config.releaseAuthorityTeamIds.map(Number));
    view.bypassActors.forEach((actor, i) => {
      const who = `bypassActors[${i}] (${actor.actorType}${actor.actorId !== undefined ? ` ${actor.actorId}` : ""})`;
      if (actor.bypassMode === "exempt")
        report(`exempts ${who}: exempt actors skip the rules without a bypass record. Use bypassMode "always" or "pull_request" for the release authority`);
      const authority =
        (actor.actorType === "User" && actor.actorId !== undefined && users.has(actor.actorId)) ||
        (actor.actorType === "Team" && actor.actorId !== undefined && teams.has(actor.actorId));
      if (!authority) {
        const hint = users.size + teams.size === 0 ? " (releaseAuthorityIds / releaseAuthorityTeamIds are not set in this policy's config)" : "";
        report(`lets ${who} bypass it, who is not the release authority${hint}: anyone in that role, app or team could merge without the rules. Remove it`);
      }
    });

    if (view.requiredChecks !== undefined) {
      if (view.bypassActors.length > 0)
        report("has bypass actors on its required checks: they could merge unchecked code. Keep the checks in a ruleset without bypass actors");
      const unpinned = view.requiredChecks.filter((c) => !((c.integrationId ?? 0) > 0)).map((c) => c.context);
      if (unpinned.length > 0)
        report(
          `requires ${unpinned.join(", ")} from any source: anyone with write access can post a status of that name. Pin each check to its app (integrationId 15368 for GitHub Actions)`,
        );
    }

    if (view.pullRequest !== undefined) {
      const soleBypass =
        config.soleReleaseAuthority &&
        view.bypassActors.length === 1 &&
        view.bypassActors[0].actorType === "User" &&
        users.has(view.bypassActors[0].actorId ?? -1) &&
        view.bypassActors[0].bypassMode === "pull_request" &&
        users.size === 1 &&
        teams.size === 0;
      if (view.bypassActors.length > 0 && !soleBypass) {
        report(
          "lets actors bypass its pull-request rule. Only a sole release authority (soleReleaseAuthority, one person, no team) may bypass it, on pull requests only (bypassMode pull_request)",
        );
      }
      const pr = view.pullRequest;
      if (pr.requiredApprovingReviewCount > 0) {
        if (pr.requiredApprovingReviewCount < config.minApprovals)
          report(
            `requires ${pr.requiredApprovingReviewCount} approval(s), fewer than ${config.minApprovals}. Set requiredApprovingReviewCount to at least ${config.minApprovals}`,
          );
        if (!pr.dismissStaleReviewsOnPush) report("keeps approvals after new commits. Set dismissStaleReviewsOnPush: true");
        if (!pr.requireLastPushApproval) report("lets the last pusher merge without another approval. Set requireLastPushApproval: true");
      }
    }
    unknowns.deferToUpdate();
  },
};
