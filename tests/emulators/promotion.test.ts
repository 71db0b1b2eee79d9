import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace, engineWorkspace, policyPack } from "../../scripts/engine/workspace";
import { Postgres, startPostgres } from "../engine/postgres";
import { failureOf, requireToolchain, testPolicyConfig } from "../engine/harness";

/**
 * The whole release in order, on the emulators with the real engine, the policy pack, a real PostgreSQL and a git
 * checkout: a merge builds a staged production deployment on Vercel; test releases it and records its commit; prod
 * releases the database and only then promotes that commit's deployment. A prod migration that fails leaves the
 * previous deployment live, a commit that did not pass on test is refused at preview, a tag release takes the same
 * gate, and a rollback re-promotes an earlier deployment without running a migration.
 */
describe("promotion: the app goes live on production only after the prod release of its commit", function () {
  this.timeout(0);
  const repository = "acme/dm-internal";
  // The functions' deploy steps are left out: this is about the database release and the promotion.
  const noFunctions = { edgeFunctions: [], functionSecrets: [] };
  let pg: Postgres;
  let workspace: EngineWorkspace;
  let test: Stack;
  let prod: Stack;
  let prodEnv: Record<string, string>;
  let options: { policyPacks: string[]; policyPackConfigs: string[]; color: "never" };
  const password = () => ({ supabaseDbPassword: { value: pg.password, secret: true } });
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", workspace.dir, ...args], {
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" },
    }).trim();
  /** A merge to main: a commit of the working tree, pushed, so Vercel builds it. */
  const merge = (message: string, state: "READY" | "BUILDING" | "ERROR" = "READY") => {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    const commit = git("rev-parse", "HEAD");
    workspace.remote.push(repository, commit, { state });
    return commit;
  };
  const addMigration = (version: string, table: string) =>
    fs.writeFileSync(path.join(workspace.dir, "supabase", "migrations", `${version}_${table}.sql`), `create table public.${table} (id int primary key);\n`);
  const prodMigrations = () => Number(pg.query("promo_prod", "select count(*) from supabase_migrations.schema_migrations"));
  const live = () => workspace.remote.productionCommits()["dm-internal"];
  const outputs = async () => Object.fromEntries(Object.entries(await prod.outputs()).map(([k, v]) => [k, v.value]));

  let c1: string, c2: string, c3: string, c4: string;
  let tagged: Stack;

  before(async () => {
    requireToolchain();
    pg = await startPostgres();
    pg.createDatabase("promo_test", "test");
    pg.createDatabase("promo_prod", "prod");
    workspace = await engineWorkspace({
      overrides: { test: { ...noFunctions, databaseUrl: pg.url("promo_test") }, prod: { ...noFunctions, databaseUrl: pg.url("promo_prod") } },
    });
    fs.writeFileSync(path.join(workspace.dir, ".gitignore"), "node_modules\n.state/\n.remote/\n");
    git("init", "-q", "-b", "main");
    test = await workspace.stack("test", password());
    prodEnv = { PULUMI_CONFIG_PASSPHRASE: "prod-only-throwaway-passphrase", ...(await workspace.remote.vercelApi()) };
    prod = await workspace.stack("prod", password(), prodEnv);
    options = { policyPacks: [policyPack], policyPackConfigs: [testPolicyConfig()], color: "never" };
    c1 = merge("day one");
  });
  after(() => {
    workspace?.remote.close();
    pg?.stop();
  });

  it("prod's shell connects the project to the repository without auto-assigning production domains; a push then stays staged", async () => {
    await prod.up(options);
    const projects = Object.values(workspace.remote.read("vercel").projects) as { id: string; settings: Record<string, unknown> }[];
    assert.strictEqual(projects.length, 1);
    assert.strictEqual(projects[0].settings.autoAssignCustomDomains, false);
    assert.deepStrictEqual(projects[0].settings.gitRepository, { type: "github", repo: repository, productionBranch: "main" });
    assert.strictEqual((await outputs()).productionCommit, "nothing");
    await test.setConfig("deploy-guardrails:vercelProjects[0].projectId", { value: projects[0].id }, true);
    // The project did not exist when c1 was pushed: merge again so that Vercel builds it.
    c1 = merge("first merge after the project exists");
    assert.strictEqual(live(), "", "a production build of a project that does not auto-assign is staged");
  });

  it("test releases the merge and records the commit its integration tests ran on", async () => {
    const up = await test.up(options);
    assert.strictEqual(up.outputs.passedCommit.value, c1);
    assert.strictEqual(up.outputs.passedReleaseId.value, up.outputs.releaseId.value);
    assert.strictEqual(up.outputs.passedCommit.secret, false, "prod reads it through a stack reference, which cannot read a secret");
  });

  it("prod releases the database, then promotes exactly that commit's production deployment", async () => {
    const up = await prod.up(options);
    assert.strictEqual(prodMigrations(), 1);
    assert.strictEqual(live(), c1);
    assert.strictEqual(up.outputs.productionCommit.value, c1);
    assert.deepStrictEqual(up.outputs.promotedCommits.value, [c1]);
    assert.match(up.outputs.productionDeployments.value["dm-internal"], /^dpl_/);
    assert.strictEqual(up.outputs.releasedId.value, up.outputs.testedReleaseId.value);
  });

  it("a prod migration that fails leaves the previous deployment live, and the stack outputs say so", async () => {
    addMigration("20260201000000", "invoices");
    c2 = merge("add invoices");
    await test.up(options);
    assert.strictEqual(live(), c1, "the merge of c2 built a staged deployment only");
    // Someone made the table by hand on prod: the migration fails there.
    pg.query("promo_prod", "create table public.invoices (id int primary key)");
    const message = await failureOf(prod.up(options));
    assert.match(message, /supabase-db-push/);
    assert.strictEqual(live(), c1, "the app stays where it was when the prod release fails");
    const after = await outputs();
    assert.strictEqual(after.productionCommit, c1);
    assert.deepStrictEqual(after.promotedCommits, [c1]);
    pg.query("promo_prod", "drop table public.invoices");
    await prod.up(options);
    assert.strictEqual(live(), c2);
    assert.strictEqual(prodMigrations(), 2);
  });

  it("refuses, at preview, to release a commit other than the one that passed on test, and releases an app-only change once test passed it", async () => {
    fs.writeFileSync(path.join(workspace.dir, "app-change.txt"), "a change to the app only\n");
    c3 = merge("app only");
    const refused = await failureOf(prod.preview(options));
    assert.match(
      refused,
      new RegExp(`Refusing to release commit ${c3} to prod: the release that passed on organization/deploy-guardrails/test ran on commit ${c2}`),
    );
    const tested = await test.up(options);
    assert.strictEqual(tested.outputs.passedCommit.value, c3, "a new commit re-runs the integration tests, which record it");
    const up = await prod.up(options);
    assert.strictEqual(live(), c3);
    assert.strictEqual(prodMigrations(), 2);
    assert.deepStrictEqual(up.outputs.promotedCommits.value, [c1, c2, c3]);
  });

  it("waits for nothing and promotes nothing when the commit's build failed on Vercel", async () => {
    fs.writeFileSync(path.join(workspace.dir, "app-change.txt"), "a change that does not build\n");
    const broken = merge("does not build", "ERROR");
    await test.up(options);
    const message = await failureOf(prod.up(options));
    assert.match(message, new RegExp(`Vercel's production build of commit ${broken} for dm-internal is ERROR`));
    assert.strictEqual(live(), c3);
    assert.strictEqual((await outputs()).productionCommit, c3);
    // Back to c3's tree, merged again: test passes the new commit, prod promotes it.
    git("revert", "--no-edit", "HEAD");
    workspace.remote.push(repository, git("rev-parse", "HEAD"));
    c3 = git("rev-parse", "HEAD");
    await test.up(options);
    await prod.up(options);
    assert.strictEqual(live(), c3);
  });

  it("a tag release takes the same gate: the tag must name the commit that passed on test", async () => {
    await prod.setConfig("deploy-guardrails:releaseFrom", { value: "tag" });
    assert.match(await failureOf(prod.preview(options)), /releases from version tags \(deploy-guardrails:releaseFrom is tag\), and this run releases no tag/);
    c4 = merge("release prod from version tags");
    await test.up(options);
    git("tag", "v1.0.0", c2);
    git("tag", "v1.1.0", c4);
    tagged = await workspace.stack("prod", password(), { ...prodEnv, RELEASE_TAG: "v1.1.0" });
    const older = await workspace.stack("prod", password(), { ...prodEnv, RELEASE_TAG: "v1.0.0" });
    assert.match(await failureOf(older.preview(options)), new RegExp(`the tag v1\\.0\\.0 names commit ${c2}, but the checkout is ${c4}`));
    git("checkout", "-q", "-f", "v1.0.0");
    assert.match(
      await failureOf(older.preview(options)),
      new RegExp(
        `Refusing to release the tag v1\\.0\\.0 \\(commit ${c2}\\) to prod: the release that passed on organization/deploy-guardrails/test ran on commit ${c4}`,
      ),
    );
    git("checkout", "-q", "-f", "v1.1.0");
    await tagged.up(options);
    assert.strictEqual(live(), c4);
    git("checkout", "-q", "-f", "main");
  });

  it("rollback re-promotes an earlier released commit's deployment without running a migration, and only one that was live", async () => {
    // As a user types it: pulumi config set --path 'deploy-guardrails:rollbackTo.commit' <commit> (and .reason).
    const rollbackTo = async (commit: string) => {
      await prod.setConfig("deploy-guardrails:rollbackTo.commit", { value: commit }, true);
      await prod.setConfig("deploy-guardrails:rollbackTo.reason", { value: "checkout broken (INC-7)" }, true);
    };
    await rollbackTo("f".repeat(40));
    assert.match(await failureOf(prod.preview(options)), /Refusing to roll back prod to commit f{40}: the prod stack never made that commit live/);
    await rollbackTo(c2);
    const before = prodMigrations();
    const up = await prod.up(options);
    assert.strictEqual(live(), c2);
    assert.strictEqual(prodMigrations(), before, "a rollback runs no migration");
    assert.strictEqual(up.outputs.releaseMode.value, "rollback");
    assert.strictEqual(up.outputs.productionCommit.value, c2);
    const state = await prod.exportStack();
    const names = (state.deployment.resources as { urn: string }[]).map((r) => r.urn.split("::").pop());
    assert.ok(names.includes("vercel-rollback"));
    assert.ok(!names.includes("supabase-db-push") && !names.includes("supabase-release-gate"), "no release step in a rollback");
    // The fix is released: rollbackTo removed, the tag of the commit that passed on test goes live again.
    await prod.removeConfig("deploy-guardrails:rollbackTo");
    await tagged.up(options);
    assert.strictEqual(live(), c4);
    assert.strictEqual(prodMigrations(), before);
  });
});
