/**
 * What a project's committed files declare about its GitHub repository, as plain data from the program's own plan:
 * the stack files' GitHub settings parsed by config/github.ts, the rulesets (lib/github-rulesets.ts rulesetPlan), the
 * workflow permissions, every stack's environments (lib/github-plan.ts environmentPlan), the committed CODEOWNERS and
 * the workflows the repository runs. A project is the repository root or one of examples/<x>.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { GithubSettings, checkGithub, parseGithub } from "../../config/github";
import { namespace } from "../../config/errors";
import { RawConfig } from "../../config/raw";
import { Tier } from "../../config/schema";
import { EnvironmentGate } from "../../lib/github-approvals";
import { CodeownersRule, codeownersLocations, parseCodeowners } from "../../lib/github-codeowners";
import { environmentPlan } from "../../lib/github-plan";
import { RulesetArgs, rulesetPlan, workflowPermissionsArgs } from "../../lib/github-rulesets";
import { RepositorySettings, Workflow, parseWorkflow } from "../../workflow-rules";

export const root = path.resolve(__dirname, "..", "..");

/**
 * Root workflows an example's repository does not take over: ci.yml runs this repository's own test suite
 * (`.ci/run`); an adopting team's `test` check is its own workflow (seed 001's pr-checks.yml).
 */
export const repositoryOwnWorkflows = ["ci.yml"];

export interface DeclaredEnvironment {
  environment: string;
  /** The stack that declares it. */
  stack: string;
  gate: EnvironmentGate;
  /** Branch patterns it deploys from (GitHub's deployment branch policies), or "any" without a policy. */
  branches: string[] | "any";
}

export interface DeclaredGithub {
  /** The prod stack's GitHub settings. */
  github: GithubSettings;
  rulesets: RulesetArgs[];
  /** The WorkflowRepositoryPermissions the prod stack declares, or undefined when it leaves the repository's own setting. */
  workflowPermissions: ReturnType<typeof workflowPermissionsArgs> | undefined;
  environments: DeclaredEnvironment[];
  codeowners: CodeownersRule[];
}

export interface Project {
  /** "root" or the example's folder name. */
  name: string;
  dir: string;
  declared: DeclaredGithub;
  /** The workflows the project's repository runs, by file name: the root's, with the example's own added or replacing. */
  workflows: Record<string, Workflow>;
}

function readYaml(file: string): Record<string, unknown> {
  const doc = yaml.load(fs.readFileSync(file, "utf8"));
  return typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>) : {};
}

/**
 * A stack's raw config values as the program reads them (Pulumi.yaml defaults, then the stack file). The committed
 * stack files hold no secrets yet (`pulumi config set --secret` adds them), so config/stack-file.ts
 * settingsFromStackFiles refuses them; the GitHub keys are read through the same config/github.ts parser instead.
 */
export function stackValues(dir: string, stack: string): Record<string, string> {
  const asString = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const full = (key: string) => (key.includes(":") ? key : `${namespace}:${key}`);
  const values: Record<string, string> = {};
  const project = readYaml(path.join(root, "Pulumi.yaml")).config as Record<string, { default?: unknown }> | undefined;
  for (const [key, declaration] of Object.entries(project ?? {})) if (declaration.default !== undefined) values[full(key)] = asString(declaration.default);
  const config = readYaml(path.join(dir, `Pulumi.${stack}.yaml`)).config as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(config ?? {})) values[full(key)] = asString(value);
  return values;
}

/** A stack file's GitHub settings through config/github.ts; a stack file the program would refuse fails here too. */
export function githubOfStack(dir: string, stack: string): { tier: Tier; github: GithubSettings } {
  const values = stackValues(dir, stack);
  const tier = values[`${namespace}:tier`] as Tier;
  const raw = new RawConfig(values);
  const github = parseGithub(raw);
  if (github) checkGithub(raw, github, tier);
  if (!github || raw.issues.length > 0) {
    throw new Error(
      `${path.relative(root, path.join(dir, `Pulumi.${stack}.yaml`))}: GitHub settings not valid: ${raw.issues.map((i) => `${i.key} ${i.problem}`).join("; ") || "no githubOwner/githubRepository"}`,
    );
  }
  return { tier, github };
}

