import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { engineWorkspace, policyConfig, policyPack } from "../../scripts/engine/workspace";
import { failureOf, requireToolchain } from "./harness";

/**
 * The GitHub resources of stacks made by the previous program (before rulesets and one component for every tier), as
 * it declared them for the committed stacks: non-prod environments as top-level GithubEnvironment components; prod's
 * under a GithubGuardrails component with a classic BranchProtection of main. Same type tokens, names, parents and
 * inputs, so the state it leaves is what a team has today. Self-contained: CI clones without history.
 */
const previousLayout = `
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { GithubEnvironment } from "./components/githubEnvironment";

const config = new pulumi.Config("deploy-guardrails");
const provider = new github.Provider("github", { owner: "acme" });
const repository = "dm-internal";
const custom = { protectedBranches: false, customBranchPolicies: true };
const secrets = ["SUPABASE_DB_PASSWORD", "SUPABASE_ACCESS_TOKEN"].map((name, i) => ({ name, value: config.requireSecret(["supabaseDbPassword", "supabaseAccessToken"][i]) }));
const unreviewed = (environment: string, named: boolean) => ({ repository, environment, preventSelfReview: false, canAdminsBypass: false, ...(named ? { deploymentBranchPolicy: custom } : {}) });

class GithubGuardrails extends pulumi.ComponentResource {
  constructor(name: string) {
    super("deploy-guardrails:github:GithubGuardrails", name, {}, {});
    const main = [{ role: "deploy-policy", branchPattern: "main" }];
    new github.BranchProtection(name + "-main-protection", {
      repositoryId: repository, pattern: "main", enforceAdmins: true, allowsDeletions: false, allowsForcePushes: false, requiredLinearHistory: true, requireConversationResolution: true,
      requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireLastPushApproval: true, pullRequestBypassers: [] }],
      requiredStatusChecks: [{ strict: true, contexts: ["preview"] }],
      restrictPushes: [{ pushAllowances: ["/release-captain"], blocksCreations: true }],
    }, { parent: this, provider });
    new GithubEnvironment(name + "-production", {
      environment: { repository, environment: "production", preventSelfReview: true, canAdminsBypass: false, reviewers: [{ users: [100001], teams: [] }], deploymentBranchPolicy: custom },
      deploymentPolicies: main, secrets, provider,
    }, { parent: this });
    new GithubEnvironment(name + "-production-readonly", { environment: unreviewed("production-readonly", true), deploymentPolicies: main, secrets: [], provider }, { parent: this });
    this.registerOutputs({});
  }
}

export = async () => {
  if (pulumi.getStack() === "prod") new GithubGuardrails("github");
  else {
    new GithubEnvironment("github-test", { environment: unreviewed("test", true), deploymentPolicies: [{ role: "deploy-policy", branchPattern: "main" }], secrets, provider });
    new GithubEnvironment("github-test-readonly", { environment: unreviewed("test-readonly", false), secrets: [], provider });
  }
  return {};
};
`;

/** Planned operation per logical name, from the engine's events. */
function operations(events: EngineEvent[]): Record<string, string> {
  const ops: Record<string, string> = {};
  for (const e of events) {
    const meta = e.resourcePreEvent?.metadata;
    if (meta && !meta.urn.includes("pulumi:pulumi:Stack") && !meta.urn.includes("pulumi:providers:")) ops[meta.urn.split("::").pop() as string] = meta.op;
  }
  return ops;
}

describe("engine: GitHub settings", function () {
  this.timeout(0);
  before(requireToolchain);

  // GitHub resources only: the release steps and Vercel are not what this test is about.
  const githubOnly = { enableVercel: false, enableSupabaseRelease: false };

  it("upgrading existing stacks replaces no environment and no secret: the test stack's move under GithubGuardrails is aliased; prod swaps classic protection for rulesets", async () => {
    const workspace = await engineWorkspace({ overrides: { test: githubOnly, prod: githubOnly } });
    const index = path.join(workspace.dir, "index.ts");
    const program = fs.readFileSync(index, "utf8");
    fs.writeFileSync(index, previousLayout);
    const test = await workspace.stack("test");
    const prod = await workspace.stack("prod");
    await test.up({ color: "never" });
    await prod.up({ color: "never" });
    fs.writeFileSync(index, program);

    const testEvents: EngineEvent[] = [];
    await test.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], color: "never", onEvent: (e) => testEvents.push(e) });
    const testOps = operations(testEvents);
    const testGithub = Object.entries(testOps).filter(([name]) => name.startsWith("github-"));
    assert.ok(testGithub.length >= 5, JSON.stringify(testOps));
    // The new parent component itself is created; everything it now holds is the same resource as before.
    assert.deepStrictEqual(
      testGithub.filter(([name, op]) => op !== "same" && name !== "github"),
      [],
      JSON.stringify(testOps),
    );
    assert.strictEqual(testOps.github, "create");

    const prodEvents: EngineEvent[] = [];
    await prod.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], color: "never", onEvent: (e) => prodEvents.push(e) });
    const prodOps = operations(prodEvents);
    for (const name of [
      "github-production-environment",
      "github-production-deploy-policy",
      "github-production-readonly-environment",
      "github-production-secret-SUPABASE_DB_PASSWORD",
    ]) {
      assert.ok(prodOps[name] === "same" || prodOps[name] === "update", `${name} must not be replaced: ${prodOps[name]}`);
    }
    assert.strictEqual(prodOps["github-production-environment"], "update", "production turns prevent self-review off for the sole authority");
    assert.strictEqual(prodOps["github-main-protection"], "delete");
    for (const name of [
      "github-ruleset-merge-restriction",
      "github-ruleset-pull-request-reviews",
      "github-ruleset-status-checks",
      "github-ruleset-branch-integrity",
      "github-workflow-permissions",
    ]) {
      assert.strictEqual(prodOps[name], "create", name);
    }
  });

  it("prod refuses to run with an agent in CODEOWNERS, before planning any resource", async () => {
    const workspace = await engineWorkspace();
    const file = path.join(workspace.dir, ".github", "CODEOWNERS");
    fs.appendFileSync(file, "/.github/workflows/ @codex-agent\n");
    const prod = await workspace.stack("prod");
    const events: EngineEvent[] = [];
    const message = await failureOf(
      prod.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], color: "never", onEvent: (e) => events.push(e) }),
    );
    assert.match(message, /CODEOWNERS does not give them to it/);
    assert.match(message, /\.github\/workflows\/.* is owned by @codex-agent, who is not the release authority/);
    assert.deepStrictEqual(Object.keys(operations(events)), []);
  });
});
