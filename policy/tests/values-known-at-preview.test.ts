import * as assert from "assert";
import { valuesKnownAtPreview as policy } from "../policies/values-known-at-preview";
import { assertClean, runResource, unknown } from "./helpers";

const variable = (value: unknown, stack = "test") => ({
  type: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  name: "vercel-web-CRON_SECRET-preview",
  props: { key: "CRON_SECRET", value, targets: ["preview"], projectId: "prj_x" },
  stack,
});
const secret = (value: unknown) => ({
  type: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  name: "github-test-secret-X",
  props: { environment: unknown.string, secretName: "X", value },
});
const step = (environment: Record<string, unknown>) => ({
  type: "command:local:Command",
  name: "supabase-integration-tests",
  props: { create: "x", environment },
});

describe("values-known-at-preview", () => {
  const cases: { name: string; resource: ReturnType<typeof variable> | ReturnType<typeof secret> | ReturnType<typeof step>; violation?: RegExp }[] = [
    { name: "a Vercel variable whose value is known", resource: variable("abc") },
    {
      name: "a Vercel variable built at apply time (an interpolated generated value)",
      resource: variable(unknown.string),
      violation: /^value is unknown at preview/,
    },
    { name: "the same in the prod stack, which may hold prod values", resource: variable(unknown.string, "prod") },
    { name: "a GitHub environment secret built at apply time", resource: secret(unknown.string), violation: /^value is unknown at preview/ },
    { name: "a GitHub environment secret whose environment name is not known yet (a new environment)", resource: secret("known") },
    { name: "a release step whose evidence is unknown (a step will run)", resource: step({ RELEASE_EVIDENCE: unknown.string, RELEASE_ID: "rel-x" }) },
    {
      name: "a release step with an unknown password",
      resource: step({ RELEASE_EVIDENCE: unknown.string, PGPASSWORD: unknown.string }),
      violation: /^environment\.PGPASSWORD is unknown at preview/,
    },
    {
      name: "a release step whose whole environment is unknown",
      resource: step(unknown.object as unknown as Record<string, unknown>),
      violation: /^environment is unknown at preview/,
    },
  ];
  for (const c of cases) {
    it(`${c.violation ? "refuses" : "passes"} ${c.name}`, () => {
      const result = runResource(policy, c.resource);
      assert.strictEqual(result.deferred, false, "an unknown value must be decided at preview, not deferred to up");
      if (!c.violation) assertClean(result);
      else {
        assert.strictEqual(result.violations.length, 1, result.violations.join("\n"));
        assert.match(result.violations[0], c.violation);
      }
    });
  }
});
