import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { GithubSettings } from "../config/github";
import { Tier } from "../config/schema";
import { environmentPlan, githubImportIds } from "../lib/github-plan";
import { rulesetPlan, workflowPermissionsArgs } from "../lib/github-rulesets";
import { GithubEnvironment } from "./githubEnvironment";

export interface GithubGuardrailsArgs {
  github: GithubSettings;
  tier: Tier;
  /** This tier's githubEnvironmentSecrets, resolved: they go into its writing environment only. */
  environmentSecrets: { name: string; value: pulumi.Input<string> }[];
  provider: github.Provider;
  /** The marker check of this tier's database: its credentials reach GitHub only after it passed. */
  waitFor?: pulumi.Resource[];
  /** With adoptGithub: the environments that exist on GitHub (io/github-verify.ts adoptableEnvironments), imported; the others are created. */
  adoptable?: ReadonlySet<string>;
}

/**
 * Everything this program declares on GitHub, for every tier: the tier's two environments (lib/github-plan.ts
 * environmentPlan), and on prod the rulesets that make the release authority the only way into every release branch
 * and the repository's workflow permissions (lib/github-rulesets.ts). Settings the prod stack acknowledges as gaps are
 * left out and named at every preview.
 */
export class GithubGuardrails extends pulumi.ComponentResource {
  constructor(name: string, args: GithubGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:github:GithubGuardrails", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const importIds = githubImportIds(args.github);
    for (const plan of environmentPlan(args.github, args.tier, args.adoptable)) {
      new GithubEnvironment(
        `${name}-${plan.environment}`,
        {
          environment: plan.args,
          deploymentPolicies: plan.deploymentPolicies,
          secrets: plan.holdsSecrets ? args.environmentSecrets : [],
          importId: plan.importId,
          provider: args.provider,
          waitFor: args.waitFor,
        },
        // Non-prod environments were registered at the top level before this component held them: same resources.
        { parent: this, aliases: args.tier === "prod" ? [] : [{ parent: pulumi.rootStackResource }] },
      );
    }
    if (args.tier === "prod") {
      for (const ruleset of rulesetPlan(args.github)) {
        // Protected, like the project shell: a destroy of the stack (or a config edit that drops a ruleset) leaves the
        // release branch protected until someone lifts that by hand (`pulumi state unprotect`), see README.
        new github.RepositoryRuleset(`${name}-ruleset-${ruleset.role}`, ruleset.args, {
          ...child,
          protect: true,
          import: args.github.adopt ? importIds.ruleset(ruleset.role) : undefined,
        });
      }
      if (!args.github.acknowledgedGaps.some((g) => g.setting === "workflowPermissions")) {
        new github.WorkflowRepositoryPermissions(`${name}-workflow-permissions`, workflowPermissionsArgs(args.github), {
          ...child,
          import: args.github.adopt ? importIds.workflowPermissions : undefined,
        });
      }
      for (const gap of args.github.acknowledgedGaps) {
        void pulumi.log.warn(
          `GitHub setting ${gap.setting} is NOT enforced (acknowledged in deploy-guardrails:githubAcknowledgedGaps: ${gap.reason}). See docs/github-settings.md for what that leaves open.`,
          this,
        );
      }
    }
    this.registerOutputs({});
  }
}
