/**
 * Security rules for the GitHub Actions workflows, as pure functions over parsed workflows, one rule per file in
 * rules/. `findViolations(workflow)` returns one sentence per broken rule, naming the job or step and the fix; an
 * empty list means the workflow keeps every property below. Together they encode the deployment model:
 * - code from a pull request (agents included) never runs next to a prod credential;
 * - only the reviewer-gated `production` job holds the prod passphrase or a GitHub token that can write the
 *   repository; the test release refuses, before anything changes, an update that would change GitHub;
 * - every `pulumi preview` / `pulumi up` runs the policy pack, and every `up` is previewed with it first;
 * - state lives in a real backend; a release runs one at a time, is never cancelled mid-apply, test before prod;
 * - nothing but up-prod's release makes a Vercel deployment live (no CLI deploy, promote, rollback or alias);
 * - the job token gets nothing by default, `pull-requests: write` only for the preview comment, and nothing
 *   approves or merges a pull request;
 * - no install scripts, debug logs or movable action tags next to a secret.
 */
import { WorkflowRule } from "./rule";
import { actionsPinned } from "./rules/actions-pinned";
import { installScriptsOff } from "./rules/install-scripts-off";
import { noDebugLogs } from "./rules/no-debug-logs";
import { noPullRequestTarget } from "./rules/no-pull-request-target";
import { permissionsMinimal } from "./rules/permissions-minimal";
import { policyPackAlways } from "./rules/policy-pack-always";
import { previewBeforeUp } from "./rules/preview-before-up";
import { productionLiveOnlyThroughRelease } from "./rules/production-live-only-through-release";
import { prodStackInProduction } from "./rules/prod-stack-in-production";
import { pullRequestWriteOnlyForComment } from "./rules/pull-request-write-only-for-comment";
import { pullRequestsPreviewTestOnly } from "./rules/pull-requests-preview-test-only";
import { releaseCredentialsOnlyInProduction } from "./rules/release-credentials-only-in-production";
import { releaseSerialised } from "./rules/release-serialised";
import { secretsScoped } from "./rules/secrets-scoped";
import { stateInRealBackend } from "./rules/state-in-real-backend";
import { testGithubChangesRefused } from "./rules/test-github-changes-refused";
import { Workflow } from "./workflow";

/** Every rule, in the order of docs/pipelines.md, "Workflow rules". */
export const rules: WorkflowRule[] = [
  permissionsMinimal,
  noPullRequestTarget,
  pullRequestsPreviewTestOnly,
  secretsScoped,
  releaseCredentialsOnlyInProduction,
  prodStackInProduction,
  testGithubChangesRefused,
  stateInRealBackend,
  policyPackAlways,
  previewBeforeUp,
  releaseSerialised,
  productionLiveOnlyThroughRelease,
  actionsPinned,
  installScriptsOff,
  noDebugLogs,
  pullRequestWriteOnlyForComment,
];

/** Every violation of every rule, each prefixed with the rule's name. */
export function findViolations(workflow: Workflow): string[] {
  return rules.flatMap((rule) => rule.check(workflow).map((v) => `${rule.name}: ${v}`));
}

export { WorkflowRule } from "./rule";
export * from "./credentials";
export * from "./workflow";
export { usesComments, pinningViolations } from "./rules/actions-pinned";
export { installScriptViolations, installsWithScripts } from "./rules/install-scripts-off";
export { debugLogViolations } from "./rules/no-debug-logs";
export { untrustedTriggerViolations } from "./rules/no-pull-request-target";
export { permissionViolations, writableScopes } from "./rules/permissions-minimal";
export { policyPackViolations } from "./rules/policy-pack-always";
export { previewBeforeUpViolations, skipsPreview } from "./rules/preview-before-up";
export { productionLiveViolations } from "./rules/production-live-only-through-release";
export { prodStackViolations } from "./rules/prod-stack-in-production";
export { pullRequestWriteViolations } from "./rules/pull-request-write-only-for-comment";
export { pullRequestViolations } from "./rules/pull-requests-preview-test-only";
export { releaseCredentialViolations } from "./rules/release-credentials-only-in-production";
export { releaseViolations } from "./rules/release-serialised";
export { secretViolations } from "./rules/secrets-scoped";
export { backendViolations } from "./rules/state-in-real-backend";
export { githubChangeGuardViolations } from "./rules/test-github-changes-refused";
export { Capability, JobCapabilities, RepositorySettings, capabilityColumns, jobCapabilities } from "./capabilities";
