import { ReleaseParts, partsDifference, releaseIdPattern } from "./release-identity";

/** What the prod stack does with the release in its working tree, given what passed on test. */
export type ReleaseDecision =
  | { kind: "nothing"; reason: string }
  | { kind: "release"; releaseId: string }
  | { kind: "break-glass"; reason: string }
  /** Re-promote an earlier production deployment (config rollbackTo); like break-glass, no release step runs. */
  | { kind: "rollback"; commit: string; reason: string }
  | { kind: "refuse"; message: string };

export const nothingTested = "nothing";

/** The test stack's record of what passed (its outputs passedReleaseId and passedRelease). */
export interface TestedRelease {
  id?: unknown;
  parts?: ReleaseParts;
}

export interface ReleaseGateInput {
  releaseId: string;
  parts: ReleaseParts;
  tested: TestedRelease;
  gateStack: string;
  supabaseDir: string;
  /** What prod released last (its own output releasedId), if anything. */
  previouslyReleased?: unknown;
  breakGlass?: string;
  rollbackTo?: { commit: string; reason: string };
}

const isReleaseId = (value: unknown): boolean => typeof value === "string" && releaseIdPattern.test(value.trim());

/**
 * Prod releases exactly the release that passed on test. Anything that is not a release id (absent, "nothing", the
 * engine's unknown placeholder after a --continue-on-error update) counts as nothing passed; but once prod has
 * released, it refuses instead of dropping its release steps, so a broken record on test cannot change prod.
 */
export function decideRelease(input: ReleaseGateInput): ReleaseDecision {
  if (input.breakGlass) return { kind: "break-glass", reason: input.breakGlass };
  if (input.rollbackTo) return { kind: "rollback", ...input.rollbackTo };
  const tested = typeof input.tested.id === "string" ? input.tested.id.trim() : undefined;
  if (tested === undefined || !isReleaseId(tested)) {
    const record =
      tested === undefined || tested === "" || tested === nothingTested
        ? "no release has passed the integration tests"
        : `passedReleaseId is "${tested.slice(0, 40)}", which is not a release id (an update of test that did not finish)`;
    if (isReleaseId(input.previouslyReleased)) {
      return {
        kind: "refuse",
        message:
          `Refusing to change prod: on ${input.gateStack}, ${record}, but prod already released ${input.previouslyReleased}. ` +
          `Run a full \`pulumi up --stack test\` (no --target, --exclude or --continue-on-error) so test records what passed, then preview prod again. ` +
          "For an emergency change that must not wait for test, see deploy-guardrails:breakGlass.",
      };
    }
    return { kind: "nothing", reason: `on ${input.gateStack}, ${record} yet` };
  }
  if (tested === input.releaseId) return { kind: "release", releaseId: tested };
  return { kind: "refuse", message: refusalMessage(input, tested) };
}

export function refusalMessage(input: ReleaseGateInput, testedReleaseId: string): string {
  const differences = input.tested.parts && input.tested.id === testedReleaseId ? partsDifference(input.parts, input.tested.parts, input.supabaseDir) : [];
  const why = differences.length > 0 ? ` This stack's release differs from it in: ${differences.join("; ")}.` : "";
  return (
    `Refusing to release ${input.releaseId} to prod: the release that passed on ${input.gateStack} is ${testedReleaseId}.${why} ` +
    `Prod only releases what passed on test. Run \`pulumi up --stack test\` on this same commit (it pushes the ` +
    `migrations and functions to test and runs the integration tests), then run \`pulumi up --stack prod\` again. ` +
    "Settings that decide what runs (edgeFunctions, functionSecrets names, migrationCommand) must be the same on both stacks."
  );
}
