import * as assert from "assert";
import { breakGlassVisible as policy } from "../policies/break-glass-visible";
import { FakeStackResource, assertClean, runStack } from "./helpers";

const breakGlass: FakeStackResource = { type: "deploy-guardrails:release:BreakGlass", name: "release-break-glass", props: {} };
const marker: FakeStackResource = { type: "command:local:Command", name: "supabase-marker-check", props: { create: "x" } };

describe("break-glass-visible", () => {
  it("says nothing about a prod stack that releases normally", () => assertClean(runStack(policy, [marker])));

  it("reports break-glass on prod, in every preview and up", () => {
    const result = runStack(policy, [breakGlass, marker]);
    assert.strictEqual(result.violations.length, 1);
    assert.match(result.violations[0], /BREAK-GLASS/);
  });

  it("reports every release command that would run in break-glass", () => {
    const result = runStack(policy, [
      breakGlass,
      marker,
      { ...marker, name: "supabase-db-push" },
      { ...marker, name: "supabase-function-hello" },
      { ...marker, name: "supabase-release-record" },
    ]);
    assert.deepStrictEqual(
      result.violations.slice(1).map((v) => v.split(" ")[0]),
      ["supabase-db-push", "supabase-function-hello", "supabase-release-record"],
    );
  });

  it("ignores the component on a stack that is not prod", () => assertClean(runStack(policy, [{ ...breakGlass, stack: "test" }])));
});
