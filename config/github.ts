import { z } from "zod";
import { AcknowledgeableSetting, acknowledgeableSettings, productionEnvironmentSetting } from "../contracts/github-settings";
import { RawConfig } from "./raw";
import { NamedSource, Tier, namedSourceSchema } from "./schema";
import { deploymentPolicyPlan, environmentNames, rulesetRoles } from "../contracts/github-names";
import { GithubPlan, RepositoryVisibility, githubPlans, plansOfOwner, repositoryVisibilities, unavailableSettings } from "./github-gates";

export interface GithubAccount {
  login: string;
  id: number;
}

export interface ReleaseBranch {
  branch: string;
  /** Checks a pull request into this branch must pass; pinned to the GitHub Actions app like the production branch's. */
  requiredStatusChecks: string[];
}

export interface GithubSettings {
  owner: string;
  repository: string;
  ownerIsOrganization: boolean;
  productionBranch: string;
  requiredStatusChecks: string[];
  requiredApprovals: number;
  releaseAuthority: GithubAccount[];
  releaseAuthorityTeams: { slug: string; id: number }[];
  /**
   * One human is the whole release authority (seed 000): `production` lets that person approve the run their own
   * merge started, and they may merge their own pull requests without a second approval. Refused unless exactly
   * one releaseAuthority entry and no team is configured (lib/github-approvals.ts shows who can approve).
   */
  soleReleaseAuthority: boolean;
  agentAccounts: { login: string; id?: number }[];
  environmentSecrets: NamedSource[];
  /**
   * Branches the writing environment of a non-prod stack (test, staging) deploys from, as configured; empty means
   * the production branch (contracts/github-names.ts writingEnvironmentBranches). Refused on the prod tier.
   */
  environmentDeploymentBranches: string[];
  /**
   * Prod only: branches other than productionBranch that release a stack (seed 001 `staging`, seed 003 `dev`). The
   * prod stack protects them like the production branch, since whoever pushes there decides what prod may release.
   */
  releaseBranches: ReleaseBranch[];
  /** What GitHub offers this repository; required on the prod tier (config/github-gates.ts). */
  repositoryVisibility?: RepositoryVisibility;
  plan?: GithubPlan;
  /** Prod: ask GitHub (an invoke at preview) whether the repository's visibility is the declared one. */
  verifyRepository: boolean;
  /** Settings the prod stack leaves out on purpose, each with the reason a reviewer reads at every preview. */
  acknowledgedGaps: { setting: AcknowledgeableSetting; reason: string }[];
  /** Import the rulesets, branch policies and environments that were made by hand, instead of creating them. */
  adopt: boolean;
  /** Ids of hand-made rulesets to adopt, by role (lib/github-rulesets.ts rulesetRoles), e.g. {"merge-restriction": 42}. */
  adoptRulesetIds: Record<string, number>;
  /**
   * Ids of hand-made deployment branch policies to adopt, by `<environment>:<branch>`, e.g. {"production:main": 42}:
   * GitHub keeps one policy per pattern, and a create of an existing one is stored as policy 0 (io/github-verify.ts).
   */
  adoptPolicyIds: Record<string, number>;
}

export const githubKeys = [
  "githubOwner",
  "githubRepository",
  "githubOwnerIsOrganization",
  "githubRepositoryVisibility",
  "githubPlan",
  "githubVerifyRepository",
  "productionBranch",
  "releaseBranches",
  "releaseBranchStatusChecks",
  "requiredStatusChecks",
  "requiredApprovals",
  "releaseAuthority",
  "releaseAuthorityTeams",
  "soleReleaseAuthority",
  "agentAccounts",
  "githubEnvironmentSecrets",
  "environmentDeploymentBranches",
  "githubAcknowledgedGaps",
  "adoptGithub",
  "adoptGithubRulesetIds",
  "adoptGithubPolicyIds",
];

/** The job name of the pull-request preview workflow: the production branch must wait for it. */
export const previewCheck = "preview";

