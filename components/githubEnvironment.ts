import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

export interface GithubEnvironmentArgs {
  environment: github.RepositoryEnvironmentArgs;
  /**
   * One deployment policy per entry (contracts/github-names.ts deploymentPolicyPlan), named `<name>-<role>`. Empty or
   * unset means no policy: any branch may deploy (the read-only environments of non-prod stacks).
   */
  deploymentPolicies?: { role: string; branchPattern: string; importId?: string }[];
  secrets: { name: string; value: pulumi.Input<string> }[];
  /** `repository:environment` of an environment made by hand, to adopt instead of create. */
  importId?: string;
  provider: github.Provider;
  /** Resources the secrets wait for: the marker check of the database whose credentials they are. */
  waitFor?: pulumi.Resource[];
}

/** A GitHub Actions environment and its secrets: the only place this program puts a credential on GitHub. */
export class GithubEnvironment extends pulumi.ComponentResource {
  readonly environmentName: pulumi.Output<string>;

  constructor(name: string, args: GithubEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:github:GithubEnvironment", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const environment = new github.RepositoryEnvironment(`${name}-environment`, args.environment, { ...child, import: args.importId });
    const dependsOn: pulumi.Resource[] = [environment];
    for (const policy of args.deploymentPolicies ?? []) {
      dependsOn.push(
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${name}-${policy.role}`,
          { repository: args.environment.repository, environment: environment.environment, branchPattern: policy.branchPattern },
          { ...child, import: policy.importId },
        ),
      );
    }
    for (const secret of args.secrets) {
      new github.ActionsEnvironmentSecret(
        `${name}-secret-${secret.name}`,
        { repository: args.environment.repository, environment: environment.environment, secretName: secret.name, value: pulumi.secret(secret.value) },
        // Secrets are written only after the branch policies exist, so no window lets another branch read them.
        { ...child, dependsOn: [...dependsOn, ...(args.waitFor ?? [])] },
      );
    }
    this.environmentName = environment.environment;
    this.registerOutputs({ environmentName: this.environmentName });
  }
}
