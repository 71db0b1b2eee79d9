import { githubResourceTargets } from "../credentials";
import { WorkflowRule } from "../rule";
import { PulumiStep, Workflow, backendAndEnv, cannotStopTheJob, expectsNoChanges, isApply, isProdStack, pulumiSteps, stackBase, targetsOf } from "../workflow";

/** Whether `preview` is the GitHub-change guard for `up`: same stack and credentials, every GitHub target, no changes allowed. */
function guardProblem(preview: PulumiStep, up: PulumiStep): string | undefined {
  const skippable = cannotStopTheJob(preview.step);
  if (skippable) return skippable;
  const targets = targetsOf(preview);
  const missing = githubResourceTargets.filter((t) => !targets.includes(t));
  if (missing.length > 0) return `does not target ${missing.join(", ")}`;
  if (targets.length !== githubResourceTargets.length)
    return `targets more than the GitHub resources (${targets.filter((t) => !githubResourceTargets.includes(t)).join(", ")})`;
  if (!expectsNoChanges(preview)) return "does not set `expect-no-changes: true`";
  if (backendAndEnv(preview) !== backendAndEnv(up)) return "uses another `cloud-url` or `env` than the up";
  return undefined;
}

/**
 * A job that applies a non-prod stack (test, staging) holds no GitHub write token, yet that stack owns its GitHub
 * environments and their secrets. So before its first apply the job previews the stack's GitHub resources with
 * `--expect-no-changes`, and stops, with nothing changed, when the update would change one: the release authority
 * applies those with an admin token (docs/pipelines.md, "GitHub settings of the test stack").
 */
export function githubChangeGuardViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const ops = pulumiSteps(job);
    const applies = ops.filter((op) => isApply(op.command) && !isProdStack(op.stack));
    if (applies.length === 0) continue;
    const first = applies[0];
    const stack = stackBase(first.stack);
    const guards = ops.filter((op) => op.command === "preview" && op.index < first.index && stackBase(op.stack) === stack && targetsOf(op).length > 0);
    const problems = guards.map((g) => guardProblem(g, first));
    if (problems.includes(undefined)) continue;
    const how = `preview the stack's GitHub resources first (\`target\`: ${githubResourceTargets.join(" ")}, \`expect-no-changes: true\`) so a GitHub change stops the job before anything changes`;
    if (guards.length === 0)
      out.push(
        `jobs.${id} applies ${stack || "its stack"} (steps[${first.index}]) without a GitHub write token and without checking its GitHub resources first; ${how}`,
      );
    else
      out.push(
        `jobs.${id}: the GitHub-change guard before steps[${first.index}] (steps[${guards[guards.length - 1].index}]) ${problems[problems.length - 1]}; ${how}`,
      );
  }
  return out;
}

export const testGithubChangesRefused: WorkflowRule = {
  name: "test-github-changes-refused",
  description:
    "A job applies the test (or staging) stack without first checking that none of its GitHub resources would change. " +
    "It holds no GitHub write token, so it would half-apply and fail; add a `pulumi preview` of the GitHub targets " +
    "with `expect-no-changes: true` before the up, and let the release authority apply GitHub changes with an admin token.",
  check: githubChangeGuardViolations,
};
