import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildPolicyConfig, extractProdValues, StackConfigJson } from "../lib/generate-policy-config";
import { policies } from "../policies";
import { balanceKitchenProdConfig, balanceKitchenSecrets, exampleStackFile, projectDefaults } from "./examples";
import { prodDatabaseHost, prodSecrets, testSecrets } from "./fixtures";
import { FakeStackResource, runResource, runStack } from "./helpers";

/**
 * The committed test and prod stacks, registered by the real program under Pulumi mocks (the program engineer's
 * harness in tests/unit/harness.ts), must pass every policy of the pack with the committed policy.config.json:
 * no violation, not even an advisory one, and nothing deferred. The engine tests prove the same with real previews.
 */
const repoRoot = path.join(__dirname, "..", "..");
const harnessPath = path.join(repoRoot, "tests", "unit", "harness.ts");
const policyConfig = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy.config.json"), "utf8")) as Record<string, Record<string, unknown>>;

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  dependsOn: string[];
}
interface Harness {
  stackConfig(stack: string, overrides?: Record<string, unknown>, secrets?: Record<string, string>): { values: Record<string, string>; secretKeys: string[] };
  runProgram(stack: string, config: unknown, passedReleaseId?: string): Promise<{ registered: Registered[]; outputs: Record<string, unknown> }>;
  /** Unwraps the SDK's secret wrappers, as the engine does before a policy sees the inputs. */
  plain(value: unknown): unknown;
}

function loadHarness(): Harness | undefined {
  if (!fs.existsSync(harnessPath)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require(harnessPath) as Partial<Harness>;
  return typeof harness.runProgram === "function" && typeof harness.stackConfig === "function" && typeof harness.plain === "function"
    ? (harness as Harness)
    : undefined;
}

/** The secret config keys of a stack (the anon key is plain config in the stack file), with a seed for its generated secrets. */
function secretConfig(values: typeof testSecrets): Record<string, string> {
  const { supabaseAnonKey: _public, ...secrets } = values;
  return { ...secrets, generatedSecretsSeed: `seed-for-the-generated-secrets-of-${values.supabaseDbPassword}` };
}

function judge(stack: string, registered: Registered[], config: Record<string, Record<string, unknown>> = policyConfig): string[] {
  const findings: string[] = [];
  // Mocks hand over secret inputs wrapped ({<signature>, value}); the engine gives policies the plain value.
  const unwrap = loadHarness()!.plain;
  const resources: FakeStackResource[] = registered.map((r) => ({
    type: r.type,
    name: r.name,
    props: unwrap(r.inputs) as Record<string, unknown>,
    stack,
    dependsOn: r.dependsOn,
  }));
  for (const policy of policies) {
    const section = config[policy.name] ?? {};
    if ("validateStack" in policy) {
      const result = runStack(policy as StackValidationPolicy, resources, section);
      findings.push(...result.violations.map((v) => `${policy.name}: ${v}`));
      if (result.deferred) findings.push(`${policy.name}: deferred`);
      continue;
    }
    for (const resource of resources) {
      const result = runResource(policy as ResourceValidationPolicy, resource, section);
      findings.push(...result.violations.map((v) => `${policy.name} on ${resource.name}: ${v}`));
      if (result.deferred) findings.push(`${policy.name} on ${resource.name}: deferred`);
    }
  }
  return findings;
}

describe("the committed stacks, as the program registers them", function () {
  this.timeout(120000);
  let harness: Harness | undefined;

  before(() => {
    harness = loadHarness();
    assert.ok(harness, `${harnessPath} is gone or no longer exports runProgram, stackConfig and plain: point harnessPath at the program's mock harness`);
  });

  it("test stack: passes every policy cleanly", async () => {
    const { registered } = await harness!.runProgram("test", harness!.stackConfig("test", {}, secretConfig(testSecrets)));
    assert.ok(registered.length > 5, "the program registered almost nothing");
    assert.deepStrictEqual(judge("test", registered), []);
  });

  it("prod stack, releasing what passed on test: passes every policy cleanly", async () => {
    const config = harness!.stackConfig("prod", {}, secretConfig(prodSecrets));
    const first = await harness!.runProgram("prod", config);
    const releaseId = first.outputs.releaseId as string;
    const { registered } = await harness!.runProgram("prod", config, releaseId);
    assert.ok(
      registered.some((r) => r.name === "supabase-release-gate"),
      "the prod stack declared no release gate",
    );
    assert.deepStrictEqual(judge("prod", registered), []);
  });

  it("test stack whose anon key is prod's publishable key: refused as a prod credential (it would point every Preview at prod)", async () => {
    const { registered } = await harness!.runProgram(
      "test",
      harness!.stackConfig("test", { supabaseAnonKey: prodSecrets.supabaseAnonKey }, secretConfig(testSecrets)),
    );
    const findings = judge("test", registered);
    assert.ok(
      findings.some(
        (f) => f.startsWith("no-prod-credential-outside-prod on vercel-dm-internal-NEXT_PUBLIC_SUPABASE_ANON_KEY") && f.includes("prod fingerprint"),
      ),
      JSON.stringify(findings),
    );
    assert.ok(!findings.some((f) => f.startsWith("no-server-secret-in-public-variable")), "a publishable key is not a server secret");
  });

  it("prod stack whose publishable key is stored as a secret: the generated config still passes prod's own NEXT_PUBLIC_SUPABASE_ANON_KEY", async () => {
    const secrets = { ...secretConfig(prodSecrets), supabaseAnonKey: prodSecrets.supabaseAnonKey };
    const config = harness!.stackConfig("prod", {}, secrets);
    const asCli: StackConfigJson = Object.fromEntries(Object.entries(config.values).map(([k, v]) => [k, { value: v, secret: config.secretKeys.includes(k) }]));
    const generated = buildPolicyConfig(policyConfig, extractProdValues(asCli), { stack: "prod" }, policies) as Record<string, Record<string, unknown>>;
    const { registered } = await harness!.runProgram("prod", config);
    assert.deepStrictEqual(judge("prod", registered, generated), []);
    const test = await harness!.runProgram("test", harness!.stackConfig("test", { supabaseAnonKey: prodSecrets.supabaseAnonKey }, secretConfig(testSecrets)));
    assert.ok(
      judge("test", test.registered, generated).some((f) => f.startsWith("no-prod-credential-outside-prod")),
      "and it is still a prod credential in the test stack",
    );
  });

  it("test stack with a prod secret smuggled in: refused (the check is live)", async () => {
    const secrets = secretConfig({ ...testSecrets, supabaseServiceRoleKey: prodSecrets.supabaseServiceRoleKey });
    const { registered } = await harness!.runProgram("test", harness!.stackConfig("test", {}, secrets));
    const findings = judge("test", registered);
    assert.ok(
      findings.some((f) => f.startsWith("no-prod-credential-outside-prod")),
      JSON.stringify(findings),
    );
  });
});

/** An example's stack as the engine hands it to the program: Pulumi.yaml defaults, its stack file, its secrets. */
function exampleConfig(example: string, stack: string, secrets: Record<string, string>) {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...projectDefaults(), ...exampleStackFile(example, stack) })) {
    values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const [key, value] of Object.entries(secrets)) values[`deploy-guardrails:${key}`] = value;
  return { values, secretKeys: Object.keys(secrets).map((k) => `deploy-guardrails:${k}`) };
}

