import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { readField, readList, readObjects } from "../lib/read";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface MainProtectionConfig {
  prodStacks: string[];
  protectedBranch: string;
  requiredStatusChecks: string[];
  minApprovals: number;
}

/**
 * In prod, the branch protection of main must make a reviewed, green pull request the only way in, for
 * administrators too: the deployment model's "merging a PR into main is the only way to deploy to production".
 */
export const mainBranchProtected: ResourceValidationPolicy = {
  name: "main-branch-protected",
  description:
    "The prod stack's branch protection of main is weaker than the release model needs. Require pull requests with at " +
    "least one approval, dismiss stale approvals, require approval of the last push, require the status checks " +
    "(including preview), enforce for administrators, forbid force pushes and deletions, require linear history and " +
    "conversation resolution.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      protectedBranch: schema.protectedBranch,
      requiredStatusChecks: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        default: ["preview"],
        description: "Status check contexts main must require (the CI job that runs pulumi preview with this pack).",
      },
      minApprovals: { type: "integer", minimum: 1, maximum: 6, default: 1, description: "Fewest approving reviews." },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== types.github.branchProtection) return;
    const config = withDefaults(args.getConfig<Partial<MainProtectionConfig>>(), {
      prodStacks: defaults.prodStacks,
      protectedBranch: defaults.protectedBranch,
      requiredStatusChecks: ["preview"],
      minApprovals: 1,
    });
    if (!isProdStack(args.urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const field = <T>(name: string) => readField<T>(unknowns, args.props, name, "");
    const pattern = field<string>("pattern");
    if (pattern === UNKNOWN) return unknowns.deferToUpdate();
    if (pattern !== config.protectedBranch) return;

    const branch = config.protectedBranch;
    const expect = (value: unknown, wanted: boolean, fix: string) => {
      if (value === UNKNOWN) return;
      // Provider defaults: allowsForcePushes and allowsDeletions default to false, everything else to false too.
      if ((value ?? false) !== wanted) reportViolation(`The protection of ${branch} ${fix}.`);
    };
    expect(field("enforceAdmins"), true, "does not apply to administrators. Set enforceAdmins: true");
    expect(field("allowsForcePushes"), false, "allows force pushes. Set allowsForcePushes: false");
    expect(field("allowsDeletions"), false, "allows deleting the branch. Set allowsDeletions: false");
    expect(field("requiredLinearHistory"), true, "does not require linear history. Set requiredLinearHistory: true");
    expect(field("requireConversationResolution"), true, "does not require resolved conversations. Set requireConversationResolution: true");
    const bypassers = readList<string>(unknowns, () => args.props.forcePushBypassers, "forcePushBypassers");
    if (bypassers !== UNKNOWN && (bypassers?.length ?? 0) > 0) {
      reportViolation(`The protection of ${branch} lets some actors force push. Remove forcePushBypassers.`);
    }

    const reviews = readObjects(unknowns, () => args.props.requiredPullRequestReviews, "requiredPullRequestReviews");
    if (reviews !== UNKNOWN) {
      if (reviews.length === 0) {
        reportViolation(
          `The protection of ${branch} does not require pull requests. Set requiredPullRequestReviews: [{ requiredApprovingReviewCount: ${config.minApprovals}, dismissStaleReviews: true, requireLastPushApproval: true }].`,
        );
      } else {
        const review = reviews[0];
        const count = readField<number>(unknowns, review, "requiredApprovingReviewCount", "requiredPullRequestReviews[0]");
        if (count !== UNKNOWN && (count ?? 1) < config.minApprovals) {
          reportViolation(
            `The protection of ${branch} requires fewer than ${config.minApprovals} approval(s). Set requiredApprovingReviewCount to at least ${config.minApprovals}.`,
          );
        }
        const reviewFlag = (name: string, fix: string) => {
          const value = readField<boolean>(unknowns, review, name, "requiredPullRequestReviews[0]");
          if (value !== UNKNOWN && value !== true) reportViolation(`The protection of ${branch} ${fix}.`);
        };
        reviewFlag("dismissStaleReviews", "keeps approvals after new commits. Set dismissStaleReviews: true");
        reviewFlag("requireLastPushApproval", "lets the last pusher merge without another approval. Set requireLastPushApproval: true");
      }
    }

    const checks = readObjects(unknowns, () => args.props.requiredStatusChecks, "requiredStatusChecks");
    if (checks !== UNKNOWN) {
      const contexts = checks.length === 0 ? [] : readList<string>(unknowns, () => checks[0].contexts, "requiredStatusChecks[0].contexts");
      if (contexts !== UNKNOWN) {
        const missing = config.requiredStatusChecks.filter((c) => !(contexts ?? []).includes(c));
        if ((contexts ?? []).length === 0) {
          reportViolation(
            `The protection of ${branch} requires no status checks. Set requiredStatusChecks: [{ strict: true, contexts: ${JSON.stringify(config.requiredStatusChecks)} }].`,
          );
        } else if (missing.length > 0) {
          reportViolation(
            `The protection of ${branch} does not require the status check(s) ${missing.join(", ")}. Add them to requiredStatusChecks[0].contexts.`,
          );
        }
      }
    }
    unknowns.deferToUpdate();
  },
};