export function stacksOf(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.([A-Za-z0-9_-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Whether the prod stack declares WorkflowRepositoryPermissions (components/githubGuardrails.ts leaves it out when acknowledged). */
export function declaredWorkflowPermissions(github: GithubSettings): ReturnType<typeof workflowPermissionsArgs> | undefined {
  return github.acknowledgedGaps.some((g) => g.setting === "workflowPermissions") ? undefined : workflowPermissionsArgs(github);
}

/** The GitHub settings the project's stack files declare, every stack's environments included. */
export function declaredGithub(dir: string, codeownersText: string): DeclaredGithub {
  const { github } = githubOfStack(dir, "prod");
  const environments: DeclaredEnvironment[] = [];
  for (const stack of stacksOf(dir)) {
    const { tier, github: stackGithub } = stack === "prod" ? { tier: "prod" as Tier, github } : githubOfStack(dir, stack);
    for (const plan of environmentPlan(stackGithub, tier)) {
      const named = "deploymentBranchPolicy" in plan.args && plan.args.deploymentBranchPolicy !== undefined;
      environments.push({
        environment: plan.environment,
        stack,
        gate: plan.args,
        branches: named ? plan.deploymentPolicies.map((p) => p.branchPattern) : "any",
      });
    }
  }
  const { rules, errors } = parseCodeowners(codeownersText);
  if (errors.length > 0) throw new Error(`CODEOWNERS of ${path.relative(root, dir) || "the root"}: ${errors.join("; ")}`);
  return {
    github,
    rulesets: rulesetPlan(github).map((r) => r.args),
    workflowPermissions: declaredWorkflowPermissions(github),
    environments,
    codeowners: rules,
  };
}

/**
 * The job token's repository settings the prod stack declares. Without WorkflowRepositoryPermissions the repository
 * keeps whatever was set by hand, so GitHub Actions may be able to approve pull requests.
 */
export function repositorySettingsOf(declared: Pick<DeclaredGithub, "workflowPermissions">): RepositorySettings {
  return { actionsCanApprovePullRequests: declared.workflowPermissions?.canApprovePullRequestReviews ?? true };
}

function workflowsIn(dir: string): Record<string, Workflow> {
  const found: Record<string, Workflow> = {};
  if (!fs.existsSync(dir)) return found;
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort())
    found[f] = parseWorkflow(fs.readFileSync(path.join(dir, f), "utf8"));
  return found;
}

/** The root's workflows, and an example's own under `<example>/<file>` (the names docs/pipelines.md uses). */
export function ownWorkflows(): Record<string, Workflow> {
  const found: Record<string, Workflow> = { ...workflowsIn(path.join(root, ".github", "workflows")) };
  for (const example of fs.readdirSync(path.join(root, "examples")).sort()) {
    for (const [f, w] of Object.entries(workflowsIn(path.join(root, "examples", example, ".github", "workflows")))) found[`${example}/${f}`] = w;
  }
  return found;
}

function codeownersOf(dir: string): string {
  const file = codeownersLocations.map((l) => path.join(dir, l)).find((f) => fs.existsSync(f));
  return file ? fs.readFileSync(file, "utf8") : "";
}

/** The root and every example with a prod stack, each with the workflows its repository runs. */
export function projects(): Project[] {
  const rootWorkflows = workflowsIn(path.join(root, ".github", "workflows"));
  const found: Project[] = [{ name: "root", dir: root, declared: declaredGithub(root, codeownersOf(root)), workflows: rootWorkflows }];
  for (const example of fs.readdirSync(path.join(root, "examples")).sort()) {
    const dir = path.join(root, "examples", example);
    if (!fs.existsSync(path.join(dir, "Pulumi.prod.yaml"))) continue;
    const taken = Object.fromEntries(Object.entries(rootWorkflows).filter(([f]) => !repositoryOwnWorkflows.includes(f)));
    found.push({
      name: example,
      dir,
      declared: declaredGithub(dir, codeownersOf(dir)),
      workflows: { ...taken, ...workflowsIn(path.join(dir, ".github", "workflows")) },
    });
  }
  return found;
}

/** The checks each protected branch requires, from the planned status-check rulesets. */
export function requiredChecksByBranch(rulesets: RulesetArgs[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const ruleset of rulesets) {
    const checks = (ruleset.rules as { requiredStatusChecks?: { requiredChecks: { context: string }[] } }).requiredStatusChecks;
    if (!checks) continue;
    for (const ref of ruleset.conditions.refName.includes) {
      const branch = ref.replace(/^refs\/heads\//, "");
      out[branch] = [...(out[branch] ?? []), ...checks.requiredChecks.map((c) => c.context)];
    }
  }
  return out;
}
