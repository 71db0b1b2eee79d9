import { WorkflowRule } from "../rule";
import { Workflow, guardsBackend, isExpression, pulumiSteps, str } from "../workflow";

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
      // A script (`npm run release-plan`) that reaches the backend through PULUMI_BACKEND_URL needs the same guard.
      const fromEnv = step.env?.PULUMI_BACKEND_URL;
      if (!guardsBackend(step) && typeof fromEnv === "string" && isExpression(fromEnv) && !steps.slice(0, index).some(guardsBackend)) {
        out.push(`${where} takes PULUMI_BACKEND_URL from an expression without an earlier step that refuses a file:// backend`);
      }
    });
    for (const op of pulumiSteps(job)) {
      if (!op.viaAction) continue;
      const where = `jobs.${id}.steps[${op.index}]`;
      const cloudUrl = str(op.step.with?.["cloud-url"]);
      const token = op.step.env?.PULUMI_ACCESS_TOKEN ?? job.env?.PULUMI_ACCESS_TOKEN ?? workflow.env?.PULUMI_ACCESS_TOKEN;
      if (!cloudUrl && !token) out.push(`${where} has no state backend: give it \`cloud-url\` (object store) or PULUMI_ACCESS_TOKEN (Pulumi Cloud)`);
      if (isExpression(cloudUrl) && !steps.slice(0, op.index).some(guardsBackend)) {
        out.push(`${where} takes \`cloud-url\` from an expression without an earlier step that refuses a file:// backend`);
      }
    }
  }
  return out;
}

export const stateInRealBackend: WorkflowRule = {
  name: "state-in-real-backend",
  description:
    "A job keeps Pulumi state in a runner-local file:// folder (gone with the runner), has no backend, or takes the " +
    "backend from an expression without a step that refuses file:// first. Use an object store or Pulumi Cloud, and " +
    "the `Check the state backend` step.",
  check: backendViolations,
};