/**
 * A branch name as git allows it, without wildcards: a deployment policy or ruleset condition then matches exactly
 * that branch (GitHub reads `*`, `?`, `[`, `{` in both as patterns).
 */
export const branchName = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/,
    "must be a branch name such as staging (letters, digits, '.', '_', '-', '/'), without wildcards",
  )
  .refine((b) => !b.includes("..") && !b.endsWith(".lock") && !b.endsWith("."), "must be a branch name git accepts (no '..', no trailing '.' or '.lock')");
const login = z.string().regex(/^[A-Za-z0-9-]+(\[bot\])?$/, "must be a GitHub login");
const account = z.object({ login, id: z.number().int().positive("must be the numeric GitHub user id") }).strict();
const agent = z.union([
  login.transform((l) => ({ login: l, id: undefined as number | undefined })),
  z.object({ login, id: z.number().int().positive().optional() }).strict(),
]);
const checkName = z.string().min(1);
const acknowledgement = z
  .object({
    setting: z
      .string()
      .refine(
        (s): s is AcknowledgeableSetting => (acknowledgeableSettings as readonly string[]).includes(s),
        `must be one of ${acknowledgeableSettings.join(", ")} (${productionEnvironmentSetting} cannot be acknowledged)`,
      ),
    reason: z.string().trim().min(10, "must say why, in a sentence a reviewer can check (10 characters or more)"),
  })
  .strict();

