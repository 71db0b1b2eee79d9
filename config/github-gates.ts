/**
 * Which of the GitHub settings the prod stack relies on GitHub offers, by plan and repository visibility. The rules
 * are GitHub's own availability notes (docs/github-settings.md, "What each plan offers", quotes and links):
 *
 * - environments, environment secrets and deployment branch policies: every plan on public repositories; on private
 *   and internal ones only with GitHub Pro, Team or Enterprise;
 * - required reviewers on an environment: every plan on public repositories; on private and internal ones only with
 *   GitHub Enterprise ("If you are on a GitHub Free, GitHub Pro, or GitHub Team plan, other deployment protection
 *   rules, such as a wait timer or required reviewers, are only available for public repositories");
 * - rulesets (merge restriction, reviews, checks, integrity) and code owners: every plan on public repositories; on
 *   private ones only with GitHub Pro, Team or Enterprise;
 * - workflow permissions of the GITHUB_TOKEN: every plan.
 */
export const repositoryVisibilities = ["public", "private", "internal"] as const;
export type RepositoryVisibility = (typeof repositoryVisibilities)[number];
export const githubPlans = ["free", "pro", "team", "enterprise"] as const;
export type GithubPlan = (typeof githubPlans)[number];

/** Plans GitHub sells to each kind of owner: Pro to people, Team and Enterprise to organizations. */
export function plansOfOwner(ownerIsOrganization: boolean): GithubPlan[] {
  return ownerIsOrganization ? ["free", "team", "enterprise"] : ["free", "pro"];
}

export interface UnavailableSetting {
  setting: string;
  /** GitHub's rule, in a sentence. */
  rule: string;
  /** What is lost when the setting is missing. */
  consequence: string;
  fix: string;
}

const paidPrivate = "GitHub offers it on private repositories only with GitHub Pro (personal accounts), Team or Enterprise.";
const rulesetConsequence = (what: string) => `${what}; agents with write access could then get code into the production branch`;

/** The settings that cannot exist on this plan and visibility; empty when GitHub offers them all. */
export function unavailableSettings(visibility: RepositoryVisibility, plan: GithubPlan): UnavailableSetting[] {
  if (visibility === "public" || plan === "enterprise") return [];
  const upgrade = "make the repository public, or move it to a paid plan (githubPlan pro, team or enterprise)";
  const missing: UnavailableSetting[] = [];
  if (plan === "free") {
    missing.push({
      setting: "productionEnvironment",
      rule: `environments, their secrets and deployment branch policies do not exist on private repositories on GitHub Free; ${paidPrivate}`,
      consequence: "there is no place that only the production branch can read a prod credential from",
      fix: upgrade,
    });
    for (const [setting, what] of [
      ["mergeRestriction", "nobody is kept from merging"],
      ["pullRequestReviews", "no review is required"],
      ["pinnedStatusChecks", "no check is required"],
      ["branchIntegrity", "force pushes and deletions are allowed"],
    ] as const) {
      missing.push({
        setting,
        rule: `rulesets and branch protection do not exist on private repositories on GitHub Free; ${paidPrivate}`,
        consequence: rulesetConsequence(what),
        fix: upgrade,
      });
    }
    missing.push({
      setting: "codeOwnerReview",
      rule: `code owners do not exist on private repositories on GitHub Free; ${paidPrivate}`,
      consequence: "a pull request may change the workflows, the policy pack and the program without the release authority's review",
      fix: upgrade,
    });
  }
  missing.push({
    setting: "productionReviewers",
    rule: "required reviewers on an environment of a private repository exist only on GitHub Enterprise (on Free, Pro and Team they work on public repositories only).",
    consequence: "the production job starts on every merge with the prod credentials and nobody approves it",
    fix: "make the repository public, or move it to an organization on GitHub Enterprise (githubPlan enterprise)",
  });
  return missing;
}

/**
 * What GitHub says about the repository against what the prod stack declares (githubVerifyRepository): a repository
 * declared public that is private would lose its environment reviewers without anyone noticing.
 */
export function visibilityProblem(
  declared: RepositoryVisibility | undefined,
  actual: { visibility?: string; private?: boolean },
  fullName: string,
): string | undefined {
  const seen = actual.visibility ?? (actual.private === undefined ? undefined : actual.private ? "private" : "public");
  if (seen === undefined)
    return `GitHub did not say whether ${fullName} is public or private (deploy-guardrails:githubVerifyRepository is on): check the GitHub token's access to the repository, or turn the check off.`;
  if (seen !== declared) {
    return `${fullName} is ${seen} on GitHub, but deploy-guardrails:githubRepositoryVisibility says ${declared ?? "nothing"}: the gates GitHub enforces depend on it (docs/github-settings.md). Set githubRepositoryVisibility: ${seen}, then run the preview again.`;
  }
  return undefined;
}
