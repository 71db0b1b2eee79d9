import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { EngineWorkspace, dummySecrets, engineWorkspace, policyPack, repoRoot } from "../../scripts/engine/workspace";
import { failureOf, isDeferral, legacyJwt, observePreview, requireToolchain, testPolicyConfig } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findCredentialShapes } = require("../../contracts/credential-shapes") as { findCredentialShapes(value: string): { kind: string }[] };

const examplesDir = path.join(repoRoot, "examples");
const ns = "deploy-guardrails";

interface Example {
  name: string;
  /** In creation order: a stack that prod reads its release gate from comes before prod. */
  stacks: string[];
  /** Resources (logical names) each stack's preview must plan: what the example's README says it configures. */
  plans: Record<string, string[]>;
  /** Text the planned inputs of a stack must show, e.g. a command flag or a required check. */
  inputsShow?: Record<string, string[]>;
  /**
   * Resources whose policy checks wait for `up` because a value is unknown at preview (a generated secret): the
   * only policy output a clean preview may show.
   */
  deferredAtPreview?: string[];
  /** Text no preview of this example may show. */
  never?: string[];
  /** The stack prod reads `passedReleaseId` from. */
  gateStack: string;
  /** A prod credential in a form the program's own config check cannot see, planted into a non-prod stack. */
  plant: { stack: string; what: string; secrets: Record<string, string> };
}

type StackConfig = Record<string, unknown>;

function stackFile(example: string, stack: string): StackConfig {
  const file = yaml.load(fs.readFileSync(path.join(examplesDir, example, `Pulumi.${stack}.yaml`), "utf8")) as { config: StackConfig };
  return file.config;
}

const prodRefOf = (example: string) => stackFile(example, "prod")[`${ns}:prodProjectRef`] as string;

