import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MigrationCheckSettings, migrationScript, withCleanEnvironment } from "../../lib/commands";
import { readReleaseContents } from "../../io/release-contents";
import { recordsOf } from "../../lib/release-evidence";
import { digestOf, manifestText } from "../../lib/release-identity";
import { repoRoot } from "../../scripts/engine/workspace";
import { Postgres, startPostgres } from "./postgres";

/**
 * The migration step's checks (lib/commands.ts migrationScript) run as the release runs them: the generated script in
 * a real shell, the real Supabase CLI and a real PostgreSQL, one database per case. What the engine tests show through
 * `pulumi up`, this shows for every row of docs/releases.md's table, quickly.
 */
const supabasePush = './node_modules/.bin/supabase db push --remote="$DATABASE_URL" --include-all --yes --workdir "$SUPABASE_WORKDIR"';
const defaults: MigrationCheckSettings = { historyTable: "supabase_migrations.schema_migrations", acknowledged: [], checkOrder: false, allowedOutOfOrder: [] };

describe("migration checks against a real PostgreSQL and the Supabase CLI", function () {
  this.timeout(0);
  let pg: Postgres;
  let project: string;
  let databases = 0;
  const migrations = () => path.join(project, "supabase", "migrations");
  const write = (name: string, sql: string) => fs.writeFileSync(path.join(migrations(), name), sql);
  const newDatabase = () => {
    const name = `checks_${++databases}`;
    pg.createDatabase(name);
    return name;
  };
  /** Runs the step as the release does; `previous` is the step's last stdout (PULUMI_COMMAND_STDOUT on an update). */
  const push = (
    database: string,
    options: { settings?: Partial<MigrationCheckSettings>; previous?: string; command?: string; env?: Record<string, string> } = {},
  ) => {
    const contents = readReleaseContents(project, { supabaseDir: "supabase", functions: [], functionSecretNames: [], migrationCommand: "x" });
    assert.deepStrictEqual(contents.problems, []);
    const manifest = manifestText(contents.migrations);
    const environment: Record<string, string> = {
      DATABASE_URL: pg.url(database),
      PGPASSWORD: pg.password,
      SUPABASE_WORKDIR: ".",
      SUPABASE_TELEMETRY_DISABLED: "1",
      MANIFEST: manifest,
      MIGRATIONS_DIGEST: digestOf(manifest),
      LEDGER: "",
      ...options.env,
    };
    const script = withCleanEnvironment(migrationScript(options.command ?? supabasePush, { ...defaults, ...options.settings }), [
      ...Object.keys(environment),
      "PULUMI_COMMAND_STDOUT",
    ]);
    const run = spawnSync("/bin/sh", ["-c", script], {
      cwd: project,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...environment, ...(options.previous ? { PULUMI_COMMAND_STDOUT: options.previous } : {}) },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, ledger: recordsOf(run.stdout).get("ledger") ?? "" };
  };
  const tableExists = (db: string, table: string) => pg.query(db, `select to_regclass('${table}') is not null`) === "t";

  before(async () => {
    pg = await startPostgres();
    project = fs.mkdtempSync(path.join(os.tmpdir(), "dg-checks-"));
    fs.mkdirSync(path.join(project, "supabase", "migrations"), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(project, "node_modules"));
  });
  beforeEach(() => {
    for (const f of fs.readdirSync(migrations())) fs.unlinkSync(path.join(migrations(), f));
    write("20260101000000_a.sql", "create table public.a (id int);\n");
    write("20260102000000_b.sql", "create table public.b (id int);\n");
  });
  after(() => {
    pg?.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  it("applies every file once, records a ledger of what it applied, and runs nothing new a second time", () => {
    const db = newDatabase();
    const first = push(db);
    assert.strictEqual(first.status, 0, first.stderr);
    assert.match(first.ledger, /^20260101000000:[0-9a-f]{16},20260102000000:[0-9a-f]{16}$/);
    const second = push(db, { previous: first.stdout });
    assert.strictEqual(second.status, 0, second.stderr);
    assert.strictEqual(second.ledger, first.ledger);
  });

  const refusals: { name: string; change: (db: string) => void; settings?: Partial<MigrationCheckSettings>; message: RegExp }[] = [
    {
      name: "a released file edited",
      change: () => write("20260101000000_a.sql", "create table public.a (id int, extra text);\n"),
      message: /20260101000000_a\.sql was edited after it was applied/,
    },
    {
      name: "a released file edited in whitespace only, against the ledger",
      change: () => write("20260101000000_a.sql", "create table public.a (id int);\n\n"),
      message: /20260101000000_a\.sql changed after a release of this stack applied it/,
    },
    {
      name: "a released file renamed",
      change: () => fs.renameSync(path.join(migrations(), "20260101000000_a.sql"), path.join(migrations(), "20260101000000_renamed.sql")),
      message: /was renamed after it was applied: the history records it as 20260101000000_a/,
    },
    {
      name: "a released file deleted",
      change: () => fs.unlinkSync(path.join(migrations(), "20260102000000_b.sql")),
      message: /records version 20260102000000 \(b\), but the migrations folder has no file for it/,
    },
    {
      name: "a history row written without a release",
      change: (db) => {
        pg.query(
          db,
          "insert into supabase_migrations.schema_migrations (version, name, statements) values ('20260103000000', 'c', array['create table public.c (id int)'])",
        );
        write("20260103000000_c.sql", "create table public.c (id int);\n");
      },
      message: /records version 20260103000000 \(c\), which no release of this stack applied/,
    },
    {
      name: "an out-of-order file on prod",
      change: () => write("20260101120000_late.sql", "create table public.late (id int);\n"),
      settings: { checkOrder: true },
      message: /20260101120000_late\.sql is older than the newest applied migration \(20260102000000\)[\s\S]*allowOutOfOrderMigrations/,
    },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}, naming the file, and applies nothing`, () => {
      const db = newDatabase();
      const first = push(db);
      assert.strictEqual(first.status, 0, first.stderr);
      c.change(db);
      const before = pg.query(db, "select string_agg(version, ',' order by version) from supabase_migrations.schema_migrations");
      const second = push(db, { previous: first.stdout, settings: c.settings });
      assert.strictEqual(second.status, 1, second.stdout);
      assert.match(second.stderr, c.message);
      assert.doesNotMatch(second.stdout, /record: (migrations|ledger)/);
      assert.strictEqual(pg.query(db, "select string_agg(version, ',' order by version) from supabase_migrations.schema_migrations"), before);
      assert.ok(!tableExists(db, "public.late"));
    });
  }

  it("applies an out-of-order file on prod once allowOutOfOrderMigrations lists it, and on test always", () => {
    const prod = newDatabase();
    const first = push(prod);
    write("20260101120000_late.sql", "create table public.late (id int);\n");
    const allowed = push(prod, { previous: first.stdout, settings: { checkOrder: true, allowedOutOfOrder: ["20260101120000"] } });
    assert.strictEqual(allowed.status, 0, allowed.stderr);
    assert.ok(tableExists(prod, "public.late"));
    const test = newDatabase();
    fs.unlinkSync(path.join(migrations(), "20260101120000_late.sql"));
    const testFirst = push(test);
    write("20260101120000_late.sql", "create table public.late (id int);\n");
    assert.strictEqual(push(test, { previous: testFirst.stdout }).status, 0);
  });

  it("accepts a version applied by hand once acknowledgedMigrations lists it", () => {
    const db = newDatabase();
    const first = push(db);
    pg.query(
      db,
      "create table public.c (id int); insert into supabase_migrations.schema_migrations (version, name, statements) values ('20260103000000', 'c', array['create table public.c (id int)'])",
    );
    write("20260103000000_c.sql", "create table public.c (id int);\n");
    const acknowledged = push(db, { previous: first.stdout, settings: { acknowledged: ["20260103000000"] } });
    assert.strictEqual(acknowledged.status, 0, acknowledged.stderr);
  });

  it("adopts a database with history at or below migrationBaseline, and refuses a new file below it", () => {
    const db = newDatabase();
    assert.strictEqual(push(db).status, 0);
    // A new stack (no ledger) over a database that already has both versions: only the baseline lets it in.
    assert.match(push(db).stderr, /which no release of this stack applied/);
    const adopted = push(db, { settings: { baseline: "20260102000000" } });
    assert.strictEqual(adopted.status, 0, adopted.stderr);
    write("20260101500000_old.sql", "select 1;\n");
    assert.match(
      push(db, { previous: adopted.stdout, settings: { baseline: "20260102000000" } }).stderr,
      /20260101500000_old\.sql is older than migrationBaseline 20260102000000/,
    );
  });

  it("refuses when the migration command did not apply a file", () => {
    const db = newDatabase();
    const result = push(db, { command: "true" });
    assert.strictEqual(result.status, 1);
    assert.match(result.stderr, /does not record 20260101000000_a\.sql: it was not applied/);
  });

  it("works with a migration tool's own history table (seed 002's db/migrate.sh), and its production hard lock", () => {
    fs.mkdirSync(path.join(project, "db"), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, "examples", "002-balance-kitchen", "db", "migrate.sh"), path.join(project, "db", "migrate.sh"));
    fs.cpSync(path.join(project, "supabase", "migrations"), path.join(project, "db", "migrations"), { recursive: true });
    const settings = { historyTable: "public.schema_migrations" };
    const marked = (env: string) => {
      const db = newDatabase();
      pg.query(db, `create table public.bk_env_marker (id int primary key, env text not null); insert into public.bk_env_marker values (1, '${env}')`);
      return db;
    };
    const dev = marked("dev");
    const first = push(dev, { command: "sh db/migrate.sh", settings });
    assert.strictEqual(first.status, 0, first.stderr);
    assert.match(first.ledger, /^20260101000000:[0-9a-f]{16},20260102000000:[0-9a-f]{16}$/);
    write("20260101000000_a.sql", "create table public.a (id int, sneaky int);\n");
    fs.copyFileSync(path.join(migrations(), "20260101000000_a.sql"), path.join(project, "db", "migrations", "20260101000000_a.sql"));
    assert.match(
      push(dev, { command: "sh db/migrate.sh", settings, previous: first.stdout }).stderr,
      /20260101000000_a\.sql changed after a release of this stack applied it/,
    );
    write("20260101000000_a.sql", "create table public.a (id int);\n");
    const prod = marked("prod");
    const refusedOnProd = push(prod, { command: "sh db/migrate.sh", settings });
    assert.strictEqual(refusedOnProd.status, 1, "a dev run was accepted against the prod marker");
    assert.match(refusedOnProd.stderr, /bk_env_marker says 'prod', but this run expects 'dev'/);
    const released = push(prod, { command: "sh db/migrate.sh", settings, env: { DEPLOY_TIER: "prod" } });
    assert.strictEqual(released.status, 0, released.stderr);
    const lock = spawnSync("sh", ["db/migrate.sh"], {
      cwd: project,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: pg.url(prod), PGPASSWORD: pg.password, NODE_ENV: "production" },
    });
    assert.match(lock.stderr, /production migrations need CONFIRM_PROD_MIGRATE=YES/);
  });
});
