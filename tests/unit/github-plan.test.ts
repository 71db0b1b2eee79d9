import * as assert from "assert";
import { GithubSettings } from "../../config/github";
import { githubPlans, plansOfOwner, repositoryVisibilities, unavailableSettings, visibilityProblem } from "../../config/github-gates";
import { environmentPlan, githubImportIds, productionEnvironmentArgs } from "../../lib/github-plan";
import { githubActionsAppId, protectedBranches, rulesetPlan } from "../../lib/github-rulesets";
import { adoptionProblems } from "../../io/github-verify";

const github: GithubSettings = {
  owner: "acme",
  repository: "web",
  ownerIsOrganization: true,
  productionBranch: "main",
  requiredStatusChecks: ["preview", "test"],
  requiredApprovals: 2,
  releaseAuthority: [
    { login: "a", id: 1 },
    { login: "b", id: 2 },
  ],
  releaseAuthorityTeams: [{ slug: "rm", id: 9 }],
  soleReleaseAuthority: false,
  agentAccounts: [],
  environmentSecrets: [],
  environmentDeploymentBranches: [],
  releaseBranches: [{ branch: "staging", requiredStatusChecks: ["preview"] }],
  repositoryVisibility: "private",
  plan: "enterprise",
  acknowledgedGaps: [],
  adopt: false,
  adoptRulesetIds: {},
  adoptPolicyIds: {},
  verifyRepository: false,
};
const ack = (...settings: GithubSettings["acknowledgedGaps"][number]["setting"][]) => ({
  ...github,
  acknowledgedGaps: settings.map((setting) => ({ setting, reason: "a reason long enough" })),
});

describe("which gates GitHub offers, by plan and visibility", () => {
  const expected: Record<string, string[]> = {
    "public free": [],
    "public pro": [],
    "public team": [],
    "public enterprise": [],
    "private free": [
      "productionEnvironment",
      "mergeRestriction",
      "pullRequestReviews",
      "pinnedStatusChecks",
      "branchIntegrity",
      "codeOwnerReview",
      "productionReviewers",
    ],
    "private pro": ["productionReviewers"],
    "private team": ["productionReviewers"],
    "private enterprise": [],
    "internal enterprise": [],
  };
  for (const [key, missing] of Object.entries(expected)) {
    const [visibility, plan] = key.split(" ") as [(typeof repositoryVisibilities)[number], (typeof githubPlans)[number]];
    it(`${key}: ${missing.length === 0 ? "every gate" : `not ${missing.join(", ")}`}`, () =>
      assert.deepStrictEqual(
        unavailableSettings(visibility, plan).map((m) => m.setting),
        missing,
      ));
  }
  it("plans by owner: Pro for people, Team and Enterprise for organizations", () => {
    assert.deepStrictEqual(
      [plansOfOwner(false), plansOfOwner(true)],
      [
        ["free", "pro"],
        ["free", "team", "enterprise"],
      ],
    );
  });
});

