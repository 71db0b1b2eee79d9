import { isProdEnvironment } from "../credentials";
import { WorkflowRule } from "../rule";
import { Workflow, environmentName, isExpression, isProdStack, pullRequestTriggers, pulumiSteps, runsPullRequestCode, triggers } from "../workflow";

/** A run that executes pull-request code gets no prod environment, no prod stack, no apply (prod secrets: `secretViolations`). */
export function pullRequestViolations(workflow: Workflow): string[] {
  if (!runsPullRequestCode(workflow)) return [];
  const on = triggers(workflow)
    .filter((t) => pullRequestTriggers.includes(t))
    .join(", ");
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const env = environmentName(job);
    if (env !== undefined && isExpression(env)) {
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

export const pullRequestsPreviewTestOnly: WorkflowRule = {
  name: "pull-requests-preview-test-only",
  description:
    "A run of pull-request code (agents' included) is bound to a prod environment, touches the prod stack, or applies. " +
    "Pull requests only preview the test stack, from `test-readonly`.",
  check: pullRequestViolations,
};
