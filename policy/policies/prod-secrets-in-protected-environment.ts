import { ResourceValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { readField } from "../lib/read";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface ProtectedEnvironmentConfig {
  prodStacks: string[];
  protectedEnvironment: string;
  allowedUnprotectedSecrets: string[];
}

/** Secrets every workflow of the repository (or organization) can read, on any branch, pushed by anyone with write. */
const unprotectedSecretTypes: Record<string, string> = {
  [types.github.actionsSecret]: "a repository Actions secret",
  [types.github.actionsOrganizationSecret]: "an organization Actions secret",
  [types.github.dependabotSecret]: "a Dependabot secret",
  [types.github.dependabotOrganizationSecret]: "an organization Dependabot secret",
  [types.github.codespacesSecret]: "a Codespaces secret",
};

/**
 * In prod, a GitHub secret is a prod credential, and it may exist only as an environment secret of the protected
 * environment: its protection rules (reviewers, main only) run before any job can read it.
 */
export const prodSecretsInProtectedEnvironment: ResourceValidationPolicy = {
  name: "prod-secrets-in-protected-environment",
  description:
    "The prod stack declares a GitHub secret outside the protected environment. A repository or organization secret " +
    "is readable by any workflow on any branch, including one an agent pushes. Declare it as an " +
    "ActionsEnvironmentSecret of the protected environment (default production) instead.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      protectedEnvironment: schema.protectedEnvironment,
      allowedUnprotectedSecrets: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Secret names that may live outside the protected environment (repository, organization or another environment); only for values that are not prod credentials.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const unprotected = unprotectedSecretTypes[args.type];
    if (!unprotected && args.type !== types.github.actionsEnvironmentSecret) return;
    const config = withDefaults(args.getConfig<Partial<ProtectedEnvironmentConfig>>(), {
      prodStacks: defaults.prodStacks,
      protectedEnvironment: defaults.protectedEnvironment,
      allowedUnprotectedSecrets: [] as string[],
    });
    if (!isProdStack(args.urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const name = readField<string>(unknowns, args.props, "secretName", "");
    if (typeof name === "string" && config.allowedUnprotectedSecrets.includes(name)) return;
    const label = typeof name === "string" ? name : "(unknown name)";
    if (unprotected) {
      reportViolation(
        `${label} is ${unprotected}, which any branch's workflow can read. ` +
          `Declare it as an ActionsEnvironmentSecret of the "${config.protectedEnvironment}" environment.`,
      );
      return;
    }
    const environment = readField<string>(unknowns, args.props, "environment", "");
    if (environment === UNKNOWN) return unknowns.deferToUpdate();
    if (environment !== config.protectedEnvironment) {
      reportViolation(
        `${label} is a secret of the environment "${environment ?? ""}", not of the protected "${config.protectedEnvironment}" environment. ` +
          `Move it to "${config.protectedEnvironment}", whose reviewers and branch policy guard prod credentials.`,
      );
    }
  },
};
