import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../scripts/engine/workspace";
import { requireToolchain } from "../engine/harness";
import { acmeApp, failure, scratch } from "./scratch";

/**
 * The emulators under the real engine, with small programs of our own: the rules a sequence of real `pulumi up`,
 * `preview --refresh` and import meets. Each test fails against pass-through stand-ins (no conflict, no drift, no
 * read-back, nothing remote to assert on).
 */
describe("emulators under the real engine", function () {
  this.timeout(0);
  before(requireToolchain);

  const project = `const project = new vercel.Project("web", { name: "web" });`;
  const variable = (name: string, targets: string[], extra = "") =>
    `new vercel.ProjectEnvironmentVariable(${JSON.stringify(name)}, { projectId: project.id, key: "API_URL", value: "https://api.example", sensitive: false, targets: ${JSON.stringify(targets)} ${extra} }, { deleteBeforeReplace: true });`;
  const envs = (remote: { read(s: "vercel"): Record<string, any> }) =>
    Object.values(remote.read("vercel").env as Record<string, { key: string; target: string[] }>);

  it("Vercel refuses a second variable with the same key on an overlapping target: a target change planned as create-then-delete fails, an update in place does not", async () => {
    const s = await scratch(acmeApp);
    const stack = await s.stack("test");
    s.program(`${project}\n${variable("api-url-preview+development", ["preview", "development"])}`);
    await stack.up();
    // The logical name carries the targets (as lib/vercel-plan.ts names them): a new resource, created first.
    s.program(`${project}\n${variable("api-url-preview", ["preview"])}`);
    const message = await failure(stack.up());
    assert.match(message, /ENV_CONFLICT - A variable with the name `API_URL` already exists for the target preview/);
    assert.deepStrictEqual(
      envs(s.remote).map((e) => e.target),
      [["development", "preview"]],
      "the refused create left the old variable alone",
    );
    // The same change on a stable logical name is an update of the variable's targets.
    s.program(`${project}\n${variable("api-url-preview+development", ["preview"])}`);
    await stack.up();
    assert.deepStrictEqual(
      envs(s.remote).map((e) => e.target),
      [["preview"]],
    );
  });

  it("Vercel's sensitive rules stop the preview: sensitive on development, and a team that enforces sensitive variables", async () => {
    const s = await scratch(acmeApp);
    s.remote.edit("vercel", (w) => {
      w.teams.team_strict = { slug: "strict", sensitiveEnvironmentVariablePolicy: "on" };
    });
    const stack = await s.stack("test");
    s.program(
      `${project}\nnew vercel.ProjectEnvironmentVariable("secret", { projectId: project.id, key: "SECRET", value: "x", sensitive: true, targets: ["preview", "development"] });`,
    );
    assert.match(await failure(stack.preview()), /Environment variables targeting `development` must explicitly set `sensitive = false`/);
    s.program(
      `const project = new vercel.Project("web", { name: "web", teamId: "team_strict" });\nnew vercel.ProjectEnvironmentVariable("public", { projectId: project.id, teamId: "team_strict", key: "PUBLIC", value: "x", sensitive: false, targets: ["preview"] });`,
    );
    assert.match(
      await failure(stack.preview()),
      /This team has a policy that forces environment variables targeting `preview`, `production`, or custom environments to be sensitive/,
    );
  });

  it("a change made by hand fails `preview --refresh --expect-no-changes` and names the resource; `up --refresh` puts the config back", async () => {
    const s = await scratch(acmeApp);
    const stack = await s.stack("prod");
    s.program(`${project}
${variable("api-url", ["production"])}
new github.RepositoryEnvironment("production", { repository: "app", environment: "production", canAdminsBypass: false, preventSelfReview: true, reviewers: [{ users: [101] }], deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } });`);
    await stack.up();
    await stack.preview({ refresh: true, expectNoChanges: true });
    s.remote.edit("vercel", (w) => {
      for (const env of Object.values(w.env as Record<string, { value: string }>)) env.value = "https://changed-by-hand.example";
    });
    s.remote.edit("github", (w) => {
      w.repositories["acme/app"].environments.production.canAdminsBypass = true;
    });
    const message = await failure(stack.preview({ refresh: true, expectNoChanges: true }));
    assert.match(message, /no changes were expected for preview but changes were proposed/);
    assert.match(message, /~ +vercel:index:ProjectEnvironmentVariable api-url update \[diff: ~value\]/);
    assert.match(message, /~ +github:index:RepositoryEnvironment production update \[diff: ~canAdminsBypass\]/);
    await stack.up({ refresh: true });
    assert.deepStrictEqual(
      Object.values(s.remote.read("vercel").env as Record<string, { value: string }>).map((e) => e.value),
      ["https://api.example"],
    );
    assert.strictEqual(s.remote.read("github").repositories["acme/app"].environments.production.canAdminsBypass, false);
    await stack.preview({ refresh: true, expectNoChanges: true });
  });

  it("an import reads back what exists; inputs that differ from it are imported and then written over it", async () => {
    const s = await scratch(acmeApp);
    s.remote.edit("github", (w) => {
      w.repositories["acme/app"].environments = {
        production: {
          name: "production",
          waitTimer: 0,
          canAdminsBypass: false,
          preventSelfReview: true,
          reviewers: [{ type: "User", id: 101 }],
          deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
          policies: {},
          secrets: {},
          variables: {},
        },
      };
    });
    const environment = (bypass: boolean) =>
      `new github.RepositoryEnvironment("production", { repository: "app", environment: "production", canAdminsBypass: ${bypass}, preventSelfReview: true, reviewers: [{ users: [101] }], deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } }, { import: "app:production" });`;
    s.program(environment(false));
    const stack = await s.stack("prod");
    const up = await stack.up();
    assert.deepStrictEqual(
      Object.entries(up.summary.resourceChanges ?? {}).filter(([op]) => op !== "create" && op !== "same"),
      [["import", 1]],
    );
    const state = await stack.exportStack();
    const imported = state.deployment.resources.find((r: { type: string }) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment");
    assert.strictEqual(imported.outputs.repositoryId, s.remote.read("github").repositories["acme/app"].id);
    assert.deepStrictEqual(imported.outputs.reviewers, [{ users: [101], teams: [] }]);
    assert.strictEqual(s.remote.read("github").repositories["acme/app"].environments.production.canAdminsBypass, false);
    // Pulumi 3.276 imports and then updates what differs: the hand-made setting is overwritten by that same up.
    s.program(environment(true));
    const other = await (await s.stack("mismatch")).up();
    assert.deepStrictEqual(
      Object.entries(other.summary.resourceChanges ?? {})
        .filter(([op]) => op !== "create" && op !== "same")
        .sort(),
      [
        ["import", 1],
        ["update", 1],
      ],
    );
    assert.strictEqual(s.remote.read("github").repositories["acme/app"].environments.production.canAdminsBypass, true);
  });

  it("two stacks writing the same remote at the same time lose nothing (file lock)", async () => {
    const s = await scratch(acmeApp);
    s.remote.edit("vercel", (w) => {
      w.projects.prj_shared = { id: "prj_shared", teamId: "", name: "shared", settings: {} };
    });
    const keys = (prefix: string) => Array.from({ length: 15 }, (_, i) => `${prefix}_${i}`);
    s.program(
      `for (const key of config.requireObject("keys")) new vercel.ProjectEnvironmentVariable(key, { projectId: "prj_shared", key, value: key, sensitive: true, targets: ["production"] });`,
    );
    const [a, b] = [await s.stack("a"), await s.stack("b")];
    await a.setConfig("keys", { value: JSON.stringify(keys("A")) });
    await b.setConfig("keys", { value: JSON.stringify(keys("B")) });
    await Promise.all([a.up(), b.up()]);
    assert.deepStrictEqual(
      envs(s.remote)
        .map((e) => e.key)
        .sort(),
      [...keys("A"), ...keys("B")].sort(),
    );
  });

  it("the real Supabase CLI deploys functions and sets secrets against the emulated Management API, which keeps digests", async () => {
    const s = await scratch({ scratch: { "deploy-guardrails:supabaseProjectRef": "testrefaaaaaaaaaaaaa" } });
    fs.cpSync(path.join(repoRoot, "supabase"), path.join(s.dir, "supabase"), { recursive: true });
    const stack = await s.stack("test");
    await stack.setConfig("cron", { value: "cron-value-1", secret: true });
    s.program(`const env = { SUPABASE_ACCESS_TOKEN: pulumi.secret("sbp_1111111111111111111111111111111111111111"), SUPABASE_TELEMETRY_DISABLED: "1" };
const hello = new command.local.Command("hello", { create: "./node_modules/.bin/supabase functions deploy hello --remote=testrefaaaaaaaaaaaaa --use-api --yes --workdir .", environment: env, logging: "none" });
const hook = new command.local.Command("hook", { create: "./node_modules/.bin/supabase functions deploy stripe-webhook --remote=testrefaaaaaaaaaaaaa --use-api --yes --workdir . --no-verify-jwt", environment: env, logging: "none" });
new command.local.Command("secrets", { create: 'f=$(mktemp); printf "CRON_SECRET=%s\\\\n" "$CRON" > "$f"; ./node_modules/.bin/supabase secrets set --remote=testrefaaaaaaaaaaaaa --yes --env-file "$f" --workdir .', environment: { ...env, CRON: config.requireSecret("cron") }, logging: "none" });`);
    await stack.up();
    const project = s.remote.read("supabase").projects.testrefaaaaaaaaaaaaa;
    assert.strictEqual(project.functions.hello.verify_jwt, true);
    assert.strictEqual(project.functions["stripe-webhook"].verify_jwt, false);
    assert.match(project.functions.hello.digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepStrictEqual(project.functions.hello.files, ["supabase/functions/hello/index.ts"]);
    assert.strictEqual(project.secrets.CRON_SECRET.digest, createHash("sha256").update("cron-value-1").digest("hex"));
    assert.ok(!JSON.stringify(s.remote.read("supabase")).includes("cron-value-1"), "the fake kept a secret value");
  });
});
