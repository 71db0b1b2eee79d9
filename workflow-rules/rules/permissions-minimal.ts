import { WorkflowRule } from "../rule";
import { Workflow, isRecord } from "../workflow";

/** Scopes a job may be granted `write` on: commenting a pull request, and OIDC tokens. */
export const writableScopes = ["pull-requests", "id-token"];

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

export const permissionsMinimal: WorkflowRule = {
  name: "permissions-minimal",
  description:
    "The job token gets more than the job needs. Set `permissions: {}` at the top and grant each job only its scopes " +
    "(`contents: read`, plus `pull-requests: write` for the PR comment or `id-token: write` for OIDC).",
  check: permissionViolations,
};