describe("the rulesets planned for every release branch", () => {
  it("protects the production branch and each release branch", () => assert.deepStrictEqual(protectedBranches(github), ["main", "staging"]));

  it("one ruleset per concern; only the merge restriction has bypass actors", () => {
    const plans = rulesetPlan(github);
    assert.deepStrictEqual(
      plans.map((p) => [p.role, p.setting, p.args.bypassActors.length]),
      [
        ["merge-restriction", "mergeRestriction", 3],
        ["pull-request-reviews", "pullRequestReviews", 0],
        ["status-checks", "pinnedStatusChecks", 0],
        ["status-checks-staging", "pinnedStatusChecks", 0],
        ["branch-integrity", "branchIntegrity", 0],
      ],
    );
    assert.deepStrictEqual((plans[1].args.rules.pullRequest as { requiredApprovingReviewCount: number }).requiredApprovingReviewCount, 2);
    assert.deepStrictEqual(plans[2].args.rules, {
      requiredStatusChecks: {
        requiredChecks: [
          { context: "preview", integrationId: githubActionsAppId },
          { context: "test", integrationId: githubActionsAppId },
        ],
        strictRequiredStatusChecksPolicy: true,
        doNotEnforceOnCreate: true,
      },
    });
    assert.strictEqual(githubActionsAppId, 15368);
  });

  it("acknowledged gaps leave their ruleset out", () => {
    assert.deepStrictEqual(
      rulesetPlan(ack("mergeRestriction", "branchIntegrity")).map((p) => p.role),
      ["pull-request-reviews", "status-checks", "status-checks-staging"],
    );
  });

  it("code-owner review without other reviews keeps a review ruleset with no approval count; both acknowledged drop it", () => {
    const only = rulesetPlan(ack("pullRequestReviews")).find((p) => p.role === "pull-request-reviews")!;
    assert.deepStrictEqual(
      [only.setting, only.args.rules],
      [
        "codeOwnerReview",
        {
          pullRequest: {
            requiredApprovingReviewCount: 0,
            dismissStaleReviewsOnPush: false,
            requireLastPushApproval: false,
            requireCodeOwnerReview: true,
            requiredReviewThreadResolution: false,
          },
        },
      ],
    );
    assert.strictEqual(
      rulesetPlan(ack("pullRequestReviews", "codeOwnerReview")).some((p) => p.role === "pull-request-reviews"),
      false,
    );
    const withoutOwners = rulesetPlan(ack("codeOwnerReview")).find((p) => p.role === "pull-request-reviews")!;
    assert.strictEqual((withoutOwners.args.rules.pullRequest as { requireCodeOwnerReview: boolean }).requireCodeOwnerReview, false);
  });

  it("unpinned checks stay required when pinning is acknowledged (a check another app reports)", () => {
    const checks = rulesetPlan(ack("pinnedStatusChecks")).find((p) => p.role === "status-checks")!;
    assert.deepStrictEqual((checks.args.rules.requiredStatusChecks as { requiredChecks: unknown[] }).requiredChecks, [
      { context: "preview" },
      { context: "test" },
    ]);
  });

  it("release branch roles replace characters a logical name cannot hold", () => {
    assert.deepStrictEqual(
      rulesetPlan({ ...github, releaseBranches: [{ branch: "release/2026", requiredStatusChecks: ["preview"] }] }).map((p) => p.role)[3],
      "status-checks-release_2026",
    );
  });
});

describe("the environments planned per tier", () => {
  it("prod: production (reviewers, secrets) and production-readonly, both from main only", () => {
    assert.deepStrictEqual(
      environmentPlan(github, "prod").map((e) => [e.environment, e.holdsSecrets, e.deploymentPolicies.map((p) => p.branchPattern)]),
      [
        ["production", true, ["main"]],
        ["production-readonly", false, ["main"]],
      ],
    );
  });
  it("staging: staging from its branches, staging-readonly from any branch", () => {
    const staging = environmentPlan({ ...github, environmentDeploymentBranches: ["staging"] }, "staging");
    assert.deepStrictEqual(
      staging.map((e) => [e.environment, e.holdsSecrets, e.deploymentPolicies.map((p) => [p.role, p.branchPattern])]),
      [
        ["staging", true, [["deploy-policy-staging", "staging"]]],
        ["staging-readonly", false, []],
      ],
    );
  });
  it("production reviewers: the authority with prevent self-review, or the sole authority without it", () => {
    assert.deepStrictEqual(
      [productionEnvironmentArgs(github).preventSelfReview, productionEnvironmentArgs(github).reviewers],
      [true, [{ users: [1, 2], teams: [9] }]],
    );
    const sole = productionEnvironmentArgs({ ...github, releaseAuthority: [{ login: "a", id: 1 }], releaseAuthorityTeams: [], soleReleaseAuthority: true });
    assert.deepStrictEqual([sole.preventSelfReview, sole.reviewers, sole.canAdminsBypass], [false, [{ users: [1], teams: [] }], false]);
  });
  it("import ids: repository:environment, repository:rulesetId, repository:environment:policyId, the repository", () => {
    const ids = githubImportIds({ repository: "web", adoptRulesetIds: { "merge-restriction": 5 }, adoptPolicyIds: { "production:main": 7 } });
    assert.deepStrictEqual(
      [
        ids.environment("production"),
        ids.ruleset("merge-restriction"),
        ids.ruleset("branch-integrity"),
        ids.policy("production", "main"),
        ids.policy("production-readonly", "main"),
        ids.workflowPermissions,
      ],
      ["web:production", "web:5", undefined, "web:production:7", undefined, "web"],
    );
  });
});

