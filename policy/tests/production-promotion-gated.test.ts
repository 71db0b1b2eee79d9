import { productionPromotionGated as policy } from "../policies/production-promotion-gated";
import { FakeStackResource, assertClean, assertViolation, runStack, unknown } from "./helpers";

const commit = "0123456789abcdef0123456789abcdef01234567";
const other = "fedcba9876543210fedcba9876543210fedcba98";
const marker: FakeStackResource = { type: "command:local:Command", name: "supabase-marker-check", props: { create: "x" } };
const record: FakeStackResource = { type: "command:local:Command", name: "supabase-release-record", props: { create: "x" } };
const project = (props: Record<string, unknown>): FakeStackResource => ({
  type: "vercel:index/project:Project",
  name: "vercel-web-project",
  props: { name: "web", gitRepository: { type: "github", repo: "acme/app", productionBranch: "main" }, ...props },
});
const promote = (environment: Record<string, unknown>, dependsOn = ["supabase-release-record"]): FakeStackResource => ({
  type: "command:local:Command",
  name: "vercel-promote",
  props: { create: "exec node -e '... /v10/projects/${id}/promote/${deployment} ...'", environment },
  dependsOn,
});
const release = { MODE: "release", COMMIT: commit, TESTED_COMMIT: commit };

describe("production-promotion-gated", () => {
  it("passes a prod release whose projects do not auto-assign and whose promotion waits for the release record, for the tested commit", () =>
    assertClean(runStack(policy, [marker, record, project({ autoAssignCustomDomains: false }), promote(release)])));

  it("refuses a connected project that assigns its production domains by itself, or leaves it to Vercel's default", () => {
    assertViolation(runStack(policy, [marker, project({ autoAssignCustomDomains: true })]), /assigns its production domains by itself/);
    assertViolation(runStack(policy, [marker, project({})]), /assigns its production domains by itself/);
  });

  it("leaves a project without a repository, and a prod stack without a release, alone", () => {
    assertClean(runStack(policy, [marker, project({ gitRepository: undefined })]));
    assertClean(runStack(policy, [project({ autoAssignCustomDomains: true })]));
  });

  it("refuses a promotion that does not wait for the release record, or runs without one", () => {
    assertViolation(runStack(policy, [marker, record, promote(release, [])]), /does not depend on supabase-release-record/);
    assertViolation(runStack(policy, [marker, promote(release, [])]), /has no supabase-release-record/);
  });

  it("refuses a promotion of another commit than the one that passed on test, or one it cannot check at preview", () => {
    assertViolation(
      runStack(policy, [marker, record, promote({ ...release, TESTED_COMMIT: other })]),
      /promotes another commit \(COMMIT\) than the one that passed on test \(TESTED_COMMIT\)/,
    );
    assertViolation(runStack(policy, [marker, record, promote({ ...release, COMMIT: unknown.string })]), /COMMIT is unknown at preview/);
    assertViolation(runStack(policy, [marker, record, promote({ ...release, TESTED_COMMIT: "" })]), /TESTED_COMMIT is not a commit id/);
    assertViolation(runStack(policy, [marker, record, promote({ ...release, MODE: "yolo" })]), /MODE is "yolo"/);
  });

  it("compares trees when both are declared: a merge of the tested branch (seed 001) is another commit with the same tree", () => {
    const tree = "1".repeat(40);
    assertClean(runStack(policy, [marker, record, promote({ ...release, TESTED_COMMIT: other, RELEASE_TREE: tree, TESTED_TREE: tree })]));
    assertViolation(
      runStack(policy, [marker, record, promote({ ...release, RELEASE_TREE: tree, TESTED_TREE: "2".repeat(40) })]),
      /whose tree \(RELEASE_TREE\) is not the tree that passed on test \(TESTED_TREE\)/,
    );
  });

  it("accepts a rollback only when the stack declares it", () => {
    const rollback = promote({ MODE: "rollback", COMMIT: commit }, []);
    assertViolation(runStack(policy, [marker, rollback]), /declares no rollback/);
    assertClean(runStack(policy, [marker, rollback, { type: "deploy-guardrails:vercel:VercelRollback", name: "vercel-rollback", props: {} }]));
  });

  it("refuses any other command that makes a deployment live", () => {
    for (const create of [
      "curl -X POST https://api.vercel.com/v10/projects/prj_x/promote/dpl_y",
      "npx vercel promote https://x.vercel.app",
      "npx vercel deploy --prod --token $T",
      "vercel --prod",
      "npx vercel rollback",
    ]) {
      const result = runStack(policy, [marker, { type: "command:local:Command", name: "sneaky", props: { create } }]);
      assertViolation(result, /sneaky makes a Vercel deployment live/);
    }
    assertClean(runStack(policy, [marker, { type: "command:local:Command", name: "harmless", props: { create: "echo vercel is a company" } }]));
  });

  it("ignores stacks that are not prod", () => {
    assertClean(
      runStack(policy, [
        { ...marker, stack: "test" },
        { ...project({ autoAssignCustomDomains: true }), stack: "test" },
      ]),
    );
  });
});
