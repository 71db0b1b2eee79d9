import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { settingsFromStackFiles } from "../config/stack-file";
import { migrationCheckSql } from "../lib/commands";
import { releaseContentsOf } from "../io/prepare-release";
import { manifestText } from "../lib/release-identity";
import { argument, fail, stackOutputs } from "./release/cli";

/**
 * `npm run migration-drift -- --stack <stack>`: compares the database's migration history with the migration files and
 * with what the stack's releases applied (its output migrationLedger), through the same checks a release runs. Reports a
 * version applied outside a release, a released file changed or missing, and a file the database does not have.
 * Connects with DRIFT_DATABASE_URL (no password) and DRIFT_DATABASE_PASSWORD: a read-only role is enough. Exits 1 on drift.
 */
function main() {
  const root = argument("project") ?? process.cwd();
  const stack = argument("stack") ?? fail("usage: npm run migration-drift -- --stack <stack>   (env DRIFT_DATABASE_URL, DRIFT_DATABASE_PASSWORD)");
  const url = process.env.DRIFT_DATABASE_URL ?? fail("DRIFT_DATABASE_URL is not set: the database URL of a read-only role, without its password.");
  if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(url)) fail("DRIFT_DATABASE_URL holds a password; put it in DRIFT_DATABASE_PASSWORD instead.");
  const settings = settingsFromStackFiles(root, stack);
  const contents = releaseContentsOf(settings, root);
  if (!settings.supabase || !contents) {
    console.log(`${stack} has no release steps (enableSupabaseRelease is false); nothing to compare.`);
    return;
  }
  const ledger = stackOutputs(stack, root).migrationLedger;
  const rules = settings.supabase.migrationRules;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-drift-"));
  try {
    const sql = path.join(dir, "check.sql");
    fs.writeFileSync(sql, migrationCheckSql(rules.historyTable));
    const vars = {
      manifest: manifestText(contents.migrations),
      ledger: typeof ledger === "string" ? ledger : "",
      acknowledged: rules.acknowledged.map((a) => a.version).join(","),
      allowed: "",
      baseline: rules.baseline ?? "",
      check_order: "false",
      phase: "drift",
    };
    const run = spawnSync(
      "psql",
      [url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", ...Object.entries(vars).flatMap(([k, v]) => ["-v", `${k}=${v}`]), "-f", sql],
      {
        encoding: "utf8",
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? os.tmpdir(),
          PGPASSWORD: process.env.DRIFT_DATABASE_PASSWORD ?? "",
          ...(process.env.PGSSLMODE ? { PGSSLMODE: process.env.PGSSLMODE } : {}),
        },
      },
    );
    if (run.status !== 0) fail(`migration drift check of ${stack} could not read the database; psql said:\n${run.stderr.trim()}`);
    const problems = run.stdout.split("\n").filter((l) => l.trim() !== "");
    if (problems.length === 0) {
      console.log(
        `${stack}: the database's migration history matches the migration files and what its releases applied (${contents.migrations.length} migrations).`,
      );
      return;
    }
    fail(`${stack}: migration drift (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  fail((error as Error).message);
}
