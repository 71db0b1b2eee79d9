import { MigrationFile, ReleaseFunction, releaseIdPattern } from "./release-identity";

/**
 * What each release step prints when it has done its work, one line each, on stdout (tools print to stderr). The
 * program reads these lines from the steps' recorded outputs, never from what it planned: a step that did not run in
 * this update (a targeted or excluded update, a failure) still holds the record of its last real run.
 */
export const recordPrefix = "deploy-guardrails-record:";

export type RecordKind = "marker" | "migrations" | "ledger" | "function" | "secrets" | "passed" | "commit" | "tree" | "released" | "promoted" | "live";

export function recordLine(kind: RecordKind, ...values: string[]): string {
  return [recordPrefix, kind, ...values].join(" ");
}

/** Every record line of a step's stdout, in order, as its kind and its values; other lines are ignored. */
export function recordLines(stdout: string | undefined): { kind: string; values: string[] }[] {
  return (stdout ?? "")
    .split("\n")
    .filter((line) => line.startsWith(`${recordPrefix} `))
    .map((line) => {
      const [kind, ...values] = line
        .slice(recordPrefix.length + 1)
        .trim()
        .split(/\s+/);
      return { kind, values };
    });
}

/** The records in a step's stdout, the last of each kind (and function name) winning. */
export function recordsOf(stdout: string | undefined): Map<string, string> {
  const records = new Map<string, string>();
  for (const { kind, values } of recordLines(stdout)) {
    if (kind === "function") records.set(`function ${values[0]}`, values.slice(1).join(" "));
    else records.set(kind, values.join(" "));
  }
  return records;
}

/** A release id recorded by a step, or undefined when the record is absent or not a release id. */
export function recordedRelease(stdout: string | undefined, kind: "passed" | "released"): string | undefined {
  const id = recordsOf(stdout).get(kind);
  return id !== undefined && releaseIdPattern.test(id) ? id : undefined;
}

/** The record each step must hold for this release: what the last step compares with what the steps recorded. */
export function expectedEvidence(args: {
  markerValue: string;
  releaseId: string;
  migrationsDigest: string;
  functions: ReleaseFunction[];
  secretNamesDigest?: string;
}): string[] {
  return [
    recordLine("marker", args.markerValue, args.releaseId),
    recordLine("migrations", args.migrationsDigest),
    ...[...args.functions].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => recordLine("function", f.name, f.digest, `verifyJwt=${f.verifyJwt}`)),
    ...(args.secretNamesDigest ? [recordLine("secrets", args.secretNamesDigest)] : []),
  ];
}

/** The evidence lines a step's stdout holds (records other than the ledger), for the last step to compare. */
export function evidenceOf(stdout: string | undefined): string[] {
  return (stdout ?? "").split("\n").filter((line) => line.startsWith(`${recordPrefix} `) && !line.startsWith(`${recordPrefix} ledger`));
}

/**
 * The ledger: every migration version a release of this stack applied, with the digest of the file it applied.
 * It is how a release tells a migration it ran from a row someone wrote into the history table.
 */
export type Ledger = Map<string, string>;

export function parseLedger(text: string | undefined): Ledger {
  const ledger: Ledger = new Map();
  for (const entry of (text ?? "").split(",")) {
    const match = /^([0-9]+):([0-9a-f]{16})$/.exec(entry.trim());
    if (match) ledger.set(match[1], match[2]);
  }
  return ledger;
}

export function formatLedger(ledger: Ledger): string {
  return [...ledger.entries()]
    .sort(([a], [b]) => compareVersions(a, b))
    .map(([version, digest]) => `${version}:${digest}`)
    .join(",");
}

export function unionLedgers(...ledgers: Ledger[]): Ledger {
  const union: Ledger = new Map();
  for (const ledger of ledgers) for (const [version, digest] of ledger) if (!union.has(version)) union.set(version, digest);
  return union;
}

/** Versions are digit strings: compared as numbers, so 9 sorts before 10. */
export function compareVersions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The migrations of the working tree that a stack's releases have not applied yet, and those they applied differently. */
export function pendingMigrations(migrations: MigrationFile[], ledger: Ledger): { pending: MigrationFile[]; changed: MigrationFile[] } {
  return {
    pending: migrations.filter((m) => !ledger.has(m.version)),
    changed: migrations.filter((m) => ledger.has(m.version) && ledger.get(m.version) !== m.digest),
  };
}
