import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { githubTypes, hasWildcard } from "../lib/github-rulesets";
import { readField } from "../lib/read";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface ExactBranchesConfig {
  protectedEnvironment: string;
}

/** Environments named `<tier>-readonly` hold nothing that writes; every other environment does. */
const isReadOnly = (environment: string) => environment.endsWith("-readonly");

/**
 * Every stack: an environment that holds credentials which write (test, staging) opens only to exact branches. A
 * wildcard (`*`, `release/*`, `{a,b}`) would let an agent's branch of a matching name run a job there, with the
 * test stack's write access and its state: it could publish any release as passed. The production environment has
 * its own, stricter policy (production-environment-protected).
 */
export const writingEnvironmentsExactBranches: ResourceValidationPolicy = {
  name: "writing-environments-exact-branches",
  description:
    "A writing GitHub environment (any environment but production and the *-readonly ones) accepts deployments from a branch " +
    "pattern with a wildcard, from tags, or from any branch, so a pull request's branch could run a job holding its write " +
    "credentials. Give it deploymentBranchPolicy { customBranchPolicies: true, protectedBranches: false } and one deployment " +
    "policy per exact branch name (environmentDeploymentBranches).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: { properties: { protectedEnvironment: schema.protectedEnvironment } },
  validateResource: (args, reportViolation) => {
    const policyTypes: string[] = [types.github.deploymentPolicy, githubTypes.legacyDeploymentBranchPolicy];
    if (args.type !== types.github.environment && !policyTypes.includes(args.type)) return;
    const config = withDefaults(args.getConfig<Partial<ExactBranchesConfig>>(), { protectedEnvironment: defaults.protectedEnvironment });
    const unknowns = new UnknownReads();
    const environment = readField<string>(unknowns, args.props, args.type === githubTypes.legacyDeploymentBranchPolicy ? "environmentName" : "environment", "");
    if (environment === UNKNOWN) return unknowns.deferToUpdate();
    if (environment === undefined || environment === config.protectedEnvironment || isReadOnly(environment)) return;
    const report = (problem: string) => reportViolation(`The ${environment} environment ${problem}.`);

    if (args.type === types.github.environment) {
      const policy = readField<Record<string, unknown>>(unknowns, args.props, "deploymentBranchPolicy", "");
      if (policy === UNKNOWN) return unknowns.deferToUpdate();
      const custom = readField<boolean>(unknowns, policy, "customBranchPolicies", "deploymentBranchPolicy");
      const protectedBranches = readField<boolean>(unknowns, policy, "protectedBranches", "deploymentBranchPolicy");
      if (policy === undefined || policy === null)
        report(
          "accepts deployments from any branch, an agent's too. Set deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false } and a deployment policy per branch",
        );
      else if ((custom !== UNKNOWN && custom !== true) || (protectedBranches !== UNKNOWN && protectedBranches !== false))
        report("does not limit deployments to named branches. Set deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false }");
      return unknowns.deferToUpdate();
    }

    const pattern = readField<string>(unknowns, args.props, args.type === githubTypes.legacyDeploymentBranchPolicy ? "name" : "branchPattern", "");
    const tagPattern = readField<string>(unknowns, args.props, "tagPattern", "");
    if (tagPattern !== UNKNOWN && tagPattern)
      report(`accepts deployments from tags matching "${tagPattern}". Remove tagPattern: anyone who can push a tag could deploy`);
    if (pattern !== UNKNOWN && typeof pattern === "string" && hasWildcard(pattern)) {
      report(
        `accepts deployments from every branch matching "${pattern}", an agent's branch of that name too. Name exact branches instead (environmentDeploymentBranches, e.g. ["staging"])`,
      );
    }
    unknowns.deferToUpdate();
  },
};
