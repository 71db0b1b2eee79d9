import * as assert from "assert";
import { githubGuardrailsDeclared as policy } from "../policies/github-guardrails-declared";
import { deployPolicy, mainProtection, productionEnvironment } from "./github-fixtures";
import { FakeStackResource, assertClean, assertViolation, mutate, runStack, unknown } from "./helpers";

const otherResource: FakeStackResource = { type: "command:local:Command", name: "supabase-db-push", props: { create: "x" } };
const declared: FakeStackResource[] = [mainProtection, productionEnvironment, deployPolicy, otherResource];
const without = (name: string) => declared.filter((r) => r.name !== name);

describe("github-guardrails-declared", () => {
  it("passes a prod stack that declares main's protection, the environment and its deployment policy", () => {
    assertClean(runStack(policy, declared));
  });

  it("refuses a prod stack without the protection of main", () => {
    assertViolation(runStack(policy, without(mainProtection.name)), 'missing a github.BranchProtection with pattern "main"');
    assertViolation(runStack(policy, [mutate(mainProtection, ["props", "pattern"], "develop"), productionEnvironment, deployPolicy]), "BranchProtection");
  });

  it("refuses a prod stack without the production environment", () => {
    assertViolation(runStack(policy, without(productionEnvironment.name)), 'a github.RepositoryEnvironment "production"');
  });

  it("refuses a prod stack without a main-only deployment policy", () => {
    assertViolation(runStack(policy, without(deployPolicy.name)), "RepositoryEnvironmentDeploymentPolicy");
    assertViolation(runStack(policy, [mainProtection, productionEnvironment, mutate(deployPolicy, ["props", "branchPattern"], "*")]), "RepositoryEnvironmentDeploymentPolicy");
  });

  it("says so when GitHub is switched off in prod, unless requireGithubGuardrails is false", () => {
    assertViolation(runStack(policy, [otherResource]), "declares no GitHub resources at all");
    assertClean(runStack(policy, [otherResource], { requireGithubGuardrails: false }));
  });

  it("leaves non-prod stacks and empty stacks alone", () => {
    assertClean(runStack(policy, [{ ...otherResource, stack: "test" }]));
    assertClean(runStack(policy, []));
  });

  it("defers when a candidate's identifying field is unknown, still reporting what is surely missing", () => {
    const result = runStack(policy, [mutate(mainProtection, ["props", "pattern"], unknown.string), productionEnvironment]);
    assert.strictEqual(result.deferred, true);
    assert.strictEqual(result.violations.length, 1);
    assert.match(result.violations[0], /RepositoryEnvironmentDeploymentPolicy/);
  });
});
