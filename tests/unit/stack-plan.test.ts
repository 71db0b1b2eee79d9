import * as assert from "assert";
import * as path from "path";
import { Settings, parseSettings } from "../../config/parse";
import { PreparedPromotion, PromotionPlan, promotedProjects } from "../../lib/promotion-plan";
import { ReleaseContents } from "../../lib/release-identity";
import { ReleaseDecision } from "../../lib/release-gate";
import { PreparedRelease, ReleaseMode } from "../../lib/release-plan";
import { StackPlan, passedReleaseOf, planStack, stackOutputs } from "../../lib/stack-plan";
import { dummySecrets, examplesDir, stackConfig } from "./harness";

const releaseId = "rel-aaaaaaaaaaaaaaaaaaaaaaaa";
const commit = "a".repeat(40);
const tree = "b".repeat(40);
const earlier = "c".repeat(40);
const earlierId = `rel-${"0".repeat(24)}`;

function settingsOf(stack: string, overrides: Record<string, unknown> = {}, stackDir?: string): Settings {
  const secrets = stackDir ? { ...dummySecrets, anthropicApiKey: "dummy-anthropic-key-for-unit-tests" } : dummySecrets;
  const config = stackConfig(stack, overrides, secrets, stackDir);
  return parseSettings(config.values, stack, new Set(config.secretKeys));
}

const contents: ReleaseContents = {
  releaseId,
  parts: { files: "f", imports: "i", functions: [], functionSecretNames: [], migrationCommand: "m" },
  migrations: [],
  functions: [],
  problems: [],
};

/** What io/prepare-release.ts hands over: `tested` only when prod read its gate stack. */
function prepared(mode: ReleaseMode, decision?: ReleaseDecision, tested?: Record<string, unknown>): PreparedRelease {
  return {
    contents,
    mode,
    decision,
    previous: {},
    testedReleaseId: tested ? String(tested.passedReleaseId) : undefined,
    tested,
    own: {},
    summary: { stack: "x", releaseId, pendingMigrations: [], changedMigrations: [], functionsToDeploy: [], decision },
  };
}

function promotionOf(plan: PromotionPlan, projects: string[]): PreparedPromotion {
  return { plan, projects, production: { commit: "", deployments: {}, history: [] }, source: { commit, tree, from: "git" }, apiUrl: "https://api.vercel.com" };
}

const noPromotion = (projects: string[] = []) => promotionOf({ kind: "none", reason: "r" }, projects);
const passed = { passedReleaseId: releaseId, passedCommit: commit, passedTree: tree };
const released = prepared(
  { kind: "release", testedReleaseId: releaseId, gateStack: "organization/deploy-guardrails/test" },
  { kind: "release", releaseId },
  passed,
);

/** The plan in one line per component, in the order index.ts builds them. */
function componentsOf(plan: StackPlan): string[] {
  const v = plan.vercel;
  return [
    ...(plan.release ? [`release:${plan.release.mode.kind}`] : []),
    ...(plan.breakGlass ? ["break-glass"] : []),
    ...(plan.rollback ? [`rollback:${plan.rollback.commit.slice(0, 1)}`] : []),
    ...(v
      ? [v.projectIds.kind === "shell" ? `vercel-shell:${v.projectIds.shell.promotedByRelease ? "promoted" : "self-assigning"}` : "vercel-referenced"]
      : []),
    ...(v?.promotion ? [`promotion:${v.promotion.mode.kind}:${v.promotion.mode.commit.slice(0, 1)}`] : []),
    ...(v ? [`vercel-variables:${v.variables.tier}`] : []),
    ...(plan.github ? [`github:${plan.github.tier}${plan.github.checkVisibility ? "+visibility" : ""}${plan.github.adopt ? "+adopt" : ""}`] : []),
  ];
}

/** The output keys the stack exports when every component it plans was built. */
function outputKeysOf(plan: StackPlan): string[] {
  const release = plan.release
    ? { migrationLedger: "l", releasedFunctions: "f", releasedId: "r", passedReleaseId: "p", passedCommit: "c", passedTree: "t", passedRelease: "pr" }
    : undefined;
  const outputs = stackOutputs(plan.outputs, { vercelProjectIds: {}, release, production: { commit: "c", deployments: "d", history: "h" } });
  return Object.keys(outputs);
}

const nonProdKeys = [
  "tier",
  "releaseId",
  "vercelProjectIds",
  "migrationLedger",
  "releasedFunctions",
  "passedReleaseId",
  "passedCommit",
  "passedTree",
  "passedRelease",
];
const prodKeys = ["tier", "releaseId", "vercelProjectIds", "migrationLedger", "releasedFunctions", "testedReleaseId", "releasedId", "releaseMode"];
const productionKeys = ["productionCommit", "productionDeployments", "promotedCommits"];

