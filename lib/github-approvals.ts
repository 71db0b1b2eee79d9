import type { RulesetArgs } from "./github-rulesets";

/**
 * GitHub's documented rules for who may approve a deployment and who may merge, applied to the settings the program
 * plans. A model for table tests ("who can and cannot approve"), not a replacement for GitHub: docs/github-settings.md
 * cites each rule.
 */
export interface Person {
  login: string;
  id: number;
  /** Ids of the organization teams the person belongs to. */
  teams: number[];
  /** A repository administrator (an owner of a user-owned repository always is). */
  admin: boolean;
}

export interface EnvironmentGate {
  reviewers?: { users?: number[]; teams?: number[] }[];
  preventSelfReview?: boolean;
  canAdminsBypass?: boolean;
}

export interface Verdict {
  can: boolean;
  why: string;
}

/**
 * Whether `person` can let a waiting job of the environment run, when `triggeredBy` started the run. Only a listed
 * reviewer (a user, or a member of a listed team) may approve; with prevent self-review, not the one who triggered the
 * run; administrators may bypass only when the environment allows it (the provider's default is true).
 */
export function canApproveDeployment(environment: EnvironmentGate, person: Person, triggeredBy: Person): Verdict {
  const users = (environment.reviewers ?? []).flatMap((r) => r.users ?? []);
  const teams = (environment.reviewers ?? []).flatMap((r) => r.teams ?? []);
  if (users.length + teams.length === 0) return { can: true, why: "the environment has no reviewers: every run proceeds unapproved" };
  if ((environment.canAdminsBypass ?? true) && person.admin) return { can: true, why: "administrators may bypass the reviewers" };
  const listed = users.includes(person.id) || person.teams.some((t) => teams.includes(t));
  if (!listed) return { can: false, why: "not a required reviewer" };
  if (environment.preventSelfReview && person.id === triggeredBy.id) return { can: false, why: "prevent self-review: they started this run" };
  return { can: true, why: "a required reviewer" };
}

export interface PullRequest {
  author: Person;
  /** Who approved the latest push (authors' own approvals never count on GitHub). */
  approvers: Person[];
  /** Whether it changes a path CODEOWNERS gives to someone. */
  touchesOwnedPaths: boolean;
  /** CODEOWNERS owners of those paths, as `@login` / `@org/slug`. */
  codeOwners: string[];
  /** The team slugs of the organization, by id, to match `@org/slug` owners. */
  teamSlugs?: Record<number, string>;
  /** Whether the required checks passed, reported by the app they are pinned to. */
  checksGreen: boolean;
}

const covers = (ruleset: RulesetArgs, branch: string) =>
  ruleset.conditions.refName.includes.includes(`refs/heads/${branch}`) && !ruleset.conditions.refName.excludes.includes(`refs/heads/${branch}`);

function bypasses(ruleset: RulesetArgs, person: Person, viaPullRequest: boolean): boolean {
  return ruleset.bypassActors.some(
    (a) =>
      (a.bypassMode === "always" || viaPullRequest) &&
      ((a.actorType === "User" && a.actorId === person.id) || (a.actorType === "Team" && person.teams.includes(a.actorId))),
  );
}

function isCodeOwner(person: Person, pull: PullRequest): boolean {
  return pull.codeOwners.some(
    (o) =>
      o.toLowerCase() === `@${person.login}`.toLowerCase() ||
      person.teams.some((t) => pull.teamSlugs?.[t] !== undefined && o.toLowerCase().endsWith(`/${pull.teamSlugs[t]}`.toLowerCase())),
  );
}

/** Whether `person` can merge `pull` into `branch` under the rulesets (every ruleset that covers the branch applies). */
export function canMerge(rulesets: RulesetArgs[], branch: string, person: Person, pull: PullRequest): Verdict {
  for (const ruleset of rulesets.filter((r) => covers(r, branch))) {
    if (bypasses(ruleset, person, true)) continue;
    const rules = ruleset.rules as {
      update?: boolean;
      pullRequest?: { requiredApprovingReviewCount?: number; requireCodeOwnerReview?: boolean };
      requiredStatusChecks?: unknown;
    };
    if (rules.update) return { can: false, why: `"${ruleset.name}": only its bypass actors may update ${branch}` };
    if (rules.pullRequest) {
      const approvals = pull.approvers.filter((a) => a.id !== pull.author.id);
      if (approvals.length < (rules.pullRequest.requiredApprovingReviewCount ?? 0))
        return { can: false, why: `"${ruleset.name}": needs ${rules.pullRequest.requiredApprovingReviewCount} approval(s) by someone other than the author` };
      if (rules.pullRequest.requireCodeOwnerReview && pull.touchesOwnedPaths && !approvals.some((a) => isCodeOwner(a, pull)))
        return { can: false, why: `"${ruleset.name}": needs a code owner's approval` };
    }
    if (rules.requiredStatusChecks && !pull.checksGreen) return { can: false, why: `"${ruleset.name}": the required checks have not passed` };
  }
  return { can: true, why: "every ruleset on the branch is met or bypassed" };
}

/** Whether `person` can push commits to `branch` without a pull request. */
export function canPushDirectly(rulesets: RulesetArgs[], branch: string, person: Person): Verdict {
  for (const ruleset of rulesets.filter((r) => covers(r, branch))) {
    if (bypasses(ruleset, person, false)) continue;
    const rules = ruleset.rules as { update?: boolean; pullRequest?: unknown; requiredStatusChecks?: unknown };
    if (rules.update) return { can: false, why: `"${ruleset.name}": only its bypass actors may update ${branch}` };
    if (rules.pullRequest) return { can: false, why: `"${ruleset.name}": changes must come through a pull request` };
    if (rules.requiredStatusChecks) return { can: false, why: `"${ruleset.name}": commits need the required checks first` };
  }
  return { can: true, why: "no ruleset stops a direct push" };
}
