import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { Tier, VercelProjectConfig } from "../config/schema";
import { ValueContext, resolveSource } from "../lib/resolve";
import { VariableRules, planVariables, variableImportId } from "../lib/vercel-plan";

export interface VercelVariablesArgs {
  tier: Tier;
  projects: { config: VercelProjectConfig; projectId: pulumi.Input<string> }[];
  teamId?: string;
  /** The team's rules for variables (vercelSensitiveVariablePolicy). */
  rules: VariableRules;
  values: ValueContext;
  provider: vercel.Provider;
  /** Resources that must succeed first: the marker check of the database whose values these variables carry. */
  waitFor?: pulumi.Resource[];
}

/**
 * The environment variables of this stack's tier: Production in prod; Preview and Development in test.
 * One resource per key, target and branch (lib/vercel-plan.ts says why) rather than the bulk resource: a change shows
 * as a diff of that one variable, only that variable is written to Vercel, and a secret's value stays a secret of its own.
 */
export class VercelVariables extends pulumi.ComponentResource {
  constructor(name: string, args: VercelVariablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:vercel:VercelVariables", name, {}, opts);
    for (const project of args.projects) {
      const registered = new Map<string, vercel.ProjectEnvironmentVariable>();
      for (const variable of planVariables(project.config, args.tier, args.rules)) {
        const value = resolveSource(variable.source, args.values);
        const after = variable.after ? registered.get(variable.after) : undefined;
        const adopted = variable.adoptId && project.config.projectId ? variableImportId(variable.adoptId, project.config.projectId, args.teamId) : undefined;
        const resource = new vercel.ProjectEnvironmentVariable(
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
          {
            parent: this,
            provider: args.provider,
            // A change of sensitivity replaces the variable, and Vercel refuses a second one of the same key and target: delete first.
            deleteBeforeReplace: true,
            dependsOn: [...(args.waitFor ?? []), ...(after ? [after] : [])],
            aliases: variable.aliases.map((alias) => ({ name: `${name}-${alias}` })),
            import: adopted,
          },
        );
        registered.set(variable.name, resource);
      }
    }
    this.registerOutputs({});
  }
}
