import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { GithubSettings } from "../config/github";
import { branchProtectionArgs, deploymentPolicyPlan, githubImportIds, productionEnvironmentArgs, unreviewedEnvironmentArgs } from "../lib/github-plan";
import { GithubEnvironment } from "./githubEnvironment";

export interface GithubGuardrailsArgs {
  github: GithubSettings;
  productionSecrets: { name: string; value: pulumi.Input<string> }[];
  provider: github.Provider;
  /** The marker check of the prod database: its credentials reach GitHub only after it passed. */
  waitFor?: pulumi.Resource[];
}

/**
 * What makes a human the only release authority: `main` takes changes only through reviewed pull requests,
 * and prod credentials live only in the `production` environment, which the release authority must approve.
 */
export class GithubGuardrails extends pulumi.ComponentResource {
  constructor(name: string, args: GithubGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:github:GithubGuardrails", name, {}, opts);
    const importIds = githubImportIds(args.github, "production");
    // Production deploys from the production branch only; environmentDeploymentBranches is refused on prod.
    const productionOnly = deploymentPolicyPlan([args.github.productionBranch], args.github.productionBranch);
    new github.BranchProtection(`${name}-main-protection`, branchProtectionArgs(args.github), {
      parent: this,
      provider: args.provider,
      import: args.github.adopt ? importIds.branchProtection : undefined,
    });
    new GithubEnvironment(
      `${name}-production`,
      {
        environment: productionEnvironmentArgs(args.github),
        deploymentPolicies: productionOnly,
        secrets: args.productionSecrets,
        importId: args.github.adopt ? importIds.environment : undefined,
        provider: args.provider,
        waitFor: args.waitFor,
      },
      { parent: this },
    );
    // Previews and drift checks of prod run here, on the production branch, without waiting for a reviewer.
    new GithubEnvironment(
      `${name}-production-readonly`,
      {
        environment: unreviewedEnvironmentArgs(args.github, "production-readonly", true),
        deploymentPolicies: productionOnly,
        secrets: [],
        importId: args.github.adopt ? githubImportIds(args.github, "production-readonly").environment : undefined,
        provider: args.provider,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
