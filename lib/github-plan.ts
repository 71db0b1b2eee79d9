import type { GithubSettings } from "../config/github";
import type { Tier } from "../config/schema";
import { deploymentPolicyPlan, environmentNames } from "../contracts/github-names";

const customBranchesOnly = { protectedBranches: false, customBranchPolicies: true };

const acknowledges = (github: Pick<GithubSettings, "acknowledgedGaps">, setting: string) => github.acknowledgedGaps.some((g) => g.setting === setting);

/**
 * The environment that holds prod's write credentials. Only the release authority may approve a run; administrators
 * cannot skip that. Prevent self-review stays on unless soleReleaseAuthority: with one person as the whole authority,
 * that person's merge starts the run and only they can approve it (lib/github-approvals.ts shows who can). Without
 * reviewers (productionReviewers acknowledged, e.g. a private repository below GitHub Enterprise) GitHub refuses
 * prevent self-review, so it is off too.
 */
export function productionEnvironmentArgs(github: GithubSettings) {
  const reviewed = !acknowledges(github, "productionReviewers");
  return {
    repository: github.repository,
    environment: "production",
    preventSelfReview: reviewed && !github.soleReleaseAuthority,
    canAdminsBypass: false,
    ...(reviewed ? { reviewers: [{ users: github.releaseAuthority.map((a) => a.id), teams: github.releaseAuthorityTeams.map((t) => t.id) }] } : {}),
    deploymentBranchPolicy: customBranchesOnly,
  };
}

/**
 * An environment without reviewers. The writing environments (`test`, `staging`) are limited to named branches
 * (contracts/github-names.ts writingEnvironmentBranches), so a pull request's own workflow cannot publish a release as "passed"; the
 * read-only ones serve previews and drift checks (`test-readonly` on any branch, `production-readonly` on the
 * production branch only).
 */
export function unreviewedEnvironmentArgs(github: GithubSettings, environment: string, onlyNamedBranches: boolean) {
  return {
    repository: github.repository,
    environment,
    preventSelfReview: false,
    canAdminsBypass: false,
    ...(onlyNamedBranches ? { deploymentBranchPolicy: customBranchesOnly } : {}),
  };
}

export interface EnvironmentPlan {
  /** The environment's name on GitHub, and the suffix of its component's logical name (`github-<environment>`). */
  environment: string;
  args: ReturnType<typeof unreviewedEnvironmentArgs> | ReturnType<typeof productionEnvironmentArgs>;
  /** `importId`: a policy made by hand that adoptGithubPolicyIds names, adopted instead of created. */
  deploymentPolicies: { role: string; branchPattern: string; importId?: string }[];
  /** Whether this tier's githubEnvironmentSecrets go here: only its writing environment holds credentials. */
  holdsSecrets: boolean;
  importId?: string;
}

/**
 * The two environments of a tier: the writing one (`production`, or the tier's name) holding its secrets, and the
 * read-only one for previews and drift checks. Production and production-readonly deploy from the production branch
 * only (environmentDeploymentBranches is refused on prod); test-readonly from any branch.
 */
export function environmentPlan(github: GithubSettings, tier: Tier, existing?: ReadonlySet<string>): EnvironmentPlan[] {
  const ids = githubImportIds(github);
  // With adoptGithub, what exists is imported (`existing`, as GitHub listed it; every environment when not asked).
  const importId = (environment: string) => (github.adopt && (!existing || existing.has(environment)) ? ids.environment(environment) : undefined);
  const policies = (environment: string, branches: string[]) =>
    deploymentPolicyPlan(branches, github.productionBranch).map((p) => ({
      ...p,
      ...(importId(environment) && ids.policy(environment, p.branchPattern) ? { importId: ids.policy(environment, p.branchPattern) } : {}),
    }));
  return environmentNames(github, tier).map(({ environment, writing, branches }) => ({
    environment,
    args: tier === "prod" && writing ? productionEnvironmentArgs(github) : unreviewedEnvironmentArgs(github, environment, branches.length > 0),
    deploymentPolicies: policies(environment, branches),
    holdsSecrets: writing,
    importId: importId(environment),
  }));
}

/**
 * Import ids for adopting settings that were made by hand: `repository:environment` for environments,
 * `repository:rulesetId` for rulesets (only those whose id adoptGithubRulesetIds gives; the others are created), and
 * the repository name for its workflow permissions.
 */
export function githubImportIds(github: Pick<GithubSettings, "repository" | "adoptRulesetIds"> & Partial<Pick<GithubSettings, "adoptPolicyIds">>) {
  return {
    environment: (environment: string) => `${github.repository}:${environment}`,
    ruleset: (role: string) => (github.adoptRulesetIds[role] !== undefined ? `${github.repository}:${github.adoptRulesetIds[role]}` : undefined),
    /** `repository:environment:policyId` (TPG resourceGithubRepositoryEnvironmentDeploymentPolicyImport). */
    policy: (environment: string, branch: string) => {
      const id = github.adoptPolicyIds?.[`${environment}:${branch}`];
      return id !== undefined ? `${github.repository}:${environment}:${id}` : undefined;
    },
    workflowPermissions: github.repository,
  };
}
