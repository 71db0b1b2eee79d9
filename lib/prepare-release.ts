import * as pulumi from "@pulumi/pulumi";
import { PlainRunError } from "../config/errors";
import { Settings } from "../config/parse";
import { ReleaseContents, readReleaseContents } from "./release-contents";
import { parseLedger } from "./release-evidence";
import { ReleaseDecision, decideRelease } from "./release-gate";
import { ReleaseMode, describeRelease, isPassedRelease, summarizeRelease } from "./release-plan";
import { ownStackName, readStackOutputs } from "./stack-outputs";

export interface PreparedRelease {
  contents: ReleaseContents;
  mode: ReleaseMode;
  decision?: ReleaseDecision;
  /** What this stack's last update recorded. */
  previous: { migrationLedger?: string; releasedId?: string; passedRelease?: unknown };
  testedReleaseId?: string;
}

const stringOrUndefined = (v: unknown) => (typeof v === "string" ? v : undefined);
const isStringRecord = (v: unknown): v is Record<string, string> => typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "string");

/**
 * Everything the release decides before any resource is registered: what the working tree releases (refusing files
 * that cannot be released), what this stack released last, and on prod what passed on test. A refusal throws here,
 * so nothing is half-planned; the plan is printed, so a preview shows what will run.
 */
export async function prepareRelease(settings: Settings, projectDir: string): Promise<PreparedRelease | undefined> {
  const supabase = settings.supabase;
  if (!supabase) return undefined;
  const contents = readReleaseContents(projectDir, {
    supabaseDir: supabase.supabaseDir,
    functions: supabase.functions,
    functionSecretNames: supabase.functionSecrets.map((s) => s.name),
    migrationCommand: supabase.migrationCommand,
  });
  if (contents.problems.length > 0) {
    throw new PlainRunError(`The release in ${supabase.supabaseDir}/ cannot be released (${contents.problems.length} problem${contents.problems.length === 1 ? "" : "s"}); nothing was changed:\n${contents.problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  const own = await readStackOutputs("release-history", ownStackName(), ["migrationLedger", "releasedId", "releasedFunctions", "passedRelease"]);
  const previous = { migrationLedger: stringOrUndefined(own.migrationLedger), releasedId: stringOrUndefined(own.releasedId), passedRelease: own.passedRelease };
  let decision: ReleaseDecision | undefined;
  let mode: ReleaseMode = { kind: "test" };
  let testedReleaseId: string | undefined;
  if (settings.isProd) {
    const tested = settings.breakGlass ? {} : await readStackOutputs("release-gate-source", settings.releaseGateStack, ["passedReleaseId", "passedRelease"], "releaseGateStack");
    testedReleaseId = stringOrUndefined(tested.passedReleaseId);
    decision = decideRelease({
      releaseId: contents.releaseId,
      parts: contents.parts,
      tested: { id: tested.passedReleaseId, parts: isPassedRelease(tested.passedRelease) ? tested.passedRelease.parts : undefined },
      gateStack: settings.releaseGateStack,
      supabaseDir: supabase.supabaseDir,
      previouslyReleased: previous.releasedId,
      breakGlass: settings.breakGlass,
    });
    if (decision.kind === "refuse") throw new PlainRunError(decision.message);
    mode = decision.kind === "release" ? { kind: "release", testedReleaseId: decision.releaseId, gateStack: settings.releaseGateStack } : { kind: "marker-only" };
  }
  const summary = summarizeRelease({
    stack: settings.stack,
    releaseId: contents.releaseId,
    migrations: contents.migrations,
    functions: contents.functions,
    ledger: parseLedger(previous.migrationLedger),
    releasedFunctions: isStringRecord(own.releasedFunctions) ? own.releasedFunctions : {},
    decision,
  });
  pulumi.log.info(describeRelease(summary).join("\n"));
  return { contents, mode, decision, previous, testedReleaseId };
}
