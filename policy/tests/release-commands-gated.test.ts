import * as assert from "assert";
import { dependsOn, matchesName, releaseCommandsGated as policy } from "../policies/release-commands-gated";
import { FakeStackResource, assertClean, runStack } from "./helpers";

const cmd = (name: string, dependsOn: string[] = [], parent?: string): FakeStackResource => ({
  type: "command:local:Command",
  name,
  props: { create: "x" },
  dependsOn,
  parent,
});
const component: FakeStackResource = { type: "deploy-guardrails:supabase:SupabaseRelease", name: "supabase", props: {} };

/** The prod release as the program wires it: gate, marker check, push, functions, secrets. */
const gated: FakeStackResource[] = [
  component,
  cmd("supabase-release-gate", [], "supabase"),
  cmd("supabase-marker-check", ["supabase-release-gate"], "supabase"),
  cmd("supabase-db-push", ["supabase-marker-check"], "supabase"),
  cmd("supabase-function-hello", ["supabase-db-push"], "supabase"),
  cmd("supabase-function-secrets", ["supabase-db-push", "supabase-function-hello"], "supabase"),
];

describe("release-commands-gated", () => {
  it("passes release commands ordered after the gate", () => assertClean(runStack(policy, gated)));

  it("passes a prod stack that releases nothing", () => assertClean(runStack(policy, [component])));

  it("refuses every release command when the gate is missing", () => {
    const result = runStack(
      policy,
      gated.filter((r) => r.name !== "supabase-release-gate"),
    );
    assert.deepStrictEqual(
      result.violations.map((v) => v.split(" ")[0]),
      ["supabase-db-push", "supabase-function-hello", "supabase-function-secrets"],
    );
    assert.match(result.violations[0], /no supabase-release-gate/);
  });

  it("refuses a release command that does not wait for the gate", () => {
    const loose = gated.map((r) => (r.name === "supabase-marker-check" ? cmd("supabase-marker-check", [], "supabase") : r));
    assert.strictEqual(runStack(policy, loose).violations.length, 3);
    assert.match(runStack(policy, loose).violations[0], /does not depend on supabase-release-gate/);
    assertClean(runStack(policy, loose, { requireGateDependency: false }));
  });

  it("counts a dependency through a parent", () => {
    const viaParent = [cmd("supabase-release-gate"), { ...component, dependsOn: ["supabase-release-gate"] }, cmd("supabase-db-push", [], "supabase")];
    assertClean(runStack(policy, viaParent));
  });

  it("leaves non-prod stacks alone", () => {
    assertClean(runStack(policy, [{ ...cmd("supabase-db-push"), stack: "test" }]));
  });

  it("matches names with *", () => {
    assert.ok(matchesName("supabase-function-secrets", "supabase-function-*"));
    assert.ok(!matchesName("supabase-functions", "supabase-function-*"));
    assert.ok(matchesName("a.b", "a.b") && !matchesName("axb", "a.b"));
  });

  it("follows dependencies transitively and stops on cycles", () => {
    const a = { urn: "a", dependencies: [] as unknown[], propertyDependencies: {} } as never as Parameters<typeof dependsOn>[0];
    const b = { urn: "b", dependencies: [a], propertyDependencies: {} } as never as Parameters<typeof dependsOn>[0];
    (a as unknown as { dependencies: unknown[] }).dependencies = [b];
    const c = { urn: "c", dependencies: [], propertyDependencies: {} } as never as Parameters<typeof dependsOn>[0];
    assert.ok(dependsOn(a, b));
    assert.ok(!dependsOn(a, c));
  });
});
