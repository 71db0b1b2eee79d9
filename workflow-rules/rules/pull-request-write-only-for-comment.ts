import { WorkflowRule } from "../rule";
import { Workflow, isPulumiAction, isRecord, isTrue, refersToJobToken, secretNames, triggers } from "../workflow";

/** What approves, merges or auto-merges a pull request from a script. */
const approvesOrMerges =
  /\bgh\s+pr\s+(review|merge)\b|\/pulls\/[^/\s]+\/(reviews|merge)\b|\baddPullRequestReview\b|\bmergePullRequest\b|\benablePullRequestAutoMerge\b|\bsubmitPullRequestReview\b/;

/**
 * `pull-requests: write` is only for the preview comment: granted only to a pull-request job whose token reaches
 * nothing but pulumi/actions with `comment-on-pr`, and no step anywhere approves or merges a pull request. That the
 * job token cannot approve at all is a repository setting (WorkflowRepositoryPermissions
 * `canApprovePullRequestReviews: false`), because pull-request code can read the token (docs/pipelines.md).
 */
export function pullRequestWriteViolations(workflow: Workflow): string[] {
  const out: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    (job.steps ?? []).forEach((step, index) => {
      const text = `${typeof step.run === "string" ? step.run : ""}\n${JSON.stringify(step.with ?? {})}`;
      if (approvesOrMerges.test(text) || (typeof step.uses === "string" && /auto-approve|merge-pull-request|automerge/i.test(step.uses))) {
        out.push(`jobs.${id}.steps[${index}] approves or merges a pull request; in these pipelines only a human approves and merges`);
      }
    });
    if (!(isRecord(job.permissions) && job.permissions["pull-requests"] === "write")) continue;
    const steps = job.steps ?? [];
    const commenters = steps.filter((s) => isPulumiAction(s) && isTrue(s.with?.["comment-on-pr"]));
    if (commenters.length === 0)
      out.push(`jobs.${id} grants \`pull-requests: write\` but has no pulumi/actions step with \`comment-on-pr: true\`; grant it only for the preview comment`);
    const others = triggers(workflow).filter((t) => t !== "pull_request");
    if (others.length > 0)
      out.push(
        `jobs.${id} grants \`pull-requests: write\` in a workflow that also runs on ${others.join(", ")}; the preview comment needs it on pull_request only`,
      );
    steps.forEach((step, index) => {
      if (commenters.includes(step)) {
        const token = step.with?.["github-token"];
        if (token !== undefined && secretNames(token).length > 0)
          out.push(`jobs.${id}.steps[${index}] comments with secrets.${secretNames(token)[0]}; the comment uses the job's own token`);
        return;
      }
      if (
        refersToJobToken(step) ||
        (typeof step.uses === "string" && /^actions\/github-script@/.test(step.uses)) ||
        (typeof step.run === "string" && /(^|[\s;&|(])gh\s/.test(step.run))
      ) {
        out.push(
          `jobs.${id}.steps[${index}] can use the job token, which has \`pull-requests: write\` here; only the preview comment may (move the step to a job without it)`,
        );
      }
    });
  }
  return out;
}

export const pullRequestWriteOnlyForComment: WorkflowRule = {
  name: "pull-request-write-only-for-comment",
  description:
    "`pull-requests: write` reaches more than the preview comment, or a step approves or merges a pull request. Grant " +
    "it only to the pull-request preview job, use it only through pulumi/actions' `comment-on-pr`, and never approve " +
    "or merge from a workflow.",
  check: pullRequestWriteViolations,
};
