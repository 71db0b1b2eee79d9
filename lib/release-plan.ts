import type { Settings } from "../config/parse";
import { Ledger, parseLedger, pendingMigrations } from "./release-evidence";
import { MigrationFile, ReleaseContents, ReleaseFunction, ReleaseParts, releaseIdPattern } from "./release-identity";
import { ReleaseDecision, decideRelease } from "./release-gate";

/** Which release steps an update of this stack registers (io/prepare-release.ts decides). */
export type ReleaseMode =
  /** Test tiers: release and run the integration tests. */
  | { kind: "test" }
  /** Prod: release what passed on the gate stack, behind the release gate. */
  | { kind: "release"; testedReleaseId: string; gateStack: string }
  /** Prod with nothing to release, or in break-glass: check the database only. */
  | { kind: "marker-only" };

/** What the reviewers need to see before a release runs: the migrations it applies and the functions it deploys. */
export interface ReleaseSummary {
  stack: string;
  releaseId: string;
  /** Migrations of the tree that this stack's releases have not applied yet, in order. */
  pendingMigrations: MigrationFile[];
  /** Released migrations whose file changed since (the release will refuse them). */
  changedMigrations: MigrationFile[];
  /** Functions whose digest differs from the one this stack last deployed. */
  functionsToDeploy: string[];
  decision?: ReleaseDecision;
}

export function summarizeRelease(args: {
  stack: string;
  releaseId: string;
  migrations: MigrationFile[];
  functions: ReleaseFunction[];
  ledger: Ledger;
  releasedFunctions: Record<string, string>;
  decision?: ReleaseDecision;
}): ReleaseSummary {
  const { pending, changed } = pendingMigrations(args.migrations, args.ledger);
  return {
    stack: args.stack,
    releaseId: args.releaseId,
    pendingMigrations: pending,
    changedMigrations: changed,
    functionsToDeploy: args.functions.filter((f) => args.releasedFunctions[f.name] !== f.digest).map((f) => f.name),
    decision: args.decision,
  };
}

/** The summary as the lines a preview prints and a job summary shows. */
export function describeRelease(summary: ReleaseSummary): string[] {
  const decision = summary.decision;
  const head =
    decision?.kind === "refuse"
      ? `${summary.stack} refuses release ${summary.releaseId}.`
      : decision?.kind === "nothing"
        ? `${summary.stack} releases nothing: ${decision.reason}.`
        : decision?.kind === "break-glass"
          ? `${summary.stack} runs in BREAK-GLASS (${decision.reason}): no migration, function deploy or function secret runs, and the release gate is skipped. Remove deploy-guardrails:breakGlass to release again.`
          : decision?.kind === "rollback"
            ? `${summary.stack} ROLLS BACK the app to commit ${decision.commit} (${decision.reason}): no migration, function deploy or function secret runs, and the release gate is skipped. Remove deploy-guardrails:rollbackTo to release again.`
            : `${summary.stack} releases ${summary.releaseId}.`;
  if (decision?.kind === "nothing" || decision?.kind === "break-glass" || decision?.kind === "rollback") return [head];
  const lines = [head];
  const migrations = summary.pendingMigrations.map((m) => `${m.version}_${m.name}.sql`);
  lines.push(migrations.length > 0 ? `  migrations to apply (${migrations.length}): ${migrations.join(", ")}` : "  migrations to apply: none");
  if (summary.changedMigrations.length > 0)
    lines.push(`  released migrations changed since (refused): ${summary.changedMigrations.map((m) => `${m.version}_${m.name}.sql`).join(", ")}`);
  lines.push(summary.functionsToDeploy.length > 0 ? `  functions to deploy: ${summary.functionsToDeploy.join(", ")}` : "  functions to deploy: none");
  if (decision?.kind === "refuse") lines.push(`  ${decision.message}`);
  return lines;
}

/** The test stack's record of what passed, as prod reads it back: the id and the parts it was computed from. */
export function passedReleaseRecord(id: string, parts: ReleaseParts): string {
  return JSON.stringify({ id, parts });
}

export function isPassedRelease(value: unknown): value is { id: string; parts: ReleaseParts } {
  if (typeof value !== "object" || value === null) return false;
  const record = value as { id?: unknown; parts?: Partial<ReleaseParts> };
  return typeof record.id === "string" && releaseIdPattern.test(record.id) && typeof record.parts?.files === "string" && Array.isArray(record.parts.functions);
}

