import { Tier, VercelProjectConfig, VercelTarget } from "../config/schema";
import { SourceFields, isSensitive, sourceOf } from "../config/sources";
import { defaultTargets } from "../config/vercel";

/** One Vercel environment variable resource, decided from config before anything is wired. */
export interface PlannedVariable {
  /** Logical name, stable across runs: `<project>-<KEY>-<targets>[-<branch>]`. */
  name: string;
  key: string;
  targets: VercelTarget[];
  gitBranch?: string;
  sensitive: boolean;
  source: SourceFields;
  comment?: string;
}

const targetOrder: VercelTarget[] = ["production", "preview", "development"];

export function planVariables(project: VercelProjectConfig, tier: Tier): PlannedVariable[] {
  return project.variables.map((variable) => {
    const sensitive = isSensitive(variable);
    const targets = [...(variable.targets ?? defaultTargets(tier, sensitive))].sort((a, b) => targetOrder.indexOf(a) - targetOrder.indexOf(b));
    const branch = variable.gitBranch ? `-${variable.gitBranch.replace(/[^A-Za-z0-9._-]/g, "_")}` : "";
    return {
      name: `${project.name}-${variable.key}-${targets.join("+")}${branch}`,
      key: variable.key,
      targets,
      gitBranch: variable.gitBranch,
      sensitive,
      source: sourceOf(variable),
      comment: variable.comment,
    };
  });
}

/** Vercel's "Other" preset in config: no framework at all. */
export const noFramework = "other";

/**
 * The `framework` input of a project shell. Vercel has no "other" slug: the provider selects no framework when the
 * input is omitted; with the input omitted an update sends `framework: null`, which also clears a preset set by hand.
 */
export function frameworkInput(framework: string): string | undefined {
  return framework === noFramework ? undefined : framework;
}
