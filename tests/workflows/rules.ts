/**
 * Security rules for the GitHub Actions workflows, as pure functions over parsed workflow objects.
 *
 * `findViolations(workflow)` returns one sentence per broken rule, naming the job or step and the fix; an empty
 * list means the workflow keeps every property below. The rules encode the deployment model:
 * - code from a pull request (agents included) never runs next to a prod credential;
 * - every `pulumi preview` / `pulumi up` runs the policy pack, and every `up` is previewed with it first, so a
 *   violation stops the `up` before anything changes;
 * - state lives in a real backend, never a runner-local `file://` folder;
 * - a release runs one at a time and is never cancelled mid-apply, and prod is released only after test;
 * - the GITHUB_TOKEN gets nothing by default and each job only what it needs.
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

export function parseWorkflow(text: string): Workflow {
  const doc = yaml.load(text);
  if (!isRecord(doc)) throw new Error("a workflow must be a YAML mapping");
  if (!isRecord(doc.jobs)) throw new Error("a workflow must have a `jobs:` mapping");
  return doc as unknown as Workflow;
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

/** Scopes a job may be granted `write` on: commenting a pull request, and OIDC tokens. */
export const writableScopes = ["pull-requests", "id-token"];

/** Environments that hold prod credentials (`production`, `production-readonly`, `prod…`). */
export function isProdEnvironment(name: string): boolean {
  return /^prod/i.test(name);
}

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
    if (typeof step.uses === "string" && /^pulumi\/actions@/.test(step.uses)) {
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

function isApply(command: string): boolean {
  return command === "up" || command === "update";
}

/** Names of the secrets a value refers to (`secrets.NAME` or `secrets['NAME']`). */
export function secretNames(value: unknown): string[] {
  const text = JSON.stringify(value) ?? "";
  const names = new Set<string>();
  for (const m of text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  for (const m of text.matchAll(/secrets\[\s*\\?['"]([^'"\\]+)\\?['"]\s*\]/g)) names.add(m[1]);
  return [...names];
}

// ---------------------------------------------------------------------------------------------------------
// Rules

/** `permissions: {}` at the top, an explicit, minimal grant on every job, never `write-all`/`read-all`. */
export function permissionViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  if (workflow.permissions === undefined) {
    out.push("workflow has no top-level `permissions:`; set `permissions: {}` and grant each job what it needs");
  } else if (typeof workflow.permissions === "string") {
    out.push(`workflow sets \`permissions: ${workflow.permissions}\`; set \`permissions: {}\` and grant per job`);
  } else if (!isRecord(workflow.permissions) || Object.keys(workflow.permissions).length > 0) {
    out.push("workflow's top-level `permissions:` must be `{}` (nothing); grant per job");
  }
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const p = job.permissions;
    if (p === undefined) {
      out.push(`jobs.${id} has no \`permissions:\`; grant it exactly what it needs (e.g. \`contents: read\`)`);
    } else if (typeof p === "string") {
      out.push(`jobs.${id} sets \`permissions: ${p}\`; list the scopes it needs instead`);
    } else if (!isRecord(p)) {
      out.push(`jobs.${id} has a \`permissions:\` that is not a mapping of scopes`);
    } else {
      for (const [scope, level] of Object.entries(p)) {
        if (level === "write" && !writableScopes.includes(scope)) {
          out.push(`jobs.${id} grants \`${scope}: write\`; these pipelines need write only on ${writableScopes.join(" and ")}`);
        }
      }
    }
  }
  return out;
}

/** No `pull_request_target`: it runs with the base repository's secrets and a write token. */
export function untrustedTriggerViolations(workflow: Workflow): string[] {
  if (!triggers(workflow).includes("pull_request_target")) return [];
  const out = [
    "workflow runs on `pull_request_target`, which gives a pull request's run the repository's secrets and a write token; use `pull_request`",
  ];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (isCheckout(step) && /pull_request\.head|head_ref|refs\/pull\//.test(JSON.stringify(step.with ?? {}))) {
        out.push(`jobs.${id} checks out the pull request's head under \`pull_request_target\`: untrusted code with the base repository's secrets`);
      }
    }
  }
  return out;
}

