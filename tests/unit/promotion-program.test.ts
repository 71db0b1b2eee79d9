import * as assert from "assert";
import { Registered, headCommit, headTree, isSecretInput, ofType, plain, runProgram, stackConfig, stepBody } from "./harness";

const cmd = "command:local:Command";
const projectType = "vercel:index/project:Project";
const byName = (resources: Registered[], name: string) => resources.find((r) => r.name === name);
const environmentOf = (r: Registered) => plain(r.inputs.environment ?? {}) as Record<string, string>;
const other = "f".repeat(40);

describe("the prod stack's promotion under mocks", () => {
  let head: string;
  let releaseId: string;
  before(async () => {
    head = headCommit();
    releaseId = String((await runProgram("prod", stackConfig("prod"))).outputs.releaseId);
  });

  it("sends the project shell exactly these inputs: connected to the repository, production domains assigned by the release only", async () => {
    const { registered } = await runProgram("prod", stackConfig("prod"), releaseId);
    const projects = ofType(registered, projectType);
    assert.strictEqual(projects.length, 1);
    assert.deepStrictEqual(plain(projects[0].inputs), {
      name: "dm-internal",
      framework: "nextjs",
      gitRepository: { type: "github", repo: "acme/dm-internal", productionBranch: "main" },
      vercelAuthentication: { deploymentType: "standard_protection_new" },
      autoAssignCustomDomains: false,
      automaticallyExposeSystemEnvironmentVariables: true,
    });
  });

  it("promotes after the release record, for the tested commit, with exactly these inputs", async () => {
    const { registered, outputs } = await runProgram("prod", stackConfig("prod"), releaseId);
    const promote = byName(registered, "vercel-promote");
    assert.ok(promote, "a release registers the promotion");
    assert.deepStrictEqual(promote.dependsOn, ["supabase-release-record"]);
    assert.strictEqual(promote.options.parent, "vercel");
    assert.strictEqual(promote.inputs.logging, "none");
    assert.strictEqual(promote.inputs.addPreviousOutputInEnv, false);
    assert.ok(isSecretInput(promote.inputs.environment.VERCEL_TOKEN) || isSecretInput(promote.inputs.environment), "the token travels as a secret");
    assert.deepStrictEqual(environmentOf(promote), {
      VERCEL_TOKEN: "abcdefghijklmnopqrstuvwx",
      VERCEL_API_URL: "https://api.vercel.com",
      VERCEL_TEAM_ID: "",
      PROJECTS: JSON.stringify([{ name: "dm-internal", id: "vercel-dm-internal-project-id" }]),
      COMMIT: head,
      MODE: "release",
      WAIT_SECONDS: "900",
      TESTED_COMMIT: head,
      RELEASE_TREE: headTree(),
      TESTED_TREE: headTree(),
      RELEASE_ID: releaseId,
      RELEASE_RECORD: `deploy-guardrails-record: released ${releaseId}`,
    });
    assert.match(promote.inputs.create, /^set -eu\nset --\nfor name in [A-Z_ ]+; do[\s\S]*exec env -i "\$@" \/bin\/sh -c '/);
    assert.match(stepBody(promote.inputs.create), /^exec node -e '\(async function promoteProduction\(env\) \{/);
    assert.ok(!promote.inputs.create.includes("abcdefghijklmnopqrstuvwx"), "the token is not in the script");
    assert.strictEqual(outputs.productionCommit, head);
    assert.deepStrictEqual(outputs.promotedCommits, [head]);
    assert.deepStrictEqual(outputs.productionDeployments, { "dm-internal": `dpl_dminternal${head.slice(0, 7)}` });
  });

  it("with nothing passed on test, promotes nothing but still keeps Vercel from assigning the domains", async () => {
    const { registered, outputs } = await runProgram("prod", stackConfig("prod"));
    assert.strictEqual(byName(registered, "vercel-promote"), undefined);
    assert.strictEqual(ofType(registered, projectType)[0].inputs.autoAssignCustomDomains, false);
    assert.strictEqual(outputs.productionCommit, "nothing");
  });

  it("refuses at preview to release when test passed the release on another commit", async () => {
    await assert.rejects(runProgram("prod", stackConfig("prod"), { passedReleaseId: releaseId, passedCommit: other, passedTree: other }), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `Refusing to release commit ${head} to prod: the release that passed on organization/deploy-guardrails/test ran on commit ${other}, whose tree ${other} is not this checkout's`,
        ),
      );
      return true;
    });
  });

  it("releases the merge of the tested branch (seed 001: staging tested, main released): another commit, the same tree", async () => {
    const { registered } = await runProgram("prod", stackConfig("prod"), { passedReleaseId: releaseId, passedCommit: other, passedTree: headTree() });
    const env = environmentOf(byName(registered, "vercel-promote") as Registered);
    assert.deepStrictEqual([env.COMMIT, env.TESTED_COMMIT, env.RELEASE_TREE, env.TESTED_TREE], [head, other, headTree(), headTree()]);
  });

  it("leaves Vercel's own assignment alone on a prod stack without a release (nothing would ever promote)", async () => {
    const { registered, outputs } = await runProgram("prod", stackConfig("prod", { enableSupabaseRelease: false }));
    assert.strictEqual(ofType(registered, projectType)[0].inputs.autoAssignCustomDomains, true);
    assert.strictEqual(ofType(registered, cmd).length, 0);
    assert.ok(!("productionCommit" in outputs));
  });

  it("rolls back to a commit it made live before: the promotion alone, in rollback mode, and no release step", async () => {
    const own = { productionCommit: head, promotedCommits: [other, head], productionDeployments: { "dm-internal": "dpl_current" } };
    const { registered, outputs } = await runProgram(
      "prod",
      stackConfig("prod", { rollbackTo: { commit: other, reason: "checkout broken (INC-7)" } }),
      releaseId,
      own,
    );
    assert.ok(registered.some((r) => r.type === "deploy-guardrails:vercel:VercelRollback" && r.name === "vercel-rollback"));
    assert.deepStrictEqual(
      ofType(registered, cmd)
        .map((c) => c.name)
        .sort(),
      ["supabase-marker-check", "vercel-promote"],
    );
    const promote = byName(registered, "vercel-promote") as Registered;
    assert.deepStrictEqual(promote.dependsOn, []);
    const env = environmentOf(promote);
    assert.strictEqual(env.MODE, "rollback");
    assert.strictEqual(env.COMMIT, other);
    assert.ok(!("TESTED_COMMIT" in env) && !("RELEASE_RECORD" in env));
    assert.strictEqual(outputs.releaseMode, "rollback");
    assert.deepStrictEqual(outputs.promotedCommits, [head, other]);
  });

  it("refuses a rollback to a commit it never made live", async () => {
    await assert.rejects(
      runProgram("prod", stackConfig("prod", { rollbackTo: { commit: other, reason: "checkout broken (INC-7)" } }), releaseId),
      /Refusing to roll back prod to commit f{40}: the prod stack never made that commit live \(it has promoted nothing yet/,
    );
  });
});

describe("the test stack records the commit its integration tests ran on", () => {
  it("re-runs the tests for a new commit (RELEASE_COMMIT is their input) and publishes what they recorded", async () => {
    const { registered, outputs } = await runProgram("test", stackConfig("test"));
    const tests = byName(registered, "supabase-integration-tests") as Registered;
    assert.strictEqual(environmentOf(tests).RELEASE_COMMIT, headCommit());
    assert.match(
      stepBody(tests.inputs.create),
      /\nif \[ -n "\$\{RELEASE_COMMIT:-\}" \]; then echo "deploy-guardrails-record: commit \$RELEASE_COMMIT"; fi\nif \[ -n "\$\{RELEASE_TREE:-\}" \]; then echo "deploy-guardrails-record: tree \$RELEASE_TREE"; fi$/,
    );
    assert.strictEqual(outputs.passedCommit, headCommit());
    assert.strictEqual(environmentOf(tests).RELEASE_TREE, headTree());
    assert.strictEqual(outputs.passedTree, headTree());
    assert.strictEqual(byName(registered, "vercel-promote"), undefined, "test never promotes");
  });
});
