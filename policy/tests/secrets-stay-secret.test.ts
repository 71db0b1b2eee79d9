import * as assert from "assert";
import { secretsStaySecret as policy } from "../policies/secrets-stay-secret";
import { prodSecretFingerprints, prodSecrets, testAnonJwt, testServiceRoleJwt, testSecrets } from "./fixtures";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const config = { prodSecretFingerprints };
const variable: FakeResource = {
  type: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  name: "vercel-dm-internal-SUPABASE_SERVICE_ROLE_KEY-preview",
  props: { projectId: "prj_x", key: "SUPABASE_SERVICE_ROLE_KEY", value: testSecrets.supabaseServiceRoleKey, targets: ["preview"], sensitive: true },
};
const releaseCommand: FakeResource = {
  type: "command:local:Command",
  name: "supabase-db-push",
  props: {
    create: 'set -eu\n./node_modules/.bin/supabase db push --db-url "$DATABASE_URL" --include-all --yes',
    environment: { DATABASE_URL: "postgresql://postgres@db.testrefaaaaaaaaaaaaa.supabase.co:5432/postgres", PGPASSWORD: testSecrets.supabaseDbPassword },
    triggers: ["abc"],
    logging: "none",
  },
};

describe("secrets-stay-secret", () => {
  it("is advisory", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

  it("passes a sensitive variable and a command that takes credentials from environment", () => {
    assertClean(runResource(policy, variable, config));
    assertClean(runResource(policy, releaseCommand, config));
  });

  it("refuses a credential in a non-sensitive Vercel variable", () => {
    assertViolation(runResource(policy, mutate(variable, ["props", "sensitive"], false), config), "with sensitive: false");
    assertViolation(
      runResource(policy, mutate(mutate(variable, ["props", "sensitive"], false), ["props", "value"], prodSecrets.supabaseDbPassword), config),
      "fingerprint match",
    );
  });

  it("passes public values in non-sensitive variables", () => {
    for (const value of [
      testAnonJwt,
      testSecrets.supabaseAnonKey,
      "https://testrefaaaaaaaaaaaaa.supabase.co",
      "postgresql://postgres@db.x.supabase.co/postgres",
    ]) {
      assertClean(runResource(policy, mutate(mutate(variable, ["props", "sensitive"], false), ["props", "value"], value), config));
    }
  });

  it("refuses credentials written into a command's script", () => {
    assertViolation(
      runResource(
        policy,
        mutate(releaseCommand, ["props", "create"], `supabase db push --db-url postgres://postgres:hunter2hunter2@db.x.supabase.co/postgres`),
        config,
      ),
      "create of command supabase-db-push contains a database URL with a password",
    );
    assertViolation(runResource(policy, mutate(releaseCommand, ["props", "create"], "PGPASSWORD=hunter2 psql"), config), "a literal value for PGPASSWORD");
    assertViolation(runResource(policy, mutate(releaseCommand, ["props", "update"], `curl -H "apikey: ${testServiceRoleJwt}"`), config), "update of command");
    assertViolation(runResource(policy, mutate(releaseCommand, ["props", "triggers"], ["abc", testSecrets.supabaseAccessToken]), config), "triggers[1]");
    assertViolation(runResource(policy, mutate(releaseCommand, ["props", "create"], "supabase db push --password s3cr3tpass"), config), "--password");
  });

  it("refuses a credential in a GitHub Actions variable", () => {
    const ghVariable: FakeResource = {
      type: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
      name: "v",
      props: { repository: "r", environment: "test", variableName: "TOKEN", value: testSecrets.supabaseAccessToken },
    };
    assertViolation(runResource(policy, ghVariable, config), "The Actions variable TOKEN");
    assertClean(runResource(policy, mutate(ghVariable, ["props", "value"], "https://example.com"), config));
  });

  it("defers only unknowns that could hide a readable credential", () => {
    assertClean(runResource(policy, mutate(variable, ["props", "value"], unknown.string), config));
    assert.strictEqual(runResource(policy, mutate(mutate(variable, ["props", "sensitive"], false), ["props", "value"], unknown.string), config).deferred, true);
    assert.strictEqual(runResource(policy, mutate(releaseCommand, ["props", "create"], unknown.string), config).deferred, true);
    assertClean(runResource(policy, mutate(releaseCommand, ["props", "environment", "PGPASSWORD"], unknown.string), config));
  });
});
