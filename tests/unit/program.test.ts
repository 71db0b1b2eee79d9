import * as assert from "assert";
import { Registered, isSecretInput, ofType, plain, runProgram, stackConfig, stepBody } from "./harness";

const envVar = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";
const cmd = "command:local:Command";
const prodRef = "prodrefbbbbbbbbbbbbb";

const byName = (resources: Registered[], name: string) => {
  const found = resources.find((r) => r.name === name);
  assert.ok(found, `expected a resource named ${name}; have ${resources.map((r) => r.name).join(", ")}`);
  return found;
};
const secretAt = (obj: any, key: string) => isSecretInput(obj) || isSecretInput(obj?.[key]);
const environmentOf = (r: Registered) => plain(r.inputs.environment ?? {}) as Record<string, string>;
const byKey = (a: { key: string; targets: string[] }, b: { key: string; targets: string[] }) => `${a.key}${a.targets}`.localeCompare(`${b.key}${b.targets}`);

describe("the test stack under mocks", () => {
  let resources: Registered[];
  let outputs: Record<string, unknown>;
  before(async () => {
    ({ registered: resources, outputs } = await runProgram("test", stackConfig("test")));
  });

  it("sends preview and development variables only, secrets to preview only and sensitive", () => {
    const vars = ofType(resources, envVar).map((r) => ({
      key: r.inputs.key,
      targets: r.inputs.targets,
      sensitive: r.inputs.sensitive,
    }));
    // No column for "sent as a secret": the Vercel SDK marks every value secret itself, so it would be true on every
    // row whatever the program does. Sensitivity is what Vercel acts on; tests/engine/secrets.test.ts checks the state.
    assert.deepStrictEqual(vars.sort(byKey), [
      { key: "CRON_SECRET", targets: ["preview"], sensitive: true },
      { key: "NEXT_PUBLIC_APP_ENV", targets: ["development"], sensitive: false },
      { key: "NEXT_PUBLIC_APP_ENV", targets: ["preview"], sensitive: false },
      { key: "NEXT_PUBLIC_SUPABASE_ANON_KEY", targets: ["development"], sensitive: false },
      { key: "NEXT_PUBLIC_SUPABASE_ANON_KEY", targets: ["preview"], sensitive: false },
      { key: "NEXT_PUBLIC_SUPABASE_URL", targets: ["development"], sensitive: false },
      { key: "NEXT_PUBLIC_SUPABASE_URL", targets: ["preview"], sensitive: false },
      { key: "SUPABASE_SERVICE_ROLE_KEY", targets: ["preview"], sensitive: true },
    ]);
    assert.strictEqual(
      plain(byName(resources, "vercel-dm-internal-NEXT_PUBLIC_SUPABASE_URL-preview").inputs).value,
      "https://testrefaaaaaaaaaaaaa.supabase.co",
    );
    assert.ok(ofType(resources, envVar).every((r) => r.inputs.projectId === "prj_placeholder0000000000000000"));
  });

  it("holds no prod value anywhere", () => {
    const everything = JSON.stringify(resources.map((r) => plain(r.inputs)));
    assert.ok(!everything.includes(prodRef), "a test-stack input names the prod project");
  });

  it("manages no project shell, no branch protection and no production environment", () => {
    assert.strictEqual(ofType(resources, "vercel:index/project:Project").length, 0);
    assert.strictEqual(ofType(resources, "github:index/branchProtection:BranchProtection").length, 0);
    const environments = ofType(resources, "github:index/repositoryEnvironment:RepositoryEnvironment");
    assert.deepStrictEqual(environments.map((e) => [e.inputs.environment, e.inputs.deploymentBranchPolicy]).sort(), [
      ["test", { protectedBranches: false, customBranchPolicies: true }],
      ["test-readonly", undefined],
    ]);
    const policies = ofType(resources, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    assert.deepStrictEqual(
      policies.map((p) => [p.name, p.inputs.environment, p.inputs.branchPattern]),
      [["github-test-deploy-policy", "test", "main"]],
    );
  });

  it("puts test credentials into the test environment as secrets", () => {
    const secrets = ofType(resources, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    assert.deepStrictEqual(
      secrets.map((s) => [s.inputs.environment, s.inputs.secretName, isSecretInput(s.inputs.value)]),
      [
        ["test", "SUPABASE_DB_PASSWORD", true],
        ["test", "SUPABASE_ACCESS_TOKEN", true],
      ],
    );
    assert.strictEqual(ofType(resources, "github:index/actionsSecret:ActionsSecret").length, 0);
  });

  it("releases in the model's order: marker, migrations, functions, secrets, then tests", () => {
    const graph = Object.fromEntries(ofType(resources, cmd).map((r) => [r.name, r.dependsOn]));
    assert.deepStrictEqual(graph, {
      "supabase-marker-check": [],
      "supabase-db-push": ["supabase-marker-check"],
      "supabase-function-hello": ["supabase-db-push"],
      "supabase-function-stripe-webhook": ["supabase-db-push"],
      "supabase-function-secrets": ["supabase-db-push", "supabase-function-hello", "supabase-function-stripe-webhook"],
      "supabase-integration-tests": [
        "supabase-marker-check",
        "supabase-db-push",
        "supabase-function-hello",
        "supabase-function-stripe-webhook",
        "supabase-function-secrets",
      ],
    });
  });

  it("deploys functions one by one with their own flags, and passes no secret on a command line", () => {
    const hello = byName(resources, "supabase-function-hello").inputs;
    const webhook = byName(resources, "supabase-function-stripe-webhook").inputs;
    assert.match(stepBody(hello.create), /functions deploy 'hello' '--remote=testrefaaaaaaaaaaaaa' '--use-api' '--yes'/);
    assert.doesNotMatch(stepBody(hello.create), /--no-verify-jwt/);
    assert.match(stepBody(webhook.create), /'--no-verify-jwt'/);
    for (const r of ofType(resources, cmd)) {
      for (const value of Object.values(plain(r.inputs.environment ?? {}))) {
        if (typeof value === "string" && value.length > 8)
          assert.ok(!r.inputs.create.includes(value), `${r.name} has an environment value in its command line`);
      }
      assert.strictEqual(r.inputs.logging, "none", `${r.name} must not log output`);
    }
  });

  it("sends every secret input as a secret", () => {
    const push = byName(resources, "supabase-db-push");
    assert.ok(secretAt(push.inputs.environment, "PGPASSWORD"));
    assert.strictEqual(environmentOf(push).PGPASSWORD, "dummy-db-password-for-unit-tests");
    assert.strictEqual(environmentOf(push).DATABASE_URL, "postgresql://postgres.testrefaaaaaaaaaaaaa@aws-0-eu-central-1.pooler.supabase.com:5432/postgres");
    const secrets = byName(resources, "supabase-function-secrets");
    assert.ok(secretAt(secrets.inputs.environment, "DG_SECRET_CRON_SECRET"));
    assert.ok(secretAt(secrets.inputs.environment, "SUPABASE_ACCESS_TOKEN"));
    assert.strictEqual(environmentOf(secrets).DG_SECRET_CRON_SECRET.length, 48);
    const tests = byName(resources, "supabase-integration-tests");
    assert.ok(secretAt(tests.inputs.environment, "SUPABASE_SERVICE_ROLE_KEY"));
  });

  it("re-runs each step only when what it releases changes, and publishes what the tests step recorded", () => {
    const push = byName(resources, "supabase-db-push");
    assert.match(environmentOf(push).MANIFEST, /^20260101000000 create_notes [0-9a-f]{16} [0-9a-f]{16}$/);
    assert.match(environmentOf(push).MIGRATIONS_DIGEST, /^[0-9a-f]{16}$/);
    assert.deepStrictEqual(push.ignoreChanges, ["environment.LEDGER"]);
    const tests = byName(resources, "supabase-integration-tests");
    assert.strictEqual(environmentOf(tests).RELEASE_ID, outputs.releaseId);
    assert.match(String(outputs.releaseId), /^rel-[0-9a-f]{24}$/);
    for (const r of ofType(resources, cmd)) assert.strictEqual(r.inputs.triggers, undefined, `${r.name} would be replaced, losing its last record`);
    assert.notStrictEqual(
      environmentOf(byName(resources, "supabase-function-hello")).FUNCTION_DIGEST,
      environmentOf(byName(resources, "supabase-function-stripe-webhook")).FUNCTION_DIGEST,
    );
    assert.strictEqual(outputs.passedReleaseId, outputs.releaseId);
    assert.deepStrictEqual((outputs.passedRelease as { id: string }).id, outputs.releaseId);
  });

  it("runs every step with a cleared environment: only its own variables and the inherited allow-list", () => {
    for (const r of ofType(resources, cmd))
      assert.match(r.inputs.create, /^set -eu\nset --\nfor name in [A-Z_ ]+; do[\s\S]*exec env -i "\$@" \/bin\/sh -c '/, r.name);
  });

  it("checks the marker of the test tier in column environment", () => {
    const marker = byName(resources, "supabase-marker-check");
    assert.strictEqual(environmentOf(marker).EXPECTED_ENVIRONMENT, "test");
    assert.match(stepBody(marker.inputs.create), /string_agg\("environment"::text, '"','"'\), '"''"'\) from public\.deploy_env_marker'/);
  });

  it("derives its own cron secret from the stack's seed, known at preview: 48 letters and digits, a secret everywhere", () => {
    assert.strictEqual(ofType(resources, "random:index/randomPassword:RandomPassword").length, 0);
    const cron = byName(resources, "vercel-dm-internal-CRON_SECRET-preview");
    assert.ok(isSecretInput(cron.inputs.value));
    const value = plain(cron.inputs.value) as string;
    assert.match(value, /^[A-Za-z0-9]{48}$/);
    assert.strictEqual(environmentOf(byName(resources, "supabase-function-secrets")).DG_SECRET_CRON_SECRET, value);
  });
});

describe("a stack without the Supabase release (enableSupabaseRelease false)", () => {
  it("still gives its Vercel variables the project's URL and anon key", async () => {
    const { registered } = await runProgram("test", stackConfig("test", { enableSupabaseRelease: false }));
    const value = (key: string) => plain(ofType(registered, envVar).find((r) => r.inputs.key === key)?.inputs.value);
    assert.strictEqual(value("NEXT_PUBLIC_SUPABASE_URL"), "https://testrefaaaaaaaaaaaaa.supabase.co");
    assert.strictEqual(value("NEXT_PUBLIC_SUPABASE_ANON_KEY"), "sb_publishable_TESTplaceholderKEY_0000000000");
    assert.strictEqual(ofType(registered, cmd).length, 0);
  });
});

describe("the writing environment of a non-prod stack on other branches", () => {
  const environments = "github:index/repositoryEnvironment:RepositoryEnvironment";
  const policies = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
  it("staging (seed 001): the staging environment deploys from the staging branch only, before its secrets are written", async () => {
    const { registered } = await runProgram("staging", stackConfig("test", { tier: "staging", environmentDeploymentBranches: ["staging"] }));
    assert.deepStrictEqual(
      ofType(registered, environments)
        .map((e) => [e.name, e.inputs.environment, e.inputs.deploymentBranchPolicy])
        .sort(),
      [
        ["github-staging-environment", "staging", { protectedBranches: false, customBranchPolicies: true }],
        ["github-staging-readonly-environment", "staging-readonly", undefined],
      ],
    );
    assert.deepStrictEqual(
      ofType(registered, policies).map((p) => [p.name, p.inputs.environment, p.inputs.branchPattern]),
      [["github-staging-deploy-policy-staging", "staging", "staging"]],
    );
    const secrets = ofType(registered, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    assert.deepStrictEqual(
      secrets.map((s) => [s.inputs.environment, s.inputs.secretName]),
      [
        ["staging", "SUPABASE_DB_PASSWORD"],
        ["staging", "SUPABASE_ACCESS_TOKEN"],
      ],
    );
    for (const secret of secrets)
      assert.deepStrictEqual(secret.dependsOn, ["github-staging-environment", "github-staging-deploy-policy-staging", "supabase-marker-check"]);
  });

  it("test with [main, dev]: keeps the main policy's name and adds one for dev", async () => {
    const { registered } = await runProgram("test", stackConfig("test", { environmentDeploymentBranches: ["main", "dev"] }));
    assert.deepStrictEqual(
      ofType(registered, policies).map((p) => [p.name, p.inputs.environment, p.inputs.branchPattern]),
      [
        ["github-test-deploy-policy", "test", "main"],
        ["github-test-deploy-policy-dev", "test", "dev"],
      ],
    );
  });
});

describe("a test stack whose marker is another column and value (seed 002: bk_env_marker.env = dev)", () => {
  it("reads that column and expects that value, through the environment only", async () => {
    const { registered } = await runProgram(
      "test",
      stackConfig("test", { environmentMarkerTable: "public.bk_env_marker", environmentMarkerColumn: "env", environmentMarkerValue: "dev" }),
    );
    const marker = byName(registered, "supabase-marker-check");
    assert.deepStrictEqual(Object.keys(environmentOf(marker)).sort(), ["DATABASE_URL", "EXPECTED_ENVIRONMENT", "PGPASSWORD", "RELEASE_ID"]);
    assert.strictEqual(environmentOf(marker).EXPECTED_ENVIRONMENT, "dev");
    assert.match(stepBody(marker.inputs.create), /string_agg\("env"::text, '"','"'\), '"''"'\) from public\.bk_env_marker'/);
    assert.doesNotMatch(marker.inputs.create, /'dev'/);
  });
});

describe("the prod stack under mocks", () => {
  it("with nothing tested, manages the shell, checks the database's marker and releases nothing", async () => {
    const { registered, outputs } = await runProgram("prod", stackConfig("prod"));
    assert.deepStrictEqual(
      ofType(registered, cmd).map((c) => c.name),
      ["supabase-marker-check"],
    );
    assert.strictEqual(ofType(registered, "vercel:index/project:Project").length, 1);
    assert.strictEqual(outputs.releasedId, "nothing");
    assert.strictEqual(outputs.testedReleaseId, "nothing");
  });

  it("refuses a release that differs from the one that passed on test, before registering any release step", async () => {
    await assert.rejects(runProgram("prod", stackConfig("prod"), "rel-000000000000000000000000"), (e: Error) => {
      assert.match(
        e.message,
        /Refusing to release rel-[0-9a-f]{24} to prod: the release that passed on organization\/deploy-guardrails\/test is rel-000000000000000000000000/,
      );
      assert.match(e.message, /pulumi up --stack test/);
      return true;
    });
  });

  describe("with the working tree's release passed on test", () => {
    let resources: Registered[];
    let outputs: Record<string, unknown>;
    before(async () => {
      const first = await runProgram("prod", stackConfig("prod"));
      ({ registered: resources, outputs } = await runProgram("prod", stackConfig("prod"), String(first.outputs.releaseId)));
    });

    it("releases it behind a gate that checks the release ids again", () => {
      const gate = byName(resources, "supabase-release-gate");
      assert.strictEqual(environmentOf(gate).RELEASE_ID, outputs.releaseId);
      assert.strictEqual(environmentOf(gate).TESTED_RELEASE_ID, outputs.releaseId);
      assert.match(stepBody(gate.inputs.create), /\[ "\$RELEASE_ID" != "\$TESTED_RELEASE_ID" \]/);
      assert.strictEqual(outputs.releasedId, outputs.releaseId);
      assert.deepStrictEqual(byName(resources, "supabase-release-record").dependsOn, [
        "supabase-marker-check",
        "supabase-db-push",
        "supabase-function-hello",
        "supabase-function-stripe-webhook",
        "supabase-function-secrets",
      ]);
      assert.deepStrictEqual(byName(resources, "supabase-marker-check").dependsOn, ["supabase-release-gate"]);
      assert.deepStrictEqual(byName(resources, "supabase-db-push").dependsOn, ["supabase-marker-check"]);
      assert.strictEqual(
        ofType(resources, cmd).find((r) => r.name === "supabase-integration-tests"),
        undefined,
      );
      assert.strictEqual(environmentOf(byName(resources, "supabase-marker-check")).EXPECTED_ENVIRONMENT, "prod");
    });

    it("sends production variables only", () => {
      const vars = ofType(resources, envVar);
      assert.ok(vars.length > 0);
      for (const v of vars) assert.deepStrictEqual(v.inputs.targets, ["production"]);
      const serviceRole = vars.find((v) => v.inputs.key === "SUPABASE_SERVICE_ROLE_KEY");
      assert.strictEqual(serviceRole?.inputs.sensitive, true);
    });

    it("owns the project shell with main as production branch and preview protection", () => {
      const project = ofType(resources, "vercel:index/project:Project")[0].inputs;
      assert.deepStrictEqual(project.gitRepository, { type: "github", repo: "acme/dm-internal", productionBranch: "main" });
      assert.deepStrictEqual(project.vercelAuthentication, { deploymentType: "standard_protection_new" });
      assert.strictEqual(project.name, "dm-internal");
    });

    it("keeps prod secrets in the production environment only", () => {
      const secrets = ofType(resources, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
      assert.deepStrictEqual(
        secrets.map((s) => [s.inputs.environment, s.inputs.secretName, isSecretInput(s.inputs.value)]),
        [
          ["production", "SUPABASE_DB_PASSWORD", true],
          ["production", "SUPABASE_ACCESS_TOKEN", true],
        ],
      );
      assert.strictEqual(ofType(resources, "github:index/actionsSecret:ActionsSecret").length, 0);
    });
  });

  it("sends no framework for a project with framework other (Vercel's Other), and the named one otherwise", async () => {
    const { registered } = await runProgram(
      "prod",
      stackConfig("prod", {
        vercelProjects: [
          { name: "api", framework: "other", variables: [] },
          { name: "site", framework: "vite", variables: [] },
          { name: "web", variables: [] },
        ],
      }),
    );
    const projects = Object.fromEntries(ofType(registered, "vercel:index/project:Project").map((p) => [p.inputs.name, p.inputs]));
    assert.ok(!("framework" in projects.api), `api must send no framework, sent ${JSON.stringify(projects.api.framework)}`);
    assert.strictEqual(projects.site.framework, "vite");
    assert.strictEqual(projects.web.framework, "nextjs");
  });

  // The GitHub settings' adoption is in github-program.test.ts.
  it("adopts a Vercel project made by hand instead of recreating it", async () => {
    const { registered } = await runProgram(
      "prod",
      stackConfig("prod", { adoptGithub: true, vercelProjects: [{ name: "dm-internal", projectId: "prj_existing123", adopt: true, variables: [] }] }),
    );
    assert.strictEqual(ofType(registered, "vercel:index/project:Project")[0].inputs.name, "dm-internal");
  });

  it("adopts Vercel variables made by hand by their id, on the first target's variable only; the others wait for it", async () => {
    const { registered } = await runProgram(
      "test",
      stackConfig("test", {
        vercelProjects: [
          { name: "dm-internal", projectId: "prj_existing123", variables: [{ key: "NEXT_PUBLIC_SUPABASE_URL", supabase: "url", adoptId: "envHand1" }] },
        ],
      }),
    );
    const vars = ofType(registered, envVar);
    assert.deepStrictEqual(
      vars.map((v) => [v.name, v.options.importId, v.dependsOn.includes("vercel-dm-internal-NEXT_PUBLIC_SUPABASE_URL-preview")]),
      [
        ["vercel-dm-internal-NEXT_PUBLIC_SUPABASE_URL-preview", "prj_existing123/envHand1", false],
        ["vercel-dm-internal-NEXT_PUBLIC_SUPABASE_URL-development", undefined, true],
      ],
    );
    assert.deepStrictEqual(vars[0].options.aliases.length, 1, "the old combined name is an alias");
  });

  it("hands out the project's public values with the release turned off (enableSupabaseRelease: false)", async () => {
    const { registered } = await runProgram("test", stackConfig("test", { enableSupabaseRelease: false, integrationTestCommand: undefined }));
    const anon = ofType(registered, envVar).filter((v) => v.inputs.key === "NEXT_PUBLIC_SUPABASE_ANON_KEY");
    assert.deepStrictEqual(
      anon.map((v) => plain(v.inputs).value),
      ["sb_publishable_TESTplaceholderKEY_0000000000", "sb_publishable_TESTplaceholderKEY_0000000000"],
    );
    assert.strictEqual(ofType(registered, cmd).length, 0);
  });
});
