/**
 * The parts of a GitHub Actions workflow the rules read, and the pure helpers they share. A workflow is parsed once
 * from its file (`parseWorkflow`), which also remembers the file's text: comments (the tag of a pinned action) are
 * not part of the parsed YAML.
 */
import * as yaml from "js-yaml";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: unknown;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  "continue-on-error"?: unknown;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: unknown;
  environment?: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  env?: Record<string, unknown>;
  steps?: Step[];
  /** A job that calls a reusable workflow. */
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  "continue-on-error"?: unknown;
}

export interface Workflow {
  name?: string;
  on?: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

/** The text each parsed workflow came from; a workflow built in code has none. */
const sources = new WeakMap<Workflow, string>();

export function parseWorkflow(text: string): Workflow {
  const doc = yaml.load(text);
  if (!isRecord(doc)) throw new Error("a workflow must be a YAML mapping");
  if (!isRecord(doc.jobs)) throw new Error("a workflow must have a `jobs:` mapping");
  const workflow = doc as unknown as Workflow;
  sources.set(workflow, text);
  return workflow;
}

/** The file text `parseWorkflow` read this workflow from, or undefined for a workflow built in code. */
export function sourceOf(workflow: Workflow): string | undefined {
  return sources.get(workflow);
}

/** Events whose runs execute (or are commonly made to check out) code a pull request controls. */
export const pullRequestTriggers = [
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "issue_comment",
  "workflow_run",
  "merge_group",
];

export function triggers(workflow: Workflow): string[] {
  const on = workflow.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.filter((t): t is string => typeof t === "string");
  if (isRecord(on)) return Object.keys(on);
  return [];
}

export function runsPullRequestCode(workflow: Workflow): boolean {
  return triggers(workflow).some((t) => pullRequestTriggers.includes(t));
}

/** The check name GitHub shows for a job: its `name`, else its id. */
export function checkName(id: string, job: Job): string {
  return typeof job.name === "string" ? job.name : id;
}

export function environmentName(job: Job): string | undefined {
  if (typeof job.environment === "string") return job.environment;
  if (isRecord(job.environment) && typeof job.environment.name === "string") return job.environment.name;
  return undefined;
}

export function isExpression(value: string): boolean {
  return value.includes("${{");
}

export interface PulumiStep {
  step: Step;
  index: number;
  command: string;
  stack: string;
  /** `pulumi/actions` (true) or a `run:` line calling the CLI (false). */
  viaAction: boolean;
  /** The CLI's arguments after the command, `\`-continued lines included; "" for `pulumi/actions`. */
  args: string;
}

/** Every Pulumi operation a job runs, through `pulumi/actions` or the CLI in a `run:` script. */
export function pulumiSteps(job: Job): PulumiStep[] {
  const found: PulumiStep[] = [];
  (job.steps ?? []).forEach((step, index) => {
    if (isPulumiAction(step)) {
      const command = str(step.with?.command);
      if (command) found.push({ step, index, command, stack: str(step.with?.["stack-name"]), viaAction: true, args: "" });
    }
    if (typeof step.run === "string") {
      // `pulumi` in command position (line start, after `;`, `&&`, `|`, `(`, `then`, `do`), not inside an echo.
      for (const match of step.run.matchAll(/(?:^|[;&|(]|\bthen\b|\bdo\b)\s*(?:npx\s+)?pulumi\s+(up|update|preview|destroy|refresh)\b((?:\\\n|[^\n])*)/gm)) {
        const args = match[2].replace(/\\\n/g, " ");
        const stack = /(?:--stack|-s)[=\s]+(\S+)/.exec(args)?.[1] ?? "";
        found.push({ step, index, command: match[1], stack, viaAction: false, args });
      }
    }
  });
  return found;
}

export function isPulumiAction(step: Step): boolean {
  return typeof step.uses === "string" && /^pulumi\/actions@/.test(step.uses);
}

export function isApply(command: string): boolean {
  return command === "up" || command === "update";
}

/** The stack's own name: `test` for `test`, `acme/test` or `organization/deploy-guardrails/test`. */
export function stackBase(stack: string): string {
  return stack.trim().split("/").pop() ?? "";
}

export function isProdStack(stack: string): boolean {
  return stackBase(stack) === "prod";
}

export function isTestStack(stack: string): boolean {
  return stackBase(stack) === "test";
}

/** Names of the secrets a value refers to (`secrets.NAME` or `secrets['NAME']`). */
export function secretNames(value: unknown): string[] {
  const text = JSON.stringify(value) ?? "";
  const names = new Set<string>();
  for (const m of text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  for (const m of text.matchAll(/secrets\[\s*\\?['"]([^'"\\]+)\\?['"]\s*\]/g)) names.add(m[1]);
  return [...names];
}

/** Whether a value refers to the job's own token (`github.token`, `secrets.GITHUB_TOKEN`). */
export function refersToJobToken(value: unknown): boolean {
  const text = JSON.stringify(value) ?? "";
  return /\bgithub\.token\b|\bgithub\[\s*\\?['"]token\\?['"]\s*\]/.test(text) || secretNames(value).includes("GITHUB_TOKEN");
}

/** A step's policy packs and their configs, in order. */
export function policyOf(op: PulumiStep): { packs: string[]; configs: string[] } {
  if (op.viaAction) return { packs: lines(op.step.with?.policyPacks), configs: lines(op.step.with?.policyPackConfigs) };
  const values = (flag: string) => [...op.args.matchAll(new RegExp(`${flag}(?:=|\\s+)(\\S+)`, "g"))].map((m) => m[1]);
  return { packs: values("--policy-pack(?!-)"), configs: values("--policy-pack-config") };
}

export function isPolicyPack(path: string): boolean {
  return /^(\.\/)?policy\/?$/.test(path);
}

/** The `--target`s of an operation (pulumi/actions `target:` lines, or the CLI's flags without their quotes). */
export function targetsOf(op: PulumiStep): string[] {
  if (op.viaAction) return lines(op.step.with?.target);
  return [...op.args.matchAll(/--target(?:=|\s+)('[^']*'|"[^"]*"|\S+)/g)].map((m) => m[1].replace(/^(['"])(.*)\1$/, "$2"));
}

/** Whether an operation fails when it would change anything (`expect-no-changes`). */
export function expectsNoChanges(op: PulumiStep): boolean {
  if (op.viaAction) return isTrue(op.step.with?.["expect-no-changes"]);
  return /--expect-no-changes(=true)?(?=\s|$)/.test(op.args);
}

/** The backend and env an operation runs with: two operations see the same stack and credentials when these match. */
export function backendAndEnv(op: PulumiStep): string {
  return canonical({ cloudUrl: op.step.with?.["cloud-url"], env: op.step.env ?? {} });
}

/** JSON with sorted keys, so two mappings compare equal whatever their order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** A step that can be skipped or whose failure is ignored, so it cannot stop the steps after it. */
export function cannotStopTheJob(step: Step): string | undefined {
  if (step["continue-on-error"] !== undefined && step["continue-on-error"] !== false) return "continues on error";
  if (step.if !== undefined) return "has an `if:`, so it can be skipped";
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isCheckout(step: Step): boolean {
  return typeof step.uses === "string" && /^actions\/checkout@/.test(step.uses);
}

/** A `run:` step that refuses a runner-local backend before Pulumi logs in. */
export function guardsBackend(step: Step): boolean {
  return typeof step.run === "string" && /PULUMI_BACKEND_URL/.test(step.run) && /file:/.test(step.run) && /exit 1/.test(step.run);
}

export function str(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function lines(value: unknown): string[] {
  return str(value)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export function needsOf(job: Job): string[] {
  if (typeof job.needs === "string") return [job.needs];
  return Array.isArray(job.needs) ? job.needs.filter((n): n is string => typeof n === "string") : [];
}

/** Every job that must finish before `id` starts. */
export function ancestors(workflow: Workflow, id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...needsOf(workflow.jobs[id] ?? {})];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...needsOf(workflow.jobs[next] ?? {}));
  }
  return seen;
}

/** Every `uses:` of a workflow with where it is: jobs calling reusable workflows and steps. */
export function usesOf(workflow: Workflow): { uses: string; where: string }[] {
  const found: { uses: string; where: string }[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (typeof job.uses === "string") found.push({ uses: job.uses, where: `jobs.${id}` });
    (job.steps ?? []).forEach((step, index) => {
      if (typeof step.uses === "string") found.push({ uses: step.uses, where: `jobs.${id}.steps[${index}]` });
    });
  }
  return found;
}

/** Every env mapping that reaches a step: the workflow's, the job's and the step's own, with where each is. */
export function envMaps(workflow: Workflow): { env: Record<string, unknown>; where: string }[] {
  const found: { env: Record<string, unknown>; where: string }[] = [];
  if (isRecord(workflow.env)) found.push({ env: workflow.env, where: "workflow env" });
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (isRecord(job.env)) found.push({ env: job.env, where: `jobs.${id} env` });
    (job.steps ?? []).forEach((step, index) => {
      if (isRecord(step.env)) found.push({ env: step.env, where: `jobs.${id}.steps[${index}] env` });
    });
  }
  return found;
}