/** A run that executes pull-request code gets no prod environment, no prod stack, no apply (prod secrets: `secretViolations`). */
export function pullRequestViolations(workflow: Workflow): string[] {
  if (!runsPullRequestCode(workflow)) return [];
  const on = triggers(workflow).filter((t) => pullRequestTriggers.includes(t)).join(", ");
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const env = environmentName(job);
    if (env !== undefined && env.includes("${{")) {
      out.push(`jobs.${id} picks its environment with an expression on ${on}; name a non-prod environment literally`);
    } else if (env !== undefined && isProdEnvironment(env)) {
      out.push(`jobs.${id} is bound to the \`${env}\` environment but runs on ${on}: pull-request code would read prod secrets`);
    }
    for (const op of pulumiSteps(job)) {
      if (isProdStack(op.stack)) {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` on the prod stack on ${on}; a prod preview needs prod secrets, so pull requests preview test only`);
      }
      if (op.command !== "preview") {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` on ${on}; pull requests only preview, releases happen on main`);
      }
    }
  }
  return out;
}

/** Prod credentials are environment secrets of `production`: never a repository-wide `PROD_*` secret, never all secrets at once. */
export function secretViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  const text = JSON.stringify(workflow);
  if (/toJSON\(\s*secrets\s*\)/i.test(text)) out.push("workflow serialises every secret with `toJSON(secrets)`");
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (job.secrets === "inherit") out.push(`jobs.${id} passes every secret on with \`secrets: inherit\`; pass the ones it needs`);
    const env = environmentName(job);
    for (const name of secretNames(job)) {
      if (/prod/i.test(name) && !(env && isProdEnvironment(env))) {
        out.push(
          `jobs.${id} reads ${name} without being bound to a production environment; prod credentials are environment secrets of \`production\`, never repository secrets`,
        );
      }
    }
  }
  return out;
}

/** The prod stack is touched only from a production environment, and changed only from `production` itself. */
export function prodStackViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const env = environmentName(job);
    for (const op of pulumiSteps(job)) {
      if (isProdStack(op.stack) && !(env && isProdEnvironment(env))) {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` on prod without a production environment; bind it to \`production\` (or \`production-readonly\` for a preview)`);
      }
      if (isProdStack(op.stack) && op.command !== "preview" && env !== "production") {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` on prod outside the \`production\` environment, so no required reviewer approves it`);
      }
      if (env && /readonly/i.test(env) && op.command !== "preview") {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` in the read-only environment \`${env}\`; read-only environments only preview`);
      }
    }
  }
  return out;
}

/** State lives in Pulumi Cloud or an object store; never a runner-local folder that vanishes after the job. */
export function backendViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  const isLocal = (v: unknown) => typeof v === "string" && /^\s*file:/i.test(v);
  if (isLocal(workflow.env?.PULUMI_BACKEND_URL)) out.push("workflow sets PULUMI_BACKEND_URL to a runner-local file:// backend");
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (isLocal(job.env?.PULUMI_BACKEND_URL)) out.push(`jobs.${id} sets PULUMI_BACKEND_URL to a runner-local file:// backend`);
    const steps = job.steps ?? [];
    steps.forEach((step, index) => {
      const where = `jobs.${id}.steps[${index}]`;
      if (isLocal(step.env?.PULUMI_BACKEND_URL)) out.push(`${where} sets PULUMI_BACKEND_URL to a runner-local file:// backend`);
      if (isLocal(step.with?.["cloud-url"])) out.push(`${where} logs in to a runner-local file:// backend; its state disappears with the runner`);
      if (typeof step.run === "string" && /\bpulumi\s+login\b[^\n]*(--local|\s-l\b|file:)/.test(step.run)) {
        out.push(`${where} runs \`pulumi login\` against a runner-local backend`);
      }
    });
    for (const op of pulumiSteps(job)) {
      if (!op.viaAction) continue;
      const where = `jobs.${id}.steps[${op.index}]`;
      const cloudUrl = str(op.step.with?.["cloud-url"]);
      const token = op.step.env?.PULUMI_ACCESS_TOKEN ?? job.env?.PULUMI_ACCESS_TOKEN ?? workflow.env?.PULUMI_ACCESS_TOKEN;
      if (!cloudUrl && !token) out.push(`${where} has no state backend: give it \`cloud-url\` (object store) or PULUMI_ACCESS_TOKEN (Pulumi Cloud)`);
      if (cloudUrl.includes("${{") && !steps.slice(0, op.index).some(guardsBackend)) {
        out.push(`${where} takes \`cloud-url\` from an expression without an earlier step that refuses a file:// backend`);
      }
    }
  }
  return out;
}

