/**
 * What a workflow job can change, read from the workflow (its environment, job-token permissions, the secrets it
 * references and the Pulumi operations it runs) plus the repository settings it depends on. The columns of the
 * "Who can change what" table in docs/pipelines.md; tests/workflows/who-can-change-what.test.ts compares the
 * table's job rows with this.
 */
import { environmentKind, isGithubWriteTokenName, isPassphraseName, isProdEnvironment, isStateBackendName } from "./credentials";
import { Workflow, environmentName, isApply, isProdStack, isRecord, pulumiSteps, secretNames } from "./workflow";

/** The repository settings a job's capabilities depend on (declared by the prod stack's GitHub settings). */
export interface RepositorySettings {
  /** "Allow GitHub Actions to create and approve pull requests" (WorkflowRepositoryPermissions.canApprovePullRequestReviews). */
  actionsCanApprovePullRequests: boolean;
}

export const capabilityColumns = [
  "Push to main",
  "Merge a PR",
  "Approve a PR",
  "Change test state",
  "Change prod state",
  "Read prod secrets",
  "Change GitHub settings",
  "Deploy production",
] as const;

export type Capability = (typeof capabilityColumns)[number];

export interface JobCapabilities {
  environment: string | undefined;
  can: Record<Capability, boolean>;
}

export function jobCapabilities(workflow: Workflow, id: string, settings: RepositorySettings): JobCapabilities {
  const job = workflow.jobs[id];
  const env = environmentName(job);
  const permissions = isRecord(job.permissions) ? job.permissions : {};
  const names = [...secretNames(job), ...secretNames(workflow.env ?? {})];
  const kind = env === undefined ? undefined : environmentKind(env);
  const holdsState = names.some(isStateBackendName);
  const contentsWrite = permissions.contents === "write";
  return {
    environment: env,
    can: {
      // The admin token has no Contents permission (docs/pipelines.md): pushing and merging take `contents: write`.
      "Push to main": contentsWrite,
      "Merge a PR": contentsWrite,
      "Approve a PR": permissions["pull-requests"] === "write" && settings.actionsCanApprovePullRequests,
      // A writing environment's backend credentials are read-write (test's, or a staging stack's).
      "Change test state": kind === "writing" && holdsState,
      "Change prod state": kind === "production" && holdsState,
      // The prod passphrase opens every prod secret in prod's state and config; a read-only database role is not one.
      "Read prod secrets": env !== undefined && isProdEnvironment(env) && names.some(isPassphraseName),
      "Change GitHub settings": names.some(isGithubWriteTokenName),
      "Deploy production": pulumiSteps(job).some((op) => isApply(op.command) && isProdStack(op.stack)),
    },
  };
}
