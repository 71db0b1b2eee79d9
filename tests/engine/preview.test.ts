import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { dummySecrets, engineWorkspace, policyConfig, policyPack } from "../../scripts/engine/workspace";
import { Transcript, cliUp, failureOf, isDeferral, legacyJwt, observePreview, requireToolchain, resourceNames, testPolicyConfig } from "./harness";

const prodRef = "prodrefbbbbbbbbbbbbb";

describe("engine: preview of the committed stacks with the policy pack, offline", function () {
  this.timeout(0);
  before(requireToolchain);

  const expected: Record<string, string[]> = {
    test: [
      "vercel-dm-internal-SUPABASE_SERVICE_ROLE_KEY-preview",
      "vercel-dm-internal-NEXT_PUBLIC_SUPABASE_URL-preview",
      "vercel-dm-internal-NEXT_PUBLIC_SUPABASE_URL-development",
      "github-test-environment",
      "github-test-secret-SUPABASE_DB_PASSWORD",
      "supabase-marker-check",
      "supabase-db-push",
      "supabase-function-stripe-webhook",
      "supabase-function-secrets",
      "supabase-integration-tests",
    ],
    prod: [
      "vercel-dm-internal-project",
      "vercel-dm-internal-SUPABASE_SERVICE_ROLE_KEY-production",
      "github-ruleset-merge-restriction",
      "github-ruleset-status-checks",
      "github-production-environment",
      "github-production-deploy-policy",
      "github-production-secret-SUPABASE_DB_PASSWORD",
    ],
  };

  // CRON_SECRET is generated (random), so its value is unknown until `up`: the only policy output allowed.
  const deferredAtPreview = ["vercel-dm-internal-CRON_SECRET-preview", "vercel-dm-internal-CRON_SECRET-production", "supabase-function-secrets"];

  it("passes for both stacks and plans the expected resources", async () => {
    const workspace = await engineWorkspace();
    for (const name of ["test", "prod"]) {
      const seen = await observePreview(await workspace.stack(name), policyConfig);
      assert.ok(seen.creates >= expected[name].length, `${name} plans only ${seen.creates} resources`);
      for (const resource of expected[name]) assert.ok(seen.text.includes(resource), `${name} should plan ${resource}:\n${seen.text}`);
      const unexpected = seen.policy.filter((p) => !isDeferral(p) || !deferredAtPreview.some((r) => (p.resourceUrn ?? "").endsWith(`::${r}`)));
      assert.deepStrictEqual(
        unexpected.map((p) => `${p.policyName} on ${p.resourceUrn}: ${p.message}`),
        [],
        `${name} should pass the policy pack cleanly`,
      );
    }
  });

  it("prod has nothing to release before anything passed on test: it plans the marker check and no release step", async () => {
    const workspace = await engineWorkspace();
    await workspace.stack("test");
    const transcript = new Transcript();
    await (
      await workspace.stack("prod")
    ).preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], onOutput: transcript.onOutput, color: "never" });
    assert.match(transcript.text, /prod releases nothing: on organization\/deploy-guardrails\/test, no release has passed the integration tests yet/);
    assert.ok(transcript.text.includes("supabase-marker-check"));
    for (const step of ["supabase-release-gate", "supabase-db-push", "supabase-function-", "supabase-release-record"])
      assert.ok(!transcript.text.includes(step), `${step} planned with nothing to release`);
  });

  // Who refuses: the policy, or (for a prod name the stack's own config knows: prodProjectRef) the program's config
  // check first, with the policy's own matcher (contracts/prod-identity.ts). Either way before any change.
  const byPolicy = /no-prod-credential-outside-prod/;
  const byConfig = /names the prod database \(a legacy Supabase key \(JWT\) whose ref claim is the prod project\)/;
  const plants: { name: string; config: Record<string, unknown>; secrets: Record<string, string>; refusedBy?: RegExp }[] = [
    {
      name: "a legacy service-role JWT of the prod project",
      config: {},
      secrets: { supabaseServiceRoleKey: legacyJwt(prodRef, "service_role") },
      refusedBy: byConfig,
    },
    { name: "the prod database password", config: {}, secrets: { supabaseDbPassword: dummySecrets.prod.supabaseDbPassword } },
    { name: "the prod sb_secret key behind another name", config: {}, secrets: { supabaseServiceRoleKey: `  ${dummySecrets.prod.supabaseServiceRoleKey}  ` } },
    { name: "the prod access token", config: {}, secrets: { supabaseAccessToken: dummySecrets.prod.supabaseAccessToken } },
    {
      name: "the prod anon JWT as a public Vercel value",
      config: {
        vercelProjects: [
          {
            name: "dm-internal",
            projectId: "prj_placeholder0000000000000000",
            variables: [{ key: "NEXT_PUBLIC_SUPABASE_ANON_KEY", value: legacyJwt(prodRef, "anon") }],
          },
        ],
      },
      secrets: {},
      refusedBy: byConfig,
    },
  ];
  for (const plant of plants) {
    it(`refuses ${plant.name} in the test stack: preview and \`pulumi up\` fail before any change`, async () => {
      const workspace = await engineWorkspace({ overrides: { test: plant.config } });
      const stack = await workspace.stack("test", Object.fromEntries(Object.entries(plant.secrets).map(([k, v]) => [k, { value: v, secret: true }])));
      const configFile = testPolicyConfig();
      const options = { policyPacks: [policyPack], policyPackConfigs: [configFile], color: "never" as const };
      const preview = await failureOf(stack.preview(options));
      assert.match(preview, plant.refusedBy ?? byPolicy);
      const up = cliUp(workspace, "test", configFile);
      assert.notStrictEqual(up.status, 0, "pulumi up must fail");
      assert.match(up.output, plant.refusedBy ?? byPolicy);
      assert.deepStrictEqual(await resourceNames(stack), [], "the refused up must not change the state");
      for (const value of Object.values(plant.secrets))
        assert.ok(!preview.includes(value.trim()) && !up.output.includes(value.trim()), "a violation message printed the secret");
    });
  }

  it("refuses, at preview, a value a pull request's program builds at apply time (prod's URL interpolated with a new random value), with nothing changed", async () => {
    const workspace = await engineWorkspace();
    // What an edited program would do: a generated secret that embeds prod's URL and is unknown until `up`.
    fs.writeFileSync(
      path.join(workspace.dir, "components", "generatedSecrets.ts"),
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'import * as random from "@pulumi/random";',
        "export class GeneratedSecrets extends pulumi.ComponentResource {",
        "  readonly values: Record<string, pulumi.Output<string>> = {};",
        "  constructor(name: string, args: { secrets: { name: string }[] }) {",
        '    super("deploy-guardrails:secrets:GeneratedSecrets", name, {});',
        "    for (const s of args.secrets) {",
        "      const r = new random.RandomPassword(`${name}-${s.name}`, { length: 32, special: false }, { parent: this });",
        `      this.values[s.name] = pulumi.secret(pulumi.interpolate\`https://${prodRef}.supabase.co?key=\${r.result}\`);`,
        "    }",
        "    this.registerOutputs({});",
        "  }",
        "}",
      ].join("\n"),
    );
    const stack = await workspace.stack("test");
    const configFile = testPolicyConfig();
    const preview = await failureOf(stack.preview({ policyPacks: [policyPack], policyPackConfigs: [configFile], color: "never" }));
    assert.match(preview, /values-known-at-preview/);
    assert.match(preview, /value is unknown at preview/);
    const up = cliUp(workspace, "test", configFile);
    assert.notStrictEqual(up.status, 0);
    assert.deepStrictEqual(await resourceNames(stack), [], "the refused up must not change the state");
  });

  it("with --skip-preview (the Automation API's and pulumi/actions' up) still refuses the violating resource, but applies independent ones first: so workflows preview before up", async () => {
    const plant = plants[1];
    const workspace = await engineWorkspace();
    // The test stack writes to the Vercel project prod created on day one, whose id its config holds.
    workspace.remote.vercelProject("prj_placeholder0000000000000000", "dm-internal");
    const stack = await workspace.stack("test", Object.fromEntries(Object.entries(plant.secrets).map(([k, v]) => [k, { value: v, secret: true }])));
    const options = { policyPacks: [policyPack], policyPackConfigs: [testPolicyConfig()], color: "never" as const };
    const violating: string[] = [];
    await failureOf(
      stack.preview({
        ...options,
        onEvent: (e) => e.policyEvent?.enforcementLevel === "mandatory" && violating.push((e.policyEvent.resourceUrn ?? "").split("::").pop() as string),
      }),
    );
    assert.ok(violating.length > 0, "the preview should name the violating resources");
    assert.match(await failureOf(stack.up(options)), /no-prod-credential-outside-prod/);
    const applied = await resourceNames(stack);
    for (const name of violating) assert.ok(!applied.includes(name), `${name} violated a mandatory policy but reached the state`);
    assert.ok(applied.length > 0, "expected --skip-preview to apply independent resources (if this changed, revisit docs/pipelines.md)");
  });
});
