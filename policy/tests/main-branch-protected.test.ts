import * as assert from "assert";
import { mainBranchProtected as policy } from "../policies/main-branch-protected";
import { mainProtection } from "./github-fixtures";
import { assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const mutations: [string, (string | number)[], unknown, string][] = [
  ["administrators not included", ["props", "enforceAdmins"], false, "enforceAdmins: true"],
  ["enforceAdmins left out", ["props", "enforceAdmins"], undefined, "enforceAdmins: true"],
  ["force pushes allowed", ["props", "allowsForcePushes"], true, "allowsForcePushes: false"],
  ["force push bypassers", ["props", "forcePushBypassers"], ["/someone"], "Remove forcePushBypassers"],
  ["deletions allowed", ["props", "allowsDeletions"], true, "allowsDeletions: false"],
  ["no linear history", ["props", "requiredLinearHistory"], false, "requiredLinearHistory: true"],
  ["no conversation resolution", ["props", "requireConversationResolution"], undefined, "requireConversationResolution: true"],
  ["no pull request required", ["props", "requiredPullRequestReviews"], [], "does not require pull requests"],
  ["zero approvals", ["props", "requiredPullRequestReviews", 0, "requiredApprovingReviewCount"], 0, "fewer than 1 approval"],
  ["stale approvals kept", ["props", "requiredPullRequestReviews", 0, "dismissStaleReviews"], false, "dismissStaleReviews: true"],
  ["last push approval not required", ["props", "requiredPullRequestReviews", 0, "requireLastPushApproval"], undefined, "requireLastPushApproval: true"],
  ["no status checks", ["props", "requiredStatusChecks"], [], "requires no status checks"],
  ["empty contexts", ["props", "requiredStatusChecks", 0, "contexts"], [], "requires no status checks"],
  ["preview check missing", ["props", "requiredStatusChecks", 0, "contexts"], ["unit-tests"], "does not require the status check(s) preview"],
];

describe("main-branch-protected", () => {
  it("passes the protection the program declares", () => assertClean(runResource(policy, mainProtection)));

  for (const [what, path, value, fix] of mutations) {
    it(`refuses: ${what}`, () => assertViolation(runResource(policy, mutate(mainProtection, path, value)), fix));
  }

  it("requires every configured status check and approval count", () => {
    assertViolation(runResource(policy, mainProtection, { requiredStatusChecks: ["preview", "unit"] }), "status check(s) unit");
    assertViolation(runResource(policy, mainProtection, { minApprovals: 2 }), "fewer than 2 approval(s)");
  });

  it("ignores other branches, non-prod stacks and other types", () => {
    assertClean(runResource(policy, mutate(mainProtection, ["props", "pattern"], "release/*")));
    assertClean(runResource(policy, { ...mutate(mainProtection, ["props", "enforceAdmins"], false), stack: "test" }));
    assertClean(runResource(policy, { ...mainProtection, type: "github:index/repositoryEnvironment:RepositoryEnvironment" }));
  });

  it("defers unknowns: the pattern, or a single setting", () => {
    assert.deepStrictEqual(runResource(policy, mutate(mainProtection, ["props", "pattern"], unknown.string)), { violations: [], deferred: true });
    const partly = mutate(mutate(mainProtection, ["props", "enforceAdmins"], unknown.boolean), ["props", "allowsDeletions"], true);
    const result = runResource(policy, partly);
    assert.strictEqual(result.violations.length, 1);
    assert.strictEqual(result.deferred, true);
  });
});