/** Every preview and apply runs the policy pack with its config; CI never destroys a stack. */
export function policyPackViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const op of pulumiSteps(job)) {
      const where = `jobs.${id}.steps[${op.index}]`;
      if (op.command === "destroy") {
        out.push(`${where} runs \`pulumi destroy\`; no pipeline destroys a stack`);
        continue;
      }
      if (op.command !== "preview" && !isApply(op.command)) continue;
      if (op.viaAction) {
        const packs = lines(op.step.with?.policyPacks);
        const configs = lines(op.step.with?.policyPackConfigs);
        if (!packs.some(isPolicyPack)) out.push(`${where} runs \`pulumi ${op.command}\` without \`policyPacks: policy\``);
        if (!configs.some((c) => /^(\.\/)?policy\.config\.json$/.test(c))) {
          out.push(`${where} runs \`pulumi ${op.command}\` without \`policyPackConfigs: policy.config.json\``);
        }
        if (packs.length !== configs.length) out.push(`${where} lists ${packs.length} policy pack(s) but ${configs.length} config(s); they pair up by order`);
      } else {
        const line = typeof op.step.run === "string" ? op.step.run : "";
        if (!/--policy-pack[=\s]+(\.\/)?policy\b/.test(line)) out.push(`${where} runs \`pulumi ${op.command}\` without \`--policy-pack policy\``);
        if (!/--policy-pack-config[=\s]+(\.\/)?policy\.config\.json\b/.test(line)) {
          out.push(`${where} runs \`pulumi ${op.command}\` without \`--policy-pack-config policy.config.json\``);
        }
      }
    }
  }
  return out;
}

/**
 * Every `up` fails before it changes anything when a policy is violated. pulumi/actions applies through the
 * Automation API, which passes `--skip-preview`; then a mandatory violation stops only the violating resource,
 * after independent ones were already changed (measured with Pulumi 3.276.0: 11-20 of ~25 resources created).
 * The CLI's `pulumi up` without `--skip-preview` previews first and stops with nothing changed. So an `up` must
 * either follow, in its job, a preview of the same stack with the same policy packs, backend and env that cannot
 * be skipped, or be a CLI `pulumi up --policy-pack …` without `--skip-preview`.
 */
export function previewBeforeUpViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const ops = pulumiSteps(job);
    for (const up of ops.filter((op) => isApply(op.command))) {
      const where = `jobs.${id}.steps[${up.index}]`;
      if (!up.viaAction && skipsPreview(up.args)) {
        out.push(`${where} runs \`pulumi ${up.command} --skip-preview\`: a policy violation would stop only the violating resource, after others were changed; drop --skip-preview`);
        continue;
      }
      if (!up.viaAction && policyOf(up).packs.some(isPolicyPack)) continue; // the CLI's own preview runs the pack first
      if (typeof up.step.if === "string" && /\b(always|failure|cancelled)\s*\(/.test(up.step.if)) {
        out.push(`${where} runs \`pulumi ${up.command}\` with \`if: ${up.step.if}\`, so it runs even after its preview failed`);
      }
      const how = up.viaAction ? "through pulumi/actions, which skips the preview" : "without `--policy-pack`, so its own preview checks no policy";
      const previews = ops.filter((op) => op.command === "preview" && op.index < up.index && stackBase(op.stack) === stackBase(up.stack));
      const problems = previews.map((preview) => gateProblem(preview, up));
      if (previews.length === 0) {
        out.push(`${where} runs \`pulumi ${up.command}\` ${how}, with no \`pulumi preview\` of ${up.stack || "its stack"} before it in this job; a policy violation would stop only the violating resource, after others were changed`);
      } else if (!problems.includes(undefined)) {
        out.push(`${where} runs \`pulumi ${up.command}\` ${how}, and the preview before it (steps[${previews[previews.length - 1].index}]) ${problems[problems.length - 1]}`);
      }
    }
  }
  return out;
}

/** Why `preview` does not stop `up` on a policy violation, or undefined when it does. */
function gateProblem(preview: PulumiStep, up: PulumiStep): string | undefined {
  const step = preview.step;
  if (step["continue-on-error"] !== undefined && step["continue-on-error"] !== false) return "continues on error";
  if (step.if !== undefined) return "has an `if:`, so it can be skipped";
  const [p, u] = [policyOf(preview), policyOf(up)];
  if (!p.packs.some(isPolicyPack)) return "runs without the policy pack";
  if (JSON.stringify(p) !== JSON.stringify(u)) return "runs other policy packs or configs than the up";
  if (canonical(backendAndEnv(preview)) !== canonical(backendAndEnv(up))) return "uses another `cloud-url` or `env` than the up";
  return undefined;
}