const examples: Example[] = [
  {
    name: "000-dm-internal-systems",
    stacks: ["test", "prod"],
    plans: {
      test: [
        "vercel-dm-internal-SUPABASE_SERVICE_ROLE_KEY-preview",
        "supabase-marker-check",
        "supabase-db-push",
        "supabase-function-ingest",
        "supabase-function-secrets",
        "supabase-integration-tests",
        "github-test-environment",
      ],
      prod: [
        "vercel-dm-internal-project",
        "vercel-dm-internal-SUPABASE_SERVICE_ROLE_KEY-production",
        "github-ruleset-merge-restriction",
        "github-ruleset-status-checks",
        "github-production-environment",
        "github-production-deploy-policy",
      ],
    },
    // CRON_SECRET is generated (random) and so unknown until `up` creates it.
    deferredAtPreview: ["vercel-dm-internal-CRON_SECRET-preview", "vercel-dm-internal-CRON_SECRET-production", "supabase-function-secrets"],
    gateStack: "organization/deploy-guardrails/test",
    plant: {
      stack: "test",
      what: "a legacy service-role JWT of the prod project",
      secrets: { supabaseServiceRoleKey: legacyJwt(prodRefOf("000-dm-internal-systems"), "service_role") },
    },
  },
  {
    name: "001-mano",
    stacks: ["test", "staging", "prod"],
    plans: {
      test: [
        "vercel-mano-web-NEXT_PUBLIC_SUPABASE_URL-preview",
        "vercel-mano-web-NEXT_PUBLIC_SUPABASE_URL-development",
        "supabase-function-health",
        "supabase-integration-tests",
        "github-test-environment",
      ],
      staging: [
        "vercel-mano-web-NEXT_PUBLIC_SUPABASE_URL-preview-staging",
        "vercel-mano-web-SUPABASE_SERVICE_ROLE_KEY-preview-staging",
        "vercel-mano-web-NEXT_PUBLIC_APP_ENV-preview-staging",
        "github-staging-environment",
        "github-staging-deploy-policy-staging",
        "supabase-marker-check",
        "supabase-function-chat",
        "supabase-function-secrets",
        "supabase-integration-tests",
      ],
      prod: [
        "vercel-mano-web-project",
        "github-ruleset-merge-restriction",
        "github-ruleset-status-checks",
        "github-ruleset-status-checks-staging",
        "github-production-environment",
      ],
    },
    inputsShow: { prod: ["only-from-staging"] },
    gateStack: "organization/deploy-guardrails/staging",
    plant: {
      stack: "staging",
      what: "a legacy service-role JWT of the prod project",
      secrets: { supabaseServiceRoleKey: legacyJwt(prodRefOf("001-mano"), "service_role") },
    },
  },
  {
    name: "002-balance-kitchen",
    stacks: ["test", "prod"],
    plans: {
      test: [
        "vercel-api-DATABASE_URL-preview",
        "vercel-site-VITE_APP_ENV-preview",
        "vercel-client-VITE_API_BASE_URL-preview",
        "vercel-client-VITE_API_BASE_URL-development",
        "vercel-admin-VITE_APP_ENV-development",
        "supabase-marker-check",
        "supabase-db-push",
        "supabase-integration-tests",
      ],
      prod: [
        "vercel-site-project",
        "vercel-client-project",
        "vercel-admin-project",
        "vercel-api-project",
        "vercel-api-DATABASE_URL-production",
        "github-ruleset-merge-restriction",
      ],
    },
    inputsShow: { test: ["environment marker public.bk_env_marker.env", "sh db/migrate.sh"] },
    never: ["supabase-function-"],
    gateStack: "organization/deploy-guardrails/test",
    // The pooler host of prod's Neon endpoint: only the policy's prodDatabaseHosts knows it, the program's config check does not.
    plant: {
      stack: "test",
      what: "a DATABASE_URL on prod's Neon pooler host",
      secrets: {
        neonDatabaseUrl: "postgresql://bk_app:dummy-app-password@EP-PROD-PLACEHOLDER-pooler.eu-central-1.aws.neon.tech/balance_kitchen?sslmode=require",
      },
    },
  },
  {
    name: "003-f044",
    stacks: ["test", "prod"],
    plans: {
      test: [
        "vercel-adaptive-outbound-NEXT_PUBLIC_APP_ENV-preview",
        "vercel-adaptive-outbound-NEXT_PUBLIC_APP_ENV-preview-dev",
        "vercel-adaptive-outbound-NEXT_PUBLIC_SITE_URL-preview-dev",
        "supabase-function-job-worker",
        "supabase-integration-tests",
      ],
      prod: [
        "vercel-adaptive-outbound-project",
        "vercel-adaptive-outbound-NEXT_PUBLIC_SITE_URL-production",
        "github-ruleset-merge-restriction",
        "github-ruleset-status-checks-dev",
      ],
    },
    gateStack: "organization/deploy-guardrails/test",
    plant: {
      stack: "test",
      what: "a legacy service-role JWT of the prod project",
      secrets: { supabaseServiceRoleKey: legacyJwt(prodRefOf("003-f044"), "service_role") },
    },
  },
  {
    name: "004-fashionos",
    stacks: ["test", "prod"],
    plans: {
      test: ["supabase-function-generate-event-draft", "supabase-function-sponsor-ai", "supabase-function-secrets", "supabase-integration-tests"],
      prod: ["vercel-fashionos-project", "github-ruleset-merge-restriction", "github-ruleset-status-checks", "github-production-environment"],
    },
    inputsShow: { test: ["--no-verify-jwt", "DG_SECRET_GEMINI_API_KEY", "DG_SECRET_GOOGLE_MAPS_API_KEY"] },
    gateStack: "organization/deploy-guardrails/test",
    plant: { stack: "test", what: "the prod database password", secrets: { supabaseDbPassword: dummySecrets.prod.supabaseDbPassword } },
  },
];

