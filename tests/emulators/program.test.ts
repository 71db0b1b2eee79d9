import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace } from "../../scripts/engine/workspace";
import { remoteDigest } from "../../scripts/engine/remote";
import { Postgres } from "../engine/postgres";
import { ReleaseStacks, failureOf, releaseStacks } from "../engine/harness";

/**
 * deploy-guardrails' own program on the emulators, in the README's day-one order: the prod shell, its project id
 * copied to test, the test release (migrations, functions, function secrets, integration tests against a real
 * PostgreSQL and the Supabase fake), the first prod release; then the drift check finds a change made by hand.
 */
describe("the program on the emulators: day one, then a change made by hand", function () {
  this.timeout(0);
  let pg: Postgres;
  let workspace: EngineWorkspace;
  let test: Stack;
  let prod: Stack;
  let options: ReleaseStacks["options"];
  let merge: ReleaseStacks["merge"];
  let merged: string;

  before(async () => {
    ({ pg, workspace, test, prod, options, merge } = await releaseStacks("dayone", {}, { gitCheckout: true }));
  });
  after(() => {
    workspace?.remote.close();
    pg?.stop();
  });

  it("prod's first up creates the Vercel project, its production variables, the protection of main and the production environment", async () => {
    await prod.up(options);
    const vercel = workspace.remote.read("vercel");
    const projects = Object.values(vercel.projects) as { id: string; name: string; settings: Record<string, unknown> }[];
    assert.deepStrictEqual(
      projects.map((p) => p.name),
      ["dm-internal"],
    );
    assert.strictEqual(projects[0].settings.framework, "nextjs");
    const env = Object.values(vercel.env) as { key: string; target: string[]; type: string }[];
    assert.ok(env.length > 0 && env.every((e) => e.target.join() === "production"), "prod writes production variables only");
    assert.strictEqual(env.find((e) => e.key === "SUPABASE_SERVICE_ROLE_KEY")?.type, "sensitive");
    const repo = workspace.remote.read("github").repositories["acme/dm-internal"];
    // Rulesets, not classic branch protection (docs/github-settings.md): one per concern on the production branch.
    assert.deepStrictEqual(Object.values(repo.branchProtections ?? {}), []);
    const rulesets = Object.values(repo.rulesets) as { name: string }[];
    assert.ok(rulesets.length >= 4 && rulesets.every((r) => r.name.startsWith("deploy-guardrails: ")), JSON.stringify(rulesets.map((r) => r.name)));
    assert.strictEqual(repo.workflowPermissions?.canApprovePullRequestReviews, false);
    const production = repo.environments.production;
    assert.deepStrictEqual(production.reviewers, [{ type: "User", id: 100001 }]);
    assert.deepStrictEqual(
      Object.values(production.policies).map((p) => (p as { name: string }).name),
      ["main"],
    );
    assert.strictEqual(production.secrets.SUPABASE_DB_PASSWORD.digest, remoteDigest(pg.password));
    await prod.preview({ ...options, refresh: true, expectNoChanges: true });
  });

  it("test, with prod's project id, writes preview variables, deploys the functions and their secrets, and passes its release", async () => {
    const projectId = Object.keys(workspace.remote.read("vercel").projects)[0];
    await test.setConfig("deploy-guardrails:vercelProjects[0].projectId", { value: projectId }, true);
    // The README's day one: the project id reaches test through a merged pull request, the first commit Vercel builds.
    merged = merge("copy prod's project id into the test stack");
    const up = await test.up(options);
    assert.strictEqual(up.outputs.passedCommit.value, merged);
    assert.match(up.outputs.passedReleaseId.value, /^rel-[0-9a-f]{24}$/);
    const env = Object.values(workspace.remote.read("vercel").env) as { projectId: string; target: string[] }[];
    assert.ok(env.some((e) => e.projectId === projectId && e.target.includes("preview")));
    const supabase = workspace.remote.read("supabase").projects.testrefaaaaaaaaaaaaa;
    assert.strictEqual(supabase.functions.hello.verify_jwt, true);
    assert.strictEqual(supabase.functions["stripe-webhook"].verify_jwt, false);
    assert.deepStrictEqual(Object.keys(supabase.secrets), ["CRON_SECRET"]);
    assert.strictEqual(workspace.remote.read("supabase").projects.prodrefbbbbbbbbbbbbb.functions.hello, undefined, "test deployed nothing to prod");
  });

  it("prod then releases what passed on test, functions included", async () => {
    await prod.up(options);
    const supabase = workspace.remote.read("supabase").projects.prodrefbbbbbbbbbbbbb;
    assert.deepStrictEqual(Object.keys(supabase.functions).sort(), ["hello", "stripe-webhook"]);
    assert.strictEqual(workspace.remote.read("supabase").projects.testrefaaaaaaaaaaaaa.functions.hello.digest, supabase.functions.hello.digest);
    assert.strictEqual(workspace.remote.productionCommits()["dm-internal"], merged, "the app goes live with the release, on the commit that passed");
  });

  it("the drift check (preview --refresh --expect-no-changes) reports an admin bypass turned on by hand and a variable edited by hand", async () => {
    await prod.preview({ ...options, refresh: true, expectNoChanges: true });
    workspace.remote.edit("github", (w) => {
      w.repositories["acme/dm-internal"].environments.production.canAdminsBypass = true;
    });
    workspace.remote.edit("vercel", (w) => {
      // Prod's variable, not the Preview and Development ones test wrote to the same project.
      const appEnv = Object.values(w.env as Record<string, { key: string; target: string[]; value?: string }>).find(
        (e) => e.key === "NEXT_PUBLIC_APP_ENV" && e.target.join() === "production",
      );
      assert.ok(appEnv, "prod's NEXT_PUBLIC_APP_ENV is on Vercel");
      appEnv.value = "staging";
    });
    const message = await failureOf(prod.preview({ ...options, refresh: true, expectNoChanges: true }));
    assert.match(message, /github-production-environment update \[diff: ~canAdminsBypass\]/);
    assert.match(message, /vercel-dm-internal-NEXT_PUBLIC_APP_ENV-production update \[diff: ~value\]/);
    await prod.up({ ...options, refresh: true });
    await prod.preview({ ...options, refresh: true, expectNoChanges: true });
  });
});