/** `--skip-preview` (or `-f`, alone or among other short flags), not `--skip-preview=false`. */
export function skipsPreview(args: string): boolean {
  return /--skip-preview(=true)?(?=\s|$)/.test(args) || /(?:^|\s)-[A-Za-z]*f[A-Za-z]*(?=\s|$)/.test(args);
}

/** The policy packs and their configs an operation runs, in order. */
export function policyOf(op: PulumiStep): { packs: string[]; configs: string[] } {
  if (op.viaAction) return { packs: lines(op.step.with?.policyPacks), configs: lines(op.step.with?.policyPackConfigs) };
  const values = (flag: string) => [...op.args.matchAll(new RegExp(`${flag}(?:=|\\s+)(\\S+)`, "g"))].map((m) => m[1]);
  return { packs: values("--policy-pack(?!-)"), configs: values("--policy-pack-config") };
}

function isPolicyPack(path: string): boolean {
  return /^(\.\/)?policy\/?$/.test(path);
}

function backendAndEnv(op: PulumiStep): unknown {
  return { cloudUrl: op.step.with?.["cloud-url"], env: op.step.env ?? {} };
}

/** JSON with sorted keys, so two mappings compare equal whatever their order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/**
 * A workflow that applies runs one at a time for the whole workflow (so test cannot move on while prod waits
 * for approval), is never cancelled mid-apply, and applies prod only after test.
 */
export function releaseViolations(workflow: Workflow): string[] {
  const applyJobs = Object.entries(workflow.jobs).filter(([, job]) => pulumiSteps(job).some((op) => isApply(op.command)));
  if (applyJobs.length === 0) return [];
  const out: string[] = [];
  const c = workflow.concurrency;
  if (c === undefined) {
    out.push("workflow runs `pulumi up` without a top-level `concurrency:` group; two releases could apply at once");
  } else if (!isRecord(c) || typeof c.group !== "string") {
    out.push("workflow's `concurrency:` must be a mapping with a `group` and `cancel-in-progress: false`");
  } else if (c["cancel-in-progress"] !== false) {
    out.push("workflow's `concurrency:` must say `cancel-in-progress: false`; a release cancelled mid-apply leaves stacks half-changed");
  }
  for (const [id, job] of applyJobs) {
    if (isRecord(job.concurrency) && job.concurrency["cancel-in-progress"] !== undefined && job.concurrency["cancel-in-progress"] !== false) {
      out.push(`jobs.${id} can be cancelled mid-apply (\`cancel-in-progress\` is not false)`);
    }
    if (job["continue-on-error"] === true) out.push(`jobs.${id} continues on error; a failed apply must stop the release`);
  }
  const testApplies = applyJobs.filter(([, job]) => pulumiSteps(job).some((op) => isApply(op.command) && isTestStack(op.stack))).map(([id]) => id);
  for (const [id, job] of applyJobs) {
    if (!pulumiSteps(job).some((op) => isApply(op.command) && isProdStack(op.stack))) continue;
    const before = ancestors(workflow, id);
    if (!testApplies.some((t) => before.has(t))) out.push(`jobs.${id} applies prod without needing the job that applies test; prod must wait for test`);
  }
  return out;
}

/** Actions are pinned to a release tag or a commit, never a moving branch. */
export function pinningViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  const check = (uses: unknown, where: string) => {
    if (typeof uses !== "string" || uses.startsWith("./") || uses.startsWith("docker://")) return;
    const ref = uses.split("@")[1];
    if (ref === undefined) out.push(`${where} uses ${uses} without a version`);
    else if (!/^[0-9a-f]{40}$/.test(ref) && !/^v\d+(\.\d+){0,2}$/.test(ref)) out.push(`${where} uses ${uses}: pin a release tag (or a full commit SHA), not a branch`);
  };
  for (const [id, job] of Object.entries(workflow.jobs)) {
    check(job.uses, `jobs.${id}`);
    (job.steps ?? []).forEach((step, index) => check(step.uses, `jobs.${id}.steps[${index}]`));
  }
  return out;
}

export const rules = [
  permissionViolations,
  untrustedTriggerViolations,
  pullRequestViolations,
  secretViolations,
  prodStackViolations,
  backendViolations,
  policyPackViolations,
  previewBeforeUpViolations,
  releaseViolations,
  pinningViolations,
];

export function findViolations(workflow: Workflow): string[] {
  return rules.flatMap((rule) => rule(workflow));
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

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

function str(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

function lines(value: unknown): string[] {
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
