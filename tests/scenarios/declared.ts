import { Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { namespace } from "../../config/errors";
import { Settings, parseSettings } from "../../config/parse";
import { SourceFields, isSensitive } from "../../config/sources";
import { defaultTargets } from "../../config/vercel";
import { deriveGeneratedSecret } from "../../lib/generated-secrets";
import { rulesetPlan, workflowPermissionsArgs } from "../../lib/github-rulesets";
import { EngineWorkspace } from "../../scripts/engine/workspace";
import { Remote, World, remoteDigest } from "../../scripts/engine/remote";

/**
 * "The remote state is exactly what the config says": what every stack's config declares on Vercel and GitHub,
 * compared with what the emulated services hold after a run. The declared side is read from the config the way the
 * README and docs/github-settings.md describe it (targets, sensitivity, reviewers, branch policies, secrets), not
 * from the resources the program planned, so a planning mistake shows as a difference too. Only the rulesets'
 * contents come from lib/github-rulesets.ts, whose table docs/github-settings.md documents.
 */
export interface StackSnapshot {
  stack: string;
  settings: Settings;
  /** The decrypted config the program ran with, by full key (`deploy-guardrails:…`). */
  values: Record<string, string>;
  /** generatedSecrets values, derived from the stack's seed as its config declares them. */
  generated: Record<string, string>;
  /** The stack's `vercelProjectIds` output. */
  projectIds: Record<string, string>;
}

/** Reads what one stack declares: its config as the program reads it (Pulumi.yaml defaults, then the stack's), its outputs and generated secrets. */
export async function snapshot(workspace: EngineWorkspace, stack: Stack): Promise<StackSnapshot> {
  const project = yaml.load(fs.readFileSync(path.join(workspace.dir, "Pulumi.yaml"), "utf8")) as { config?: Record<string, { default?: unknown }> };
  const values: Record<string, string> = {};
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    if (declaration?.default !== undefined)
      values[key.includes(":") ? key : `${namespace}:${key}`] =
        typeof declaration.default === "string" ? declaration.default : JSON.stringify(declaration.default);
  }
  const secretKeys = new Set<string>();
  for (const [key, { value, secret }] of Object.entries(await stack.getAllConfig())) {
    values[key] = value;
    if (secret) secretKeys.add(key);
  }
  const settings = parseSettings(values, stack.name, secretKeys);
  const outputs = await stack.outputs();
  return {
    stack: stack.name,
    settings,
    values,
    generated: generatedSecrets(settings, values),
    projectIds: (outputs.vercelProjectIds?.value ?? {}) as Record<string, string>,
  };
}

/**
 * generatedSecrets values as the config declares them: each derived from the stack's seed, its name and version
 * (lib/generated-secrets.ts), so a program that sent Vercel or GitHub anything else shows as a difference.
 */
function generatedSecrets(settings: Settings, values: Record<string, string>): Record<string, string> {
  const seed = values[`${namespace}:generatedSecretsSeed`] ?? "";
  return Object.fromEntries(
    settings.generatedSecrets.map((g) => [g.name, deriveGeneratedSecret(seed, { stack: settings.stack, name: g.name, version: g.version, length: g.length })]),
  );
}

/** One Vercel variable per project, key, target and git branch, as the remote holds it (a variable of two targets counts twice). */
interface VariableView {
  type: "sensitive" | "encrypted";
  digest: string;
  /** Read back from the API (encrypted only). */
  value?: string;
}

const variableId = (projectId: string, key: string, target: string, branch?: string | null) => `${projectId} ${key} ${target}${branch ? ` @${branch}` : ""}`;

function valueOf(source: SourceFields, snap: StackSnapshot): string {
  const s = snap.settings;
  if (source.value !== undefined) return source.value;
  if (source.secret) return snap.values[`${namespace}:${source.secret}`] ?? "";
  if (source.generated) return snap.generated[source.generated] ?? "";
  switch (source.supabase) {
    case "url":
      return s.supabaseProject.url;
    case "anonKey":
      return s.supabaseProject.anonKey ?? "";
    case "projectRef":
      return s.projectRef ?? "";
    case "serviceRoleKey":
      return snap.values[`${namespace}:supabaseServiceRoleKey`] ?? "";
  }
  return "";
}

