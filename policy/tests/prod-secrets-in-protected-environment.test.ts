import * as assert from "assert";
import { prodSecretsInProtectedEnvironment as policy } from "../policies/prod-secrets-in-protected-environment";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const productionSecret: FakeResource = {
  type: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  name: "github-production-secret-SUPABASE_DB_PASSWORD",
  stack: "prod",
  props: { repository: "dm-internal", environment: "production", secretName: "SUPABASE_DB_PASSWORD", value: "dummy-prod-db-password" },
};
const repositorySecret: FakeResource = {
  type: "github:index/actionsSecret:ActionsSecret",
  name: "repo-secret",
  stack: "prod",
  props: { repository: "dm-internal", secretName: "SUPABASE_DB_PASSWORD", value: "dummy-prod-db-password" },
};

describe("prod-secrets-in-protected-environment", () => {
  it("passes an environment secret of production in prod", () => assertClean(runResource(policy, productionSecret)));

  it("refuses a repository secret in prod", () => {
    assertViolation(runResource(policy, repositorySecret), "is a repository Actions secret, which any branch's workflow can read");
  });

  it("refuses organization, Dependabot and Codespaces secrets in prod", () => {
    for (const type of [
      "actionsOrganizationSecret:ActionsOrganizationSecret",
      "dependabotSecret:DependabotSecret",
      "dependabotOrganizationSecret:DependabotOrganizationSecret",
      "codespacesSecret:CodespacesSecret",
    ]) {
      assert.strictEqual(runResource(policy, { ...repositorySecret, type: `github:index/${type}` }).violations.length, 1, type);
    }
  });

  it("refuses an environment secret of another environment in prod", () => {
    assertViolation(runResource(policy, mutate(productionSecret, ["props", "environment"], "test")), 'secret of the environment "test"');
  });

  it("lets configured names stay repository secrets", () => {
    assertClean(runResource(policy, repositorySecret, { allowedUnprotectedSecrets: ["SUPABASE_DB_PASSWORD"] }));
  });

  it("honours a renamed protected environment", () => {
    assertClean(runResource(policy, mutate(productionSecret, ["props", "environment"], "prod"), { protectedEnvironment: "prod" }));
  });

  it("leaves non-prod stacks alone", () => {
    assertClean(runResource(policy, { ...repositorySecret, stack: "test" }));
    assertClean(runResource(policy, { ...mutate(productionSecret, ["props", "environment"], "test"), stack: "test" }));
  });

  it("defers an environment unknown at preview to `up`", () => {
    assert.deepStrictEqual(runResource(policy, mutate(productionSecret, ["props", "environment"], unknown.string)), { violations: [], deferred: true });
  });
});