interface Row {
  name: string;
  settings: () => Settings;
  release?: PreparedRelease;
  promotion: (settings: Settings) => PreparedPromotion;
  components: string[];
  outputs: string[];
}

const rows: Row[] = [
  {
    name: "test: release with tests, Vercel variables into the projects prod owns, its GitHub environments",
    settings: () => settingsOf("test"),
    release: prepared({ kind: "test" }),
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["release:test", "vercel-referenced", "vercel-variables:test", "github:test"],
    outputs: nonProdKeys,
  },
  {
    name: "staging (seed 001): like test, for the staging tier",
    settings: () => settingsOf("staging", {}, path.join(examplesDir, "001-mano")),
    release: prepared({ kind: "test" }),
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["release:test", "vercel-referenced", "vercel-variables:staging", "github:staging"],
    outputs: nonProdKeys,
  },
  {
    name: "prod releasing what passed: the shell, promotion of the tested commit after the release, production variables, rulesets",
    settings: () => settingsOf("prod"),
    release: released,
    promotion: (s) => promotionOf({ kind: "promote", commit, tree }, promotedProjects(s)),
    components: ["release:release", "vercel-shell:promoted", "promotion:promote:a", "vercel-variables:prod", "github:prod"],
    outputs: [...prodKeys, ...productionKeys],
  },
  {
    name: "prod with nothing passed yet: marker check only, no promotion, the production outputs still published",
    settings: () => settingsOf("prod"),
    release: prepared({ kind: "marker-only" }, { kind: "nothing", reason: "nothing passed" }, { passedReleaseId: "nothing" }),
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["release:marker-only", "vercel-shell:promoted", "vercel-variables:prod", "github:prod"],
    outputs: [...prodKeys, ...productionKeys],
  },
  {
    name: "prod from a tag: the tag's commit is promoted like a merge's",
    settings: () => settingsOf("prod", { releaseFrom: "tag" }),
    release: released,
    promotion: (s) => promotionOf({ kind: "promote", commit, tree, tag: "v1.2.3" }, promotedProjects(s)),
    components: ["release:release", "vercel-shell:promoted", "promotion:promote:a", "vercel-variables:prod", "github:prod"],
    outputs: [...prodKeys, ...productionKeys],
  },
  {
    name: "prod in break-glass: the marker check, the visible BreakGlass, and its reason as an output",
    settings: () => settingsOf("prod", { breakGlass: "database restore, INC-12" }),
    release: prepared({ kind: "marker-only" }, { kind: "break-glass", reason: "database restore, INC-12" }),
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["release:marker-only", "break-glass", "vercel-shell:promoted", "vercel-variables:prod", "github:prod"],
    outputs: [...prodKeys, "breakGlass", ...productionKeys],
  },
  {
    name: "prod rolling back: the visible rollback and the promotion in rollback mode, no release step",
    settings: () => settingsOf("prod", { rollbackTo: { commit: earlier, reason: "checkout broken, INC-7" } }),
    release: prepared({ kind: "marker-only" }, { kind: "rollback", commit: earlier, reason: "checkout broken, INC-7" }),
    promotion: (s) => promotionOf({ kind: "rollback", commit: earlier, reason: "checkout broken, INC-7" }, promotedProjects(s)),
    components: ["release:marker-only", "rollback:c", "vercel-shell:promoted", "promotion:rollback:c", "vercel-variables:prod", "github:prod"],
    outputs: [...prodKeys, ...productionKeys],
  },
  {
    name: "test with the release disabled: no release, no release outputs",
    settings: () => settingsOf("test", { enableSupabaseRelease: false }),
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["vercel-referenced", "vercel-variables:test", "github:test"],
    outputs: nonProdKeys.filter((k) => k !== "migrationLedger" && k !== "releasedFunctions"),
  },
  {
    name: "prod with the release disabled: the shell assigns its own domains, nothing is promoted",
    settings: () => settingsOf("prod", { enableSupabaseRelease: false }),
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["vercel-shell:self-assigning", "vercel-variables:prod", "github:prod"],
    outputs: prodKeys.filter((k) => k !== "migrationLedger" && k !== "releasedFunctions"),
  },
  {
    name: "test without Vercel",
    settings: () => settingsOf("test", { enableVercel: false }),
    release: prepared({ kind: "test" }),
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["release:test", "github:test"],
    outputs: nonProdKeys,
  },
  {
    name: "prod without GitHub: the shell is not connected, so nothing is promoted",
    settings: () => settingsOf("prod", { enableGithub: false }),
    release: released,
    promotion: (s) => noPromotion(promotedProjects(s)),
    components: ["release:release", "vercel-shell:self-assigning", "vercel-variables:prod"],
    outputs: prodKeys,
  },
  {
    name: "prod adopting its GitHub settings and verifying the repository",
    settings: () => settingsOf("prod", { adoptGithub: true, githubVerifyRepository: true }),
    release: released,
    promotion: (s) => promotionOf({ kind: "promote", commit, tree }, promotedProjects(s)),
    components: ["release:release", "vercel-shell:promoted", "promotion:promote:a", "vercel-variables:prod", "github:prod+visibility+adopt"],
    outputs: [...prodKeys, ...productionKeys],
  },
];

