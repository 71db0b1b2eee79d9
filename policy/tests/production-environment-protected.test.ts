import * as assert from "assert";
import { productionEnvironmentProtected as policy } from "../policies/production-environment-protected";
import { deployPolicy, productionEnvironment, soleAuthorityConfig, soleProductionEnvironment } from "./github-fixtures";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const config = { releaseAuthorityIds: [100001] };

const mutations: [string, FakeResource, (string | number)[], unknown, string][] = [
  ["self-review allowed", productionEnvironment, ["props", "preventSelfReview"], false, "preventSelfReview: true"],
  ["preventSelfReview left out", productionEnvironment, ["props", "preventSelfReview"], undefined, "preventSelfReview: true"],
  ["admins may bypass", productionEnvironment, ["props", "canAdminsBypass"], true, "canAdminsBypass: false"],
  ["canAdminsBypass left out (provider default true)", productionEnvironment, ["props", "canAdminsBypass"], undefined, "canAdminsBypass: false"],
  ["no branch policy", productionEnvironment, ["props", "deploymentBranchPolicy"], undefined, "accepts deployments from any branch"],
  [
    "protected branches instead of main",
    productionEnvironment,
    ["props", "deploymentBranchPolicy"],
    { protectedBranches: true, customBranchPolicies: false },
    "does not limit deployments to named branches",
  ],
  ["a reviewer who is not the release authority", productionEnvironment, ["props", "reviewers", 0, "users"], [100001, 555], "user ids 555"],
  ["a team that is not the release authority", productionEnvironment, ["props", "reviewers", 0, "teams"], [42], "team ids 42"],
  ["deployments from another branch", deployPolicy, ["props", "branchPattern"], "release/*", 'Set branchPattern: "main"'],
  ["deployments from tags", deployPolicy, ["props", "branchPattern"], undefined, 'Set branchPattern: "main"'],
];

describe("production-environment-protected", () => {
  it("passes the environment and deployment policy the program declares", () => {
    assertClean(runResource(policy, productionEnvironment, config));
    assertClean(runResource(policy, deployPolicy, config));
  });

  for (const [what, base, path, value, fix] of mutations) {
    it(`refuses: ${what}`, () => assertViolation(runResource(policy, mutate(base, path, value), config), fix));
  }

  it("leaves missing reviewers to github-guardrails-declared (productionReviewers, which a team may acknowledge)", () => {
    assertClean(runResource(policy, mutate(mutate(productionEnvironment, ["props", "reviewers"], []), ["props", "preventSelfReview"], false), config));
  });

  describe("a sole release authority (soleReleaseAuthority)", () => {
    it("may approve the run they started: prevent self-review off with exactly that one reviewer", () => {
      assertClean(runResource(policy, soleProductionEnvironment, soleAuthorityConfig));
    });
    const refusals: [string, FakeResource, Record<string, unknown>, string][] = [
      [
        "without soleReleaseAuthority in the policy config",
        soleProductionEnvironment,
        config,
        "Set preventSelfReview: true (or, when one person is the whole release authority, soleReleaseAuthority",
      ],
      [
        "with a second reviewer",
        mutate(soleProductionEnvironment, ["props", "reviewers", 0, "users"], [100001, 100002]),
        { ...soleAuthorityConfig, releaseAuthorityIds: [100001, 100002] },
        "has reviewers other than the one sole release authority",
      ],
      [
        "with a team as reviewer",
        mutate(soleProductionEnvironment, ["props", "reviewers", 0, "teams"], [42]),
        { ...soleAuthorityConfig, releaseAuthorityTeamIds: [42] },
        "has reviewers other than the one sole release authority",
      ],
      [
        "when the reviewer is not the release authority",
        mutate(soleProductionEnvironment, ["props", "reviewers", 0, "users"], [900001]),
        soleAuthorityConfig,
        "user ids 900001",
      ],
    ];
    for (const [what, resource, policyConfig, fragment] of refusals) {
      it(`refuses it ${what}`, () => {
        const result = runResource(policy, resource, policyConfig);
        assert.ok(
          result.violations.some((v) => v.includes(fragment)),
          JSON.stringify(result.violations),
        );
      });
    }
  });

  it("refuses a tag pattern on the production deployment policy", () => {
    assertViolation(runResource(policy, mutate(deployPolicy, ["props", "tagPattern"], "v*"), config), "Remove tagPattern");
  });

  it("accepts any reviewer when no release authority is configured, and configured teams", () => {
    assertClean(runResource(policy, mutate(productionEnvironment, ["props", "reviewers", 0, "users"], [555])));
    assertClean(runResource(policy, mutate(productionEnvironment, ["props", "reviewers", 0, "teams"], [42]), { ...config, releaseAuthorityTeamIds: [42] }));
  });

  it("ignores other environments and non-prod stacks", () => {
    assertClean(runResource(policy, mutate(mutate(productionEnvironment, ["props", "environment"], "test"), ["props", "canAdminsBypass"], true), config));
    assertClean(runResource(policy, { ...mutate(productionEnvironment, ["props", "reviewers"], []), stack: "test" }, config));
  });

  it("defers unknowns to `up`", () => {
    assert.deepStrictEqual(runResource(policy, mutate(productionEnvironment, ["props", "environment"], unknown.string), config), {
      violations: [],
      deferred: true,
    });
    assert.deepStrictEqual(runResource(policy, mutate(productionEnvironment, ["props", "reviewers", 0, "users"], unknown.array), config), {
      violations: [],
      deferred: true,
    });
  });
});
