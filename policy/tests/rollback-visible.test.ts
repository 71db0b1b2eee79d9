import * as assert from "assert";
import { rollbackVisible as policy } from "../policies/rollback-visible";
import { FakeStackResource, assertClean, runStack } from "./helpers";

const rollback: FakeStackResource = { type: "deploy-guardrails:vercel:VercelRollback", name: "vercel-rollback", props: {} };
const marker: FakeStackResource = { type: "command:local:Command", name: "supabase-marker-check", props: { create: "x" } };

describe("rollback-visible", () => {
  it("says nothing about a prod stack that releases normally", () => assertClean(runStack(policy, [marker])));

  it("reports a rollback of prod, in every preview and up", () => {
    const result = runStack(policy, [rollback, marker]);
    assert.strictEqual(result.violations.length, 1);
    assert.match(result.violations[0], /ROLLS BACK/);
  });

  it("reports every release command that would run in a rollback", () => {
    const result = runStack(policy, [rollback, marker, { ...marker, name: "supabase-db-push" }, { ...marker, name: "supabase-release-gate" }]);
    assert.deepStrictEqual(
      result.violations.slice(1).map((v) => v.split(" ")[0]),
      ["supabase-db-push", "supabase-release-gate"],
    );
  });

  it("ignores the component on a stack that is not prod", () => assertClean(runStack(policy, [{ ...rollback, stack: "test" }])));
});
