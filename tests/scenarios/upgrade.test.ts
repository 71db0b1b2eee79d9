import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineWorkspace, engineWorkspace, repoRoot } from "../../scripts/engine/workspace";
import { requireToolchain } from "../engine/harness";
import { changes, variablesOf } from "./harness";

/**
 * A test stack made before variables were one per target: its Vercel variables of two targets were one resource
 * each, named `vercel-<project>-<KEY>-preview+development`. The program of that layout is written out here (CI clones
 * shallowly, so no git history), run once, and then the current program runs on the same stack: each old variable
 * must stay the same Vercel variable (an alias to `…-preview`, one update narrowing its targets) and its development
 * part be created after it. Without the aliases the new `…-preview` variable is created while the old one still holds
 * preview, and Vercel refuses it (ENV_CONFLICT).
 */
describe("scenario: a stack made before per-target variables keeps its variables", function () {
  this.timeout(0);
  let workspace: EngineWorkspace;
  const projectId = "prj_placeholder0000000000000000";
  const previousLayout = `import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";

class VercelVariables extends pulumi.ComponentResource {
  constructor(name: string) {
    super("deploy-guardrails:vercel:VercelVariables", name, {});
  }
}

export = async () => {
  const config = new pulumi.Config("deploy-guardrails");
  const provider = new vercel.Provider("vercel", { apiToken: config.requireSecret("vercelApiToken") });
  const parent = new VercelVariables("vercel");
  const both = (key: string, value: string) =>
    new vercel.ProjectEnvironmentVariable(\`vercel-dm-internal-\${key}-preview+development\`, { projectId: "${projectId}", key, value, sensitive: false, targets: ["preview", "development"] }, { parent, provider, deleteBeforeReplace: true });
  both("NEXT_PUBLIC_SUPABASE_URL", "https://testrefaaaaaaaaaaaaa.supabase.co");
  both("NEXT_PUBLIC_SUPABASE_ANON_KEY", "sb_publishable_TESTplaceholderKEY_0000000000");
};
`;

  before(async () => {
    requireToolchain();
    workspace = await engineWorkspace({ overrides: { test: { enableSupabaseRelease: "false", enableGithub: "false", integrationTestCommand: undefined } } });
    workspace.remote.vercelProject(projectId, "dm-internal");
  });
  after(() => workspace?.remote.close());

  it("the old `…-preview+development` variable becomes the `…-preview` one in place; development gets its own; nothing is replaced or deleted", async () => {
    const test = await workspace.stack("test");
    fs.writeFileSync(path.join(workspace.dir, "index.ts"), previousLayout);
    await test.up({ color: "never" });
    const keys = ["NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY"];
    const before = Object.fromEntries(keys.map((key) => [key, variablesOf(workspace.remote, key)]));
    for (const key of keys)
      assert.deepStrictEqual(
        before[key].map((v) => v.target),
        [["development", "preview"]],
      );

    fs.copyFileSync(path.join(repoRoot, "index.ts"), path.join(workspace.dir, "index.ts"));
    const up = await test.up({ color: "never" });
    // The two old variables are updated (narrowed to preview), their development parts and the rest created.
    assert.deepStrictEqual(changes(up), { create: 7, update: 2 });
    for (const key of keys) {
      const after = variablesOf(workspace.remote, key);
      assert.deepStrictEqual(
        after.map((v) => v.target.join()),
        ["development", "preview"],
        key,
      );
      assert.strictEqual(after.find((v) => v.target.join() === "preview")?.id, before[key][0].id, `${key} is still the same Vercel variable`);
    }
    await test.preview({ color: "never", refresh: true, expectNoChanges: true });
  });
});
