import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { prodSecrets, testSecrets } from "./fixtures";
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
}

function loadHarness(): Harness | undefined {
  if (!fs.existsSync(harnessPath)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require(harnessPath) as Partial<Harness>;
  return typeof harness.runProgram === "function" && typeof harness.stackConfig === "function" ? (harness as Harness) : undefined;
}

/** The secret config keys of a stack (the anon key is plain config in the stack file). */
function secretConfig(values: typeof testSecrets): Record<string, string> {
  const { supabaseAnonKey: _public, ...secrets } = values;
  return secrets;
}

function judge(stack: string, registered: Registered[]): string[] {
  const findings: string[] = [];
  const resources: FakeStackResource[] = registered.map((r) => ({ type: r.type, name: r.name, props: r.inputs, stack, dependsOn: r.dependsOn }));
  for (const policy of policies) {
    const config = policyConfig[policy.name] ?? {};
    if ("validateStack" in policy) {
      const result = runStack(policy as StackValidationPolicy, resources, config);
      findings.push(...result.violations.map((v) => `${policy.name}: ${v}`));
      if (result.deferred) findings.push(`${policy.name}: deferred`);
      continue;
    }
    for (const resource of resources) {
      const result = runResource(policy as ResourceValidationPolicy, resource, config);
      findings.push(...result.violations.map((v) => `${policy.name} on ${resource.name}: ${v}`));
      if (result.deferred) findings.push(`${policy.name} on ${resource.name}: deferred`);
    }
  }
  return findings;
}

describe("the committed stacks, as the program registers them", function () {
  this.timeout(120000);
  let harness: Harness | undefined;

  before(function () {
    harness = loadHarness();
    if (!harness) this.skip();
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
    assert.ok(registered.some((r) => r.name === "supabase-release-gate"), "the prod stack declared no release gate");
    assert.deepStrictEqual(judge("prod", registered), []);
  });

  it("test stack with a prod secret smuggled in: refused (the check is live)", async () => {
    const secrets = secretConfig({ ...testSecrets, supabaseServiceRoleKey: prodSecrets.supabaseServiceRoleKey });
    const { registered } = await harness!.runProgram("test", harness!.stackConfig("test", {}, secrets));
    const findings = judge("test", registered);
    assert.ok(findings.some((f) => f.startsWith("no-prod-credential-outside-prod")), JSON.stringify(findings));
  });
});