/** Outputs of a stack as the release reads them back (its own last update, or the gate stack's). */
export type StackOutputValues = Record<string, unknown>;

const stringOrUndefined = (v: unknown) => (typeof v === "string" ? v : undefined);
const isStringRecord = (v: unknown): v is Record<string, string> => typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "string");

/** Whether an update reads what passed on the gate stack: prod's releases do; break-glass and a rollback release nothing. */
export function readsReleaseGate(settings: Pick<Settings, "isProd" | "breakGlass" | "promotion">): boolean {
  return settings.isProd && !settings.breakGlass && !settings.promotion.rollbackTo;
}

/** The release plan of a stack from its settings: the program (io/prepare-release.ts) and `npm run release-plan` both plan through this. */
export function planReleaseOf(
  settings: Settings & { supabase: NonNullable<Settings["supabase"]> },
  contents: Parameters<typeof planRelease>[0]["contents"],
  own: StackOutputValues,
  tested: StackOutputValues | undefined,
): ReturnType<typeof planRelease> {
  return planRelease({
    stack: settings.stack,
    isProd: settings.isProd,
    gateStack: settings.releaseGateStack,
    supabaseDir: settings.supabase.supabaseDir,
    breakGlass: settings.breakGlass,
    rollbackTo: settings.promotion.rollbackTo,
    contents,
    own,
    tested,
  });
}

/**
 * The release plan of a stack, from plain data: what the tree releases, what the stack's last update recorded, and on
 * prod what passed on the gate stack. The program and `npm run release-plan` both decide through this.
 */
export function planRelease(args: {
  stack: string;
  isProd: boolean;
  gateStack: string;
  supabaseDir: string;
  breakGlass?: string;
  rollbackTo?: { commit: string; reason: string };
  contents: { releaseId: string; parts: ReleaseParts; migrations: MigrationFile[]; functions: ReleaseFunction[] };
  own: StackOutputValues;
  tested?: StackOutputValues;
}): {
  mode: ReleaseMode;
  decision?: ReleaseDecision;
  summary: ReleaseSummary;
  previous: { migrationLedger?: string; releasedId?: string; passedRelease?: unknown };
  testedReleaseId?: string;
} {
  const previous = {
    migrationLedger: stringOrUndefined(args.own.migrationLedger),
    releasedId: stringOrUndefined(args.own.releasedId),
    passedRelease: args.own.passedRelease,
  };
  let decision: ReleaseDecision | undefined;
  let mode: ReleaseMode = { kind: "test" };
  const tested = args.tested ?? {};
  if (args.isProd) {
    decision = decideRelease({
      releaseId: args.contents.releaseId,
      parts: args.contents.parts,
      tested: { id: tested.passedReleaseId, parts: isPassedRelease(tested.passedRelease) ? tested.passedRelease.parts : undefined },
      gateStack: args.gateStack,
      supabaseDir: args.supabaseDir,
      previouslyReleased: previous.releasedId,
      breakGlass: args.breakGlass,
      rollbackTo: args.rollbackTo,
    });
    mode = decision.kind === "release" ? { kind: "release", testedReleaseId: decision.releaseId, gateStack: args.gateStack } : { kind: "marker-only" };
  }
  const summary = summarizeRelease({
    stack: args.stack,
    releaseId: args.contents.releaseId,
    migrations: args.contents.migrations,
    functions: args.contents.functions,
    ledger: parseLedger(previous.migrationLedger),
    releasedFunctions: isStringRecord(args.own.releasedFunctions) ? args.own.releasedFunctions : {},
    decision,
  });
  return { mode, decision, summary, previous, testedReleaseId: stringOrUndefined(tested.passedReleaseId) };
}

/** What io/prepare-release.ts read and decided before any resource is registered: plain data for the stack plan (lib/stack-plan.ts). */
export interface PreparedRelease {
  contents: ReleaseContents;
  mode: ReleaseMode;
  decision?: ReleaseDecision;
  /** What this stack's last update recorded. */
  previous: { migrationLedger?: string; releasedId?: string; passedRelease?: unknown };
  testedReleaseId?: string;
  /** The gate stack's outputs as read (prod, unless it releases nothing from test): passedCommit for the promotion. */
  tested?: Record<string, unknown>;
  /** This stack's own last outputs: what its promotion made live. */
  own: Record<string, unknown>;
  summary: ReleaseSummary;
}
