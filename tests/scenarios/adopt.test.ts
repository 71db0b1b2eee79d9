import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace, engineWorkspace, policyPack } from "../../scripts/engine/workspace";
import { remoteDigest } from "../../scripts/engine/remote";
import { rulesetPlan } from "../../lib/github-rulesets";
import { failureOf, requireToolchain, testPolicyConfig } from "../engine/harness";
import { snapshot } from "./declared";
import { changes, differences, editStackFile, variablesOf } from "./harness";

/**
 * A team that set things up by hand before this program: a Vercel project with variables, the production and test
 * environments with their branch policies, a ruleset of main. Both stacks adopt them (README, Adopting what exists):
 * each import reads back what exists, what the config says differently is written over it in the same up, and then
 * the remote is exactly the config and the drift check finds nothing, with no resource created twice.
 *
 * The release steps are off (enableSupabaseRelease: false): adoption is about Vercel and GitHub, and this keeps the
 * scenario to the engine and the emulators.
 */
describe("scenario: adopting a project, environments, a ruleset and variables made by hand", function () {
  this.timeout(0);
  this.bail(true);
  let workspace: EngineWorkspace;
  let test: Stack;
  let prod: Stack;
  let options: { policyPacks: string[]; policyPackConfigs: string[]; color: "never" };
  const projectId = "prj_madeByHand000000000000000";
  const noRelease = { enableSupabaseRelease: "false" };
  const exactly = async (...stacks: Stack[]) => assert.deepStrictEqual(await differences(workspace, stacks), []);
  const noDrift = async (...stacks: Stack[]) => {
    for (const stack of stacks) await stack.preview({ ...options, refresh: true, expectNoChanges: true });
  };
  const hand = (id: string, key: string, target: string[], value: string | undefined) => ({
    id,
    projectId,
    teamId: "",
    key,
    target,
    comment: "",
    digest: remoteDigest(value ?? "a value nobody knows"),
    ...(value === undefined ? { type: "sensitive" } : { type: "encrypted", value }),
  });

  before(async () => {
    requireToolchain();
    workspace = await engineWorkspace({ overrides: { test: { ...noRelease, integrationTestCommand: undefined }, prod: noRelease } });
    test = await workspace.stack("test");
    prod = await workspace.stack("prod", {}, { PULUMI_CONFIG_PASSPHRASE: "prod-only-throwaway-passphrase" });
    options = { policyPacks: [policyPack], policyPackConfigs: [testPolicyConfig()], color: "never" };
    const merge = rulesetPlan((await snapshot(workspace, prod)).settings.github!).find((r) => r.role === "merge-restriction")!.args;
    workspace.remote.edit("vercel", (w) => {
      w.projects[projectId] = {
        id: projectId,
        teamId: "",
        name: "dm-internal",
        settings: {
          framework: "nextjs",
          gitRepository: { type: "github", repo: "acme/dm-internal", productionBranch: "main" },
          vercelAuthentication: { deploymentType: "standard_protection_new" },
          automaticallyExposeSystemEnvironmentVariables: true,
          nodeVersion: "22.x",
        },
      };
      w.env.envAppEnvProd = hand("envAppEnvProd", "NEXT_PUBLIC_APP_ENV", ["production"], "production");
      w.env.envRoleKeyProd = hand("envRoleKeyProd", "SUPABASE_SERVICE_ROLE_KEY", ["production"], undefined);
      w.env.envUrlProd = hand("envUrlProd", "NEXT_PUBLIC_SUPABASE_URL", ["production"], "https://prodrefbbbbbbbbbbbbb.supabase.co");
      w.env.envUrlTest = hand("envUrlTest", "NEXT_PUBLIC_SUPABASE_URL", ["development", "preview"], "https://testrefaaaaaaaaaaaaa.supabase.co");
    });
    workspace.remote.edit("github", (w) => {
      const repo = w.repositories["acme/dm-internal"];
      const environment = (name: string, extra: Record<string, unknown>) => ({
        name,
        waitTimer: 0,
        canAdminsBypass: false,
        preventSelfReview: false,
        reviewers: [],
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        policies: {},
        secrets: {},
        variables: {},
        ...extra,
      });
      repo.environments = {
        // Made by hand with the admin bypass on: the config says off, so the adopting up turns it off.
        production: environment("production", {
          canAdminsBypass: true,
          reviewers: [{ type: "User", id: 100001 }],
          policies: { "4242": { id: 4242, name: "main", type: "branch" } },
        }),
        test: environment("test", { policies: { "4343": { id: 4343, name: "main", type: "branch" } } }),
      };
      repo.rulesets = { "4444": { id: 4444, nodeId: "RRS_lACk4444", name: merge.name, settings: merge } };
    });
  });
  after(() => workspace?.remote.close());

  it("adopting the environments is refused while a branch policy made by hand has no id in adoptGithubPolicyIds (GitHub would keep its own, the stack would record policy 0)", async () => {
    editStackFile(workspace, "prod", (c) => {
      c.adoptGithub = true;
      c.adoptGithubRulesetIds = { "merge-restriction": 4444 };
      c.vercelProjects[0].projectId = projectId;
      c.vercelProjects[0].adopt = true;
    });
    const refused = await failureOf(prod.preview(options));
    assert.match(refused, /Refusing to adopt the GitHub environments made by hand \(adoptGithub\)/);
    assert.match(refused, /production has the deployment branch policy "main" already: set deploy-guardrails:adoptGithubPolicyIds/);
    assert.deepStrictEqual(
      Object.keys(workspace.remote.read("github").repositories["acme/dm-internal"].environments).sort(),
      ["production", "test"],
      "nothing was created",
    );
  });

  it("prod: a variable made by hand that the config does not adopt stops the up with Vercel's ENV_CONFLICT, which names its id", async () => {
    editStackFile(workspace, "prod", (c) => {
      c.adoptGithubPolicyIds = { "production:main": 4242 };
      const variables = c.vercelProjects[0].variables as { key: string; adoptId?: string }[];
      variables.find((v) => v.key === "NEXT_PUBLIC_APP_ENV")!.adoptId = "envAppEnvProd";
      variables.find((v) => v.key === "SUPABASE_SERVICE_ROLE_KEY")!.adoptId = "envRoleKeyProd";
    });
    const refused = await failureOf(prod.up(options));
    assert.match(
      refused,
      /ENV_CONFLICT - A variable with the name `NEXT_PUBLIC_SUPABASE_URL` already exists for the target production on branch undefined the conflicting environment variable ID is prj_madeByHand000000000000000\/envUrlProd/,
    );
  });

  it("prod adopts the project, its variables, the production environment and its policy, the ruleset; what differs is written over, the rest created", async () => {
    // The refused up (--skip-preview) applied what it reached before the conflict. If that includes production-readonly's
    // policy, the check now wants its id too, as a user reads it with `gh api …/deployment-branch-policies`.
    const readonly = workspace.remote.read("github").repositories["acme/dm-internal"].environments["production-readonly"];
    const made = Object.keys(readonly?.policies ?? {});
    if (made.length > 0) assert.match(await failureOf(prod.preview(options)), /production-readonly has the deployment branch policy "main" already/);
    editStackFile(workspace, "prod", (c) => {
      (c.vercelProjects[0].variables as { key: string; adoptId?: string }[]).find((v) => v.key === "NEXT_PUBLIC_SUPABASE_URL")!.adoptId = "envUrlProd";
      if (made.length > 0) c.adoptGithubPolicyIds = { ...c.adoptGithubPolicyIds, "production-readonly:main": Number(made[0]) };
    });
    const up = await prod.up(options);
    assert.strictEqual(changes(up).replace, undefined, "nothing made by hand is replaced");
    const production = workspace.remote.read("github").repositories["acme/dm-internal"].environments.production;
    assert.deepStrictEqual(
      [production.canAdminsBypass, Object.keys(production.policies)],
      [false, ["4242"]],
      "the admin bypass is off, the policy made by hand is the stack's own",
    );
    assert.deepStrictEqual(Object.keys(workspace.remote.read("github").repositories["acme/dm-internal"].rulesets).includes("4444"), true);
    assert.deepStrictEqual(
      variablesOf(workspace.remote, "SUPABASE_SERVICE_ROLE_KEY").map((v) => [v.id, v.target.join(), v.type]),
      [["envRoleKeyProd", "production", "sensitive"]],
    );
    // Exactly prod's config, beside what the test stack has yet to adopt.
    assert.deepStrictEqual(await differences(workspace, [prod]), [
      `Vercel holds ${projectId} NEXT_PUBLIC_SUPABASE_URL development, which no config declares`,
      `Vercel holds ${projectId} NEXT_PUBLIC_SUPABASE_URL preview, which no config declares`,
      "GitHub acme/dm-internal holds the environment test, which no config declares",
    ]);
  });

  it("test adopts its environment and a variable made by hand for preview and development: the preview variable keeps its id, development gets its own", async () => {
    editStackFile(workspace, "test", (c) => {
      c.adoptGithub = true;
      c.adoptGithubPolicyIds = { "test:main": 4343 };
      c.vercelProjects[0].projectId = projectId;
      (c.vercelProjects[0].variables as { key: string; adoptId?: string }[]).find((v) => v.key === "NEXT_PUBLIC_SUPABASE_URL")!.adoptId = "envUrlTest";
    });
    const up = await test.up(options);
    assert.strictEqual(changes(up).replace, undefined);
    assert.deepStrictEqual(
      variablesOf(workspace.remote, "NEXT_PUBLIC_SUPABASE_URL")
        .filter((v) => !v.target.includes("production"))
        .map((v) => [v.id === "envUrlTest", v.target.join()]),
      [
        [false, "development"],
        [true, "preview"],
      ],
    );
    await exactly(prod, test);
  });

  it("once adopted, the adopt settings come out of the config: nothing changes, and the drift check finds nothing (no policy recorded as 0)", async () => {
    for (const stack of ["prod", "test"]) {
      editStackFile(workspace, stack, (c) => {
        delete c.adoptGithub;
        delete c.adoptGithubPolicyIds;
        delete c.adoptGithubRulesetIds;
        delete c.vercelProjects[0].adopt;
        for (const v of c.vercelProjects[0].variables as { adoptId?: string }[]) delete v.adoptId;
      });
    }
    await exactly(prod, test);
    await noDrift(prod, test);
  });
});