/** What `npm run policy:fingerprints` would write for the example's prod stack, with the dummy prod secrets. */
function policyConfigFor(example: string): string {
  const prod = stackFile(example, "prod");
  const list = <T>(key: string) => (prod[`${ns}:${key}`] as T[] | undefined) ?? [];
  const ref = prod[`${ns}:prodProjectRef`] as string | undefined;
  const host = prod[`${ns}:prodDatabaseHost`] as string | undefined;
  const agents = list<{ login: string; id: number }>("agentAccounts");
  const authority = {
    releaseAuthorityIds: list<{ id: number }>("releaseAuthority").map((a) => a.id),
    releaseAuthorityTeamIds: list<{ id: number }>("releaseAuthorityTeams").map((t) => t.id),
  };
  const soleReleaseAuthority = prod[`${ns}:soleReleaseAuthority`] === true;
  const releaseBranches = list<string | { branch: string }>("releaseBranches").map((b) => (typeof b === "string" ? b : b.branch));
  return testPolicyConfig({
    "no-prod-credential-outside-prod": { prodProjectRefs: ref ? [ref] : [], prodDatabaseHosts: host ? [host] : [] },
    "main-branch-protected": { requiredStatusChecks: list<string>("requiredStatusChecks") },
    "production-environment-protected": { ...authority, soleReleaseAuthority },
    "release-branch-rulesets-sound": { ...authority, soleReleaseAuthority, releaseBranches },
    "github-guardrails-declared": { releaseBranches, requiredStatusChecks: list<string>("requiredStatusChecks") },
    "agents-cannot-release": { agentAccounts: agents.map((a) => a.login), agentAccountIds: agents.map((a) => a.id) },
  });
}

/** Folders of an example the engine workspace does not copy by itself (it copies `supabase/`), e.g. `db/`. */
function copyExtraFolders(example: string, workspace: EngineWorkspace): void {
  const source = path.join(examplesDir, example);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "supabase") {
      fs.cpSync(path.join(source, entry.name), path.join(workspace.dir, entry.name), { recursive: true });
    }
  }
}

