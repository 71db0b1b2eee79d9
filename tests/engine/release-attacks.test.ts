import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace } from "../../scripts/engine/workspace";
import { ReleaseStacks, Transcript, failureOf, releaseStacks, withoutEchoedScripts } from "./harness";
import { Postgres } from "./postgres";

/**
 * The release gate attacked the way a careless user, an agent with write access or a pull request would try it
 * (issue 9): each case runs the real engine against real databases and must end with prod unchanged and a message
 * that names the reason.
 */
const supabaseOnly = {
  enableVercel: false,
  edgeFunctions: [],
  functionSecrets: [],
  githubEnvironmentSecrets: [{ name: "SUPABASE_DB_PASSWORD", secret: "supabaseDbPassword" }],
};
const stackUrn = (stack: string) => `urn:pulumi:${stack}::deploy-guardrails::pulumi:pulumi:Stack::deploy-guardrails-${stack}`;

describe("engine: attacks on the release gate fail closed and leave prod unchanged", function () {
  this.timeout(0);
  let pg: Postgres;
  let workspace: EngineWorkspace;
  let test: Stack;
  let prod: Stack;
  const transcript = new Transcript();
  let options: ReleaseStacks["options"];
  const migrations = () => path.join(workspace.dir, "supabase", "migrations");
  const tableExists = (db: string, table: string) => pg.query(db, `select to_regclass('${table}') is not null`) === "t";
  const addMigration = (version: string, table: string) =>
    fs.writeFileSync(path.join(migrations(), `${version}_${table}.sql`), `create table public.${table} (id int primary key);\n`);
  // Mocha runs a suite's own tests before its nested suites: versions come from a counter, so every new migration is
  // newer than the last one applied, whatever the order (only the out-of-order case picks an older one on purpose).
  let lastVersion = 20260300000000;
  const nextMigration = (table: string) => {
    lastVersion += 1000000;
    addMigration(String(lastVersion), table);
    return String(lastVersion);
  };
  /** A structured config value written as a user writes it in the stack file (the CLI's --path would make digits a number). */
  const setStackFileValue = (stack: string, key: string, value: unknown) => {
    const file = path.join(workspace.dir, `Pulumi.${stack}.yaml`);
    const content = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    content.config[`deploy-guardrails:${key}`] = value;
    fs.writeFileSync(file, yaml.dump(content));
  };
  const outputs = async (stack: Stack) => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value])) as Record<string, unknown>;
  /** Releases the working tree the normal way: test, then prod. */
  const releaseBoth = async () => {
    await test.up(options);
    await prod.up(options);
  };
  const stateOf = async (stack: Stack) =>
    (await stack.exportStack()).deployment as {
      resources: { urn: string; type: string; outputs?: Record<string, unknown>; inputs?: Record<string, unknown> }[];
    };

  before(async () => {
    ({ pg, workspace, test, prod, options } = await releaseStacks("attack", supabaseOnly, {
      policy: { "github-guardrails-declared": { enforcementLevel: "disabled" } },
      onOutput: transcript.onOutput,
    }));
    await releaseBoth();
  });
  after(() => pg?.stop());

  describe("(1) an update of test that did not run the release steps publishes nothing new", () => {
    for (const [label, table, targeting] of [
      ["--target the stack itself", "targeted_stack", () => ({ target: [stackUrn("test")] })],
      [
        "--exclude the release with its dependents",
        "excluded_release",
        () => ({ exclude: [`urn:pulumi:test::deploy-guardrails::deploy-guardrails:supabase:SupabaseRelease::supabase`], excludeDependents: true }),
      ],
    ] as const) {
      it(`${label}: passedReleaseId stays the last release that really ran, and prod refuses the new one`, async () => {
        const before = await outputs(test);
        nextMigration(table);
        await test.up({ ...options, ...targeting() });
        const after = await outputs(test);
        assert.notStrictEqual(after.passedReleaseId, after.releaseId, "a targeted up published the new release as passed");
        assert.strictEqual(after.passedReleaseId, before.passedReleaseId);
        const refusal = await failureOf(prod.preview(options));
        assert.match(refusal, /Refusing to release/);
        assert.ok(!tableExists("attack_prod", `public.${table}`));
        await releaseBoth();
      });
    }

    it("--continue-on-error with failing integration tests: whatever test records, prod does not take it as passed", async () => {
      nextMigration("continued");
      await test.setConfig("deploy-guardrails:integrationTestCommand", { value: "echo failing on purpose >&2; exit 3" });
      try {
        await failureOf(test.up({ ...options, continueOnError: true }));
        const after = await outputs(test);
        // The engine stores its unknown placeholder for outputs of a failed step; it is not a release id.
        assert.notStrictEqual(after.passedReleaseId, after.releaseId);
        const refusal = await failureOf(prod.preview(options));
        assert.match(refusal, /Refusing to (release|change prod)/);
        await failureOf(prod.up(options));
        assert.ok(!tableExists("attack_prod", "public.continued"));
      } finally {
        await test.setConfig("deploy-guardrails:integrationTestCommand", { value: "sh supabase/integration/run.sh" });
      }
      await releaseBoth();
      assert.ok(tableExists("attack_prod", "public.continued"));
    });
  });

  it("(2) a released migration that was edited is refused on test, naming the file, and never reaches prod", async () => {
    const file = path.join(migrations(), "20260101000000_create_notes.sql");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${original}\ncreate table public.smuggled_by_edit (id int);\n`);
    const message = await failureOf(test.up(options));
    assert.match(message, /20260101000000_create_notes\.sql/);
    assert.match(message, /changed after it was applied|was edited/);
    assert.ok(!tableExists("attack_test", "public.smuggled_by_edit"));
    assert.match(await failureOf(prod.preview(options)), /Refusing to release/);
    assert.ok(!tableExists("attack_prod", "public.smuggled_by_edit"));
    fs.writeFileSync(file, original);
    await releaseBoth();
  });

  it("(3) a migration recorded in test's history without a release is refused, and prod never runs it first", async () => {
    const version = nextMigration("prerecorded");
    pg.query(
      "attack_test",
      `insert into supabase_migrations.schema_migrations (version, name, statements) values ('${version}', 'prerecorded', array['create table public.prerecorded (id int primary key)'])`,
    );
    const message = await failureOf(test.up(options));
    assert.match(message, new RegExp(version));
    assert.match(message, /outside a release|no release of this stack applied/);
    assert.match(await failureOf(prod.preview(options)), /Refusing to release/);
    assert.ok(!tableExists("attack_prod", "public.prerecorded"));
    pg.query("attack_test", `delete from supabase_migrations.schema_migrations where version = '${version}'`);
    await releaseBoth();
    assert.ok(tableExists("attack_test", "public.prerecorded") && tableExists("attack_prod", "public.prerecorded"));
  });

  it("(4) a symlinked migration is refused before anything runs, naming the link", async () => {
    const target = path.join(workspace.dir, "elsewhere.sql");
    fs.writeFileSync(target, "create table public.via_symlink (id int);\n");
    fs.symlinkSync(target, path.join(migrations(), "20260430000000_via_symlink.sql"));
    const message = await failureOf(test.preview(options));
    assert.match(message, /20260430000000_via_symlink\.sql/);
    assert.match(message, /symbolic link|symlink/);
    fs.unlinkSync(path.join(migrations(), "20260430000000_via_symlink.sql"));
    assert.ok(!tableExists("attack_test", "public.via_symlink") && !tableExists("attack_prod", "public.via_symlink"));
  });

  it("(5) a config-only change to prod's release steps is a new release that must pass on test first", async () => {
    await prod.setConfig("deploy-guardrails:migrationCommand", {
      value:
        './node_modules/.bin/supabase db push --remote="$DATABASE_URL" --include-all --yes --workdir "$SUPABASE_WORKDIR" && psql "$DATABASE_URL" -c "create table public.config_smuggled (id int)"',
    });
    const message = await failureOf(prod.preview(options));
    assert.match(message, /Refusing to release/);
    assert.match(message, /migrationCommand/);
    await failureOf(prod.up(options));
    assert.ok(!tableExists("attack_prod", "public.config_smuggled"));
    await prod.removeConfig("deploy-guardrails:migrationCommand");
  });

  it("(6) a prod release whose migration fails does not publish the new release as released", async () => {
    const before = await outputs(prod);
    nextMigration("fails_on_prod");
    pg.query("attack_prod", "create table public.fails_on_prod (blocker text)");
    await test.up(options);
    await failureOf(prod.up(options));
    const after = await outputs(prod);
    assert.strictEqual(after.releasedId, before.releasedId, "a failed prod release was published as released");
    pg.query("attack_prod", "drop table public.fails_on_prod");
    await prod.up(options);
    assert.strictEqual((await outputs(prod)).releasedId, (await outputs(test)).passedReleaseId);
  });

  it("(7) a release refused by the marker check changes nothing else: the GitHub secret keeps its value", async () => {
    const secretValue = async () => {
      const secret = (await stateOf(test)).resources.find((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
      assert.ok(secret, "the test stack manages a GitHub environment secret");
      return JSON.stringify(secret.inputs?.value ?? secret.outputs?.value);
    };
    const before = await secretValue();
    await test.setConfig("deploy-guardrails:supabaseDbPassword", { value: "wrong-password-on-purpose", secret: true });
    const message = await failureOf(test.up(options)).finally(() =>
      test.setConfig("deploy-guardrails:supabaseDbPassword", { value: pg.password, secret: true }),
    );
    assert.match(message, /supabase-marker-check/);
    assert.strictEqual(await secretValue(), before, "the GitHub environment secret was updated although the marker check failed");
  });

  it("(8) the marker check shows the database's own error, and suggests creating the marker only when it is missing", async () => {
    await test.setConfig("deploy-guardrails:supabaseDbPassword", { value: "wrong-password-on-purpose", secret: true });
    const wrongPassword = await failureOf(test.up(options)).finally(() =>
      test.setConfig("deploy-guardrails:supabaseDbPassword", { value: pg.password, secret: true }),
    );
    assert.doesNotMatch(wrongPassword, /wrong-password-on-purpose/);
    assert.match(withoutEchoedScripts(wrongPassword), /password authentication failed/);
    assert.doesNotMatch(withoutEchoedScripts(wrongPassword), /insert into/);
    pg.createDatabase("attack_unmarked");
    await test.setConfig("deploy-guardrails:databaseUrl", { value: pg.url("attack_unmarked") });
    const unmarked = await failureOf(test.up(options)).finally(() => test.setConfig("deploy-guardrails:databaseUrl", { value: pg.url("attack_test") }));
    assert.match(withoutEchoedScripts(unmarked), /does not exist/);
    assert.match(withoutEchoedScripts(unmarked), /create table public\.deploy_env_marker/);
  });

  it("(9) break-glass changes prod's non-release resources while test is behind, and runs no migration", async () => {
    nextMigration("behind_on_test");
    assert.match(await failureOf(prod.preview(options)), /Refusing to release/);
    await prod.setConfig("deploy-guardrails:breakGlass", { value: "rotate the leaked prod database password (INC-42)" });
    await prod.setConfig("deploy-guardrails:githubEnvironmentSecrets[1].name", { value: "ROTATED" }, true);
    await prod.setConfig("deploy-guardrails:githubEnvironmentSecrets[1].secret", { value: "supabaseDbPassword" }, true);
    const preview = new Transcript();
    await prod.preview({ ...options, onOutput: preview.onOutput });
    assert.match(preview.text, /break-glass/i);
    assert.match(preview.text, /INC-42/);
    const up = await prod.up(options);
    assert.ok((up.summary.resourceChanges?.create ?? 0) >= 1);
    assert.ok(!tableExists("attack_prod", "public.behind_on_test"), "break-glass ran a migration");
    await prod.removeConfig("deploy-guardrails:breakGlass");
    await test.up(options);
    await prod.up(options);
    assert.ok(tableExists("attack_prod", "public.behind_on_test"));
  });

  describe("migration discipline on prod", () => {
    it("refuses an out-of-order migration unless the config explicitly allows it", async () => {
      addMigration("20260102000000", "late_but_older");
      await test.up(options);
      const message = await failureOf(prod.up(options));
      assert.match(message, /20260102000000_late_but_older\.sql/);
      assert.match(message, /older than|out of order/);
      assert.match(message, /allowOutOfOrderMigrations/);
      assert.ok(!tableExists("attack_prod", "public.late_but_older"));
      setStackFileValue("prod", "allowOutOfOrderMigrations", ["20260102000000"]);
      await prod.up(options);
      assert.ok(tableExists("attack_prod", "public.late_but_older"));
    });

    it("refuses a released migration that was deleted from the tree", async () => {
      fs.unlinkSync(path.join(migrations(), "20260102000000_late_but_older.sql"));
      const message = await failureOf(test.up(options));
      assert.match(message, /20260102000000/);
      assert.match(message, /deleted|no file/);
    });
  });
});
