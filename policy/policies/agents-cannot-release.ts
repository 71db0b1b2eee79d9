import { ResourceValidationPolicy } from "@pulumi/policy";
import { withDefaults } from "../lib/config";
import { isAgentActor, toAgentAccounts } from "../lib/github-actors";
import { githubTypes } from "../lib/github-rulesets";
import { readField, readObjects } from "../lib/read";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";
import { walkLeaves } from "../lib/walk";

export interface AgentsConfig {
  agentAccounts: (string | number)[];
  agentAccountIds: (string | number)[];
}

/** Per resource type: the lists (by field shape, array indices dropped) whose members gain a way around review. */
const privilegedLists: Record<string, Record<string, string>> = {
  [types.github.branchProtection]: {
    "restrictPushes.pushAllowances": "may push to the protected branch",
    "requiredPullRequestReviews.pullRequestBypassers": "may merge without a reviewed pull request",
    "requiredPullRequestReviews.dismissalRestrictions": "may dismiss reviews",
    forcePushBypassers: "may force push",
  },
  [types.github.branchProtectionV3]: {
    "restrictions.users": "may push to the protected branch",
    "requiredPullRequestReviews.dismissalUsers": "may dismiss reviews",
    "requiredPullRequestReviews.bypassPullRequestAllowances.users": "may merge without a reviewed pull request",
  },
  [types.github.environment]: {
    "reviewers.users": "may approve deployments",
  },
};

/**
 * Every stack: agents propose, humans release. An agent account in an allowance, bypass, dismissal or reviewer list
 * (or as a repository admin, who can edit the protection) would let it merge to main or approve a production deploy.
 */
export const agentsCannotRelease: ResourceValidationPolicy = {
  name: "agents-cannot-release",
  description:
    "An agent account (policy config agentAccounts / agentAccountIds) is in a GitHub allowance, bypass, dismissal or " +
    "reviewer list, or is a repository admin, so it could merge to main or approve a production deployment; or the " +
    "repository's workflow permissions let GITHUB_TOKEN approve pull requests. Remove it (canApprovePullRequestReviews: " +
    "false); agents may only push branches and open pull requests.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      agentAccounts: {
        type: "array",
        items: { type: ["string", "integer"] },
        default: [],
        description: "Agent GitHub logins (numeric ids accepted too).",
      },
      agentAccountIds: {
        type: "array",
        items: { type: ["string", "integer"] },
        default: [],
        description: "Agent GitHub numeric user ids (reviewer lists and rulesets use ids).",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type === githubTypes.workflowPermissions) {
      // Any workflow, a pull request's own included, could then approve the pull request as github-actions[bot].
      const unknowns = new UnknownReads();
      if (readField<boolean>(unknowns, args.props, "canApprovePullRequestReviews", "") === true) {
        reportViolation(
          "The workflow permissions let GITHUB_TOKEN approve pull requests, so a workflow (an agent's pull request can edit one) could approve its own pull request. Set canApprovePullRequestReviews: false.",
        );
      }
      return unknowns.deferToUpdate();
    }
    const config = withDefaults(args.getConfig<Partial<AgentsConfig>>(), { agentAccounts: [], agentAccountIds: [] });
    const agents = toAgentAccounts(config.agentAccounts, config.agentAccountIds);
    if (agents.logins.size + agents.ids.size === 0) return;
    const unknowns = new UnknownReads();

    const lists = privilegedLists[args.type];
    if (lists) {
      for (const leaf of walkLeaves(args.props, unknowns)) {
        const shape = leaf.shape.replace(/\[\]/g, "");
        const role = lists[shape];
        if (role && (typeof leaf.value === "string" || typeof leaf.value === "number") && isAgentActor(leaf.value, agents)) {
          reportViolation(`An agent account is listed in ${leaf.path}, so it ${role}. Remove it: agents must not release.`);
        }
      }
    }

    if (args.type === types.github.ruleset) {
      const actors = readObjects(unknowns, () => args.props.bypassActors, "bypassActors");
      if (actors !== UNKNOWN) {
        actors.forEach((actor, i) => {
          const type = readField<string>(unknowns, actor, "actorType", `bypassActors[${i}]`);
          const id = readField<number>(unknowns, actor, "actorId", `bypassActors[${i}]`);
          if (type === "User" && typeof id === "number" && isAgentActor(id, agents)) {
            reportViolation(`An agent account is in bypassActors[${i}], so it may bypass the ruleset. Remove it: agents must not release.`);
          }
        });
      }
    }

    if (args.type === types.github.collaborator) {
      const username = readField<string>(unknowns, args.props, "username", "");
      const permission = readField<string>(unknowns, args.props, "permission", "");
      if (typeof username === "string" && isAgentActor(username, agents) && permission === "admin") {
        reportViolation("An agent account is a repository admin, so it can change branch protection and environments. Give it push permission only.");
      }
    }
    unknowns.deferToUpdate();
  },
};
