import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { readField, readList, readObjects } from "../lib/read";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { Maybe, UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface ProductionEnvironmentConfig {
  prodStacks: string[];
  protectedEnvironment: string;
  protectedBranch: string;
  releaseAuthorityIds: number[];
  releaseAuthorityTeamIds: number[];
  soleReleaseAuthority: boolean;
}

const fallback: ProductionEnvironmentConfig = {
  prodStacks: defaults.prodStacks,
  protectedEnvironment: defaults.protectedEnvironment,
  protectedBranch: defaults.protectedBranch,
  releaseAuthorityIds: [],
  releaseAuthorityTeamIds: [],
  soleReleaseAuthority: false,
};

/**
 * In prod, the protected environment is the release: only the release authority approves it, nobody approves their
 * own run (unless one person is the whole authority: soleReleaseAuthority), administrators cannot skip it, and only
 * main deploys to it. Whether it has reviewers at all is github-guardrails-declared's (productionReviewers), since a
 * private repository below GitHub Enterprise cannot have them and the team may acknowledge that.
 */
export const productionEnvironmentProtected: ResourceValidationPolicy = {
  name: "production-environment-protected",
  description:
    "The prod stack's production environment (or its deployment policy) does not make the release authority the gate. " +
    "Give it reviewers who are the release authority, preventSelfReview: true (false only for a sole release authority: " +
    "soleReleaseAuthority with exactly one reviewer), canAdminsBypass: false and " +
    "deploymentBranchPolicy { customBranchPolicies: true, protectedBranches: false }, with one deployment policy " +
    "whose branchPattern is main.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      protectedEnvironment: schema.protectedEnvironment,
      protectedBranch: schema.protectedBranch,
      releaseAuthorityIds: {
        type: "array",
        items: { type: "integer" },
        default: [],
        description: "GitHub user ids of the release authority; when set, every reviewer must be one of them.",
      },
      releaseAuthorityTeamIds: {
        type: "array",
        items: { type: "integer" },
        default: [],
        description: "GitHub team ids that may review production deployments.",
      },
      soleReleaseAuthority: {
        type: "boolean",
        default: false,
        description:
          "One person is the whole release authority (the prod stack's soleReleaseAuthority): production may then let them approve the run they started, if they are its only reviewer.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== types.github.environment && args.type !== types.github.deploymentPolicy) return;
    const config = withDefaults(args.getConfig<Partial<ProductionEnvironmentConfig>>(), fallback);
    if (!isProdStack(args.urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const environment = readField<string>(unknowns, args.props, "environment", "");
    if (environment === UNKNOWN) return unknowns.deferToUpdate();
    if (environment !== config.protectedEnvironment) return;
    const env = config.protectedEnvironment;
    const report = (problem: string) => reportViolation(`The ${env} environment ${problem}.`);

    if (args.type === types.github.deploymentPolicy) {
      const branchPattern = readField<string>(unknowns, args.props, "branchPattern", "");
      const tagPattern = readField<string>(unknowns, args.props, "tagPattern", "");
      if (tagPattern !== UNKNOWN && tagPattern) report(`accepts deployments from tags. Remove tagPattern; only ${config.protectedBranch} deploys`);
      if (branchPattern !== UNKNOWN && branchPattern !== config.protectedBranch) {
        report(`accepts deployments from branches matching a pattern other than ${config.protectedBranch}. Set branchPattern: "${config.protectedBranch}"`);
      }
      return unknowns.deferToUpdate();
    }

    const flag = (name: string, wanted: boolean, problem: string, providerDefault: boolean) => {
      const value: Maybe<boolean | undefined> = readField<boolean>(unknowns, args.props, name, "");
      if (value !== UNKNOWN && (value ?? providerDefault) !== wanted) report(problem);
    };
    // The provider's default for canAdminsBypass is true: leaving it out lets administrators skip the reviewers.
    flag("canAdminsBypass", false, "lets administrators bypass its reviewers. Set canAdminsBypass: false", true);

    const policy = unknowns.read(() => args.props.deploymentBranchPolicy as Record<string, unknown> | undefined, "deploymentBranchPolicy");
    if (policy !== UNKNOWN) {
      const custom = readField<boolean>(unknowns, policy, "customBranchPolicies", "deploymentBranchPolicy");
      const protectedBranches = readField<boolean>(unknowns, policy, "protectedBranches", "deploymentBranchPolicy");
      if (policy === undefined || policy === null) {
        report(
          `accepts deployments from any branch. Set deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false } and a deployment policy for ${config.protectedBranch}`,
        );
      } else if ((custom !== UNKNOWN && custom !== true) || (protectedBranches !== UNKNOWN && protectedBranches !== false)) {
        report(`does not limit deployments to named branches. Set deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false }`);
      }
    }

    const reviewers = readObjects(unknowns, () => args.props.reviewers, "reviewers");
    if (reviewers !== UNKNOWN) {
      const users: number[] = [];
      const teams: number[] = [];
      let known = true;
      reviewers.forEach((r, i) => {
        const u = readList<number>(unknowns, () => r.users, `reviewers[${i}].users`);
        const t = readList<number>(unknowns, () => r.teams, `reviewers[${i}].teams`);
        if (u === UNKNOWN || t === UNKNOWN) known = false;
        else {
          users.push(...(u ?? []).map(Number));
          teams.push(...(t ?? []).map(Number));
        }
      });
      const selfReview = readField<boolean>(unknowns, args.props, "preventSelfReview", "");
      // GitHub refuses prevent self-review without reviewers; their absence is github-guardrails-declared's to report.
      const soleReviewer =
        config.soleReleaseAuthority &&
        users.length === 1 &&
        teams.length === 0 &&
        config.releaseAuthorityIds.map(Number).includes(users[0]) &&
        config.releaseAuthorityTeamIds.length === 0 &&
        config.releaseAuthorityIds.length === 1;
      if (known && selfReview !== UNKNOWN && selfReview !== true && users.length + teams.length > 0 && !soleReviewer) {
        report(
          config.soleReleaseAuthority
            ? `lets whoever triggered a deployment approve it, but it has reviewers other than the one sole release authority (user ids ${users.join(", ") || "-"}, team ids ${teams.join(", ") || "-"}). With soleReleaseAuthority, keep exactly that person as reviewer; otherwise set preventSelfReview: true`
            : "lets whoever triggered a deployment approve it. Set preventSelfReview: true (or, when one person is the whole release authority, soleReleaseAuthority in this policy's config and the prod stack)",
        );
      }
      const restricted = config.releaseAuthorityIds.length + config.releaseAuthorityTeamIds.length > 0;
      const strangers = users.filter((u) => !config.releaseAuthorityIds.map(Number).includes(u));
      const strangerTeams = teams.filter((t) => !config.releaseAuthorityTeamIds.map(Number).includes(t));
      if (restricted && strangers.length + strangerTeams.length > 0) {
        report(
          `has reviewers who are not the release authority (user ids ${strangers.join(", ") || "-"}, team ids ${strangerTeams.join(", ") || "-"}). Keep only releaseAuthorityIds / releaseAuthorityTeamIds as reviewers`,
        );
      }
    }
    unknowns.deferToUpdate();
  },
};
