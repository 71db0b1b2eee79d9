import { Ledger, pendingMigrations } from "./release-evidence";
import { MigrationFile, ReleaseFunction, ReleaseParts, releaseIdPattern } from "./release-identity";
import { ReleaseDecision } from "./release-gate";

/** Which release steps an update of this stack registers (lib/prepare-release.ts decides). */
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

export function summarizeRelease(args: { stack: string; releaseId: string; migrations: MigrationFile[]; functions: ReleaseFunction[]; ledger: Ledger; releasedFunctions: Record<string, string>; decision?: ReleaseDecision }): ReleaseSummary {
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
          : `${summary.stack} releases ${summary.releaseId}.`;
  if (decision?.kind === "nothing" || decision?.kind === "break-glass") return [head];
  const lines = [head];
  const migrations = summary.pendingMigrations.map((m) => `${m.version}_${m.name}.sql`);
  lines.push(migrations.length > 0 ? `  migrations to apply (${migrations.length}): ${migrations.join(", ")}` : "  migrations to apply: none");
  if (summary.changedMigrations.length > 0) lines.push(`  released migrations changed since (refused): ${summary.changedMigrations.map((m) => `${m.version}_${m.name}.sql`).join(", ")}`);
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
