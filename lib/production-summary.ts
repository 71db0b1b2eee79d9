import { previousPromotedState } from "./promotion-records";

/**
 * The up-prod job's summary of what production serves after the run, from prod's plain outputs (read without the
 * passphrase). When the run did not succeed (refused at preview, a failed step, cancelled), the outputs are those
 * of the last update that finished, and the promotion only ever runs after the release record: so production still
 * serves what they name, and the summary says so.
 */
export function describeProduction(outputs: Record<string, unknown>, jobStatus: string): string[] {
  const production = previousPromotedState(outputs);
  const released = typeof outputs.releasedId === "string" ? outputs.releasedId : "nothing";
  const deployments = Object.entries(production.deployments).map(([project, id]) => `- \`${project}\`: \`${id}\``);
  const serves = production.commit
    ? `Production serves commit \`${production.commit}\` (database release \`${released}\`):`
    : "Production serves no deployment this stack promoted yet (nothing was released with it).";
  const lines = ["## Production after this run", ""];
  if (jobStatus !== "success") {
    lines.push(
      `**The prod release did not finish (job ${jobStatus || "unknown"}): nothing new was made live.** The app goes live only after the prod release of its commit succeeded, so the previous production deployment keeps serving.`,
      "",
    );
  } else if (outputs.releaseMode === "rollback") {
    lines.push("**Rolled back** (deploy-guardrails:rollbackTo): no migration ran; the database stays as the last release left it.", "");
  }
  lines.push(serves);
  if (production.commit) lines.push("", ...deployments);
  return lines;
}
