import { z } from "zod";
import { RawConfig } from "./raw";
import { NamedSource, Tier, namedSourceSchema } from "./schema";
import { deploymentPolicyPlan } from "../lib/github-plan";

export interface GithubAccount {
  login: string;
  id: number;
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
  agentAccounts: { login: string; id?: number }[];
  environmentSecrets: NamedSource[];
  /**
   * Branches the writing environment of a non-prod stack (test, staging) deploys from, as configured; empty means
   * the production branch (lib/github-plan.ts writingEnvironmentBranches). Refused on the prod tier.
   */
  environmentDeploymentBranches: string[];
  /** Import the branch protection and environments that were made by hand, instead of creating them. */
  adopt: boolean;
}

export const githubKeys = [
  "githubOwner",
  "githubRepository",
  "githubOwnerIsOrganization",
  "productionBranch",
  "requiredStatusChecks",
  "requiredApprovals",
  "releaseAuthority",
  "releaseAuthorityTeams",
  "agentAccounts",
  "githubEnvironmentSecrets",
  "environmentDeploymentBranches",
  "adoptGithub",
];

/** The job name of the pull-request preview workflow: branch protection must wait for it. */
export const previewCheck = "preview";

/** A branch name as git allows it, without wildcards: a deployment policy then matches exactly that branch. */
const branchName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/, "must be a branch name such as staging (letters, digits, '.', '_', '-', '/'), without wildcards")
  .refine((b) => !b.includes("..") && !b.endsWith(".lock") && !b.endsWith("."), "must be a branch name git accepts (no '..', no trailing '.' or '.lock')");
const login = z.string().regex(/^[A-Za-z0-9-]+(\[bot\])?$/, "must be a GitHub login");
const account = z.object({ login, id: z.number().int().positive("must be the numeric GitHub user id") }).strict();
const agent = z.union([login.transform((l) => ({ login: l, id: undefined as number | undefined })), z.object({ login, id: z.number().int().positive().optional() }).strict()]);

export function parseGithub(raw: RawConfig): GithubSettings | undefined {
  const owner = raw.read("githubOwner", z.string().regex(/^[A-Za-z0-9-]+$/, "must be a GitHub user or organization name"), "acme");
  const repository = raw.read("githubRepository", z.string().regex(/^[A-Za-z0-9._-]+$/, "must be a repository name without the owner"), "web-app");
  const settings = {
    ownerIsOrganization: raw.read("githubOwnerIsOrganization", z.enum(["true", "false"]).default("false").transform((v) => v === "true"), "true"),
    productionBranch: raw.read("productionBranch", z.string().min(1).default("main"), "main"),
    requiredStatusChecks: raw.read("requiredStatusChecks", z.array(z.string().min(1)).default([previewCheck]), '["preview","unit-tests"]', true),
    requiredApprovals: raw.read("requiredApprovals", z.coerce.number().int().min(1, "must be at least 1: a human approves every change").max(6).default(1), "1"),
    releaseAuthority: raw.read("releaseAuthority", z.array(account).default([]), '[{"login":"alice","id":1234567}]', true),
    releaseAuthorityTeams: raw.read("releaseAuthorityTeams", z.array(z.object({ slug: z.string(), id: z.number().int().positive() }).strict()).default([]), '[{"slug":"release-managers","id":42}]', true),
    agentAccounts: raw.read("agentAccounts", z.array(agent).default([]), '["codex-agent"]', true),
    environmentSecrets: raw.read("githubEnvironmentSecrets", z.array(namedSourceSchema).default([]), '[{"name":"SUPABASE_DB_PASSWORD","secret":"supabaseDbPassword"}]', true),
    environmentDeploymentBranches: raw.read("environmentDeploymentBranches", z.array(branchName).default([]), '["staging"]', true),
    adopt: raw.read("adoptGithub", z.enum(["true", "false"]).default("false").transform((v) => v === "true"), "true"),
  };
  if (!owner || !repository) return undefined;
  for (const value of Object.values(settings)) if (value === undefined) return undefined;
  return { owner, repository, ...(settings as { [K in keyof typeof settings]: NonNullable<(typeof settings)[K]> }) };
}

/** Agents propose, humans release: an agent account may never be a reviewer, an allowance or a bypass. */
export function checkGithub(raw: RawConfig, github: GithubSettings, tier: Tier): void {
  const authority = new Set(github.releaseAuthority.map((a) => a.login.toLowerCase()));
  const authorityIds = new Set(github.releaseAuthority.map((a) => a.id));
  for (const agentAccount of github.agentAccounts) {
    if (authority.has(agentAccount.login.toLowerCase()) || (agentAccount.id !== undefined && authorityIds.has(agentAccount.id))) {
      raw.issues.push({ key: "releaseAuthority", problem: `lists the agent account "${agentAccount.login}"; agents may open pull requests but never approve or release`, example: '[{"login":"alice","id":1234567}]' });
    }
  }
  checkDeploymentBranches(raw, github, tier);
  if (tier === "prod") {
    if (github.releaseAuthority.length + github.releaseAuthorityTeams.length === 0) {
      raw.issues.push({ key: "releaseAuthority", problem: "is empty; the production environment needs at least one human reviewer", example: '[{"login":"alice","id":1234567}]' });
    }
    if (!github.requiredStatusChecks.includes(previewCheck)) {
      raw.issues.push({ key: "requiredStatusChecks", problem: `does not include "${previewCheck}", the pull-request preview job; without it a change could merge unpreviewed`, example: `["${previewCheck}"]` });
    }
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
      example: `[] (leave it unset in the prod stack; e.g. ["staging"] in a staging stack)`,
    });
    return;
  }
  const roles = new Map<string, string>();
  for (const [i, policy] of deploymentPolicyPlan(branches, github.productionBranch).entries()) {
    const earlier = roles.get(policy.role);
    if (earlier !== undefined) {
      const problem = earlier === branches[i] ? `lists "${branches[i]}" twice` : `lists "${earlier}" and "${branches[i]}", which would share the resource name ${policy.role}`;
      raw.issues.push({ key: "environmentDeploymentBranches", problem, example: `["${tier}"]` });
    }
    roles.set(policy.role, branches[i]);
  }
}
