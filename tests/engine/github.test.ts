import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { engineWorkspace, policyConfig, policyPack, repoRoot } from "../../scripts/engine/workspace";
import { failureOf, requireToolchain } from "./harness";

/** The program before the GitHub settings moved to rulesets and one component: the stacks a team has today. */
const previousProgram = "c3237f5";
const programPaths = ["Pulumi.yaml", "index.ts", "components", "config", "lib"];

function checkoutProgram(dir: string, commit: string): void {
  for (const item of programPaths) fs.rmSync(path.join(dir, item), { recursive: true, force: true });
  const files = execFileSync("git", ["ls-tree", "-r", "--name-only", commit, "--", ...programPaths], { cwd: repoRoot, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), execFileSync("git", ["show", `${commit}:${file}`], { cwd: repoRoot }));
  }
}

function restoreProgram(dir: string): void {
  for (const item of programPaths) {
    fs.rmSync(path.join(dir, item), { recursive: true, force: true });
    fs.cpSync(path.join(repoRoot, item), path.join(dir, item), { recursive: true });
  }
}

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
  const newKeys = { githubRepositoryVisibility: undefined, githubPlan: undefined, soleReleaseAuthority: undefined };

  it("upgrading existing stacks replaces no environment and no secret: the test stack's move under GithubGuardrails is aliased; prod swaps classic protection for rulesets", async () => {
    const workspace = await engineWorkspace({ overrides: { test: githubOnly, prod: { ...githubOnly, ...newKeys } } });
    checkoutProgram(workspace.dir, previousProgram);
    const test = await workspace.stack("test");
    const prod = await workspace.stack("prod");
    await test.up({ color: "never" });
    await prod.up({ color: "never" });

    restoreProgram(workspace.dir);
    await prod.setAllConfig({ "deploy-guardrails:githubRepositoryVisibility": { value: "private" }, "deploy-guardrails:githubPlan": { value: "enterprise" }, "deploy-guardrails:soleReleaseAuthority": { value: "true" } });

    const testEvents: EngineEvent[] = [];
    await test.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], color: "never", onEvent: (e) => testEvents.push(e) });
    const testOps = operations(testEvents);
    const testGithub = Object.entries(testOps).filter(([name]) => name.startsWith("github-"));
    assert.ok(testGithub.length >= 5, JSON.stringify(testOps));
    // The new parent component itself is created; everything it now holds is the same resource as before.
    assert.deepStrictEqual(testGithub.filter(([name, op]) => op !== "same" && name !== "github"), [], JSON.stringify(testOps));
    assert.strictEqual(testOps.github, "create");

    const prodEvents: EngineEvent[] = [];
    await prod.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], color: "never", onEvent: (e) => prodEvents.push(e) });
    const prodOps = operations(prodEvents);
    for (const name of ["github-production-environment", "github-production-deploy-policy", "github-production-readonly-environment", "github-production-secret-SUPABASE_DB_PASSWORD"]) {
      assert.ok(prodOps[name] === "same" || prodOps[name] === "update", `${name} must not be replaced: ${prodOps[name]}`);
    }
    assert.strictEqual(prodOps["github-production-environment"], "update", "production turns prevent self-review off for the sole authority");
    assert.strictEqual(prodOps["github-main-protection"], "delete");
    for (const name of ["github-ruleset-merge-restriction", "github-ruleset-pull-request-reviews", "github-ruleset-status-checks", "github-ruleset-branch-integrity", "github-workflow-permissions"]) {
      assert.strictEqual(prodOps[name], "create", name);
    }
  });

  it("prod refuses to run with an agent in CODEOWNERS, before planning any resource", async () => {
    const workspace = await engineWorkspace();
    const file = path.join(workspace.dir, ".github", "CODEOWNERS");
    fs.appendFileSync(file, "/.github/workflows/ @codex-agent\n");
    const prod = await workspace.stack("prod");
    const events: EngineEvent[] = [];
    const message = await failureOf(prod.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], color: "never", onEvent: (e) => events.push(e) }));
    assert.match(message, /CODEOWNERS does not give them to it/);
    assert.match(message, /\.github\/workflows\/.* is owned by @codex-agent, who is not the release authority/);
    assert.deepStrictEqual(Object.keys(operations(events)), []);
  });
});
