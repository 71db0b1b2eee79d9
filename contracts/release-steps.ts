/**
 * The release steps as the program names them and the policy pack recognises them (docs/architecture.md): one
 * definition, so a renamed step cannot silently fall out of a policy.
 */
export const releaseComponentName = "supabase";

export const releaseStep = {
  gate: `${releaseComponentName}-release-gate`,
  marker: `${releaseComponentName}-marker-check`,
  migrations: `${releaseComponentName}-db-push`,
  functionPrefix: `${releaseComponentName}-function-`,
  functionSecrets: `${releaseComponentName}-function-secrets`,
  tests: `${releaseComponentName}-integration-tests`,
  record: `${releaseComponentName}-release-record`,
} as const;

/** Logical names of the steps that change a database or project; `*` matches any characters. */
export const releaseCommandPatterns = [releaseStep.migrations, `${releaseStep.functionPrefix}*`];

/** The component the prod stack registers while it runs in break-glass. */
export const breakGlassType = "deploy-guardrails:release:BreakGlass";
export const breakGlassName = "release-break-glass";

/**
 * The last step's input holding the other steps' stdout: their record lines only (every tool they run prints to
 * stderr), so it is unknown at preview whenever a step will run. The policy pack checks it at `up`, like every input,
 * but does not defer the whole resource for it at preview: what it can hold is already checked on the steps that print it.
 */
export const releaseEvidenceVariable = "RELEASE_EVIDENCE";