describe("the stack plan (lib/stack-plan.ts): which components each tier builds and which outputs it exports", () => {
  for (const row of rows) {
    it(row.name, () => {
      const settings = row.settings();
      const plan = planStack(settings, row.release, row.promotion(settings));
      assert.deepStrictEqual(componentsOf(plan), row.components);
      assert.deepStrictEqual(outputKeysOf(plan), row.outputs);
    });
  }

  it("promotes the commit that passed on test, with the tested commit and tree as the gate stack recorded them", () => {
    const settings = settingsOf("prod");
    const plan = planStack(settings, released, promotionOf({ kind: "promote", commit, tree }, ["dm-internal"]));
    assert.deepStrictEqual(plan.vercel?.promotion, {
      mode: { kind: "promote", commit, tree, testedCommit: commit, testedTree: tree, releaseId },
      projects: ["dm-internal"],
      teamId: settings.vercel?.teamId,
      apiUrl: "https://api.vercel.com",
      waitSeconds: 900,
      previous: { commit: "", deployments: {}, history: [] },
    });
    assert.deepStrictEqual(plan.vercel?.projectIds, {
      kind: "shell",
      shell: { gitRepository: "acme/dm-internal", productionBranch: "main", promotedByRelease: true },
    });
  });

  it("a gate record that names no tree gives the promotion an empty tested tree, never a made-up one", () => {
    const withoutTree = prepared(released.mode, released.decision, { passedReleaseId: releaseId, passedCommit: commit, passedTree: 42 });
    const plan = planStack(settingsOf("prod"), withoutTree, promotionOf({ kind: "promote", commit }, ["dm-internal"]));
    assert.deepStrictEqual(plan.vercel?.promotion?.mode, { kind: "promote", commit, tree: "", testedCommit: commit, testedTree: "", releaseId });
  });

  it("a non-prod tier writes into the projects prod owns, by the ids in its config", () => {
    const plan = planStack(settingsOf("test"), prepared({ kind: "test" }), noPromotion());
    assert.deepStrictEqual(plan.vercel?.projectIds, { kind: "referenced", ids: { "dm-internal": "prj_placeholder0000000000000000" } });
    assert.strictEqual(plan.vercel?.promotion, undefined);
  });

  it("gives the integration tests the anon key, and the service role key only when the stack holds one", () => {
    assert.deepStrictEqual(planStack(settingsOf("test"), prepared({ kind: "test" }), noPromotion()).release?.testEnvironment, {
      SUPABASE_ANON_KEY: { supabase: "anonKey" },
      SUPABASE_SERVICE_ROLE_KEY: { secret: "supabaseServiceRoleKey" },
    });
    const test = settingsOf("test");
    const settings = { ...test, secretKeys: test.secretKeys.filter((k) => k !== "supabaseServiceRoleKey") };
    assert.deepStrictEqual(planStack(settings, prepared({ kind: "test" }), noPromotion()).release?.testEnvironment, {
      SUPABASE_ANON_KEY: { supabase: "anonKey" },
    });
  });

  it("prod with nothing tested publishes that it released nothing", () => {
    const plan = planStack(settingsOf("prod"), undefined, noPromotion());
    assert.deepStrictEqual(stackOutputs(plan.outputs, { vercelProjectIds: {} }), {
      tier: "prod",
      releaseId: undefined,
      vercelProjectIds: {},
      testedReleaseId: "nothing",
      releasedId: "nothing",
      releaseMode: "nothing",
    });
  });

  const parts = contents.parts;
  const passedCases: [string, Parameters<typeof passedReleaseOf>[1], string, unknown][] = [
    ["this release passed: its parts", { current: { id: releaseId, parts } }, releaseId, { id: releaseId, parts }],
    [
      "an earlier release is still the one that passed: its recorded parts",
      { current: { id: releaseId, parts }, previous: { id: earlierId, parts } },
      earlierId,
      { id: earlierId, parts },
    ],
    [
      "a release the stack knows nothing of: the id alone",
      { current: { id: releaseId, parts }, previous: { id: earlierId, parts } },
      "nothing",
      { id: "nothing" },
    ],
    ["a malformed earlier record: the id alone", { previous: { id: earlierId } }, earlierId, { id: earlierId }],
  ];
  for (const [name, known, id, expected] of passedCases) it(`passedRelease: ${name}`, () => assert.deepStrictEqual(passedReleaseOf(id, known), expected));
});
