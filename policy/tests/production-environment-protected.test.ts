import * as assert from "assert";
import { productionEnvironmentProtected as policy } from "../policies/production-environment-protected";
import { deployPolicy, productionEnvironment } from "./github-fixtures";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const config = { releaseAuthorityIds: [100001] };

const mutations: [string, FakeResource, (string | number)[], unknown, string][] = [
  ["self-review allowed", productionEnvironment, ["props", "preventSelfReview"], false, "preventSelfReview: true"],
  ["preventSelfReview left out", productionEnvironment, ["props", "preventSelfReview"], undefined, "preventSelfReview: true"],
  ["admins may bypass", productionEnvironment, ["props", "canAdminsBypass"], true, "canAdminsBypass: false"],
  ["canAdminsBypass left out (provider default true)", productionEnvironment, ["props", "canAdminsBypass"], undefined, "canAdminsBypass: false"],
  ["no branch policy", productionEnvironment, ["props", "deploymentBranchPolicy"], undefined, "accepts deployments from any branch"],
  ["protected branches instead of main", productionEnvironment, ["props", "deploymentBranchPolicy"], { protectedBranches: true, customBranchPolicies: false }, "does not limit deployments to named branches"],
  ["no reviewers", productionEnvironment, ["props", "reviewers"], [], "has no required reviewers"],
  ["empty reviewer lists", productionEnvironment, ["props", "reviewers"], [{ users: [], teams: [] }], "has no required reviewers"],
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
    assert.deepStrictEqual(runResource(policy, mutate(productionEnvironment, ["props", "environment"], unknown.string), config), { violations: [], deferred: true });
    assert.deepStrictEqual(runResource(policy, mutate(productionEnvironment, ["props", "reviewers", 0, "users"], unknown.array), config), { violations: [], deferred: true });
  });
});
