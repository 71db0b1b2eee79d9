import * as pulumi from "@pulumi/pulumi";
import { PlainRunError } from "../config/errors";
import { assertGateStackReadable } from "../config/gate-stack";
import { Settings } from "../config/parse";
import { readReleaseContents } from "./release-contents";
import { ReleaseContents } from "../lib/release-identity";
import { PreparedRelease, describeRelease, planReleaseOf, readsReleaseGate } from "../lib/release-plan";
import { ownStackName, readStackOutputs } from "./stack-outputs";

/** The working tree's release for these settings, refusing files that cannot be released (before anything runs). */
export function releaseContentsOf(settings: Settings, projectDir: string): ReleaseContents | undefined {
  const supabase = settings.supabase;
  if (!supabase) return undefined;
  const contents = readReleaseContents(projectDir, {
    supabaseDir: supabase.supabaseDir,
    functions: supabase.functions,
    functionSecretNames: supabase.functionSecrets.map((s) => s.name),
    migrationCommand: supabase.migrationCommand,
  });
  if (contents.problems.length > 0) {
    throw new PlainRunError(
      `The release in ${supabase.supabaseDir}/ cannot be released (${contents.problems.length} problem${contents.problems.length === 1 ? "" : "s"}); nothing was changed:\n${contents.problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return contents;
}

/**
 * Everything the release decides before any resource is registered: what the working tree releases, what this stack
 * released last, and on prod what passed on test. A refusal throws here, so nothing is half-planned; the plan is
 * printed, so a preview (and the pull request's comment) shows what will run.
 */
export async function prepareRelease(settings: Settings, projectDir: string): Promise<PreparedRelease | undefined> {
  const contents = releaseContentsOf(settings, projectDir);
  if (!settings.supabase || !contents) return undefined;
  const own = await readStackOutputs("release-history", ownStackName(), [
    "migrationLedger",
    "releasedId",
    "releasedFunctions",
    "passedRelease",
    "productionCommit",
    "promotedCommits",
  ]);
  const readsGate = readsReleaseGate(settings);
  // A StackReference to a stack the backend does not have fails the preview with the engine's message only.
  if (readsGate) await assertGateStackReadable(settings.releaseGateStack);
  const tested = readsGate
    ? await readStackOutputs("release-gate-source", settings.releaseGateStack, ["passedReleaseId", "passedRelease", "passedCommit", "passedTree"])
    : undefined;
  const plan = planReleaseOf({ ...settings, supabase: settings.supabase }, contents, own, tested);
  if (plan.decision?.kind === "refuse") throw new PlainRunError(plan.decision.message);
  void pulumi.log.info(describeRelease(plan.summary).join("\n"));
  return {
    contents,
    mode: plan.mode,
    decision: plan.decision,
    previous: plan.previous,
    testedReleaseId: plan.testedReleaseId,
    tested,
    own,
    summary: plan.summary,
  };
}
