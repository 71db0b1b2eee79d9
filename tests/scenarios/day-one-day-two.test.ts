import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace } from "../../scripts/engine/workspace";
import { Postgres } from "../engine/postgres";
import { ReleaseStacks, failureOf, releaseStacks, testPolicyConfig } from "../engine/harness";
import { changes, cli, differences, editStackFile, variablesOf } from "./harness";

/**
 * The README's day one in order, then a team's day two, as real `pulumi up`/`preview`/`refresh` runs of both stacks
 * against the emulated Vercel, GitHub and Supabase (docs/emulator-rules.md) and a real PostgreSQL. The steps share
 * one workspace and its two stacks, as a team's would; each ends with the remote being exactly what both configs say
 * (tests/scenarios/declared.ts), and with the drift check of the stack it changed finding nothing.
 *
 * The Vercel team is set from the start (vercelTeamId), so that its sensitive-variable policy can be turned on later.
 */
describe("scenario: day one, then day two", function () {
  this.timeout(0);
  // Each step starts from where the one before left the stacks.
  this.bail(true);
  let pg: Postgres;
  let workspace: EngineWorkspace;
  let test: Stack;
  let prod: Stack;
  let options: ReleaseStacks["options"];
  let merge: ReleaseStacks["merge"];
  let merged: string;
  const team = "team_acme";
  const exactly = async (...stacks: Stack[]) => assert.deepStrictEqual(await differences(workspace, stacks), []);
  // The two stacks' runs are independent (the emulators lock their files), so they run side by side.
  const noDrift = async (...stacks: Stack[]) => {
    await Promise.all(stacks.map((stack) => stack.preview({ ...options, refresh: true, expectNoChanges: true })));
  };
  // The test stack's variables of a key (prod writes the production one of the same key to the same project).
  const testVariablesOf = (key: string) => variablesOf(workspace.remote, key).filter((v) => !v.target.includes("production"));
  const projectId = () =>
    (Object.values(workspace.remote.read("vercel").projects) as { id: string; name: string }[]).find((p) => p.name === "dm-internal")?.id ?? "";

  before(async () => {
    // A git checkout whose merges Vercel builds: prod makes live only the commit that passed on test.
    ({ pg, workspace, test, prod, options, merge } = await releaseStacks("scenario", { vercelTeamId: team }, { gitCheckout: true }));
  });
  after(() => {
    pg?.stop();
    workspace?.remote.close();
  });

  describe("day one (README, First deployment)", () => {
    it("3. prod shell: creates the project, production variables, rulesets and the production environment, and releases nothing", async () => {
      const up = await prod.up(options);
      assert.strictEqual(up.outputs.releasedId.value, "nothing");
      await exactly(prod);
      assert.deepStrictEqual(workspace.remote.read("supabase").projects.prodrefbbbbbbbbbbbbb.functions, {});
    });

    it("4. the project id copied to test; test releases to the test project and records what passed", async () => {
      await test.setConfig("deploy-guardrails:vercelProjects[0].projectId", { value: projectId() }, true);
      // Through a merged pull request, as the README says: the first commit Vercel builds for the new project.
      merged = merge("copy prod's project id into the test stack");
      const up = await test.up(options);
      assert.strictEqual(up.outputs.passedCommit.value, merged);
      assert.match(up.outputs.passedReleaseId.value, /^rel-[0-9a-f]{24}$/);
      await exactly(prod, test);
      const supabase = workspace.remote.read("supabase").projects.testrefaaaaaaaaaaaaa;
      assert.deepStrictEqual(Object.keys(supabase.functions).sort(), ["hello", "stripe-webhook"]);
      assert.deepStrictEqual(Object.keys(supabase.secrets), ["CRON_SECRET"]);
    });

    it("5. first prod release: exactly what passed on test", async () => {
      const passed = (await test.outputs()).passedReleaseId.value;
      const up = await prod.up(options);
      assert.strictEqual(up.outputs.releasedId.value, passed);
      const projects = workspace.remote.read("supabase").projects;
      assert.deepStrictEqual(Object.keys(projects.prodrefbbbbbbbbbbbbb.functions).sort(), ["hello", "stripe-webhook"]);
      assert.strictEqual(projects.prodrefbbbbbbbbbbbbb.functions.hello.digest, projects.testrefaaaaaaaaaaaaa.functions.hello.digest);
      assert.strictEqual(workspace.remote.productionCommits()["dm-internal"], merged, "the app goes live with the release, on the commit that passed");
      await exactly(prod, test);
      await noDrift(prod, test);
    });
  });

  describe("day two", () => {
    const testVariables = (change: (variables: Record<string, any>[]) => void) =>
      editStackFile(workspace, "test", (c) => {
        change(c.vercelProjects[0].variables);
      });

    it("a variable's targets change: the target it keeps stays the same Vercel variable, the one it drops is deleted (no ENV_CONFLICT, no replace)", async () => {
      const before = testVariablesOf("NEXT_PUBLIC_SUPABASE_URL").find((v) => v.target.join() === "preview");
      testVariables((vars) => {
        vars.filter((v) => v.key === "NEXT_PUBLIC_SUPABASE_URL")[0].targets = ["preview"];
      });
      const up = await test.up(options);
      assert.deepStrictEqual(changes(up), { delete: 1 });
      const after = testVariablesOf("NEXT_PUBLIC_SUPABASE_URL");
      assert.deepStrictEqual(after, [{ id: before?.id, target: ["preview"], type: "encrypted" }]);
      await exactly(prod, test);
    });

    it("it moves to a git branch: a branch variable beside no general one", async () => {
      testVariables((vars) => {
        vars.filter((v) => v.key === "NEXT_PUBLIC_SUPABASE_URL")[0].gitBranch = "dev";
      });
      const up = await test.up(options);
      assert.deepStrictEqual(changes(up), { create: 1, delete: 1 });
      assert.deepStrictEqual(
        testVariablesOf("NEXT_PUBLIC_SUPABASE_URL").map((v) => [v.target.join(), v.gitBranch]),
        [["preview", "dev"]],
      );
      await exactly(prod, test);
    });

    it("a key is renamed: the new key is created, the old one deleted", async () => {
      testVariables((vars) => {
        for (const v of vars.filter((v) => v.key === "NEXT_PUBLIC_APP_ENV")) v.key = "NEXT_PUBLIC_DEPLOY_TIER";
      });
      const up = await test.up(options);
      assert.deepStrictEqual(changes(up), { create: 2, delete: 2 });
      assert.deepStrictEqual(
        testVariablesOf("NEXT_PUBLIC_DEPLOY_TIER").map((v) => v.target.join()),
        ["development", "preview"],
      );
      await exactly(prod, test);
    });

    it("a Vercel project is added (prod's shell, then test's variables on it), and removed again only once its protection is lifted by hand", async () => {
      const docs = { name: "dm-docs", framework: "nextjs", variables: [{ key: "NEXT_PUBLIC_SUPABASE_URL", supabase: "url" }] };
      editStackFile(workspace, "prod", (c) => {
        c.vercelProjects = [...c.vercelProjects, docs];
      });
      await prod.up(options);
      const docsId = (await prod.outputs()).vercelProjectIds.value["dm-docs"];
      editStackFile(workspace, "test", (c) => {
        c.vercelProjects = [...c.vercelProjects, { name: docs.name, projectId: docsId, variables: docs.variables }];
      });
      await test.up(options);
      await exactly(prod, test);

      editStackFile(workspace, "test", (c) => {
        c.vercelProjects = c.vercelProjects.filter((p: { name: string }) => p.name !== "dm-docs");
      });
      await test.up(options);
      editStackFile(workspace, "prod", (c) => {
        c.vercelProjects = c.vercelProjects.filter((p: { name: string }) => p.name !== "dm-docs");
      });
      // The shell is protected: a config edit alone (an agent's pull request, say) cannot delete a project.
      const refused = await failureOf(prod.up(options));
      assert.match(refused, /vercel-dm-docs-project.* cannot be deleted\s+because it is protected/);
      assert.ok(workspace.remote.read("vercel").projects[docsId], "the protected project is still there");
      cli(prod, [
        "state",
        "unprotect",
        `urn:pulumi:prod::deploy-guardrails::deploy-guardrails:vercel:VercelProjectShell$vercel:index/project:Project::vercel-dm-docs-project`,
        "--yes",
      ]);
      await prod.up(options);
      assert.strictEqual(workspace.remote.read("vercel").projects[docsId], undefined);
      await exactly(prod, test);
    });

    it("a secret is rotated: the Vercel variable and the GitHub secret are updated in place", async () => {
      const before = testVariablesOf("SUPABASE_SERVICE_ROLE_KEY").find((v) => v.target.join() === "preview");
      await test.setConfig("deploy-guardrails:supabaseServiceRoleKey", { value: "sb_secret_rotatedTestServiceRoleKey0001", secret: true });
      await prod.setConfig("deploy-guardrails:supabaseAccessToken", { value: "sbp_3333333333333333333333333333333333333333", secret: true });
      const [testUp, prodUp] = await Promise.all([test.up(options), prod.up(options)]);
      assert.deepStrictEqual([changes(testUp).replace, changes(prodUp).replace], [undefined, undefined]);
      assert.strictEqual(testVariablesOf("SUPABASE_SERVICE_ROLE_KEY").find((v) => v.target.join() === "preview")?.id, before?.id);
      await exactly(prod, test);
    });

    it("a reviewer is added: refused until the policy config names them too, then a second release authority reviews production, prevent self-review comes back on, both bypass the merge restriction", async () => {
      workspace.remote.edit("github", (w) => {
        w.accounts["second-captain"] = { id: 100002, type: "User", plan: "free" };
        w.repositories["acme/dm-internal"].collaborators["second-captain"] = "admin";
      });
      editStackFile(workspace, "prod", (c) => {
        c.releaseAuthority = [...c.releaseAuthority, { login: "second-captain", id: 100002 }];
        c.soleReleaseAuthority = false;
      });
      // The policy pack's list of the release authority is reviewed apart from the stack (policy.config.json, written
      // by `npm run policy:fingerprints`): a stack edit alone cannot make someone a release authority.
      assert.match(
        await failureOf(prod.preview(options)),
        /release-branch-rulesets-sound[\s\S]*lets bypassActors\[1\] \(User 100002\) bypass it, who is not the release authority/,
      );
      const authority = { releaseAuthorityIds: [100001, 100002], releaseAuthorityTeamIds: [], soleReleaseAuthority: false };
      options = {
        ...options,
        policyPackConfigs: [testPolicyConfig({ "release-branch-rulesets-sound": authority, "production-environment-protected": authority })],
      };
      const up = await prod.up(options);
      assert.strictEqual(changes(up).replace, undefined);
      const production = workspace.remote.read("github").repositories["acme/dm-internal"].environments.production;
      assert.deepStrictEqual([production.reviewers.map((r: { id: number }) => r.id).sort(), production.preventSelfReview], [[100001, 100002], true]);
      await exactly(prod, test);
    });

    it("the team turns on Vercel's sensitive-variable policy: a new public variable is refused until the config says so, then preview and production are sensitive and development stays readable", async () => {
      workspace.remote.edit("vercel", (w) => {
        w.teams[team].sensitiveEnvironmentVariablePolicy = "on";
      });
      testVariables((vars) => {
        vars.push({ key: "NEXT_PUBLIC_FEATURE_FLAGS", value: "search" });
      });
      assert.match(
        await failureOf(test.preview(options)),
        /This team has a policy that forces environment variables targeting `preview`, `production`, or custom environments to be sensitive/,
      );
      for (const stack of ["test", "prod"]) {
        editStackFile(workspace, stack, (c) => {
          c.vercelSensitiveVariablePolicy = true;
        });
      }
      await Promise.all([test.up(options), prod.up(options)]);
      assert.deepStrictEqual(
        variablesOf(workspace.remote, "NEXT_PUBLIC_FEATURE_FLAGS").map((v) => [v.target.join(), v.type]),
        [
          ["development", "encrypted"],
          ["preview", "sensitive"],
        ],
      );
      assert.deepStrictEqual(
        variablesOf(workspace.remote, "NEXT_PUBLIC_SUPABASE_ANON_KEY").map((v) => [v.target.join(), v.type]),
        [
          ["development", "encrypted"],
          ["preview", "sensitive"],
          ["production", "sensitive"],
        ],
      );
      await exactly(prod, test);
      await noDrift(prod, test);
    });

    it("changes made by hand are reported by the drift check (preview --refresh --expect-no-changes), and `up --refresh` puts the config back", async () => {
      workspace.remote.edit("github", (w) => {
        const repo = w.repositories["acme/dm-internal"];
        const checks = Object.values(repo.rulesets).find((r: any) => r.name === "deploy-guardrails: required checks of main") as {
          settings: { enforcement: string };
        };
        checks.settings.enforcement = "disabled";
        repo.environments.production.reviewers = repo.environments.production.reviewers.filter((r: { id: number }) => r.id !== 100002);
        repo.environments.test.secrets.SUPABASE_DB_PASSWORD = {
          ...repo.environments.test.secrets.SUPABASE_DB_PASSWORD,
          digest: "sha256:written-by-hand",
          updatedAt: "2030-01-01T00:00:00Z",
        };
      });
      workspace.remote.edit("vercel", (w) => {
        const development = Object.values(w.env as Record<string, { id: string; key: string; target: string[] }>).find(
          (e) => e.key === "NEXT_PUBLIC_DEPLOY_TIER" && e.target.join() === "development",
        );
        delete w.env[development?.id ?? ""];
      });
      const [prodDrift, testDrift] = await Promise.all(
        [prod, test].map((stack) => failureOf(stack.preview({ ...options, refresh: true, expectNoChanges: true }))),
      );
      assert.match(prodDrift, /github-ruleset-status-checks update \[diff: ~enforcement\]/);
      assert.match(prodDrift, /github-production-environment update \[diff: ~reviewers\]/);
      assert.match(testDrift, /\+ +vercel:index:ProjectEnvironmentVariable vercel-dm-internal-NEXT_PUBLIC_DEPLOY_TIER-development create/);
      assert.match(testDrift, /github-test-secret-SUPABASE_DB_PASSWORD update \[diff: ~updatedAt\]/);
      await Promise.all([prod.up({ ...options, refresh: true }), test.up({ ...options, refresh: true })]);
      await exactly(prod, test);
      await noDrift(prod, test);
    });

    it("a stack destroy: test's variables and environments go; prod's leaves the project and the rulesets of main in place unless asked", async () => {
      await test.destroy({ color: "never" });
      await exactly(prod);
      const rulesets = () =>
        (Object.values(workspace.remote.read("github").repositories["acme/dm-internal"].rulesets) as { name: string }[]).map((r) => r.name).sort();
      const kept = rulesets();
      assert.ok(kept.length >= 4, `prod declares its rulesets (${kept.join(", ")})`);
      const refused = await failureOf(prod.destroy({ color: "never" }));
      assert.match(refused, /cannot be deleted\s+because it is protected/);
      assert.deepStrictEqual(rulesets(), kept, "a destroy leaves the protection of main");
      assert.deepStrictEqual(await differences(workspace, [], { rulesets: kept, projects: ["dm-internal"] }), []);
      // Asked for: the protection is lifted by hand, then the destroy removes it too.
      cli(prod, ["state", "unprotect", "--all", "--yes"]);
      await prod.destroy({ color: "never" });
      assert.deepStrictEqual(await differences(workspace, []), []);
    });
  });
});
