import { isProdEnvironment, production } from "../credentials";
import { WorkflowRule } from "../rule";
import { Workflow, environmentName, isExpression, isProdStack, pulumiSteps } from "../workflow";

/**
 * The prod stack is previewed and changed only from `production`: any Pulumi operation on prod runs the program
 * with the prod passphrase, and only `production` (required reviewers) holds it. Read-only environments only preview.
 */
export function prodStackViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const env = environmentName(job);
    for (const op of pulumiSteps(job)) {
      if (isExpression(op.stack)) {
        out.push(`jobs.${id}.steps[${op.index}] picks its stack with an expression (${op.stack}), which could name prod; name the stack literally`);
        continue;
      }
      if (isProdStack(op.stack) && !(env && isProdEnvironment(env))) {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` on prod without a production environment; bind it to \`production\``);
      }
      if (isProdStack(op.stack) && op.command !== "preview" && env !== production) {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` on prod outside the \`production\` environment, so no required reviewer approves it`);
      } else if (isProdStack(op.stack) && env !== undefined && isProdEnvironment(env) && env !== production) {
        out.push(
          `jobs.${id} runs \`pulumi ${op.command}\` on prod in \`${env}\`: a prod preview runs the program with the prod passphrase, which only \`production\` holds; show reviewers the release plan instead (\`npm run release-plan\`)`,
        );
      }
      if (env && /readonly/i.test(env) && op.command !== "preview") {
        out.push(`jobs.${id} runs \`pulumi ${op.command}\` in the read-only environment \`${env}\`; read-only environments only preview`);
      }
    }
  }
  return out;
}

export const prodStackInProduction: WorkflowRule = {
  name: "prod-stack-in-production",
  description:
    "A Pulumi operation on the prod stack runs outside `production`, so it either lacks a reviewer's approval or needs " +
    "the prod passphrase where no reviewer guards it. Run prod previews and ups only in `production`.",
  check: prodStackViolations,
};
