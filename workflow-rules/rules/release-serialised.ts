import { WorkflowRule } from "../rule";
import { Workflow, ancestors, isApply, isProdStack, isRecord, isTestStack, pulumiSteps } from "../workflow";

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

export const releaseSerialised: WorkflowRule = {
  name: "release-serialised",
  description:
    "Two releases could apply at once, a release could be cancelled mid-apply, or prod could apply before test. Give " +
    "the workflow `concurrency: {group: release, cancel-in-progress: false}` and make the prod job need the test job.",
  check: releaseViolations,
};
