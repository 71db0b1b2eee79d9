import * as assert from "assert";
import { ConfigError } from "../../config/errors";
import { parseSettings } from "../../config/parse";
import { stackConfig } from "./harness";

function parse(stack: string, overrides: Record<string, unknown> = {}) {
  const config = stackConfig(stack, overrides);
  return parseSettings(config.values, stack, new Set(config.secretKeys));
}

function problems(stack: string, overrides: Record<string, unknown>): string {
  try {
    parse(stack, overrides);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail("expected the configuration to be refused");
}

const twoPeople = {
  releaseAuthority: [
    { login: "release-captain", id: 100001 },
    { login: "second-captain", id: 100002 },
  ],
  soleReleaseAuthority: false,
};
const teamPlan = { ...twoPeople, githubPlan: "team" };
const reviewersGap = { setting: "productionReviewers", reason: "GitHub Team has no environment reviewers on private repositories" };

describe("GitHub configuration: branches that name a writing environment take no wildcard", () => {
  // Each of these passed before this change (productionBranch "*" planned a deployment policy "*" for `test`).
  const wildcards: [string, string, Record<string, unknown>, RegExp][] = [
    ["productionBranch *", "test", { productionBranch: "*" }, /deploy-guardrails:productionBranch: must be a branch name such as staging .*without wildcards/],
    ["productionBranch release/*", "test", { productionBranch: "release/*" }, /productionBranch: must be a branch name/],
    ["productionBranch ma?n", "prod", { productionBranch: "ma?n" }, /productionBranch: must be a branch name/],
    ["productionBranch [m]ain", "test", { productionBranch: "[m]ain" }, /productionBranch: must be a branch name/],
    ["productionBranch {main,dev}", "test", { productionBranch: "{main,dev}" }, /productionBranch: must be a branch name/],
    ["a release branch with a wildcard", "prod", { releaseBranches: ["staging*"] }, /releaseBranches\[0\]: must be a branch name/],
    ["a release branch **", "prod", { releaseBranches: ["main", "**"] }, /releaseBranches\[1\]: must be a branch name/],
  ];
  for (const [name, stack, overrides, pattern] of wildcards) it(`refuses ${name}`, () => assert.match(problems(stack, overrides), pattern));

  it("still accepts exact names, with slashes", () => {
    assert.strictEqual(parse("test", { productionBranch: "release/2026" }).github?.productionBranch, "release/2026");
  });
});

describe("GitHub configuration: the release authority and the sole-authority mode", () => {
  const cases: [string, Record<string, unknown>, RegExp[]][] = [
    [
      "one person without the sole-authority mode (the deadlock of issue 12 point 10)",
      { soleReleaseAuthority: false },
      [/soleReleaseAuthority: is false, but releaseAuthority is one person \(release-captain\) and no team/, /prevent self-review forbids them to approve it/],
    ],
    [
      "the sole-authority mode with two people",
      { ...twoPeople, soleReleaseAuthority: true },
      [/soleReleaseAuthority: is true, but releaseAuthority lists 2 person\(s\)/],
    ],
    [
      "the sole-authority mode with a team",
      { releaseAuthorityTeams: [{ slug: "release-managers", id: 42 }] },
      [/soleReleaseAuthority: is true, but releaseAuthority lists 1 person\(s\) and releaseAuthorityTeams 1 team/],
    ],
    [
      "teams in a user-owned repository",
      { ...twoPeople, githubOwnerIsOrganization: false, githubPlan: "pro", releaseAuthorityTeams: [{ slug: "release-managers", id: 42 }] },
      [/releaseAuthorityTeams: lists teams, but the repository belongs to a user/],
    ],
  ];
  for (const [name, overrides, patterns] of cases) {
    it(`refuses ${name}`, () => {
      const message = problems("prod", overrides);
      for (const p of patterns) assert.match(message, p);
    });
  }
  it("refuses prod-only keys in the test stack", () => {
    const message = problems("test", {
      soleReleaseAuthority: true,
      releaseBranches: ["dev"],
      githubAcknowledgedGaps: [reviewersGap],
      adoptGithubRulesetIds: { "merge-restriction": 1 },
      githubVerifyRepository: true,
    });
    for (const key of ["soleReleaseAuthority", "releaseBranches", "githubAcknowledgedGaps", "adoptGithubRulesetIds", "githubVerifyRepository"])
      assert.match(message, new RegExp(`${key}: is set on the test tier`));
  });
  it("accepts the committed prod stack: one operator, sole mode", () => {
    const github = parse("prod").github!;
    assert.deepStrictEqual(
      [github.soleReleaseAuthority, github.releaseAuthority.length, github.repositoryVisibility, github.plan],
      [true, 1, "private", "enterprise"],
    );
  });
});

describe("GitHub configuration: release branches", () => {
  it("refuses the production branch, a duplicate, and a branch without checks", () => {
    const message = problems("prod", { ...twoPeople, releaseBranches: ["main", "dev", "dev"] });
    assert.match(message, /releaseBranches: lists the production branch main/);
    assert.match(message, /releaseBranches: lists "dev" twice/);
    assert.match(
      problems("prod", { ...twoPeople, releaseBranches: ["qa"], releaseBranchStatusChecks: { qa: [] } }),
      /releaseBranchStatusChecks\.qa: must name at least one check/,
    );
    assert.match(
      problems("prod", { ...twoPeople, releaseBranchStatusChecks: { qa: ["preview"] } }),
      /releaseBranchStatusChecks: names qa, which releaseBranches does not list/,
    );
  });
  it("a release branch takes requiredStatusChecks unless releaseBranchStatusChecks names its own", () => {
    const github = parse("prod", {
      ...twoPeople,
      requiredStatusChecks: ["preview", "test"],
      releaseBranches: ["dev", "staging"],
      releaseBranchStatusChecks: { staging: ["preview"] },
    }).github!;
    assert.deepStrictEqual(github.releaseBranches, [
      { branch: "dev", requiredStatusChecks: ["preview", "test"] },
      { branch: "staging", requiredStatusChecks: ["preview"] },
    ]);
  });
});

describe("GitHub configuration: gates that cannot exist on the plan (issue 12 point 9)", () => {
  const cases: [string, string, Record<string, unknown>, RegExp[]][] = [
    [
      "a prod stack without visibility and plan",
      "prod",
      { githubRepositoryVisibility: undefined, githubPlan: undefined },
      [/githubRepositoryVisibility: is required on the prod tier/, /githubPlan: is required on the prod tier/],
    ],
    [
      "environment reviewers on a private repository on GitHub Team",
      "prod",
      teamPlan,
      [
        /githubPlan: is team and githubRepositoryVisibility is private: required reviewers on an environment of a private repository exist only on GitHub Enterprise/,
        /the production job starts on every merge with the prod credentials and nobody approves it/,
        /githubAcknowledgedGaps \[\{"setting":"productionReviewers"/,
        /for example: make the repository public, or move it to an organization on GitHub Enterprise/,
      ],
    ],
    [
      "a private repository on GitHub Free, even with every gap acknowledged",
      "prod",
      {
        ...twoPeople,
        githubPlan: "free",
        githubAcknowledgedGaps: [
          "mergeRestriction",
          "pullRequestReviews",
          "codeOwnerReview",
          "pinnedStatusChecks",
          "branchIntegrity",
          "productionReviewers",
        ].map((setting) => ({ setting, reason: "we know, this is a test of the refusal" })),
      },
      [/environments, their secrets and deployment branch policies do not exist on private repositories on GitHub Free/],
    ],
    [
      "a private repository on GitHub Free in the test stack, which needs its environments too",
      "test",
      { githubRepositoryVisibility: "private", githubPlan: "free" },
      [/environments, their secrets and deployment branch policies do not exist/],
    ],
    [
      "Team for a personal account",
      "prod",
      { githubOwnerIsOrganization: false, githubPlan: "team" },
      [/githubPlan: is "team", which GitHub does not sell to personal accounts/, /for example: free or pro/],
    ],
    ["Pro for an organization", "prod", { githubPlan: "pro" }, [/githubPlan: is "pro", which GitHub does not sell to organizations/]],
    [
      "an internal repository outside Enterprise",
      "prod",
      { ...teamPlan, githubRepositoryVisibility: "internal" },
      [/githubRepositoryVisibility: is internal, which only GitHub Enterprise organizations have/],
    ],
    [
      "adopting a ruleset role that does not exist",
      "prod",
      { adoptGithub: true, adoptGithubRulesetIds: { "main-protection": 5 } },
      [
        /adoptGithubRulesetIds: names "main-protection", which is not a ruleset this stack declares \(merge-restriction, pull-request-reviews, status-checks, branch-integrity\)/,
      ],
    ],
    ["an unknown plan", "prod", { githubPlan: "business" }, [/githubPlan: is not one of "free", "pro", "team", "enterprise"/]],
    [
      "an acknowledgement without a reason",
      "prod",
      { ...teamPlan, githubAcknowledgedGaps: [{ setting: "productionReviewers", reason: "no" }] },
      [/githubAcknowledgedGaps\[0\]\.reason: must say why/],
    ],
    [
      "acknowledging the production environment",
      "prod",
      { githubAcknowledgedGaps: [{ setting: "productionEnvironment", reason: "we deploy from laptops" }] },
      [/githubAcknowledgedGaps\[0\]\.setting: must be one of mergeRestriction, .* \(productionEnvironment cannot be acknowledged\)/],
    ],
    [
      "the same gap twice",
      "prod",
      { ...teamPlan, githubAcknowledgedGaps: [reviewersGap, reviewersGap] },
      [/githubAcknowledgedGaps: acknowledges productionReviewers twice/],
    ],
  ];
  for (const [name, stack, overrides, patterns] of cases) {
    it(`refuses ${name}`, () => {
      const message = problems(stack, overrides);
      for (const p of patterns) assert.match(message, p);
    });
  }

  it('reports a bad plan once, without echoing it and without a misleading "is required"', () => {
    const message = problems("prod", { githubPlan: "business" });
    assert.doesNotMatch(message, /business/);
    assert.doesNotMatch(message, /githubPlan: is required/);
  });

  it("accepts the Team plan once the missing reviewers are acknowledged with a reason", () => {
    assert.deepStrictEqual(parse("prod", { ...teamPlan, githubAcknowledgedGaps: [reviewersGap] }).github?.acknowledgedGaps, [reviewersGap]);
  });
  it("accepts a public repository on GitHub Free, where every gate exists", () => {
    assert.strictEqual(parse("prod", { ...twoPeople, githubRepositoryVisibility: "public", githubPlan: "free" }).github?.plan, "free");
  });
});
