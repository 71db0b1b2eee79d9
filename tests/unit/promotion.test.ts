import * as assert from "assert";
import { PromotionInput, PromotionPlan, describePromotion, planPromotion } from "../../lib/promotion-plan";
import { PromotedState, previousPromotedState, promotedStateOf, withPromoted } from "../../lib/promotion-records";
import { ReleaseSource, chooseSource, tagProblem } from "../../lib/release-commit";
import { previewDatabaseNotice } from "../../lib/preview-notice";
import { describeProduction } from "../../lib/production-summary";
import { parseSettings } from "../../config/parse";
import { stackConfig } from "./harness";

const a = "a".repeat(40);
const b = "b".repeat(40);
const c = "c".repeat(40);
const rel = "rel-0123456789abcdef01234567";
const atA: ReleaseSource = { commit: a, from: "git" };
const none: PromotedState = { commit: "", deployments: {}, history: [] };

const input = (over: Partial<PromotionInput>): PromotionInput => ({
  stack: "prod",
  gateStack: "organization/deploy-guardrails/test",
  projects: ["web"],
  decision: { kind: "release", releaseId: rel },
  releaseFrom: "merge",
  source: atA,
  testedCommit: a,
  production: none,
  ...over,
});

describe("what a prod update makes live (planPromotion)", () => {
  const cases: { name: string; over: Partial<PromotionInput>; expect: PromotionPlan["kind"]; message?: RegExp }[] = [
    { name: "a release of the commit that passed on test promotes it", over: {}, expect: "promote" },
    { name: "nothing passed yet: nothing goes live", over: { decision: { kind: "nothing", reason: "no release has passed" } }, expect: "none" },
    { name: "break-glass: nothing goes live", over: { decision: { kind: "break-glass", reason: "rotate the key" } }, expect: "none" },
    { name: "no promoted project: nothing to do", over: { projects: [] }, expect: "none" },
    {
      name: "another commit than the one that passed",
      over: { testedCommit: b },
      expect: "refuse",
      message: new RegExp(`Refusing to release commit ${a} to prod: the release that passed on organization/deploy-guardrails/test ran on commit ${b}`),
    },
    {
      name: "another commit with the tree that passed (a merge of the tested branch)",
      over: { source: { ...atA, tree: c }, testedCommit: b, testedTree: c },
      expect: "promote",
    },
    {
      name: "the commit that passed, but another tree",
      over: { source: { ...atA, tree: c }, testedTree: b },
      expect: "refuse",
      message: /whose tree b{40} is not this checkout's \(c{40}\)/,
    },
    {
      name: "test recorded no tree (no git there): the commits must match",
      over: { source: { ...atA, tree: c }, testedCommit: b },
      expect: "refuse",
      message: /ran on commit b{40}\./,
    },
    {
      name: "test recorded no commit",
      over: { testedCommit: "" },
      expect: "refuse",
      message: /recorded no commit for the release that passed \(its output passedCommit\)/,
    },
    {
      name: "test's record is the engine's unknown placeholder",
      over: { testedCommit: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
      expect: "refuse",
      message: /recorded no commit/,
    },
    { name: "this run cannot tell its commit", over: { source: { from: "nothing" } }, expect: "refuse", message: /cannot tell which commit it releases/ },
    {
      name: "releaseFrom tag without a tag",
      over: { releaseFrom: "tag" },
      expect: "refuse",
      message: /releases from version tags \(deploy-guardrails:releaseFrom is tag\), and this run releases no tag/,
    },
    {
      name: "releaseFrom tag with the tag of the tested commit",
      over: { releaseFrom: "tag", source: { ...atA, tag: "v1.2.3", tagCommit: a } },
      expect: "promote",
    },
    {
      name: "a tag of another commit than the checkout",
      over: { releaseFrom: "tag", source: { ...atA, tag: "v1.2.3", tagCommit: b } },
      expect: "refuse",
      message: new RegExp(`the tag v1.2.3 names commit ${b}, but the checkout is ${a}`),
    },
    {
      name: "a tag the checkout does not have",
      over: { source: { ...atA, tag: "v1.2.3" } },
      expect: "refuse",
      message: /the tag v1.2.3 does not exist in this checkout/,
    },
    {
      name: "a tag that is no version",
      over: { releaseFrom: "tag", source: { ...atA, tag: "latest", tagCommit: a } },
      expect: "refuse",
      message: /RELEASE_TAG is "latest", which is not a version tag vX.Y.Z/,
    },
    {
      name: "a tag of an older commit than the one that passed",
      over: { releaseFrom: "tag", source: { commit: b, from: "git", tag: "v1.0.0", tagCommit: b } },
      expect: "refuse",
      message: new RegExp(
        `Refusing to release the tag v1.0.0 \\(commit ${b}\\) to prod: the release that passed on organization/deploy-guardrails/test ran on commit ${a}. .*Release a tag of the commit that passed`,
      ),
    },
    {
      name: "a rollback to a commit this stack made live",
      over: { decision: { kind: "rollback", commit: b, reason: "INC-7 broken" }, production: { commit: a, deployments: {}, history: [b, a] } },
      expect: "rollback",
    },
    {
      name: "a rollback to a commit never made live",
      over: { decision: { kind: "rollback", commit: c, reason: "INC-7 broken" }, production: { commit: a, deployments: {}, history: [b, a] } },
      expect: "refuse",
      message: new RegExp(`Refusing to roll back prod to commit ${c}: the prod stack never made that commit live \\(it promoted bbbbbbbbbbbb, aaaaaaaaaaaa`),
    },
    {
      name: "a rollback before anything went live",
      over: { decision: { kind: "rollback", commit: c, reason: "INC-7 broken" } },
      expect: "refuse",
      message: /it has promoted nothing yet/,
    },
    {
      name: "a rollback on a stack that promotes nothing",
      over: { projects: [], rollbackTo: { commit: b, reason: "INC-7 broken" }, decision: { kind: "rollback", commit: b, reason: "INC-7 broken" } },
      expect: "refuse",
      message: /promotes no Vercel project/,
    },
  ];
  for (const k of cases) {
    it(`${k.name} → ${k.expect}`, () => {
      const plan = planPromotion(input(k.over));
      assert.strictEqual(plan.kind, k.expect, JSON.stringify(plan));
      if (k.message) assert.match(plan.kind === "refuse" ? plan.message : "", k.message);
    });
  }

  it("promotes the checkout's commit, which is the tested one, with its tag", () => {
    assert.deepStrictEqual(planPromotion(input({ releaseFrom: "tag", source: { ...atA, tag: "v1.2.3", tagCommit: a } })), {
      kind: "promote",
      commit: a,
      tag: "v1.2.3",
    });
  });

  it("says in the preview which commit goes live, and what stays live otherwise", () => {
    assert.deepStrictEqual(describePromotion({ kind: "promote", commit: a }, ["site", "api"], none), [
      `  then makes commit ${a} live: promotes its production deployment of site, api, after supabase-release-record, all together`,
    ]);
    assert.deepStrictEqual(describePromotion({ kind: "none", reason: "break-glass releases nothing" }, ["web"], { ...none, commit: b }), [
      `  production stays on commit ${b} (break-glass releases nothing)`,
    ]);
    assert.match(
      describePromotion({ kind: "rollback", commit: b, reason: "INC-7 broken" }, ["web"], { ...none, commit: a })[0],
      new RegExp(`^ROLLBACK \\(INC-7 broken\\): re-promotes the production deployment of commit ${b} in web \\(live now: commit ${a}\\)\\. No migration`),
    );
  });
});

describe("which commit a run releases (chooseSource, tagProblem)", () => {
  it("git's HEAD wins over GITHUB_SHA (a tag release checks the tag out on a run started on main)", () => {
    assert.deepStrictEqual(chooseSource({ head: a }, { GITHUB_SHA: b }), { commit: a, from: "git", tag: undefined, tagCommit: undefined });
    assert.deepStrictEqual(chooseSource({}, { GITHUB_SHA: b.toUpperCase() }), { commit: b, from: "GITHUB_SHA", tag: undefined, tagCommit: undefined });
    assert.deepStrictEqual(chooseSource({ head: "not-a-commit" }, { GITHUB_SHA: "abc" }), { from: "nothing", tag: undefined, tagCommit: undefined });
  });
  it("a tag needs the version shape and must name the checkout", () => {
    assert.strictEqual(tagProblem(chooseSource({ head: a, tagCommit: a }, { RELEASE_TAG: "v1.2.3" })), undefined);
    assert.match(tagProblem(chooseSource({ head: a, tagCommit: b }, { RELEASE_TAG: "v1.2.3" })) ?? "", /names commit b{40}, but the checkout is a{40}/);
    assert.match(tagProblem(chooseSource({ head: a }, { RELEASE_TAG: "v1.2.3" })) ?? "", /does not exist in this checkout/);
    assert.match(tagProblem(chooseSource({ head: a }, { RELEASE_TAG: "v1.2" })) ?? "", /not a version tag/);
    assert.match(tagProblem(chooseSource({ head: a }, { RELEASE_TAG: "v01.2.3" })) ?? "", /not a version tag/);
    assert.strictEqual(tagProblem(chooseSource({ head: a }, {})), undefined);
  });
});

describe("what production serves, from the promotion step's records", () => {
  const out = (lines: string[]) => lines.map((l) => `deploy-guardrails-record: ${l}`).join("\n");
  it("reads the commit and each project's deployment, and appends the commit to the history once", () => {
    const state = promotedStateOf(out([`promoted web dpl_abc ${b}`, `promoted api dpl_def ${b}`, `live ${b}`]), {
      commit: a,
      deployments: { web: "dpl_old" },
      history: [b, a],
    });
    assert.deepStrictEqual(state, { commit: b, deployments: { web: "dpl_abc", api: "dpl_def" }, history: [a, b] });
  });
  it("keeps what the stack recorded before when the step never finished, and ignores lines of another shape", () => {
    const before: PromotedState = { commit: a, deployments: { web: "dpl_old" }, history: [a] };
    assert.deepStrictEqual(promotedStateOf(out([`promoted web dpl_abc ${b}`]), before), before);
    assert.deepStrictEqual(promotedStateOf(out([`promoted web ../x ${b}`, "live nope"]), before), before);
    assert.deepStrictEqual(promotedStateOf(undefined, before), before);
  });
  it("reads the stack's outputs back, dropping anything that is not a commit or a deployment id", () => {
    assert.deepStrictEqual(
      previousPromotedState({ productionCommit: a, productionDeployments: { web: "dpl_x", evil: "'; rm" }, promotedCommits: [b, "x", a] }),
      { commit: a, deployments: { web: "dpl_x" }, history: [b, a] },
    );
    assert.deepStrictEqual(previousPromotedState({ productionCommit: "nothing" }), none);
  });
  it("keeps at most the last 50 commits", () => {
    const many = Array.from({ length: 60 }, (_, i) => i.toString(16).padStart(40, "0"));
    const history = many.reduce((h, commit) => withPromoted(h, commit), [] as string[]);
    assert.strictEqual(history.length, 50);
    assert.strictEqual(history[49], many[59]);
  });
});

describe("a pull request's preview when its migrations have not reached test", () => {
  const summary = (pending: string[]) => ({
    stack: "test",
    releaseId: rel,
    pendingMigrations: pending.map((v) => ({ version: v, name: "add_x", digest: "0".repeat(16), normalised: "0".repeat(16) })),
    changedMigrations: [],
    functionsToDeploy: [],
  });
  it("says the test database is behind, naming the files", () => {
    const [line] = previewDatabaseNotice(summary(["20260301000000"]) as never, "test");
    assert.match(
      line,
      /^DATABASE BEHIND: the test database does not have this migration yet: 20260301000000_add_x\.sql\. A Vercel Preview of this change runs against test as its last release left it/,
    );
  });
  it("says nothing without pending migrations, or on prod", () => {
    assert.deepStrictEqual(previewDatabaseNotice(summary([]) as never, "test"), []);
    assert.deepStrictEqual(previewDatabaseNotice(summary(["20260301000000"]) as never, "prod"), []);
  });
});

describe("promotion config", () => {
  const parse = (stack: string, overrides: Record<string, unknown>) =>
    parseSettings(stackConfig(stack, overrides).values, stack, new Set(stackConfig(stack).secretKeys));
  const issues = (stack: string, overrides: Record<string, unknown>) => {
    try {
      parse(stack, overrides);
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  };
  it("defaults to releasing from merges, no rollback, a 900 s wait", () => {
    assert.deepStrictEqual(parse("prod", {}).promotion, { releaseFrom: "merge", rollbackTo: undefined, waitSeconds: 900 });
  });
  it("reads a tag release and a rollback on prod", () => {
    const settings = parse("prod", { releaseFrom: "tag", rollbackTo: { commit: a, reason: "checkout broken (INC-7)" }, promotionWaitSeconds: 60 });
    assert.deepStrictEqual(settings.promotion, { releaseFrom: "tag", rollbackTo: { commit: a, reason: "checkout broken (INC-7)" }, waitSeconds: 60 });
  });
  it("refuses them on test, a short commit, a rollback without a reason, and a rollback together with break-glass", () => {
    assert.match(issues("test", { releaseFrom: "tag" }), /deploy-guardrails:releaseFrom: is set on the test tier/);
    assert.match(issues("test", { rollbackTo: { commit: a, reason: "checkout broken" } }), /deploy-guardrails:rollbackTo: is set on the test tier/);
    assert.match(issues("prod", { rollbackTo: { commit: "abc123", reason: "checkout broken" } }), /rollbackTo\.commit: must be a full commit id/);
    assert.match(issues("prod", { rollbackTo: { commit: a } }), /rollbackTo\.reason: is required but not set/);
    assert.match(
      issues("prod", { rollbackTo: { commit: a, reason: "checkout broken" }, breakGlass: "rotate the leaked key" }),
      /rollbackTo: is set together with breakGlass/,
    );
    assert.match(issues("prod", { releaseFrom: "tags" }), /releaseFrom: is not one of "merge", "tag"/);
  });
});

describe("up-prod's job summary of what production serves", () => {
  const outputs = { productionCommit: a, productionDeployments: { web: "dpl_abc" }, releasedId: rel, releaseMode: "release" };
  it("after a good release: the commit, the database release and each project's deployment", () => {
    assert.deepStrictEqual(describeProduction(outputs, "success"), [
      "## Production after this run",
      "",
      `Production serves commit \`${a}\` (database release \`${rel}\`):`,
      "",
      "- `web`: `dpl_abc`",
    ]);
  });
  it("after a refusal or a failure: says nothing new went live, and what still serves", () => {
    const lines = describeProduction(outputs, "failure");
    assert.match(lines[2], /^\*\*The prod release did not finish \(job failure\): nothing new was made live\.\*\*/);
    assert.ok(lines.includes(`Production serves commit \`${a}\` (database release \`${rel}\`):`));
  });
  it("before the first promotion, and after a rollback", () => {
    assert.deepStrictEqual(describeProduction({ productionCommit: "nothing" }, "success").slice(2), [
      "Production serves no deployment this stack promoted yet (nothing was released with it).",
    ]);
    assert.match(describeProduction({ ...outputs, releaseMode: "rollback" }, "success")[2], /^\*\*Rolled back\*\*/);
  });
});