export function parseGithub(raw: RawConfig): GithubSettings | undefined {
  const owner = raw.read("githubOwner", z.string().regex(/^[A-Za-z0-9-]+$/, "must be a GitHub user or organization name"), "acme");
  const repository = raw.read("githubRepository", z.string().regex(/^[A-Za-z0-9._-]+$/, "must be a repository name without the owner"), "web-app");
  const requiredStatusChecks = raw.read("requiredStatusChecks", z.array(checkName).default([previewCheck]), '["preview","unit-tests"]', true);
  const settings = {
    ownerIsOrganization: raw.read(
      "githubOwnerIsOrganization",
      z
        .enum(["true", "false"])
        .default("false")
        .transform((v) => v === "true"),
      "true",
    ),
    repositoryVisibility: raw.read("githubRepositoryVisibility", z.enum(repositoryVisibilities).optional(), "private"),
    plan: raw.read("githubPlan", z.enum(githubPlans).optional(), "team"),
    verifyRepository: raw.read(
      "githubVerifyRepository",
      z
        .enum(["true", "false"])
        .default("false")
        .transform((v) => v === "true"),
      "true",
    ),
    productionBranch: raw.read("productionBranch", branchName.default("main"), "main"),
    releaseBranches: raw.read("releaseBranches", z.array(branchName).default([]), '["staging"]', true),
    releaseBranchStatusChecks: raw.read(
      "releaseBranchStatusChecks",
      z.record(z.string(), z.array(checkName).min(1, "must name at least one check; a release branch merges only green pull requests")).default({}),
      '{"staging":["preview","test"]}',
      true,
    ),
    requiredStatusChecks,
    requiredApprovals: raw.read(
      "requiredApprovals",
      z.coerce.number().int().min(1, "must be at least 1: a human approves every change").max(6).default(1),
      "1",
    ),
    releaseAuthority: raw.read("releaseAuthority", z.array(account).default([]), '[{"login":"alice","id":1234567}]', true),
    releaseAuthorityTeams: raw.read(
      "releaseAuthorityTeams",
      z
        .array(
          z
            .object({ slug: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a team slug such as release-managers"), id: z.number().int().positive() })
            .strict(),
        )
        .default([]),
      '[{"slug":"release-managers","id":42}]',
      true,
    ),
    soleReleaseAuthority: raw.read(
      "soleReleaseAuthority",
      z
        .enum(["true", "false"])
        .default("false")
        .transform((v) => v === "true"),
      "true",
    ),
    agentAccounts: raw.read("agentAccounts", z.array(agent).default([]), '["codex-agent"]', true),
    environmentSecrets: raw.read(
      "githubEnvironmentSecrets",
      z.array(namedSourceSchema).default([]),
      '[{"name":"SUPABASE_DB_PASSWORD","secret":"supabaseDbPassword"}]',
      true,
    ),
    environmentDeploymentBranches: raw.read("environmentDeploymentBranches", z.array(branchName).default([]), '["staging"]', true),
    acknowledgedGaps: raw.read(
      "githubAcknowledgedGaps",
      z.array(acknowledgement).default([]),
      '[{"setting":"productionReviewers","reason":"private repository on GitHub Team: ..."}]',
      true,
    ),
    adopt: raw.read(
      "adoptGithub",
      z
        .enum(["true", "false"])
        .default("false")
        .transform((v) => v === "true"),
      "true",
    ),
    adoptRulesetIds: raw.read(
      "adoptGithubRulesetIds",
      z.record(z.string().regex(/^[a-z0-9-]+$/), z.number().int().positive()).default({}),
      '{"merge-restriction":123456}',
      true,
    ),
    adoptPolicyIds: raw.read(
      "adoptGithubPolicyIds",
      z.record(z.string().regex(/^[^\s:]+:\S+$/, "must be <environment>:<branch>"), z.number().int().positive()).default({}),
      '{"production:main":123456}',
      true,
    ),
  };
  for (const branch of Object.keys(settings.releaseBranchStatusChecks ?? {})) {
    if (settings.releaseBranches && !settings.releaseBranches.includes(branch))
      raw.issues.push({
        key: "releaseBranchStatusChecks",
        problem: `names ${branch}, which releaseBranches does not list`,
        example: `releaseBranches: ["${branch}"]`,
      });
  }
  if (!owner || !repository) return undefined;
  for (const [key, value] of Object.entries(settings)) if (value === undefined && key !== "repositoryVisibility" && key !== "plan") return undefined;
  const checks = settings.requiredStatusChecks as string[];
  const { releaseBranchStatusChecks, ...rest } = settings;
  return {
    owner,
    repository,
    ...(rest as { [K in keyof typeof rest]: NonNullable<(typeof rest)[K]> }),
    repositoryVisibility: settings.repositoryVisibility,
    plan: settings.plan,
    releaseBranches: (settings.releaseBranches ?? []).map((branch) => ({ branch, requiredStatusChecks: releaseBranchStatusChecks?.[branch] ?? [...checks] })),
  };
}

/** Agents propose, humans release: an agent account may never be a reviewer, an allowance or a bypass. */
export function checkGithub(raw: RawConfig, github: GithubSettings, tier: Tier): void {
  const authority = new Set(github.releaseAuthority.map((a) => a.login.toLowerCase()));
  const authorityIds = new Set(github.releaseAuthority.map((a) => a.id));
  for (const agentAccount of github.agentAccounts) {
    if (authority.has(agentAccount.login.toLowerCase()) || (agentAccount.id !== undefined && authorityIds.has(agentAccount.id))) {
      raw.issues.push({
        key: "releaseAuthority",
        problem: `lists the agent account "${agentAccount.login}"; agents may open pull requests but never approve or release`,
        example: '[{"login":"alice","id":1234567}]',
      });
    }
  }
  checkDeploymentBranches(raw, github, tier);
  checkPlan(raw, github, tier);
  const policies = environmentNames(github, tier).flatMap((e) => e.branches.map((branch) => `${e.environment}:${branch}`));
  for (const key of Object.keys(github.adoptPolicyIds).filter((k) => !policies.includes(k))) {
    raw.issues.push({
      key: "adoptGithubPolicyIds",
      problem: `names "${key}", which is not a deployment branch policy this stack declares (${policies.join(", ")})`,
      example: `{"${policies[0] ?? "production:main"}":1234567}`,
    });
  }
  if (tier === "prod") {
    checkProdAuthority(raw, github);
    checkReleaseBranches(raw, github);
    const roles = rulesetRoles({
      acknowledged: new Set(github.acknowledgedGaps.map((g) => g.setting)),
      releaseBranches: github.releaseBranches.map((b) => b.branch),
    }).map((r) => r.role);
    for (const role of Object.keys(github.adoptRulesetIds).filter((r) => !roles.includes(r))) {
      raw.issues.push({
        key: "adoptGithubRulesetIds",
        problem: `names "${role}", which is not a ruleset this stack declares (${roles.join(", ")})`,
        example: `{"${roles[0]}":1234567}`,
      });
    }
    if (!github.requiredStatusChecks.includes(previewCheck)) {
      raw.issues.push({
        key: "requiredStatusChecks",
        problem: `does not include "${previewCheck}", the pull-request preview job; without it a change could merge unpreviewed`,
        example: `["${previewCheck}"]`,
      });
    }
  } else {
    for (const [key, set] of [
      ["releaseBranches", github.releaseBranches.length > 0],
      ["soleReleaseAuthority", github.soleReleaseAuthority],
      ["githubAcknowledgedGaps", github.acknowledgedGaps.length > 0],
      ["adoptGithubRulesetIds", Object.keys(github.adoptRulesetIds).length > 0],
      ["githubVerifyRepository", github.verifyRepository],
    ] as const) {
      if (set)
        raw.issues.push({
          key,
          problem: `is set on the ${tier} tier, but only the prod stack declares the protection of the release branches and the production environment`,
          example: "leave it unset here and set it in the prod stack",
        });
    }
  }
}

/** The release authority must be able to release: who approves `production` depends on how many humans there are. */
function checkProdAuthority(raw: RawConfig, github: GithubSettings): void {
  const people = github.releaseAuthority.length;
  const teams = github.releaseAuthorityTeams.length;
  if (people + teams === 0) {
    raw.issues.push({
      key: "releaseAuthority",
      problem: "is empty; the production environment needs at least one human reviewer",
      example: '[{"login":"alice","id":1234567}]',
    });
  }
  if (teams > 0 && !github.ownerIsOrganization) {
    raw.issues.push({
      key: "releaseAuthorityTeams",
      problem: "lists teams, but the repository belongs to a user (githubOwnerIsOrganization is false) and only organizations have teams",
      example: "[] (or set githubOwnerIsOrganization: true)",
    });
  }
  if (github.soleReleaseAuthority && (people !== 1 || teams > 0)) {
    raw.issues.push({
      key: "soleReleaseAuthority",
      problem: `is true, but releaseAuthority lists ${people} person(s) and releaseAuthorityTeams ${teams} team(s); the sole-authority mode turns off prevent self-review, which is safe only when exactly one person can approve`,
      example: "false (keep prevent self-review), or exactly one releaseAuthority entry and no team",
    });
  }
  if (!github.soleReleaseAuthority && people === 1 && teams === 0) {
    raw.issues.push({
      key: "soleReleaseAuthority",
      problem: `is false, but releaseAuthority is one person (${github.releaseAuthority[0].login}) and no team: only that person may merge, so they start every release run, and prevent self-review forbids them to approve it (the release would wait until it expires)`,
      example:
        "true (one operator approves their own release; agents and other collaborators still cannot), or add a second person or a team to releaseAuthority",
    });
  }
}

/** Release branches are the prod stack's to protect: exact names, none twice, not the production branch. */
function checkReleaseBranches(raw: RawConfig, github: GithubSettings): void {
  const seen = new Set<string>();
  for (const { branch } of github.releaseBranches) {
    if (branch === github.productionBranch)
      raw.issues.push({ key: "releaseBranches", problem: `lists the production branch ${branch}, which is protected anyway`, example: '["staging"]' });
    else if (seen.has(branch)) raw.issues.push({ key: "releaseBranches", problem: `lists "${branch}" twice`, example: '["staging"]' });
    seen.add(branch);
  }
}

/**
 * What GitHub offers for this repository's plan and visibility (config/github-gates.ts). A gate that cannot exist stops
 * the preview unless the prod stack acknowledges it with a reason; environments themselves cannot be waived.
 */
function checkPlan(raw: RawConfig, github: GithubSettings, tier: Tier): void {
  const { repositoryVisibility: visibility, plan } = github;
  if (tier === "prod" && (visibility === undefined || plan === undefined)) {
    // Only when unset: a value that failed to parse was already reported, and "required" would mislead.
    if (visibility === undefined && !raw.has("githubRepositoryVisibility"))
      raw.issues.push({
        key: "githubRepositoryVisibility",
        problem: "is required on the prod tier: whether GitHub enforces environment reviewers, rulesets and code owners depends on it",
        example: "private",
      });
    if (plan === undefined && !raw.has("githubPlan"))
      raw.issues.push({
        key: "githubPlan",
        problem: "is required on the prod tier: whether GitHub enforces environment reviewers, rulesets and code owners depends on it",
        example: github.ownerIsOrganization ? "team" : "pro",
      });
    return;
  }
  if (visibility === undefined || plan === undefined) return;
  const offered = plansOfOwner(github.ownerIsOrganization);
  if (!offered.includes(plan)) {
    raw.issues.push({
      key: "githubPlan",
      problem: `is "${plan}", which GitHub does not sell to ${github.ownerIsOrganization ? "organizations" : "personal accounts"} (githubOwnerIsOrganization is ${github.ownerIsOrganization})`,
      example: offered.join(" or "),
    });
    return;
  }
  if (visibility === "internal" && plan !== "enterprise") {
    raw.issues.push({ key: "githubRepositoryVisibility", problem: "is internal, which only GitHub Enterprise organizations have", example: "private" });
    return;
  }
  const acknowledged = new Set(github.acknowledgedGaps.map((g) => g.setting));
  const seen = new Set<string>();
  for (const gap of github.acknowledgedGaps) {
    if (seen.has(gap.setting)) raw.issues.push({ key: "githubAcknowledgedGaps", problem: `acknowledges ${gap.setting} twice`, example: "each setting once" });
    seen.add(gap.setting);
  }
  for (const missing of unavailableSettings(visibility, plan)) {
    if (missing.setting !== productionEnvironmentSetting && (tier !== "prod" || acknowledged.has(missing.setting as AcknowledgeableSetting))) continue;
    const waivable = missing.setting !== productionEnvironmentSetting;
    raw.issues.push({
      key: "githubPlan",
      problem:
        `is ${plan} and githubRepositoryVisibility is ${visibility}: ${missing.rule} Without it, ${missing.consequence}` +
        (waivable ? `. Acknowledge it only if the team accepts that: githubAcknowledgedGaps [{"setting":"${missing.setting}","reason":"..."}]` : ""),
      example: missing.fix,
    });
  }
}

/** The prod stack's production environment deploys from the production branch only; other tiers may name theirs. */
function checkDeploymentBranches(raw: RawConfig, github: GithubSettings, tier: Tier): void {
  const branches = github.environmentDeploymentBranches;
  if (branches.length === 0) return;
  if (tier === "prod") {
    raw.issues.push({
      key: "environmentDeploymentBranches",
      problem: `is set on the prod tier, but the production environment deploys from productionBranch (${github.productionBranch}) only; this key is for the writing environment of a test or staging stack`,
      example: `[] (leave it unset in the prod stack; e.g. ["staging"] in a staging stack, and releaseBranches: ["staging"] in the prod stack)`,
    });
    return;
  }
  const roles = new Map<string, string>();
  for (const [i, policy] of deploymentPolicyPlan(branches, github.productionBranch).entries()) {
    const earlier = roles.get(policy.role);
    if (earlier !== undefined) {
      const problem =
        earlier === branches[i]
          ? `lists "${branches[i]}" twice`
          : `lists "${earlier}" and "${branches[i]}", which would share the resource name ${policy.role}`;
      raw.issues.push({ key: "environmentDeploymentBranches", problem, example: `["${tier}"]` });
    }
    roles.set(policy.role, branches[i]);
  }
}