describe("adopting deployment branch policies made by hand (adoptGithub)", () => {
  const adopting = (ids: Record<string, number>) => ({ ...github, adopt: true, adoptPolicyIds: ids });
  it("imports a policy whose id adoptGithubPolicyIds gives, and creates the others", () => {
    const plan = environmentPlan(adopting({ "production:main": 42 }), "prod");
    assert.deepStrictEqual(
      plan.map((e) => [e.environment, e.deploymentPolicies.map((p) => p.importId)]),
      [
        ["production", ["web:production:42"]],
        ["production-readonly", [undefined]],
      ],
    );
    assert.deepStrictEqual(
      environmentPlan({ ...github, adoptPolicyIds: { "production:main": 42 } }, "prod")[0].deploymentPolicies[0].importId,
      undefined,
      "no import without adoptGithub",
    );
  });
  it("imports only the environments GitHub has (an import of one that does not exist fails); the others are created", () => {
    const plan = environmentPlan(adopting({ "production:main": 42 }), "prod", new Set(["production"]));
    assert.deepStrictEqual(
      plan.map((e) => [e.environment, e.importId, e.deploymentPolicies[0].importId]),
      [
        ["production", "web:production", "web:production:42"],
        ["production-readonly", undefined, undefined],
      ],
    );
  });
  const cases: [string, Record<string, number>, { environment: string; policies: { pattern: string; type: string }[] }[], RegExp[]][] = [
    ["nothing made by hand", {}, [], []],
    ["an environment made by hand without policies", {}, [{ environment: "production", policies: [] }], []],
    [
      "the declared policy made by hand, its id given",
      { "production:main": 42 },
      [{ environment: "production", policies: [{ pattern: "main", type: "branch" }] }],
      [],
    ],
    [
      "the declared policy made by hand, no id: refused, naming the key, the id lookup and #3611",
      {},
      [{ environment: "production", policies: [{ pattern: "main", type: "branch" }] }],
      [
        /production has the deployment branch policy "main" already: set deploy-guardrails:adoptGithubPolicyIds .*\{"production:main": <id>\}.*gh api repos\/acme\/web\/environments\/production\/deployment-branch-policies.*#3611/,
      ],
    ],
    [
      "a policy the config does not declare (any branch may deploy): refused, with how to delete it",
      { "production:main": 42 },
      [
        {
          environment: "production",
          policies: [
            { pattern: "main", type: "branch" },
            { pattern: "*", type: "branch" },
          ],
        },
      ],
      [/production has a deployment branch policy "\*" made by hand that this stack does not declare: it would stay and let \* deploy there.*gh api -X DELETE/],
    ],
    [
      "a tag policy, which no stack declares",
      {},
      [{ environment: "production-readonly", policies: [{ pattern: "v*", type: "tag" }] }],
      [/production-readonly has a deployment tag policy "v\*" made by hand/],
    ],
  ];
  for (const [name, ids, existing, expected] of cases) {
    it(name, () => {
      const problems = adoptionProblems(adopting(ids), environmentPlan(adopting(ids), "prod"), existing);
      assert.strictEqual(problems.length, expected.length, problems.join("\n"));
      expected.forEach((re, i) => assert.match(problems[i], re));
    });
  }
});

describe("asking GitHub for the repository's visibility (githubVerifyRepository)", () => {
  const cases: [string, { visibility?: string; private?: boolean }, "public" | "private", RegExp | undefined][] = [
    ["agrees", { visibility: "private" }, "private", undefined],
    ["agrees through the private flag", { private: false }, "public", undefined],
    [
      "declared public, private on GitHub",
      { visibility: "private" },
      "public",
      /acme\/web is private on GitHub, but deploy-guardrails:githubRepositoryVisibility says public.*Set githubRepositoryVisibility: private/,
    ],
    ["GitHub says nothing", {}, "private", /GitHub did not say whether acme\/web is public or private/],
  ];
  for (const [name, actual, declared, problem] of cases) {
    it(name, () => {
      const found = visibilityProblem(declared, actual, "acme/web");
      if (problem) assert.match(found ?? "", problem);
      else assert.strictEqual(found, undefined);
    });
  }
});
