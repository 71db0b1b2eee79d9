import * as assert from "assert";
import { writingEnvironmentsExactBranches as policy } from "../policies/writing-environments-exact-branches";
import { deployPolicy, productionEnvironment } from "./github-fixtures";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const testEnvironment: FakeResource = {
  type: "github:index/repositoryEnvironment:RepositoryEnvironment",
  name: "github-test-environment",
  stack: "test",
  props: {
    repository: "dm-internal",
    environment: "test",
    preventSelfReview: false,
    canAdminsBypass: false,
    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
  },
};
const testPolicy: FakeResource = {
  ...deployPolicy,
  name: "github-test-deploy-policy",
  stack: "test",
  props: { repository: "dm-internal", environment: "test", branchPattern: "main" },
};
const readonly: FakeResource = {
  ...testEnvironment,
  name: "github-test-readonly-environment",
  props: { repository: "dm-internal", environment: "test-readonly", preventSelfReview: false, canAdminsBypass: false },
};

describe("writing-environments-exact-branches", () => {
  it("passes what the program declares: test from main, staging from staging, read-only environments open", () => {
    assertClean(runResource(policy, testEnvironment));
    assertClean(runResource(policy, testPolicy));
    assertClean(runResource(policy, mutate(mutate(testPolicy, ["props", "environment"], "staging"), ["props", "branchPattern"], "staging")));
    assertClean(runResource(policy, readonly));
  });

  // Issue 12 point 4: productionBranch "*" planned a deployment policy "*" for `test` (write access to its state).
  const wildcards = ["*", "release/*", "**", "ma?n", "[md]ain", "{main,dev}"];
  for (const pattern of wildcards) {
    it(`refuses a ${pattern} deployment policy on test`, () =>
      assertViolation(runResource(policy, mutate(testPolicy, ["props", "branchPattern"], pattern)), `every branch matching "${pattern}"`));
  }

  const cases: [string, FakeResource, string][] = [
    ["a tag pattern", mutate(mutate(testPolicy, ["props", "branchPattern"], undefined), ["props", "tagPattern"], "v*"), "accepts deployments from tags"],
    ["no branch policy on test", mutate(testEnvironment, ["props", "deploymentBranchPolicy"], undefined), "accepts deployments from any branch"],
    [
      "protected branches instead of named ones",
      mutate(testEnvironment, ["props", "deploymentBranchPolicy"], { protectedBranches: true, customBranchPolicies: false }),
      "does not limit deployments to named branches",
    ],
    [
      "a wildcard in the deprecated branch policy resource",
      {
        type: "github:index/repositoryDeploymentBranchPolicy:RepositoryDeploymentBranchPolicy",
        name: "x",
        stack: "test",
        props: { repository: "dm-internal", environmentName: "staging", name: "staging/*" },
      },
      'matching "staging/*"',
    ],
  ];
  for (const [name, resource, fragment] of cases) it(`refuses ${name}`, () => assertViolation(runResource(policy, resource), fragment));

  it("leaves production to production-environment-protected, and read-only environments open", () => {
    assertClean(runResource(policy, mutate(deployPolicy, ["props", "branchPattern"], "*")));
    assertClean(runResource(policy, mutate(productionEnvironment, ["props", "deploymentBranchPolicy"], undefined)));
    assertClean(runResource(policy, mutate(mutate(testPolicy, ["props", "environment"], "test-readonly"), ["props", "branchPattern"], "*")));
  });

  it("defers an environment name unknown at preview", () => {
    assert.deepStrictEqual(runResource(policy, mutate(testPolicy, ["props", "environment"], unknown.string)), { violations: [], deferred: true });
  });
});