export function declaredVariables(stacks: StackSnapshot[]): Map<string, VariableView> {
  const declared = new Map<string, VariableView>();
  for (const snap of stacks) {
    const vercel = snap.settings.vercel;
    for (const project of vercel?.projects ?? []) {
      const projectId = snap.settings.isProd ? snap.projectIds[project.name] : (project.projectId ?? "");
      for (const variable of project.variables) {
        const secret = isSensitive(variable);
        const value = valueOf(variable, snap);
        for (const target of variable.targets ?? defaultTargets(snap.settings.tier, secret)) {
          // README: secrets are sensitive; with the team's sensitive policy, everything but development is.
          const sensitive = secret || (vercel?.sensitivePolicy === true && target !== "development");
          declared.set(variableId(projectId, variable.key, target, variable.gitBranch), {
            type: sensitive ? "sensitive" : "encrypted",
            digest: remoteDigest(value),
            ...(sensitive ? {} : { value }),
          });
        }
      }
    }
  }
  return declared;
}

export function remoteVariables(world: World): { variables: Map<string, VariableView>; duplicates: string[] } {
  const variables = new Map<string, VariableView>();
  const duplicates: string[] = [];
  for (const env of Object.values(world.env ?? {}) as {
    projectId: string;
    key: string;
    target: string[];
    gitBranch?: string | null;
    type: "sensitive" | "encrypted";
    digest: string;
    value?: string | null;
  }[]) {
    for (const target of env.target) {
      const id = variableId(env.projectId, env.key, target, env.gitBranch);
      if (variables.has(id)) duplicates.push(id);
      variables.set(id, { type: env.type, digest: env.digest, ...(env.type === "encrypted" && typeof env.value === "string" ? { value: env.value } : {}) });
    }
  }
  return { variables, duplicates };
}

interface EnvironmentView {
  reviewers: string[];
  preventSelfReview: boolean;
  canAdminsBypass: boolean;
  customBranchPolicies: boolean | null;
  policies: string[];
  secrets: Record<string, string>;
}

function declaredEnvironments(snap: StackSnapshot): Map<string, EnvironmentView> {
  const github = snap.settings.github;
  const out = new Map<string, EnvironmentView>();
  if (!github) return out;
  const secrets = Object.fromEntries(github.environmentSecrets.map((s) => [s.name, remoteDigest(valueOf(s, snap))]));
  const unreviewed = { reviewers: [], preventSelfReview: false, canAdminsBypass: false };
  if (snap.settings.isProd) {
    const reviewed = !github.acknowledgedGaps.some((g) => g.setting === "productionReviewers");
    const reviewers = reviewed
      ? [...github.releaseAuthority.map((a) => `User:${a.id}`), ...github.releaseAuthorityTeams.map((t) => `Team:${t.id}`)].sort()
      : [];
    out.set("production", {
      reviewers,
      preventSelfReview: reviewed && !github.soleReleaseAuthority,
      canAdminsBypass: false,
      customBranchPolicies: true,
      policies: [github.productionBranch],
      secrets,
    });
    out.set("production-readonly", { ...unreviewed, customBranchPolicies: true, policies: [github.productionBranch], secrets: {} });
  } else {
    const tier = snap.settings.tier;
    const branches = github.environmentDeploymentBranches.length > 0 ? github.environmentDeploymentBranches : [github.productionBranch];
    out.set(tier, { ...unreviewed, customBranchPolicies: true, policies: [...branches].sort(), secrets });
    out.set(`${tier}-readonly`, { ...unreviewed, customBranchPolicies: null, policies: [], secrets: {} });
  }
  return out;
}

function remoteEnvironment(env: World): EnvironmentView {
  return {
    reviewers: (env.reviewers ?? []).map((r: { type: string; id: number }) => `${r.type}:${r.id}`).sort(),
    preventSelfReview: env.preventSelfReview === true,
    canAdminsBypass: env.canAdminsBypass === true,
    customBranchPolicies: env.deploymentBranchPolicy ? env.deploymentBranchPolicy.customBranchPolicies === true : null,
    policies: Object.values(env.policies ?? {})
      .map((p) => (p as { name: string }).name)
      .sort(),
    secrets: Object.fromEntries(Object.entries(env.secrets ?? {}).map(([name, s]) => [name, (s as { digest: string }).digest])),
  };
}

/** JSON with sorted keys and no undefined members: how two settings objects are compared. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sort(value));
}

export interface Unmanaged {
  /** Rulesets by name that exist on GitHub without any stack declaring them (kept on purpose, e.g. after a destroy). */
  rulesets?: string[];
  /** Vercel projects by name that exist without a stack declaring them. */
  projects?: string[];
}

/**
 * Every difference between what the given stacks declare and what the emulated Vercel and GitHub hold, one line each
 * (empty when the remote is exactly the config). Stacks not given declare nothing: a destroyed stack leaves nothing.
 */
