import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { defaults, schema, withDefaults } from "../lib/config";
import { RulesetView, SettingName, acknowledgeableSettings, githubTypes, readPlain, readRuleset, rulesetCovers } from "../lib/github-rulesets";
import { readField } from "../lib/read";
import { isProdStack } from "../lib/stack";
import * as types from "../lib/types";
import { Maybe, UNKNOWN, UnknownReads } from "../lib/unknowns";

export interface GuardrailsDeclaredConfig {
  prodStacks: string[];
  protectedBranch: string;
  protectedEnvironment: string;
  releaseBranches: string[];
  requiredStatusChecks: string[];
  acknowledgedGaps: { setting: string; reason: string }[];
  requireGithubGuardrails: boolean;
}

type Status = "met" | "missing" | "undecided";

/** How each setting is met, and what to declare when it is not. */
const settings: Record<SettingName, { perBranch: boolean; what: string; fix: string }> = {
  mergeRestriction: {
    perBranch: true,
    what: "a restriction of who may merge (a RepositoryRuleset with rules.update, whose bypass actors are the release authority)",
    fix: "the program declares it as github-ruleset-merge-restriction",
  },
  pullRequestReviews: {
    perBranch: true,
    what: "required pull-request reviews (a RepositoryRuleset with rules.pullRequest.requiredApprovingReviewCount >= 1, or BranchProtection requiredPullRequestReviews)",
    fix: "the program declares it as github-ruleset-pull-request-reviews",
  },
  codeOwnerReview: {
    perBranch: true,
    what: "code-owner review (rules.pullRequest.requireCodeOwnerReview, or BranchProtection requireCodeOwnerReviews), with CODEOWNERS giving the workflows, the policy pack and the program to the release authority",
    fix: "the program declares it in github-ruleset-pull-request-reviews; `npm run codeowners` writes CODEOWNERS",
  },
  pinnedStatusChecks: {
    perBranch: true,
    what: "required status checks pinned to the app that reports them (a RepositoryRuleset with rules.requiredStatusChecks, each check with an integrationId, e.g. 15368 for GitHub Actions; classic BranchProtection cannot pin a check)",
    fix: "the program declares it as github-ruleset-status-checks (and -<branch> for release branches)",
  },
  branchIntegrity: {
    perBranch: true,
    what: "a ban on force pushes and deletion (a RepositoryRuleset with rules.nonFastForward and rules.deletion, or BranchProtection with allowsForcePushes and allowsDeletions false)",
    fix: "the program declares it as github-ruleset-branch-integrity",
  },
  workflowPermissions: {
    perBranch: false,
    what: "a github.WorkflowRepositoryPermissions with canApprovePullRequestReviews: false and defaultWorkflowPermissions: read (otherwise a workflow's GITHUB_TOKEN can approve pull requests)",
    fix: "the program declares it as github-workflow-permissions",
  },
  productionReviewers: {
    perBranch: false,
    what: "required reviewers on the production environment (otherwise every run of the production job deploys unapproved)",
    fix: "set releaseAuthority; on a private repository this needs GitHub Enterprise",
  },
  productionEnvironment: {
    perBranch: false,
    what: "the production RepositoryEnvironment with a RepositoryEnvironmentDeploymentPolicy limiting it to the production branch",
    fix: "turn GitHub on in the prod stack (enableGithub)",
  },
};

/**
 * The settings policies judge what is declared; this one makes sure the prod stack declares it at all, for the
 * production branch and every release branch: who may merge, reviews, code-owner review, pinned checks, no force
 * push, the GITHUB_TOKEN's permissions, and the production environment with reviewers. A setting the team leaves out on
 * purpose is acknowledged, with its reason, in this policy's config (acknowledgedGaps), as in the stack's
 * githubAcknowledgedGaps; the production environment itself cannot be acknowledged.
 */
