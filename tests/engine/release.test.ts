import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack, UpResult } from "@pulumi/pulumi/automation";
import { EngineWorkspace, dummySecrets } from "../../scripts/engine/workspace";
import { ReleaseStacks, Transcript, failureOf, releaseStacks } from "./harness";
import { Postgres } from "./postgres";

/** Vercel's and GitHub's APIs are out of reach here, so these stacks release Supabase only. */
const supabaseOnly = { enableVercel: false, enableGithub: false, edgeFunctions: [], functionSecrets: [] };
/** What an update changed: reading the stack references (the gate stack and the stack's own last outputs) is not a change. */
const changed = (up: UpResult) => Object.entries(up.summary.resourceChanges ?? {}).filter(([op, n]) => op !== "same" && op !== "read" && (n ?? 0) > 0);

describe("engine: the Supabase release against a real PostgreSQL, and the release gate across real stacks", function () {
  this.timeout(0);
  let pg: Postgres;
  let workspace: EngineWorkspace;
  let test: Stack;
  let prod: Stack;
  const transcript = new Transcript();
  let options: ReleaseStacks["options"];
  const migrations = () => path.join(workspace.dir, "supabase", "migrations");
  const migrationCount = (db: string) => Number(pg.query(db, "select count(*) from supabase_migrations.schema_migrations"));
  const tableExists = (db: string, table: string) => pg.query(db, `select to_regclass('${table}') is not null`) === "t";
  const addMigration = (version: string, table: string) =>
    fs.writeFileSync(path.join(migrations(), `${version}_${table}.sql`), `create table public.${table} (id int primary key);\n`);

  before(async () => {
    // Prod here has no GitHub resources: that part is proven by preview and the emulator tests.
    ({ pg, workspace, test, prod, options } = await releaseStacks("release", supabaseOnly, {
      policy: { "github-guardrails-declared": { enforcementLevel: "disabled" } },
      onOutput: transcript.onOutput,
    }));
    pg.createDatabase("marked_prod", "prod");
  });
  after(() => pg?.stop());

  it("prod with nothing passed on test manages its shell and releases nothing", async () => {
    const up = await prod.up(options);
    assert.strictEqual(up.outputs.releasedId.value, "nothing");
    assert.ok(!tableExists("release_prod", "supabase_migrations.schema_migrations"));
  });

  it("test applies the migrations exactly once, runs the integration tests and records the release that passed", async () => {
    const up = await test.up(options);
    assert.strictEqual(migrationCount("release_test"), 1);
    assert.ok(tableExists("release_test", "public.notes"));
    assert.match(up.outputs.releaseId.value, /^rel-[0-9a-f]{24}$/);
    assert.strictEqual(up.outputs.passedReleaseId.value, up.outputs.releaseId.value);
  });

  it("a second up reports no changes and runs no command", async () => {
    const up = await test.up(options);
    assert.deepStrictEqual(changed(up), []);
    assert.strictEqual(migrationCount("release_test"), 1);
  });

  it("adding a migration re-runs the push (behind its marker check) and the tests, and no other step", async () => {
    addMigration("20260201000000", "second_table");
    const up = await test.up(options);
    // Updates, not replaces: each step keeps its last record (the migration ledger) across releases.
    assert.deepStrictEqual(changed(up), [["update", 3]]);
    assert.match(String(up.outputs.migrationLedger.value), /^20260101000000:[0-9a-f]{16},20260201000000:[0-9a-f]{16}$/);
    assert.strictEqual(migrationCount("release_test"), 2);
    assert.ok(tableExists("release_test", "public.second_table"));
    assert.strictEqual(up.outputs.passedReleaseId.value, up.outputs.releaseId.value);
  });

  it("refuses a database whose environment marker does not match the stack, and leaves it untouched", async () => {
    await test.setConfig("deploy-guardrails:databaseUrl", { value: pg.url("marked_prod") });
    const message = await failureOf(test.up(options));
    assert.match(message, /supabase-marker-check/);
    assert.ok(!tableExists("marked_prod", "supabase_migrations.schema_migrations"));
    assert.ok(!tableExists("marked_prod", "public.notes"));
    await test.setConfig("deploy-guardrails:databaseUrl", { value: pg.url("release_test") });
    await test.up(options);
  });

  it("prod refuses a release that test has not passed, before changing anything", async () => {
    addMigration("20260301000000", "third_table");
    const preview = await failureOf(prod.preview(options));
    assert.match(preview, /Refusing to release rel-[0-9a-f]{24} to prod: the release that passed on organization\/deploy-guardrails\/test is rel-[0-9a-f]{24}/);
    const up = await failureOf(prod.up(options));
    assert.match(up, /Refusing to release/);
    assert.ok(!tableExists("release_prod", "supabase_migrations.schema_migrations"));
  });

  it("prod releases exactly what passed on test, once test has passed it", async () => {
    const tested = await test.up(options);
    const up = await prod.up(options);
    assert.strictEqual(up.outputs.releasedId.value, tested.outputs.passedReleaseId.value);
    assert.strictEqual(up.outputs.testedReleaseId.value, tested.outputs.passedReleaseId.value);
    assert.strictEqual(migrationCount("release_prod"), 3);
    assert.strictEqual(pg.query("release_prod", "select environment from public.deploy_env_marker"), "prod");
    assert.deepStrictEqual(changed(await prod.up(options)), []);
  });

  it("keeps every secret config value out of the state, the engine's output and the command logs", async () => {
    const secrets = [pg.password, ...Object.values(dummySecrets.test), ...Object.values(dummySecrets.prod)];
    // The backend folder as it is on disk: current state, backups and history of both stacks (exportStack would
    // decrypt: the Automation API passes --show-secrets).
    const files = fs
      .readdirSync(workspace.backend, { recursive: true, encoding: "utf8" })
      .map((f) => path.join(workspace.backend, f))
      .filter((f) => fs.statSync(f).isFile());
    const stateFiles = files.filter((f) => /[\\/]stacks[\\/].*\b(test|prod)\.json$/.test(f));
    assert.strictEqual(stateFiles.length, 2, `expected the state files of test and prod in ${workspace.backend}`);
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const secret of secrets) assert.ok(!text.includes(secret), `${path.relative(workspace.backend, file)} holds a secret in plain text`);
    }
    for (const file of stateFiles) assert.match(fs.readFileSync(file, "utf8"), /"ciphertext"/);
    for (const secret of secrets) assert.ok(!transcript.text.includes(secret), "the engine's output printed a secret");
  });
});
