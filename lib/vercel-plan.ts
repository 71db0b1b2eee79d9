import { Tier, VercelProjectConfig, VercelTarget } from "../config/schema";
import { SourceFields, isSensitive, sourceOf } from "../config/sources";
import { defaultTargets } from "../config/vercel";

/**
 * One Vercel environment variable resource, decided from config before anything is wired: one per project, key,
 * target and git branch.
 *
 * Why one target each: Vercel refuses a variable whose key, branch and targets overlap another's (ENV_CONFLICT),
 * and Pulumi creates a resource of a new name before it deletes the one of the old name. With one resource per key,
 * target and branch, a name exists exactly while its (key, target, branch) does, so no change of targets, branch or
 * sensitivity ever creates a second variable where one still is: adding a target creates that target's variable,
 * dropping one deletes it, and the targets the change keeps are not touched.
 */
export interface PlannedVariable {
  /** Logical name `<project>-<KEY>-<target>[-<branch>]`, stable while the key, target and branch stay. */
  name: string;
  /**
   * Names the same Vercel variable had before (`<project>-<KEY>-preview+development`, when one resource held every
   * target of an entry): aliases, so a stack made by an earlier version keeps that variable instead of replacing it.
   */
  aliases: string[];
  /**
   * The variable of the same entry this one waits for: the one that holds the alias, whose update first narrows the
   * old variable's targets (else this create would overlap it and Vercel would refuse it), or whose import comes first.
   */
  after?: string;
  key: string;
  /** Exactly one target. */
  targets: [VercelTarget];
  gitBranch?: string;
  sensitive: boolean;
  source: SourceFields;
  comment?: string;
  /** The Vercel id (`env_…` or the bare id) of a variable made by hand that this one adopts: imported, then updated to the config. */
  adoptId?: string;
}

export interface VariableRules {
  /**
   * The Vercel team enforces sensitive variables (its `sensitiveEnvironmentVariablePolicy`): every variable that
   * targets preview or production must be sensitive, and development ones cannot be.
   */
  sensitivePolicy: boolean;
}

export const targetOrder: VercelTarget[] = ["production", "preview", "development"];

const branchSuffix = (branch: string | undefined) => (branch ? `-${branch.replace(/[^A-Za-z0-9._-]/g, "_")}` : "");

export function planVariables(project: VercelProjectConfig, tier: Tier, rules: VariableRules = { sensitivePolicy: false }): PlannedVariable[] {
  return project.variables.flatMap((variable) => {
    const secret = isSensitive(variable);
    const targets = [...new Set(variable.targets ?? defaultTargets(tier, secret))].sort((a, b) => targetOrder.indexOf(a) - targetOrder.indexOf(b));
    const branch = branchSuffix(variable.gitBranch);
    const nameOf = (target: VercelTarget) => `${project.name}-${variable.key}-${target}${branch}`;
    return targets.map((target, i): PlannedVariable => ({
      name: nameOf(target),
      aliases: i === 0 && targets.length > 1 ? [`${project.name}-${variable.key}-${targets.join("+")}${branch}`] : [],
      after: i > 0 ? nameOf(targets[0]) : undefined,
      key: variable.key,
      targets: [target],
      gitBranch: variable.gitBranch,
      sensitive: secret || (rules.sensitivePolicy && target !== "development"),
      source: sourceOf(variable),
      comment: variable.comment,
      adoptId: i === 0 ? variable.adoptId : undefined,
    }));
  });
}

/**
 * The import id of a variable made by hand (TPV ImportState: `[team_id/]project_id/env_id`). Only known when the
 * project's id is in config: an id that exists only after this run (a project the prod stack creates) has nothing
 * made by hand to adopt.
 */
export function variableImportId(adoptId: string, projectId: string, teamId?: string): string {
  return `${teamId ? `${teamId}/` : ""}${projectId}/${adoptId}`;
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
