/**
 * The GitHub-change guard of up-test on the real engine (offline providers): the `--target` globs of release.yml's
 * `github-guard` step, previewed with `--expect-no-changes`, pass when only non-GitHub resources change and fail
 * on any create, update or delete of a GitHub resource; and the command docs/pipelines.md gives the release
 * authority applies exactly those, leaving the rest of the release to up-test.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace, engineWorkspace, policyPack, repoRoot } from "../../scripts/engine/workspace";
import { parseWorkflow, pulumiSteps, targetsOf } from "../../workflow-rules";
import { requireToolchain, testPolicyConfig } from "./harness";

/** The guard's targets, read from the workflow itself. */
function workflowTargets(): string[] {
  const release = parseWorkflow(fs.readFileSync(path.join(repoRoot, ".github", "workflows", "release.yml"), "utf8"));
  const guard = pulumiSteps(release.jobs["up-test"]).find((op) => op.step.id === "github-guard");
  assert.ok(guard, "release.yml up-test has no github-guard step");
  return targetsOf(guard);
}

/** The `--target`s of the admin command in docs/pipelines.md (the line that applies test's GitHub settings). */
function documentedTargets(): string[] {
  const line = fs
    .readFileSync(path.join(repoRoot, "docs", "pipelines.md"), "utf8")
    .split("\n")
    .find((l) => l.includes("GITHUB_TOKEN=<admin token> pulumi up --stack test"));
  assert.ok(line, "docs/pipelines.md gives no admin command for the test stack");
  return [...line.matchAll(/--target '([^']+)'/g)].map((m) => m[1]);
}

