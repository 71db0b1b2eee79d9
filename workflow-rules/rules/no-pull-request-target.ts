import { WorkflowRule } from "../rule";
import { Workflow, isCheckout, triggers } from "../workflow";

/** No `pull_request_target`: it runs with the base repository's secrets and a write token. */
export function untrustedTriggerViolations(workflow: Workflow): string[] {
  if (!triggers(workflow).includes("pull_request_target")) return [];
  const out = ["workflow runs on `pull_request_target`, which gives a pull request's run the repository's secrets and a write token; use `pull_request`"];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (isCheckout(step) && /pull_request\.head|head_ref|refs\/pull\//.test(JSON.stringify(step.with ?? {}))) {
        out.push(`jobs.${id} checks out the pull request's head under \`pull_request_target\`: untrusted code with the base repository's secrets`);
      }
    }
  }
  return out;
}

export const noPullRequestTarget: WorkflowRule = {
  name: "no-pull-request-target",
  description:
    "A workflow runs on `pull_request_target`, which hands a pull request's run the base repository's secrets and a write token. Use `pull_request`.",
  check: untrustedTriggerViolations,
};
