import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { VercelProjectConfig } from "../config/schema";
import { frameworkInput } from "../lib/vercel-plan";

export interface VercelProjectShellArgs {
  projects: VercelProjectConfig[];
  teamId?: string;
  /** `owner/repo` of the GitHub repository Vercel deploys from. */
  gitRepository?: string;
  productionBranch: string;
  /**
   * The stack's release makes each production deployment live (components/vercelPromotion.ts): Vercel then only
   * builds a merge as a staged production deployment, without the production domains.
   */
  promotedByRelease: boolean;
  provider: vercel.Provider;
}

/**
 * The Vercel projects themselves: owned by the prod stack, because the project decides what reaches production.
 * A project made by hand is adopted (imported) by its id instead of being created again. When the stack's release
 * promotes, a project never assigns its production domains by itself (Vercel's "Auto-assign Custom Production
 * Domains" off): a merge builds a staged production deployment, and only the release makes it live.
 */
export class VercelProjectShell extends pulumi.ComponentResource {
  readonly projectIds: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: VercelProjectShellArgs, opts?: pulumi.ComponentResourceOptions) {
    super("deploy-guardrails:vercel:VercelProjectShell", name, {}, opts);
    for (const project of args.projects) {
      const shell = new vercel.Project(
        `${name}-${project.name}-project`,
        {
          name: project.name,
          framework: frameworkInput(project.framework),
          rootDirectory: project.rootDirectory,
          buildCommand: project.buildCommand,
          installCommand: project.installCommand,
          outputDirectory: project.outputDirectory,
          gitRepository: args.gitRepository ? { type: "github", repo: args.gitRepository, productionBranch: args.productionBranch } : undefined,
          vercelAuthentication: { deploymentType: project.previewProtection },
          autoAssignCustomDomains: !args.promotedByRelease,
          automaticallyExposeSystemEnvironmentVariables: true,
          teamId: args.teamId,
        },
        { parent: this, provider: args.provider, import: project.adopt ? project.projectId : undefined, protect: true },
      );
      this.projectIds[project.name] = shell.id;
    }
    this.registerOutputs({ projectIds: this.projectIds });
  }
}