describe("engine: up-test's GitHub-change guard (release.yml github-guard) and the release authority's targeted up", function () {
  this.timeout(0);
  let workspace: EngineWorkspace;
  let stack: Stack;
  let configFile: string;
  let stackFile: string;
  let original: string;

  const cli = (...args: string[]) => {
    const run = spawnSync(
      "pulumi",
      [...args, "--non-interactive", "--color", "never", "--stack", "test", "--policy-pack", policyPack, "--policy-pack-config", configFile],
      {
        cwd: workspace.dir,
        env: { ...process.env, ...workspace.env },
        encoding: "utf8",
      },
    );
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };
  const guard = () => cli("preview", ...workflowTargets().flatMap((t) => ["--target", t]), "--expect-no-changes");
  const editConfig = (change: (config: Record<string, unknown>) => void) => {
    const doc = yaml.load(fs.readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> };
    change(doc.config);
    fs.writeFileSync(stackFile, yaml.dump(doc));
  };
  const variables = (config: Record<string, unknown>) =>
    (config["deploy-guardrails:vercelProjects"] as { variables: { key: string; value?: string }[] }[])[0].variables;
  const githubSecrets = (config: Record<string, unknown>) => config["deploy-guardrails:githubEnvironmentSecrets"] as unknown[];

  before(async () => {
    requireToolchain();
    // The Supabase release needs a database and is not a GitHub resource: off here (tests/engine/release.test.ts runs it).
    workspace = await engineWorkspace({ overrides: { test: { enableSupabaseRelease: false } } });
    // The test stack adds variables to prod's project shell: on the emulated Vercel, that project must exist.
    workspace.remote.vercelProject("prj_placeholder0000000000000000", "dm-internal");
    stack = await workspace.stack("test");
    configFile = testPolicyConfig();
    stackFile = path.join(workspace.dir, "Pulumi.test.yaml");
    original = fs.readFileSync(stackFile, "utf8");
    await stack.up({ color: "never" });
  });
  afterEach(() => fs.writeFileSync(stackFile, original));

  it("targets what the docs' admin command applies", () => {
    assert.deepStrictEqual(documentedTargets(), workflowTargets());
  });

  it("passes with nothing to change", () => {
    const run = guard();
    assert.strictEqual(run.status, 0, run.output);
  });

  it("passes when only a Vercel variable changes (the release goes on), which a full preview does show", () => {
    editConfig((c) => {
      const v = variables(c).find((x) => x.key === "NEXT_PUBLIC_APP_ENV" && x.value === "preview");
      assert.ok(v);
      v.value = "preview-changed";
    });
    const run = guard();
    assert.strictEqual(run.status, 0, run.output);
    const full = cli("preview", "--expect-no-changes");
    assert.notStrictEqual(full.status, 0, "the full preview sees the Vercel change");
    assert.match(full.output, /vercel:index:ProjectEnvironmentVariable .*update/);
  });

  const refusals: [string, (c: Record<string, unknown>) => void, RegExp][] = [
    [
      "a new environment secret",
      (c) => githubSecrets(c).push({ name: "CRON_SECRET", generated: "cronSecret" }),
      /\+ +github:index:ActionsEnvironmentSecret github-test-secret-CRON_SECRET create/,
    ],
    ["a removed environment secret", (c) => githubSecrets(c).pop(), /- +github:index:ActionsEnvironmentSecret github-test-secret-SUPABASE_ACCESS_TOKEN delete/],
    [
      "a new deployment branch of `test`",
      (c) => (c["deploy-guardrails:environmentDeploymentBranches"] = ["main", "release"]),
      /\+ +github:index:RepositoryEnvironmentDeploymentPolicy github-test-deploy-policy-release create/,
    ],
    [
      "GitHub turned off (every GitHub resource and the provider deleted)",
      (c) => (c["deploy-guardrails:enableGithub"] = false),
      /- +pulumi:providers:github github delete/,
    ],
  ];
  for (const [name, change, shown] of refusals) {
    it(`fails on ${name}, showing it, with nothing changed`, async () => {
      editConfig(change);
      const before = JSON.stringify((await stack.exportStack()).deployment.resources.map((r: { urn: string }) => r.urn).sort());
      const run = guard();
      assert.notStrictEqual(run.status, 0, run.output);
      assert.match(run.output, /no changes were expected for preview but changes were proposed/);
      assert.match(run.output, shown);
      assert.strictEqual(JSON.stringify((await stack.exportStack()).deployment.resources.map((r: { urn: string }) => r.urn).sort()), before);
    });
  }

  it("fails on a rotated secret value behind a GitHub environment secret", async () => {
    await stack.setConfig("deploy-guardrails:supabaseDbPassword", { value: "rotated-test-db-password", secret: true });
    try {
      const run = guard();
      assert.notStrictEqual(run.status, 0, run.output);
      assert.match(run.output, /~ +github:index:ActionsEnvironmentSecret github-test-secret-SUPABASE_DB_PASSWORD update \[diff: ~value\]/);
    } finally {
      await stack.setConfig("deploy-guardrails:supabaseDbPassword", { value: "dummy-test-db-password", secret: true });
    }
  });

  it("the documented admin command applies the GitHub change only: the guard passes after it, and the Vercel change is left to up-test", () => {
    editConfig((c) => {
      c["deploy-guardrails:environmentDeploymentBranches"] = ["main", "release"];
      const v = variables(c).find((x) => x.key === "NEXT_PUBLIC_APP_ENV" && x.value === "preview");
      assert.ok(v);
      v.value = "preview-changed";
    });
    const applied = cli("up", "--yes", ...documentedTargets().flatMap((t) => ["--target", t]));
    assert.strictEqual(applied.status, 0, applied.output);
    assert.match(applied.output, /github-test-deploy-policy-release created/);
    assert.doesNotMatch(applied.output, /ProjectEnvironmentVariable .*updat/);
    const run = guard();
    assert.strictEqual(run.status, 0, run.output);
    const full = cli("preview", "--expect-no-changes");
    assert.match(full.output, /vercel:index:ProjectEnvironmentVariable .*update/);
  });
});
