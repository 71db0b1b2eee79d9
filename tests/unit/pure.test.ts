import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PlainRunError } from "../../config/errors";
import { defaultTargets, allowedTargets } from "../../config/vercel";
import { isSensitive } from "../../config/sources";
import { frameworkInput, planVariables, variableImportId } from "../../lib/vercel-plan";
import { VercelVariableConfig } from "../../config/schema";
import { deploymentPolicyPlan, writingEnvironmentBranches } from "../../contracts/github-names";

describe("Vercel variable targets", () => {
  const cases: { tier: "test" | "prod"; sensitive: boolean; expect: string[] }[] = [
    { tier: "test", sensitive: false, expect: ["preview", "development"] },
    { tier: "test", sensitive: true, expect: ["preview"] },
    { tier: "prod", sensitive: false, expect: ["production"] },
    { tier: "prod", sensitive: true, expect: ["production"] },
  ];
  for (const c of cases) {
    it(`${c.tier}, ${c.sensitive ? "secret" : "public"} value → ${c.expect.join("+")}`, () => {
      assert.deepStrictEqual(defaultTargets(c.tier, c.sensitive), c.expect);
      for (const t of defaultTargets(c.tier, c.sensitive)) assert.ok(allowedTargets(c.tier).includes(t as never));
    });
  }
  const sensitivity: [object, boolean][] = [
    [{ value: "x" }, false],
    [{ supabase: "url" }, false],
    [{ supabase: "anonKey" }, false],
    [{ supabase: "serviceRoleKey" }, true],
    [{ secret: "stripeKey" }, true],
    [{ generated: "cronSecret" }, true],
  ];
  for (const [source, expected] of sensitivity) {
    it(`${JSON.stringify(source)} is ${expected ? "sensitive" : "public"}`, () => assert.strictEqual(isSensitive(source), expected));
  }
  const web = (variables: VercelVariableConfig[]) => ({
    name: "web",
    adopt: false,
    framework: "nextjs",
    previewProtection: "standard_protection_new" as const,
    variables,
  });
  // [entry, tier, sensitive policy, planned: name, target, sensitive, aliases, after, adoptId]
  const plans: [string, VercelVariableConfig[], "test" | "prod", boolean, [string, string, boolean, string[], string?, string?][]][] = [
    [
      "a public value on test: one variable per target, the old combined name an alias of the first",
      [{ key: "A", value: "1" }],
      "test",
      false,
      [
        ["web-A-preview", "preview", false, ["web-A-preview+development"]],
        ["web-A-development", "development", false, [], "web-A-preview"],
      ],
    ],
    [
      "targets given in any order are ordered as before",
      [{ key: "A", value: "1", targets: ["development", "preview"] }],
      "test",
      false,
      [
        ["web-A-preview", "preview", false, ["web-A-preview+development"]],
        ["web-A-development", "development", false, [], "web-A-preview"],
      ],
    ],
    ["one target: the name it always had, no alias", [{ key: "S", secret: "s" }], "test", false, [["web-S-preview", "preview", true, []]]],
    [
      "a branch-specific value",
      [{ key: "API_URL", value: "https://dev.example.com", targets: ["preview"], gitBranch: "feat/x" }],
      "test",
      false,
      [["web-API_URL-preview-feat_x", "preview", false, []]],
    ],
    [
      "the sensitive policy makes preview sensitive and leaves development readable",
      [{ key: "A", value: "1" }],
      "test",
      true,
      [
        ["web-A-preview", "preview", true, ["web-A-preview+development"]],
        ["web-A-development", "development", false, [], "web-A-preview"],
      ],
    ],
    ["the sensitive policy on prod", [{ key: "A", value: "1" }], "prod", true, [["web-A-production", "production", true, []]]],
    [
      "a variable made by hand is adopted by its first part; the others wait for it",
      [{ key: "A", value: "1", adoptId: "env123" }],
      "test",
      false,
      [
        ["web-A-preview", "preview", false, ["web-A-preview+development"], undefined, "env123"],
        ["web-A-development", "development", false, [], "web-A-preview"],
      ],
    ],
  ];
  for (const [title, variables, tier, sensitivePolicy, expected] of plans) {
    it(`plans ${title}`, () => {
      const planned = planVariables(web(variables), tier, { sensitivePolicy });
      assert.deepStrictEqual(
        planned.map((p) => [p.name, p.targets.join(), p.sensitive, p.aliases, p.after, p.adoptId]),
        expected.map(([name, target, sensitive, aliases, after, adoptId]) => [name, target, sensitive, aliases, after, adoptId]),
      );
    });
  }
  it("names every planned variable uniquely when entries of one key take different targets and branches", () => {
    const planned = planVariables(
      web([
        { key: "E", value: "p", targets: ["preview"] },
        { key: "E", value: "d", targets: ["development"] },
        { key: "E", value: "b", targets: ["preview"], gitBranch: "dev" },
      ]),
      "test",
    );
    assert.deepStrictEqual(
      planned.map((p) => p.name),
      ["web-E-preview", "web-E-development", "web-E-preview-dev"],
    );
  });
  it("builds the import id of a variable made by hand as the provider reads it", () => {
    assert.strictEqual(variableImportId("env1", "prj_a"), "prj_a/env1");
    assert.strictEqual(variableImportId("env1", "prj_a", "team_x"), "team_x/prj_a/env1");
  });
});