describe("example 002 (Neon, no Supabase), as the program registers it, with the policy config generated from its prod stack", function () {
  this.timeout(120000);
  let harness: Harness | undefined;
  // What npm run policy:fingerprints writes for example 002: prodDatabaseHosts, no prodProjectRefs.
  const generated = buildPolicyConfig(policyConfig, extractProdValues(balanceKitchenProdConfig()), { stack: "prod" }, policies) as Record<
    string,
    Record<string, unknown>
  >;

  before(() => {
    harness = loadHarness();
    assert.ok(harness, `${harnessPath} is gone or no longer exports runProgram, stackConfig and plain: point harnessPath at the program's mock harness`);
  });

  it("identifies prod by its database host", () => {
    assert.deepStrictEqual(generated["no-prod-credential-outside-prod"].prodDatabaseHosts, [prodDatabaseHost]);
    assert.ok(!("prodProjectRefs" in generated["no-prod-credential-outside-prod"]));
  });

  it("test stack: passes every policy cleanly (the prod host in its config reaches no resource)", async () => {
    const { registered } = await harness!.runProgram("test", exampleConfig("002-balance-kitchen", "test", balanceKitchenSecrets.test));
    assert.ok(
      registered.some((r) => r.name === "vercel-api-DATABASE_URL-preview"),
      "the program did not register the api's DATABASE_URL",
    );
    assert.deepStrictEqual(judge("test", registered, generated), []);
  });

  it("test stack whose DATABASE_URL secret names prod's pooler host: the program refuses it (the policy's matcher), and so does the policy", async () => {
    const url = `postgresql://bk_app:dev-password@${prodDatabaseHost.replace(".", "-pooler.")}/balance_kitchen?sslmode=require`;
    const secrets = { ...balanceKitchenSecrets.test, neonDatabaseUrl: url };
    await assert.rejects(harness!.runProgram("test", exampleConfig("002-balance-kitchen", "test", secrets)), (e: Error) => {
      assert.match(e.message, /neonDatabaseUrl: names the prod database \(the prod database host's connection pooler/);
      assert.ok(!e.message.includes(prodDatabaseHost.split(".")[0]), "the config error printed the prod host");
      return true;
    });
    const { registered } = await harness!.runProgram("test", exampleConfig("002-balance-kitchen", "test", balanceKitchenSecrets.test));
    const planted = registered.map((r) => (r.name === "vercel-api-DATABASE_URL-preview" ? { ...r, inputs: { ...r.inputs, value: url } } : r));
    const findings = judge("test", planted, generated);
    assert.ok(
      findings.some((f) => f.startsWith("no-prod-credential-outside-prod on vercel-api-DATABASE_URL-preview") && f.includes("connection pooler")),
      JSON.stringify(findings),
    );
    for (const f of findings) assert.ok(!f.includes(prodDatabaseHost.split(".")[0]), "a finding printed the prod host");
  });
});
