import { githubPatternMatches } from "../../contracts/github-patterns";
import { Maybe, UNKNOWN, UnknownReads } from "./unknowns";

export { acknowledgeableSettings } from "../../contracts/github-settings";
export type { GithubSettingName as SettingName } from "../../contracts/github-settings";

/** Resource types this module reads that policy/lib/types.ts does not list. */
export const githubTypes = {
  workflowPermissions: "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions",
  legacyDeploymentBranchPolicy: "github:index/repositoryDeploymentBranchPolicy:RepositoryDeploymentBranchPolicy",
} as const;

/** Copies a value out of the unknown-checking proxy; UNKNOWN when any part of it is unknown at preview. */
export function readPlain(unknowns: UnknownReads, get: () => unknown, path: string): Maybe<unknown> {
  const value = unknowns.read(get, path);
  if (value === UNKNOWN || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const length = unknowns.read(() => value.length, path);
    if (length === UNKNOWN) return UNKNOWN;
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const item = readPlain(unknowns, () => value[i], `${path}[${i}]`);
      if (item === UNKNOWN) return UNKNOWN;
      items.push(item);
    }
    return items;
  }
  const keys = unknowns.read(() => Object.keys(value), path);
  if (keys === UNKNOWN) return UNKNOWN;
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const item = readPlain(unknowns, () => (value as Record<string, unknown>)[key], `${path}.${key}`);
    if (item === UNKNOWN) return UNKNOWN;
    copy[key] = item;
  }
  return copy;
}

export interface BypassActor {
  actorType: string;
  actorId?: number;
  bypassMode: string;
}

export interface RequiredCheck {
  context: string;
  integrationId?: number;
}

/** A RepositoryRuleset's inputs, as plain data (nested blocks are single objects in the SDK; a list is read as its first item). */
export interface RulesetView {
  name: string;
  target: string;
  enforcement: string;
  includes: string[];
  excludes: string[];
  bypassActors: BypassActor[];
  creation: boolean;
  update: boolean;
  deletion: boolean;
  nonFastForward: boolean;
  pullRequest?: { requiredApprovingReviewCount: number; dismissStaleReviewsOnPush: boolean; requireCodeOwnerReview: boolean; requireLastPushApproval: boolean };
  requiredChecks?: RequiredCheck[];
}

const single = (v: unknown): Record<string, unknown> | undefined =>
  (Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : (v as Record<string, unknown> | undefined)) ?? undefined;

/**
 * The inputs a ruleset view is made of. Only these are read: the provider's computed outputs (etag, nodeId,
 * rulesetId) are unknown in every preview of a new ruleset and decide nothing here.
 */
const rulesetInputs = ["name", "target", "enforcement", "conditions", "bypassActors", "rules"];

export function readRuleset(unknowns: UnknownReads, props: Record<string, unknown>): Maybe<RulesetView> {
  const p: Record<string, unknown> = {};
  for (const key of rulesetInputs) {
    const value = readPlain(unknowns, () => props[key], key);
    if (value === UNKNOWN) return UNKNOWN;
    p[key] = value;
  }
  const refName = single(single(p.conditions)?.refName);
  const rules = single(p.rules) ?? {};
  const pullRequest = single(rules.pullRequest);
  const checks = single(rules.requiredStatusChecks);
  return {
    name: String(p.name ?? ""),
    target: String(p.target ?? ""),
    enforcement: String(p.enforcement ?? ""),
    includes: ((refName?.includes as string[] | undefined) ?? []).map(String),
    excludes: ((refName?.excludes as string[] | undefined) ?? []).map(String),
    bypassActors: ((p.bypassActors as Record<string, unknown>[] | undefined) ?? []).map((a) => ({
      actorType: String(a.actorType),
      actorId: a.actorId === undefined || a.actorId === null ? undefined : Number(a.actorId),
      bypassMode: String(a.bypassMode ?? "always"),
    })),
    creation: rules.creation === true,
    update: rules.update === true,
    deletion: rules.deletion === true,
    nonFastForward: rules.nonFastForward === true,
    pullRequest: pullRequest
      ? {
          requiredApprovingReviewCount: Number(pullRequest.requiredApprovingReviewCount ?? 0),
          dismissStaleReviewsOnPush: pullRequest.dismissStaleReviewsOnPush === true,
          requireCodeOwnerReview: pullRequest.requireCodeOwnerReview === true,
          requireLastPushApproval: pullRequest.requireLastPushApproval === true,
        }
      : undefined,
    requiredChecks: checks
      ? ((checks.requiredChecks as Record<string, unknown>[] | undefined) ?? []).map((c) => ({
          context: String(c.context),
          integrationId: c.integrationId === undefined || c.integrationId === null ? undefined : Number(c.integrationId),
        }))
      : undefined,
  };
}

/**
 * Whether a branch ruleset applies to `branch`. `explicit` counts only what names the branch (its ref, a pattern, or
 * ~ALL), for "is it declared"; otherwise ~DEFAULT_BRANCH counts too, for "is what applies sound".
 */
export function rulesetCovers(view: RulesetView, branch: string, mode: "explicit" | "possibly"): boolean {
  if (view.target !== "branch") return false;
  const ref = `refs/heads/${branch}`;
  const hit = (p: string) => p === "~ALL" || githubPatternMatches(p, ref) || (mode === "possibly" && p === "~DEFAULT_BRANCH");
  // An excluded ~DEFAULT_BRANCH may or may not be this branch: "explicit" assumes it is, "possibly" that it is not.
  const excluded = view.excludes.some((p) => (p === "~DEFAULT_BRANCH" ? mode === "explicit" : hit(p)));
  return view.includes.some(hit) && !excluded;
}

/** A branch name with characters GitHub's branch patterns treat as wildcards. */
export function hasWildcard(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}