describe("examples: the files each seed's example promises", () => {
  it("has an example folder for exactly the five seeds", () => {
    assert.deepStrictEqual(
      fs.readdirSync(examplesDir).sort(),
      examples.map((e) => e.name),
    );
  });

  for (const example of examples) {
    describe(example.name, () => {
      const dir = path.join(examplesDir, example.name);
      const stackFiles = fs.readdirSync(dir).filter((f) => /^Pulumi\.[A-Za-z0-9_-]+\.yaml$/.test(f));

      it("has a stack file for each of its stacks and a README mapping rules to keys and listing what is not covered", () => {
        assert.deepStrictEqual(stackFiles.map((f) => f.slice("Pulumi.".length, -".yaml".length)).sort(), [...example.stacks].sort());
        const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
        assert.match(readme, /## Each rule of the seed, and what enforces it/);
        assert.match(readme, /## What the program does not cover, and why/);
      });

      it("holds placeholders only: no credential in any stack file", () => {
        for (const file of stackFiles) {
          const text = fs.readFileSync(path.join(dir, file), "utf8");
          const shapes = findCredentialShapes(text).filter((s) => s.kind !== "database-url");
          assert.deepStrictEqual(shapes, [], `${file} holds a credential`);
          assert.doesNotMatch(text, /\beyJ[A-Za-z0-9_-]{10,}/, `${file} holds a JWT`);
        }
      });

      it("keeps every prod value out of its non-prod stacks, and gives prod what the model needs", () => {
        const prod = stackFile(example.name, "prod");
        const prodValues = [
          prod[`${ns}:prodProjectRef`],
          prod[`${ns}:prodDatabaseHost`],
          prod[`${ns}:databaseUrl`],
          prod[`${ns}:supabaseUrl`],
          prod[`${ns}:supabaseAnonKey`],
        ].filter((v): v is string => typeof v === "string");
        for (const stack of example.stacks.filter((s) => s !== "prod")) {
          const config = stackFile(example.name, stack);
          const identityKeys = [`${ns}:prodProjectRef`, `${ns}:prodDatabaseHost`];
          for (const [key, value] of Object.entries(config)) {
            if (identityKeys.includes(key)) continue;
            const text = JSON.stringify(value);
            for (const prodValue of prodValues) assert.ok(!text.includes(prodValue), `${stack} ${key} carries the prod value ${prodValue}`);
          }
          if (config[`${ns}:supabaseProjectRef`] !== undefined) assert.notStrictEqual(config[`${ns}:supabaseProjectRef`], prod[`${ns}:prodProjectRef`]);
          assert.ok(config[`${ns}:integrationTestCommand`], `${stack} needs integrationTestCommand`);
          for (const project of (config[`${ns}:vercelProjects`] as { name: string; projectId?: string }[] | undefined) ?? []) {
            assert.match(project.projectId ?? "", /^prj_/, `${stack}: Vercel project ${project.name} needs its projectId`);
          }
        }
        const authority = prod[`${ns}:releaseAuthority`] as { login: string; id: unknown }[];
        assert.ok(authority.length > 0 && authority.every((a) => Number.isInteger(a.id)), "prod needs releaseAuthority with numeric ids");
        assert.ok(((prod[`${ns}:agentAccounts`] as unknown[] | undefined) ?? []).length > 0, "prod needs agentAccounts");
        assert.ok((prod[`${ns}:requiredStatusChecks`] as string[]).includes("preview"), "prod must require the preview check");
        assert.strictEqual(prod[`${ns}:releaseGateStack`] ?? "organization/deploy-guardrails/test", example.gateStack);
      });
    });
  }
});

describe("engine: every example previews cleanly with the policy pack, and refuses a planted prod credential", function () {
  this.timeout(0);
  before(requireToolchain);

  for (const example of examples) {
    describe(example.name, () => {
      let workspace: EngineWorkspace;
      const stacks: Record<string, Stack> = {};
      let policyConfig: string;

      before(async () => {
        workspace = await engineWorkspace({ source: path.join(examplesDir, example.name) });
        copyExtraFolders(example.name, workspace);
        for (const name of example.stacks) stacks[name] = await workspace.stack(name);
        policyConfig = policyConfigFor(example.name);
      });

      for (const name of example.stacks) {
        it(`${name}: passes the policy pack and plans what the README says`, async () => {
          const seen = await observePreview(stacks[name], policyConfig);
          const deferredOn = example.deferredAtPreview ?? [];
          const unexpected = seen.policy.filter((p) => !isDeferral(p) || !deferredOn.some((r) => (p.resourceUrn ?? "").endsWith(`::${r}`)));
          assert.deepStrictEqual(
            unexpected.map((p) => `${p.policyName} on ${p.resourceUrn}: ${p.message}`),
            [],
            `${name} should pass the policy pack cleanly:\n${seen.text}`,
          );
          assert.ok(seen.creates >= example.plans[name].length, `${name} plans only ${seen.creates} resources`);
          for (const resource of example.plans[name]) assert.ok(seen.text.includes(resource), `${name} should plan ${resource}:\n${seen.text}`);
          for (const text of example.inputsShow?.[name] ?? []) assert.ok(seen.inputs.includes(text), `${name}'s planned inputs should show ${text}`);
          for (const text of example.never ?? []) assert.ok(!seen.text.includes(text), `${name} should not plan ${text}`);
          if (name === "prod") {
            // Nothing has passed on the gate stack yet: prod manages its shell and releases nothing.
            assert.ok(
              seen.diagnostics.includes(`prod releases nothing: on ${example.gateStack}, no release has passed the integration tests yet`),
              `prod should read its gate from ${example.gateStack}:\n${seen.diagnostics}`,
            );
            assert.ok(!seen.text.includes("supabase-db-push"), "prod must plan no release step before anything passed");
          }
        });
      }

      it(`refuses ${example.plant.what} planted in the ${example.plant.stack} stack`, async () => {
        const stack = stacks[example.plant.stack];
        await stack.setAllConfig(Object.fromEntries(Object.entries(example.plant.secrets).map(([k, v]) => [`${ns}:${k}`, { value: v, secret: true }])));
        const message = await failureOf(stack.preview({ policyPacks: [policyPack], policyPackConfigs: [policyConfig], color: "never" }));
        // The program's config check refuses a prod name the stack's config knows (the policy's matcher, contracts/)
        // before the policy pack would; a prod value only policy.config.json knows is the policy's.
        assert.match(message, /no-prod-credential-outside-prod|names the prod database/);
        for (const value of Object.values(example.plant.secrets)) assert.ok(!message.includes(value), "the violation message printed the planted secret");
      });
    });
  }
});
