import { isProdEnvironment } from "../credentials";
import { WorkflowRule } from "../rule";
import { Workflow, environmentName, secretNames } from "../workflow";

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

export const secretsScoped: WorkflowRule = {
  name: "secrets-scoped",
  description:
    "A workflow hands out every secret (`toJSON(secrets)`, `secrets: inherit`) or reads a prod-named secret outside a " +
    "production environment. Pass each job the secrets it needs, and keep prod credentials in `production`.",
  check: secretViolations,
};
