import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace, repoRoot } from "../../scripts/engine/workspace";
import { ReleaseStacks, releaseStacks } from "./harness";
import { Postgres } from "./postgres";

/**
 * What the read-only jobs run (plan-prod and the migration drift checks, docs/pipelines.md): the real scripts against
 * real stacks and a real database, with read access to the state and no passphrase.
 */
const supabaseOnly = { enableVercel: false, enableGithub: false, edgeFunctions: [], functionSecrets: [] };

describe("engine: the release plan and the migration drift check, without the stack's passphrase", function () {
  this.timeout(0);
  let pg: Postgres;
  let workspace: EngineWorkspace;
  let test: Stack;
  let prod: Stack;
  let options: ReleaseStacks["options"];
  const readOnly = (database: string) => pg.url(database).replace("postgres@", "drift_reader@");
  /** Runs a script as the read-only jobs do: the backend's location, no PULUMI_CONFIG_PASSPHRASE. */
  const script = (name: string, args: string[], env: Record<string, string> = {}) => {
    const { PULUMI_CONFIG_PASSPHRASE: _passphrase, ...withoutPassphrase } = workspace.env;
    const run = spawnSync(path.join(repoRoot, "node_modules", ".bin", "ts-node"), ["--transpile-only", path.join(repoRoot, "scripts", `${name}.ts`), ...args], {
      cwd: workspace.dir,
      encoding: "utf8",
      env: { PATH: workspace.env.PATH, HOME: process.env.HOME ?? "/tmp", ...withoutPassphrase, ...env },
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };
  const addMigration = (version: string, table: string) =>
    fs.writeFileSync(path.join(workspace.dir, "supabase", "migrations", `${version}_${table}.sql`), `create table public.${table} (id int primary key);\n`);

  before(async () => {
    ({ pg, workspace, test, prod, options } = await releaseStacks("plan", supabaseOnly, {
      policy: { "github-guardrails-declared": { enforcementLevel: "disabled" } },
    }));
    pg.query("postgres", `create role drift_reader login password 'reader-password'`);
    await test.up(options);
    await prod.up(options);
    for (const db of ["plan_test", "plan_prod"])
      pg.query(db, "grant usage on schema supabase_migrations to drift_reader; grant select on supabase_migrations.schema_migrations to drift_reader");
  });
  after(() => pg?.stop());

  it("plans prod's release of what passed on test: the migrations and the gate decision", async () => {
    addMigration("20260201000000", "planned");
    await test.up(options);
    const plan = script("release-plan", ["--stack", "prod"]);
    assert.strictEqual(plan.status, 0, plan.output);
    assert.match(plan.output, /prod releases rel-[0-9a-f]{24}\./);
    assert.match(plan.output, /migrations to apply \(1\): 20260201000000_planned\.sql/);
    assert.ok(!plan.output.includes(pg.password));
  });

  it("fails the plan when prod would refuse the release, before anyone is asked to approve it", () => {
    addMigration("20260301000000", "untested");
    const plan = script("release-plan", ["--stack", "prod", "--summary", path.join(workspace.dir, "summary.md")]);
    assert.strictEqual(plan.status, 1, plan.output);
    assert.match(plan.output, /Refusing to release rel-[0-9a-f]{24} to prod/);
    assert.match(fs.readFileSync(path.join(workspace.dir, "summary.md"), "utf8"), /## Release plan of prod\n\nprod refuses release/);
    fs.unlinkSync(path.join(workspace.dir, "supabase", "migrations", "20260301000000_untested.sql"));
  });

  it("drift: a release still pending on prod is reported, and nothing once it is released", async () => {
    const pending = script("migration-drift", ["--stack", "prod"], { DRIFT_DATABASE_URL: readOnly("plan_prod"), DRIFT_DATABASE_PASSWORD: "reader-password" });
    assert.strictEqual(pending.status, 1, pending.output);
    assert.match(pending.output, /20260201000000_planned\.sql is not applied to this database: a release of it is still pending/);
    await prod.up(options);
    const clean = script("migration-drift", ["--stack", "prod"], { DRIFT_DATABASE_URL: readOnly("plan_prod"), DRIFT_DATABASE_PASSWORD: "reader-password" });
    assert.strictEqual(clean.status, 0, clean.output);
    assert.match(clean.output, /matches the migration files and what its releases applied \(2 migrations\)/);
  });

  it("drift: a version written into the history outside a release, and a released file that changed, are reported", () => {
    pg.query(
      "plan_test",
      "insert into supabase_migrations.schema_migrations (version, name, statements) values ('20260401000000', 'by_hand', array['select 1'])",
    );
    const file = path.join(workspace.dir, "supabase", "migrations", "20260201000000_planned.sql");
    fs.appendFileSync(file, "-- edited after release\n");
    const drift = script("migration-drift", ["--stack", "test"], { DRIFT_DATABASE_URL: readOnly("plan_test"), DRIFT_DATABASE_PASSWORD: "reader-password" });
    assert.strictEqual(drift.status, 1, drift.output);
    assert.match(drift.output, /records version 20260401000000 \(by_hand\), which no release of this stack applied/);
    assert.match(drift.output, /has no file for it/);
    assert.match(drift.output, /20260201000000_planned\.sql changed after a release of this stack applied it/);
    assert.ok(!drift.output.includes("reader-password"));
  });

  it("drift refuses a URL that holds a password, and says what psql said when it cannot read", () => {
    assert.match(
      script("migration-drift", ["--stack", "test"], { DRIFT_DATABASE_URL: "postgresql://u:secret@h/db" }).output,
      /holds a password; put it in DRIFT_DATABASE_PASSWORD/,
    );
    const wrong = script("migration-drift", ["--stack", "test"], { DRIFT_DATABASE_URL: readOnly("plan_test"), DRIFT_DATABASE_PASSWORD: "wrong" });
    assert.strictEqual(wrong.status, 1);
    assert.match(wrong.output, /password authentication failed for user "drift_reader"/);
  });
});
