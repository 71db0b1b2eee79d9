import { StackValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { readField } from "../lib/read";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface GuardrailsDeclaredConfig {
  prodStacks: string[];
  protectedBranch: string;
  protectedEnvironment: string;
  requireGithubGuardrails: boolean;
}

/**
 * The settings policies only judge what is declared; this one makes sure the prod stack declares it at all:
 * the protection of main, the production environment and its main-only deployment policy.
 */
export const githubGuardrailsDeclared: StackValidationPolicy = {
  name: "github-guardrails-declared",
  description:
    "The prod stack does not declare the GitHub guardrails: a BranchProtection for main, the production " +
    "RepositoryEnvironment and a RepositoryEnvironmentDeploymentPolicy limiting it to main. Turn GitHub on in the prod " +
    "stack (enableGithub) so it manages them. Setting requireGithubGuardrails to false stops enforcing the GitHub part " +
    "entirely; do that only if the protection is managed elsewhere.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      protectedBranch: schema.protectedBranch,
      protectedEnvironment: schema.protectedEnvironment,
      requireGithubGuardrails: {
        type: "boolean",
        default: true,
        description: "Require the prod stack to declare main's protection and the production environment.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<GuardrailsDeclaredConfig>>(), {
      prodStacks: defaults.prodStacks,
      protectedBranch: defaults.protectedBranch,
      protectedEnvironment: defaults.protectedEnvironment,
      requireGithubGuardrails: true,
    });
    if (!config.requireGithubGuardrails || args.resources.length === 0) return;
    if (!isProdStack(args.resources[0].urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    // Each requirement is met, missing, or undecided (a candidate's identifying field is unknown at preview).
    const status = (type: string, wanted: Record<string, string>): "met" | "missing" | "undecided" => {
      let undecided = false;
      for (const r of args.resources.filter((x) => x.type === type)) {
        const values = Object.keys(wanted).map((name) => readField<string>(unknowns, r.props, name, ""));
        if (values.some((v) => v === UNKNOWN)) undecided = true;
        else if (Object.values(wanted).every((w, i) => values[i] === w)) return "met";
      }
      return undecided ? "undecided" : "missing";
    };
    const { protectedBranch: branch, protectedEnvironment: env } = config;
    const requirements = [
      { status: status(types.github.branchProtection, { pattern: branch }), what: `a github.BranchProtection with pattern "${branch}"` },
      { status: status(types.github.environment, { environment: env }), what: `a github.RepositoryEnvironment "${env}"` },
      {
        status: status(types.github.deploymentPolicy, { environment: env, branchPattern: branch }),
        what: `a github.RepositoryEnvironmentDeploymentPolicy for "${env}" with branchPattern "${branch}"`,
      },
    ];
    const missing = requirements.filter((r) => r.status === "missing");
    if (missing.length > 0) {
      const githubOff = !args.resources.some((r) => r.type.startsWith("github:"));
      reportViolation(
        (githubOff ? "The prod stack declares no GitHub resources at all. " : "") +
          `The prod stack is missing ${missing.map((m) => m.what).join("; ")}. ` +
          "Declare them (enableGithub in the prod stack) so main and releases stay protected.",
      );
    }
    if (requirements.some((r) => r.status === "undecided")) unknowns.deferToUpdate();
  },
};
