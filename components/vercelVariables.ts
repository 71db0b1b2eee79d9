import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { Tier, VercelProjectConfig } from "../config/schema";
import { ValueContext, resolveSource } from "../lib/resolve";
import { planVariables } from "../lib/vercel-plan";

export interface VercelVariablesArgs {
  tier: Tier;
  projects: { config: VercelProjectConfig; projectId: pulumi.Input<string> }[];
  teamId?: string;
  values: ValueContext;
  provider: vercel.Provider;
  /** Resources that must succeed first: the marker check of the database whose values these variables carry. */
  waitFor?: pulumi.Resource[];
}

/**
 * The environment variables of this stack's tier: Production in prod; Preview and Development in test.
 * One resource per variable rather than the bulk resource: a change shows as a diff of that one variable,
 * only that variable is written to Vercel, and a secret's value stays a secret of its own.
 */
export class VercelVariables extends pulumi.ComponentResource {
  constructor(name: string, args: VercelVariablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:vercel:VercelVariables", name, {}, opts);
    for (const project of args.projects) {
      for (const variable of planVariables(project.config, args.tier)) {
        const value = resolveSource(variable.source, args.values);
        new vercel.ProjectEnvironmentVariable(
          `${name}-${variable.name}`,
          {
            projectId: project.projectId,
            key: variable.key,
            value: variable.sensitive ? pulumi.secret(value) : value,
            sensitive: variable.sensitive,
            targets: variable.targets,
            gitBranch: variable.gitBranch,
            comment: variable.comment,
            teamId: args.teamId,
          },
          // Vercel rejects two variables with the same key and target, so a replacement must delete first.
          { parent: this, provider: args.provider, deleteBeforeReplace: true, dependsOn: args.waitFor },
        );
      }
    }
    this.registerOutputs({});
  }
}