export function remoteDifferences(remote: Remote, stacks: StackSnapshot[], unmanaged: Unmanaged = {}): string[] {
  const differences: string[] = [];
  const vercel = remote.read("vercel");
  const declared = declaredVariables(stacks);
  const { variables, duplicates } = remoteVariables(vercel);
  for (const id of duplicates) differences.push(`Vercel holds two variables for ${id}`);
  for (const [id, want] of declared) {
    const have = variables.get(id);
    if (!have) differences.push(`Vercel lacks ${id}`);
    else if (canonical(have) !== canonical(want)) differences.push(`Vercel ${id}: ${describeVariable(have)}, config says ${describeVariable(want)}`);
  }
  for (const id of variables.keys()) if (!declared.has(id)) differences.push(`Vercel holds ${id}, which no config declares`);

  const projects = new Map<string, string>();
  for (const snap of stacks.filter((s) => s.settings.isProd))
    for (const p of snap.settings.vercel?.projects ?? []) projects.set(p.name, snap.projectIds[p.name]);
  const remoteProjects = Object.values(vercel.projects ?? {}) as { id: string; name: string }[];
  for (const [name, id] of projects)
    if (!remoteProjects.some((p) => p.name === name && p.id === id)) differences.push(`Vercel lacks the project ${name} (${id})`);
  for (const p of remoteProjects)
    if (!projects.has(p.name) && !(unmanaged.projects ?? []).includes(p.name)) differences.push(`Vercel holds the project ${p.name}, which no config declares`);

  const github = remote.read("github");
  const repos = new Set(stacks.flatMap((s) => (s.settings.github ? [`${s.settings.github.owner}/${s.settings.github.repository}`] : [])));
  for (const key of repos) {
    const repo = github.repositories[key];
    if (!repo) {
      differences.push(`GitHub lacks the repository ${key}`);
      continue;
    }
    const envs = new Map<string, EnvironmentView>();
    for (const snap of stacks)
      if (snap.settings.github && `${snap.settings.github.owner}/${snap.settings.github.repository}` === key)
        for (const [name, view] of declaredEnvironments(snap)) envs.set(name, view);
    for (const [name, want] of envs) {
      const have = repo.environments?.[name];
      if (!have) differences.push(`GitHub ${key} lacks the environment ${name}`);
      else if (canonical(remoteEnvironment(have)) !== canonical(want))
        differences.push(`GitHub ${key} environment ${name}: ${canonical(remoteEnvironment(have))}, config says ${canonical(want)}`);
    }
    for (const name of Object.keys(repo.environments ?? {}))
      if (!envs.has(name)) differences.push(`GitHub ${key} holds the environment ${name}, which no config declares`);

    const prod = stacks.find((s) => s.settings.isProd && s.settings.github && `${s.settings.github.owner}/${s.settings.github.repository}` === key);
    const rulesets = new Map<string, unknown>((prod?.settings.github ? rulesetPlan(prod.settings.github) : []).map((r) => [r.args.name, r.args]));
    const remoteRulesets = Object.values(repo.rulesets ?? {}) as { name: string; settings: Record<string, unknown> }[];
    for (const [name, want] of rulesets) {
      const have = remoteRulesets.filter((r) => r.name === name);
      if (have.length !== 1) differences.push(`GitHub ${key} holds ${have.length} rulesets named "${name}", config says 1`);
      else if (canonical(have[0].settings) !== canonical(want))
        differences.push(`GitHub ${key} ruleset "${name}": ${canonical(have[0].settings)}, config says ${canonical(want)}`);
    }
    for (const r of remoteRulesets)
      if (!rulesets.has(r.name) && !(unmanaged.rulesets ?? []).includes(r.name))
        differences.push(`GitHub ${key} holds the ruleset "${r.name}", which no config declares`);
    for (const bp of Object.values(repo.branchProtections ?? {}) as { pattern: string }[])
      differences.push(`GitHub ${key} holds a classic branch protection of ${bp.pattern}, which no config declares (rulesets replace it)`);
    if (prod?.settings.github && !prod.settings.github.acknowledgedGaps.some((g) => g.setting === "workflowPermissions")) {
      const want = workflowPermissionsArgs(prod.settings.github);
      const have = repo.workflowPermissions ?? {};
      if (have.defaultWorkflowPermissions !== want.defaultWorkflowPermissions || have.canApprovePullRequestReviews !== want.canApprovePullRequestReviews) {
        differences.push(
          `GitHub ${key} workflow permissions: ${canonical(have)}, config says ${canonical({ defaultWorkflowPermissions: want.defaultWorkflowPermissions, canApprovePullRequestReviews: want.canApprovePullRequestReviews })}`,
        );
      }
    }
  }
  return differences;
}

function describeVariable(v: VariableView): string {
  return `${v.type}${v.value !== undefined ? ` "${v.value}"` : ""} (${v.digest.slice(7, 15)})`;
}
