import { WorkflowRule } from "../rule";
import { Workflow, isApply, isProdStack, pulumiSteps } from "../workflow";

/** A line of a `run:` script that makes a Vercel deployment live: the CLI's production deploy, promote, rollback or alias, or the REST promote and rollback endpoints. */
const livePatterns: { pattern: RegExp; what: string }[] = [
  { pattern: /\/projects\/[^\s'"]*\/(promote|rollback)\//, what: "calls Vercel's promote or rollback endpoint" },
  { pattern: /\bvercel\b.*(--prod\b|--target[= ]production\b)/, what: "deploys to production with the Vercel CLI" },
  { pattern: /\bvercel\b.*\b(promote|rollback)\b/, what: "promotes or rolls back with the Vercel CLI" },
  { pattern: /\bvercel\b.*\balias\b/, what: "points a domain at a deployment with the Vercel CLI" },
];

/**
 * New application code goes live on Vercel production only in up-prod's `pulumi up` of prod, as the last release step
 * (`vercel-promote`, after the database release of the same commit). So no other step of any workflow deploys,
 * promotes, rolls back or aliases a Vercel deployment, and no job uses a Vercel deployment action: any of them would
 * make a merge live before (or without) the prod release. The project shells do not assign production domains by
 * themselves (the policy `production-promotion-gated` checks that); this keeps the workflows from doing it instead.
 */
export function productionLiveViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (typeof job.uses === "string" && /vercel/i.test(job.uses))
      out.push(`jobs.${id} calls ${job.uses}, a reusable workflow that may deploy to Vercel; production goes live only in the prod release (vercel-promote)`);
    const releasesProd = pulumiSteps(job).some((op) => isApply(op.command) && isProdStack(op.stack));
    (job.steps ?? []).forEach((step, index) => {
      const where = `jobs.${id}.steps[${index}]`;
      if (typeof step.uses === "string" && /vercel/i.test(step.uses.split("@")[0])) {
        out.push(
          `${where} uses ${step.uses.split("@")[0]}, which deploys to Vercel outside the release; remove it: a merge builds its deployment, and the prod release promotes it${releasesProd ? " (in this job's pulumi up)" : ""}`,
        );
      }
      if (typeof step.run !== "string") return;
      for (const line of step.run.split("\n")) {
        const found = livePatterns.find((p) => p.pattern.test(line));
        if (found) {
          out.push(
            `${where} ${found.what} (\`${line.trim().slice(0, 80)}\`), which makes a deployment live outside the prod release; remove it: only up-prod's pulumi up promotes, after the database release of the same commit`,
          );
          break;
        }
      }
    });
  }
  return out;
}

export const productionLiveOnlyThroughRelease: WorkflowRule = {
  name: "production-live-only-through-release",
  description:
    "A workflow step deploys, promotes, rolls back or aliases a Vercel deployment (the Vercel CLI, its REST promote or rollback " +
    "endpoints, a Vercel deploy action), so new app code could go live before the prod release of its database. Remove it: a " +
    "merge builds a staged deployment, and up-prod's release promotes it after the database release (docs/releases.md, Promotion).",
  check: productionLiveViolations,
};
