import * as assert from "assert";
import { noServerSecretInPublicVariable as policy } from "../policies/no-server-secret-in-public-variable";
import { prodSecretFingerprints, prodSecrets, testAnonJwt, testServiceRoleJwt, testSecrets } from "./fixtures";
import { FakeResource, assertClean, assertViolation, mutate, runResource, unknown } from "./helpers";

const config = { prodSecretFingerprints };
const publicVariable = (key: string, value: string): FakeResource => ({
  type: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  name: `vercel-dm-internal-${key}-preview`,
  props: { projectId: "prj_placeholder0000000000000000", key, value, targets: ["preview"], sensitive: false },
});

const serverSecrets: [string, string][] = [
  ["a service_role JWT", testServiceRoleJwt],
  ["an sb_secret_ key", testSecrets.supabaseServiceRoleKey],
  ["a database URL without a password", "postgresql://postgres@db.testrefaaaaaaaaaaaaa.supabase.co:5432/postgres"],
  ["a database URL with a password", "postgres://u:p4ss@localhost:5432/app"],
  ["a Supabase access token", testSecrets.supabaseAccessToken],
  ["a GitHub token", "ghp_0123456789abcdefghijABCDEFGHIJ0123456789"],
  ["a Vercel token", "vcp_" + "a".repeat(50) + "ABC123"],
  ["a Stripe secret key", "sk_live_0123456789abcdefABCDEF"],
  ["a prod secret known only by fingerprint", prodSecrets.vercelApiToken],
  ["a percent-encoded sb_secret_ key", encodeURIComponent(" " + testSecrets.supabaseServiceRoleKey)],
];

const publicValues: [string, string, string][] = [
  ["NEXT_PUBLIC_SUPABASE_URL", "https://testrefaaaaaaaaaaaaa.supabase.co", "the project URL"],
  ["NEXT_PUBLIC_SUPABASE_ANON_KEY", testAnonJwt, "the anon JWT"],
  ["NEXT_PUBLIC_SUPABASE_ANON_KEY", testSecrets.supabaseAnonKey, "an sb_publishable_ key"],
  ["NEXT_PUBLIC_ENV", "production", "the word production"],
  ["NEXT_PUBLIC_DOCS_URL", "https://prod-docs.example.com", "a URL with prod in it"],
  ["NEXT_PUBLIC_STRIPE_KEY", "pk_live_0123456789abcdefABCDEF", "a Stripe publishable key"],
];

describe("no-server-secret-in-public-variable", () => {
  describe("refuses a server secret in a NEXT_PUBLIC_ variable", () => {
    for (const [what, value] of serverSecrets) {
      it(what, () => {
        const result = runResource(policy, publicVariable("NEXT_PUBLIC_X", value), config);
        assert.strictEqual(result.violations.length, 1, JSON.stringify(result.violations));
        assert.match(result.violations[0], /NEXT_PUBLIC_X \(value\) is exposed to browsers by its NEXT_PUBLIC_ prefix/);
      });
    }
  });

  describe("passes public values", () => {
    for (const [key, value, what] of publicValues) it(what, () => assertClean(runResource(policy, publicVariable(key, value), config)));
  });

  it("passes server secrets in server-only variables", () => {
    assertClean(runResource(policy, publicVariable("SUPABASE_SERVICE_ROLE_KEY", testServiceRoleJwt), config));
  });

  it("refuses a public name that calls itself secret, whatever the value", () => {
    assertViolation(runResource(policy, publicVariable("NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY", "placeholder"), config), "a value its name calls secret");
  });

  it("knows the other bundlers' prefixes and accepts configured ones", () => {
    assertViolation(runResource(policy, publicVariable("VITE_DB", "postgres://u:p@h/db"), config), "VITE_ prefix");
    assertViolation(runResource(policy, publicVariable("EXPO_PUBLIC_KEY", testSecrets.supabaseServiceRoleKey), config), "EXPO_PUBLIC_ prefix");
    assertClean(runResource(policy, publicVariable("VITE_DB", "postgres://u:p@h/db"), { ...config, publicPrefixes: ["NEXT_PUBLIC_"] }));
    assertViolation(runResource(policy, publicVariable("CLIENT_DB", "postgres://u:p@h/db"), { ...config, publicPrefixes: ["CLIENT_"] }), "CLIENT_ prefix");
  });

  it("checks command environments, NAME=value lines in scripts, and GitHub variables", () => {
    const cmd: FakeResource = {
      type: "command:local:Command",
      name: "build",
      props: { create: "npm run build", environment: { NEXT_PUBLIC_KEY: testSecrets.supabaseServiceRoleKey } },
    };
    assertViolation(runResource(policy, cmd, config), "environment.NEXT_PUBLIC_KEY");
    const script: FakeResource = { type: "command:local:Command", name: "build", props: { create: `NEXT_PUBLIC_DB='postgres://u:p@h/db' npm run build` } };
    assertViolation(runResource(policy, script, config), "create (NEXT_PUBLIC_DB=…)");
    const ghVariable: FakeResource = {
      type: "github:index/actionsVariable:ActionsVariable",
      name: "v",
      props: { repository: "r", variableName: "NEXT_PUBLIC_TOKEN", value: testSecrets.supabaseAccessToken },
    };
    assertViolation(runResource(policy, ghVariable, config), "NEXT_PUBLIC_TOKEN (value)");
  });

  it("checks each variable of ProjectEnvironmentVariables", () => {
    const bulk: FakeResource = {
      type: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
      name: "bulk",
      props: {
        projectId: "p",
        variables: [
          { key: "NEXT_PUBLIC_A", value: "a", targets: ["preview"], sensitive: false },
          { key: "NEXT_PUBLIC_B", value: testServiceRoleJwt, targets: ["preview"], sensitive: false },
        ],
      },
    };
    assertViolation(runResource(policy, bulk, config), "variables[1].value");
  });

  it("defers only an unknown value of a public variable", () => {
    assert.deepStrictEqual(runResource(policy, publicVariable("NEXT_PUBLIC_X", unknown.string), config), { violations: [], deferred: true });
    assertClean(runResource(policy, publicVariable("SERVER_ONLY", unknown.string), config));
    assertClean(runResource(policy, mutate(publicVariable("NEXT_PUBLIC_URL", "https://a.example.com"), ["props", "projectId"], unknown.string), config));
    const cmd: FakeResource = { type: "command:local:Command", name: "c", props: { environment: { NEXT_PUBLIC_X: unknown.string, OTHER: unknown.string } } };
    assert.strictEqual(runResource(policy, cmd, config).deferred, true);
  });
});
