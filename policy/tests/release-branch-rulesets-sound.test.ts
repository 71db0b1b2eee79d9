import * as assert from "assert";
import { releaseBranchRulesetsSound as policy } from "../policies/release-branch-rulesets-sound";
import { branchIntegrity, mergeRestriction, pullRequestReviews, rulesets, soleAuthorityConfig, statusChecks } from "./github-fixtures";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const teamConfig = { releaseAuthorityIds: [100001, 100002], releaseAuthorityTeamIds: [42], soleReleaseAuthority: false };
const bypass = (actorType: string, actorId: number | undefined, bypassMode = "always") => ({
  actorType,
  ...(actorId === undefined ? {} : { actorId }),
  bypassMode,
});

describe("release-branch-rulesets-sound", () => {
  it("passes the rulesets the program declares for the committed prod stack", () => {
    for (const r of rulesets) assertClean(runResource(policy, r, soleAuthorityConfig));
  });

  // How a ruleset on main could be edited to let someone (an agent, any write collaborator) around it.
  const cases: [string, FakeResource, Record<string, unknown>, string | RegExp][] = [
    ["a disabled ruleset", mutate(mergeRestriction, ["props", "enforcement"], "disabled"), soleAuthorityConfig, 'has enforcement "disabled"'],
    ["evaluate mode", mutate(statusChecks, ["props", "enforcement"], "evaluate"), soleAuthorityConfig, 'has enforcement "evaluate"'],
    [
      "the write role as bypass actor",
      mutate(mergeRestriction, ["props", "bypassActors"], [bypass("RepositoryRole", 4)]),
      soleAuthorityConfig,
      /bypassActors\[0\] \(RepositoryRole 4\) bypass it, who is not the release authority/,
    ],
    [
      "organization admins as bypass actors",
      mutate(mergeRestriction, ["props", "bypassActors"], [bypass("OrganizationAdmin", undefined)]),
      soleAuthorityConfig,
      "(OrganizationAdmin)",
    ],
    [
      "the GitHub Actions app as bypass actor",
      mutate(mergeRestriction, ["props", "bypassActors"], [bypass("Integration", 15368)]),
      soleAuthorityConfig,
      "(Integration 15368)",
    ],
    ["a deploy key as bypass actor", mutate(mergeRestriction, ["props", "bypassActors"], [bypass("DeployKey", undefined)]), soleAuthorityConfig, "(DeployKey)"],
    ["another user as bypass actor", mutate(mergeRestriction, ["props", "bypassActors"], [bypass("User", 555001)]), soleAuthorityConfig, "(User 555001)"],
    ["a team that is not the authority", mutate(mergeRestriction, ["props", "bypassActors"], [bypass("Team", 77)]), teamConfig, "(Team 77)"],
    [
      "the authority exempt instead of bypassing",
      mutate(mergeRestriction, ["props", "bypassActors"], [bypass("User", 100001, "exempt")]),
      soleAuthorityConfig,
      "exempt actors skip the rules",
    ],
    [
      "a bypass actor on the required checks",
      mutate(statusChecks, ["props", "bypassActors"], [bypass("User", 100001)]),
      soleAuthorityConfig,
      "has bypass actors on its required checks",
    ],
    [
      "a check by name only",
      mutate(statusChecks, ["props", "rules", "requiredStatusChecks", "requiredChecks"], [{ context: "preview" }]),
      soleAuthorityConfig,
      "requires preview from any source",
    ],
    [
      "a check pinned to integration 0",
      mutate(statusChecks, ["props", "rules", "requiredStatusChecks", "requiredChecks"], [{ context: "preview", integrationId: 0 }]),
      soleAuthorityConfig,
      "requires preview from any source",
    ],
    ["a review bypass without the sole-authority mode", pullRequestReviews, teamConfig, "lets actors bypass its pull-request rule"],
    [
      "a sole authority's review bypass that is always, not pull requests only",
      mutate(pullRequestReviews, ["props", "bypassActors", 0, "bypassMode"], "always"),
      soleAuthorityConfig,
      "lets actors bypass its pull-request rule",
    ],
    [
      "stale approvals kept",
      mutate(pullRequestReviews, ["props", "rules", "pullRequest", "dismissStaleReviewsOnPush"], false),
      soleAuthorityConfig,
      "Set dismissStaleReviewsOnPush: true",
    ],
    [
      "the last pusher approving",
      mutate(pullRequestReviews, ["props", "rules", "pullRequest", "requireLastPushApproval"], false),
      soleAuthorityConfig,
      "Set requireLastPushApproval: true",
    ],
    ["too few approvals", pullRequestReviews, { ...soleAuthorityConfig, minApprovals: 2 }, "fewer than 2"],
    ["no authority configured, so no bypass can be checked", mergeRestriction, {}, "releaseAuthorityIds / releaseAuthorityTeamIds are not set"],
  ];
  for (const [name, resource, config, fragment] of cases) it(`refuses ${name}`, () => assertViolation(runResource(policy, resource, config), fragment));

  it("judges every ruleset that may apply to a release branch: ~ALL, ~DEFAULT_BRANCH, patterns, release branches", () => {
    const open = mutate(mergeRestriction, ["props", "bypassActors"], [bypass("RepositoryRole", 4)]);
    for (const includes of [["~ALL"], ["~DEFAULT_BRANCH"], ["refs/heads/*"], ["refs/heads/ma?n"]]) {
      assertViolation(runResource(policy, mutate(open, ["props", "conditions", "refName", "includes"], includes), soleAuthorityConfig), "RepositoryRole");
    }
    const staging = mutate(open, ["props", "conditions", "refName", "includes"], ["refs/heads/staging"]);
    assertClean(runResource(policy, staging, soleAuthorityConfig));
    assertViolation(runResource(policy, staging, { ...soleAuthorityConfig, releaseBranches: ["staging"] }), "on staging");
  });

  it("leaves rulesets of other branches, other stacks and other resources alone", () => {
    const feature = mutate(
      mutate(mergeRestriction, ["props", "bypassActors"], [bypass("RepositoryRole", 4)]),
      ["props", "conditions", "refName", "includes"],
      ["refs/heads/feature/*"],
    );
    assertClean(runResource(policy, feature, soleAuthorityConfig));
    assertClean(runResource(policy, { ...mutate(mergeRestriction, ["props", "enforcement"], "disabled"), stack: "test" }, soleAuthorityConfig));
    assertClean(runResource(policy, branchIntegrity, soleAuthorityConfig));
  });

  it("accepts the release authority's people and teams as bypass actors of the merge restriction", () => {
    const several = mutate(mergeRestriction, ["props", "bypassActors"], [bypass("User", 100001), bypass("User", 100002), bypass("Team", 42)]);
    assertClean(runResource(policy, several, teamConfig));
  });

  it("defers unknowns to `up`", () => {
    assert.deepStrictEqual(runResource(policy, mutate(mergeRestriction, ["props", "bypassActors", 0, "actorId"], unknown.string), soleAuthorityConfig), {
      violations: [],
      deferred: true,
    });
  });
});