export const githubGuardrailsDeclared: StackValidationPolicy = {
  name: "github-guardrails-declared",
  description:
    "The prod stack does not declare one of the GitHub settings that make the release authority the only way to production: " +
    "merge restriction, pull-request reviews, code-owner review, checks pinned to their app, no force push or deletion (for the " +
    "production branch and each release branch), workflow permissions that cannot approve pull requests, and the production " +
    "environment with reviewers and its branch policy. Declare it (enableGithub in the prod stack), or acknowledge the gap with a " +
    "reason in githubAcknowledgedGaps and in this policy's acknowledgedGaps.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      prodStacks: schema.prodStacks,
      protectedBranch: schema.protectedBranch,
      protectedEnvironment: schema.protectedEnvironment,
      releaseBranches: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Other branches that release a stack (the prod stack's releaseBranches); each is held to the production branch's settings.",
      },
      requiredStatusChecks: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        default: ["preview"],
        description: "Checks the production branch must require, each pinned to an app.",
      },
      acknowledgedGaps: {
        type: "array",
        items: {
          type: "object",
          properties: { setting: { type: "string", enum: [...acknowledgeableSettings] }, reason: { type: "string", minLength: 10 } },
          required: ["setting", "reason"],
        },
        default: [],
        description: "Settings the prod stack leaves out on purpose, with the reason (the same as its githubAcknowledgedGaps).",
      },
      requireGithubGuardrails: {
        type: "boolean",
        default: true,
        description: "Require the prod stack to declare the GitHub settings at all; false only if they are managed elsewhere.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = withDefaults(args.getConfig<Partial<GuardrailsDeclaredConfig>>(), {
      prodStacks: defaults.prodStacks,
      protectedBranch: defaults.protectedBranch,
      protectedEnvironment: defaults.protectedEnvironment,
      releaseBranches: [],
      requiredStatusChecks: ["preview"],
      acknowledgedGaps: [],
      requireGithubGuardrails: true,
    });
    if (!config.requireGithubGuardrails || args.resources.length === 0) return;
    if (!isProdStack(args.resources[0].urn, config.prodStacks)) return;
    const unknowns = new UnknownReads();
    const acknowledged = new Set(
      config.acknowledgedGaps
        .filter((g) => (acknowledgeableSettings as readonly string[]).includes(g.setting) && (g.reason ?? "").trim().length >= 10)
        .map((g) => g.setting),
    );
    const ofType = (type: string) => args.resources.filter((r) => r.type === type);
    const rulesets = ofType(types.github.ruleset).map((r) => readRuleset(unknowns, r.props as Record<string, unknown>));
    const classic = ofType(types.github.branchProtection).map((r) => readPlain(unknowns, () => r.props, "") as Maybe<Record<string, unknown>>);
    const branches = [config.protectedBranch, ...config.releaseBranches.filter((b) => b !== config.protectedBranch)];

    /** met if some declared resource satisfies `ok`, undecided if one could but is unknown at preview. */
    const any = <T>(candidates: Maybe<T>[], ok: (c: T) => boolean): Status => {
      if (candidates.some((c) => c !== UNKNOWN && ok(c))) return "met";
      return candidates.some((c) => c === UNKNOWN) ? "undecided" : "missing";
    };
    const activeOn = (branch: string) => (r: RulesetView) => r.enforcement === "active" && rulesetCovers(r, branch, "explicit");
    const classicOn = (branch: string) => (p: Record<string, unknown>) => p.pattern === branch;
    const firstOf = (v: unknown) => (Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : (v as Record<string, unknown> | undefined));
    const onBranch = (branch: string, ruleset: (r: RulesetView) => boolean, protection?: (p: Record<string, unknown>) => boolean): Status => {
      const viaRuleset = any(rulesets, (r) => activeOn(branch)(r) && ruleset(r));
      if (viaRuleset === "met" || !protection) return viaRuleset;
      const viaClassic = any(classic, (p) => classicOn(branch)(p) && protection(p));
      return viaClassic === "met" ? "met" : viaRuleset === "undecided" || viaClassic === "undecided" ? "undecided" : "missing";
    };

    const perBranch: Record<string, (branch: string) => Status> = {
      mergeRestriction: (b) =>
        onBranch(
          b,
          (r) => r.update,
          (p) => ((firstOf(p.restrictPushes)?.pushAllowances as unknown[] | undefined) ?? []).length > 0,
        ),
      pullRequestReviews: (b) =>
        onBranch(
          b,
          (r) => (r.pullRequest?.requiredApprovingReviewCount ?? 0) >= 1,
          (p) => Number(firstOf(p.requiredPullRequestReviews)?.requiredApprovingReviewCount ?? 0) >= 1,
        ),
      codeOwnerReview: (b) =>
        onBranch(
          b,
          (r) => r.pullRequest?.requireCodeOwnerReview === true,
          (p) => firstOf(p.requiredPullRequestReviews)?.requireCodeOwnerReviews === true,
        ),
      pinnedStatusChecks: (b) =>
        onBranch(b, (r) => {
          const pinned = (r.requiredChecks ?? []).filter((c) => (c.integrationId ?? 0) > 0).map((c) => c.context);
          return b === config.protectedBranch ? config.requiredStatusChecks.every((c) => pinned.includes(c)) : pinned.length > 0;
        }),
      branchIntegrity: (b) =>
        onBranch(
          b,
          (r) => r.deletion && r.nonFastForward,
          (p) => p.allowsForcePushes !== true && p.allowsDeletions !== true,
        ),
    };

    const environments = ofType(types.github.environment);
    const production = environments.map((r: PolicyResource) => {
      const name = readField<string>(unknowns, r.props, "environment", "");
      return name === UNKNOWN ? UNKNOWN : name === config.protectedEnvironment ? r : undefined;
    });
    const repositoryWide: Record<string, () => Status> = {
      workflowPermissions: () =>
        any(
          ofType(githubTypes.workflowPermissions).map((r) => readPlain(unknowns, () => r.props, "") as Maybe<Record<string, unknown>>),
          (p) => p.canApprovePullRequestReviews === false && p.defaultWorkflowPermissions === "read",
        ),
      // Without a production environment at all, productionEnvironment alone says so.
      productionReviewers: () =>
        production.every((r) => r === undefined)
          ? "met"
          : any(
              production.filter((r) => r !== undefined).map((r) => (r === UNKNOWN ? UNKNOWN : readPlain(unknowns, () => r.props.reviewers, "reviewers"))),
              (reviewers) =>
                ((reviewers as { users?: unknown[]; teams?: unknown[] }[] | undefined) ?? []).some((x) => (x.users ?? []).length + (x.teams ?? []).length > 0),
            ),
      productionEnvironment: () => {
        const env = any(production, (r) => r !== undefined);
        const policies = ofType(types.github.deploymentPolicy).map((r) => {
          const e = readField<string>(unknowns, r.props, "environment", "");
          const b = readField<string>(unknowns, r.props, "branchPattern", "");
          return e === UNKNOWN || b === UNKNOWN ? UNKNOWN : { e, b };
        });
        const policy = any(policies, (p) => p.e === config.protectedEnvironment && p.b === config.protectedBranch);
        return env === "met" && policy === "met" ? "met" : env === "missing" || policy === "missing" ? "missing" : "undecided";
      },
    };

    let undecided = false;
    const githubOff = !args.resources.some((r) => r.type.startsWith("github:"));
    for (const [name, setting] of Object.entries(settings) as [SettingName, (typeof settings)[SettingName]][]) {
      if (name !== "productionEnvironment" && acknowledged.has(name)) continue;
      const statuses: [string, Status][] = setting.perBranch ? branches.map((b) => [b, perBranch[name](b)]) : [["the repository", repositoryWide[name]()]];
      if (statuses.some(([, s]) => s === "undecided")) undecided = true;
      const missingOn = statuses.filter(([, s]) => s === "missing").map(([where]) => where);
      if (missingOn.length === 0) continue;
      const where = setting.perBranch ? ` for ${missingOn.join(", ")}` : "";
      const acknowledge =
        name === "productionEnvironment"
          ? ""
          : ` If the team accepts the gap, acknowledge ${name} with the reason in deploy-guardrails:githubAcknowledgedGaps and in acknowledgedGaps of this policy's config.`;
      reportViolation(
        `${githubOff ? "The prod stack declares no GitHub resources at all. " : ""}The prod stack does not declare ${name}${where}: ${setting.what}. Fix: ${setting.fix}.${acknowledge}`,
      );
    }
    if (undecided) unknowns.deferToUpdate();
  },
};