describe("the branches of a non-prod writing environment", () => {
  const cases: { configured: string[]; productionBranch: string; branches: string[]; policies: [string, string][] }[] = [
    { configured: [], productionBranch: "main", branches: ["main"], policies: [["deploy-policy", "main"]] },
    { configured: [], productionBranch: "trunk", branches: ["trunk"], policies: [["deploy-policy", "trunk"]] },
    { configured: ["staging"], productionBranch: "main", branches: ["staging"], policies: [["deploy-policy-staging", "staging"]] },
    {
      configured: ["main", "dev"],
      productionBranch: "main",
      branches: ["main", "dev"],
      policies: [
        ["deploy-policy", "main"],
        ["deploy-policy-dev", "dev"],
      ],
    },
    { configured: ["release/2026.1"], productionBranch: "main", branches: ["release/2026.1"], policies: [["deploy-policy-release_2026.1", "release/2026.1"]] },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.configured)} with production branch ${c.productionBranch} → ${c.policies.map((p) => p[0]).join(", ")}`, () => {
      const branches = writingEnvironmentBranches({ environmentDeploymentBranches: c.configured, productionBranch: c.productionBranch });
      assert.deepStrictEqual(branches, c.branches);
      assert.deepStrictEqual(
        deploymentPolicyPlan(branches, c.productionBranch).map((p) => [p.role, p.branchPattern]),
        c.policies,
      );
    });
  }
});

describe("the framework a project shell sends", () => {
  const cases: [string, string | undefined][] = [
    ["nextjs", "nextjs"],
    ["vite", "vite"],
    ["other", undefined],
  ];
  for (const [configured, sent] of cases) {
    it(`framework ${JSON.stringify(configured)} → ${sent === undefined ? "no framework input" : JSON.stringify(sent)}`, () =>
      assert.strictEqual(frameworkInput(configured), sent));
  }
});

describe(".env.local", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderEnvLocal } = require("../../lib/env-local") as typeof import("../../lib/env-local");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { settingsFromStackFiles } = require("../../config/stack-file") as typeof import("../../config/stack-file");
  const root = path.join(__dirname, "..", "..");
  const test = settingsFromStackFiles(root, "test", { secretsMayBeAbsent: true });
  it("writes the committed test stack's URL and anon key, read through the program's own parser", () => {
    assert.strictEqual(
      renderEnvLocal(test).split("\n").slice(1, 3).join("\n"),
      "NEXT_PUBLIC_SUPABASE_URL=https://testrefaaaaaaaaaaaaa.supabase.co\nNEXT_PUBLIC_SUPABASE_ANON_KEY=sb_publishable_TESTplaceholderKEY_0000000000",
    );
  });
  it("refuses the committed prod stack", () =>
    assert.throws(() => renderEnvLocal(settingsFromStackFiles(root, "prod", { secretsMayBeAbsent: true })), /Refusing to write .env.local from stack "prod"/));
  const refusals: [string, Partial<typeof test>, RegExp][] = [
    ["a test stack of another tier", { tier: "staging" }, /tier staging/],
    ["a project ref that is prod's", { projectRef: "prodrefbbbbbbbbbbbbb" }, /names the prod project/],
    ["a stack without an anon key", { supabaseProject: { url: test.supabaseProject.url } }, /supabaseAnonKey is not set/],
  ];
  for (const [name, change, message] of refusals) {
    it(`refuses ${name}`, () => assert.throws(() => renderEnvLocal({ ...test, ...change }), message));
  }
});

describe("PlainRunError", () => {
  it("is a RunError (Pulumi prints the message alone) and carries no stack for the SDK to format", () => {
    const error = new PlainRunError("Refusing to release");
    assert.ok(pulumi.RunError.isInstance(error));
    assert.strictEqual(error.message, "Refusing to release");
    assert.strictEqual(error.stack, "");
  });
});
