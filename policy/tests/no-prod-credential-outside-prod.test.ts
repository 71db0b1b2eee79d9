import * as assert from "assert";
import { noProdCredentialOutsideProd as policy } from "../policies/no-prod-credential-outside-prod";
import { prodAnonJwt, prodIdentityConfig as config, prodRef, prodSecrets, prodServiceRoleJwt, jwt, testAnonJwt, testRef, testSecrets, testServiceRoleJwt } from "./fixtures";
import { FakeResource, assertClean, runResource, unknown } from "./helpers";

const vercelVar = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";
const commandType = "command:local:Command";

const variable = (key: string, value: string): FakeResource => ({
  type: vercelVar,
  name: `vercel-dm-internal-${key}-preview`,
  props: { projectId: "prj_placeholder0000000000000000", key, value, targets: ["preview"], sensitive: true },
});
const command = (props: Record<string, unknown>): FakeResource => ({ type: commandType, name: "supabase-db-push", props: { create: "set -eu\nsupabase db push", ...props } });
const envSecret = (value: string): FakeResource => ({
  type: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  name: "github-test-secret-X",
  props: { repository: "dm-internal", environment: "test", secretName: "X", value },
});
const b64 = (s: string) => Buffer.from(s).toString("base64");
const prodUrl = `https://${prodRef}.supabase.co`;
const pw = prodSecrets.supabaseDbPassword;

/** Every form a prod credential can take in a non-prod stack. Each must be refused. */
const leaks: [string, FakeResource][] = [
  ["project URL", variable("NEXT_PUBLIC_SUPABASE_URL", prodUrl)],
  ["project URL with upper-case host", variable("NEXT_PUBLIC_SUPABASE_URL", prodUrl.toUpperCase())],
  ["project URL with surrounding whitespace", variable("NEXT_PUBLIC_SUPABASE_URL", `  ${prodUrl} \n`)],
  ["project URL in quotes", variable("NEXT_PUBLIC_SUPABASE_URL", `"${prodUrl}"`)],
  ["project URL with a percent-encoded host", variable("NEXT_PUBLIC_SUPABASE_URL", `https://%70rodref%62bbbbbbbbbbbb.supabase.co`)],
  ["project URL percent-encoded twice", variable("NEXT_PUBLIC_SUPABASE_URL", `https%253A%252F%252F${prodRef}.supabase.co`)],
  ["project URL with port and path", variable("SUPABASE_URL", `${prodUrl}:443/rest/v1/`)],
  ["legacy supabase.in host", variable("SUPABASE_URL", `https://${prodRef}.supabase.in`)],
  ["functions host", variable("FUNCTIONS_URL", `https://${prodRef}.functions.supabase.co/hello`)],
  ["direct database URL", variable("DATABASE_URL", `postgresql://postgres:x@db.${prodRef}.supabase.co:5432/postgres`)],
  ["database host alone", command({ environment: { PGHOST: `db.${prodRef}.supabase.co` } })],
  ["pooler user name", variable("DATABASE_URL", `postgresql://postgres.${prodRef}:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres`)],
  ["pooler user name percent-encoded", variable("DATABASE_URL", `postgresql://postgres%2E${prodRef}:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres`)],
  ["bare ref in command environment", command({ environment: { SUPABASE_PROJECT_ID: prodRef } })],
  ["bare ref in command script", command({ create: `supabase link --project-ref ${prodRef}` })],
  ["bare ref in upper case", command({ environment: { REF: prodRef.toUpperCase() } })],
  ["service_role JWT of prod", variable("SUPABASE_SERVICE_ROLE_KEY", prodServiceRoleJwt)],
  ["anon JWT of prod", variable("NEXT_PUBLIC_SUPABASE_ANON_KEY", prodAnonJwt)],
  ["prod JWT inside a URL query", variable("WEBHOOK_URL", `https://hooks.example.com/x?apikey=${prodServiceRoleJwt}&a=1`)],
  ["prod JWT inside a script header", command({ create: `curl -H "Authorization: Bearer ${prodAnonJwt}" https://api.example.com` })],
  ["JWT whose ref claim is upper case", variable("KEY", jwt({ iss: "supabase", ref: prodRef.toUpperCase(), role: "anon" }))],
  ["sb_secret_ key of prod", envSecret(prodSecrets.supabaseServiceRoleKey)],
  ["sb_secret_ key of prod with whitespace", envSecret(`\t${prodSecrets.supabaseServiceRoleKey}  `)],
  ["sbp_ access token of prod", command({ environment: { SUPABASE_ACCESS_TOKEN: prodSecrets.supabaseAccessToken } })],
  ["database password of prod", command({ environment: { PGPASSWORD: pw } })],
  ["prod password inside a connection string", variable("DATABASE_URL", `postgresql://postgres:${pw}@localhost:5432/postgres`)],
  ["prod password percent-encoded in a URL", variable("DATABASE_URL", `postgresql://postgres:%64ummy-prod-db-password@localhost/postgres`)],
  ["prod password in an export line", command({ create: `export PGPASSWORD=${pw}\npsql -c 'select 1'` })],
  ["prod password quoted in a script", command({ create: `PGPASSWORD='${pw}' psql` })],
  ["prod Vercel token in a provider", { type: "pulumi:providers:vercel", name: "vercel", props: { apiToken: prodSecrets.vercelApiToken } }],
  ["prod publishable key", variable("NEXT_PUBLIC_SUPABASE_ANON_KEY", prodSecrets.supabaseAnonKey)],
  ["prod secret inside a JSON string", variable("CONFIG", JSON.stringify({ serviceRoleKey: prodSecrets.supabaseServiceRoleKey }))],
  ["prod secret base64-encoded", variable("ENCODED", b64(prodSecrets.supabaseServiceRoleKey))],
  ["prod URL base64-encoded", variable("ENCODED", b64(prodUrl))],
  [
    "prod URL in ProjectEnvironmentVariables.variables[1]",
    {
      type: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
      name: "vars",
      props: { projectId: "prj_x", variables: [{ key: "A", value: "a", targets: ["preview"], sensitive: false }, { key: "B", value: prodUrl, targets: ["preview"], sensitive: true }] },
    },
  ],
  ["prod URL in a project's inline environments", { type: "vercel:index/project:Project", name: "p", props: { name: "p", environments: [{ key: "U", value: prodUrl, sensitive: false, targets: ["preview"] }] } }],
  ["prod secret in command triggers", command({ triggers: ["abc123", prodSecrets.supabaseServiceRoleKey] })],
  ["prod ref in a GitHub Actions variable", { type: "github:index/actionsVariable:ActionsVariable", name: "v", props: { repository: "r", variableName: "SUPABASE_URL", value: prodUrl } }],
  ["prod secret in a deprecated plaintextValue", { type: "github:index/actionsSecret:ActionsSecret", name: "s", props: { repository: "r", secretName: "S", plaintextValue: prodSecrets.supabaseAccessToken } }],
  ["prod ref deep in nested inputs", { type: "some:index/thing:Thing", name: "t", props: { a: { b: [{ c: { d: `db.${prodRef}.supabase.co` } }] } } }],
];

/** Values that merely look related to prod, or are test values. None may be refused. */
const cleanValues: [string, FakeResource][] = [
  ["test project URL", variable("NEXT_PUBLIC_SUPABASE_URL", `https://${testRef}.supabase.co`)],
  ["a public URL containing the word prod", variable("NEXT_PUBLIC_DOCS_URL", "https://prod-docs.example.com")],
  ["NEXT_PUBLIC_ENV=production", variable("NEXT_PUBLIC_ENV", "production")],
  ["a URL on a prod host of another service", variable("API_URL", "https://prod.example.com/supabase/v1")],
  ["prose mentioning prod", command({ create: "echo 'prod releases only what passed on test'" })],
  ["test service_role JWT", variable("SUPABASE_SERVICE_ROLE_KEY", testServiceRoleJwt)],
  ["test anon JWT", variable("NEXT_PUBLIC_SUPABASE_ANON_KEY", testAnonJwt)],
  ["local demo JWT without a ref", variable("NEXT_PUBLIC_SUPABASE_ANON_KEY", jwt({ iss: "supabase-demo", role: "anon", exp: 1983812996 }))],
  ["test database URL", variable("DATABASE_URL", `postgresql://postgres@db.${testRef}.supabase.co:5432/postgres`)],
  ["test pooler URL", variable("DATABASE_URL", `postgresql://postgres.${testRef}:x@aws-0-eu-central-1.pooler.supabase.com:6543/postgres`)],
  ["test sb_secret_ key", envSecret(testSecrets.supabaseServiceRoleKey)],
  ["test access token", command({ environment: { SUPABASE_ACCESS_TOKEN: testSecrets.supabaseAccessToken } })],
  ["test database password", command({ environment: { PGPASSWORD: testSecrets.supabaseDbPassword } })],
  ["test publishable key", variable("NEXT_PUBLIC_SUPABASE_ANON_KEY", testSecrets.supabaseAnonKey)],
  ["a script that reads the password from the environment", command({ create: 'PGPASSWORD="$PGPASSWORD" psql "$DATABASE_URL"' })],
  ["another 20-letter word", command({ environment: { WORD: "abcdefghijklmnopqrst" } })],
  ["the prod ref inside a longer run of letters", command({ environment: { WORD: `${prodRef}x` } })],
  ["the release gate stack name", { type: "pulumi:pulumi:StackReference", name: "release-gate-source", props: { name: "organization/deploy-guardrails/test" } }],
  ["a part of the prod password", command({ environment: { X: "dummy-prod" } })],
  ["short values", command({ environment: { A: "true", B: "5432", C: "" }, triggers: [true, 1] })],
];

describe("no-prod-credential-outside-prod", () => {
  describe("refuses every form of a prod credential in a non-prod stack", () => {
    for (const [form, resource] of leaks) {
      it(form, () => {
        const result = runResource(policy, resource, config);
        assert.ok(result.violations.length >= 1, `not caught: ${form}`);
        assert.match(result.violations[0], /is not a prod stack/);
      });
    }
  });

  describe("passes test values and public values that merely mention prod", () => {
    for (const [form, resource] of cleanValues) {
      it(form, () => assertClean(runResource(policy, resource, config)));
    }
  });

  it("has at least 30 leak cases and 15 clean cases", () => {
    assert.ok(leaks.length >= 30 && cleanValues.length >= 15);
  });

  it("allows prod values in the prod stack", () => {
    assertClean(runResource(policy, { ...variable("NEXT_PUBLIC_SUPABASE_URL", prodUrl), stack: "prod" }, config));
  });

  it("treats every stack in prodStacks as prod", () => {
    const resource = { ...variable("NEXT_PUBLIC_SUPABASE_URL", prodUrl), stack: "production-eu" };
    assertClean(runResource(policy, resource, { ...config, prodStacks: ["prod", "production-eu"] }));
    assert.strictEqual(runResource(policy, resource, config).violations.length, 1);
  });

  it("names the path and the form, never the value", () => {
    const result = runResource(policy, command({ environment: { PGPASSWORD: pw } }), config);
    assert.deepStrictEqual(result.violations, [
      'environment.PGPASSWORD holds a value matching a prod secret fingerprint, but "test" is not a prod stack. Use the test project\'s value here; prod credentials belong only to the prod stack.',
    ]);
    const pooler = runResource(policy, variable("DATABASE_URL", `postgresql://postgres.${prodRef}:x@h/postgres`), config);
    assert.ok(pooler.violations[0].includes("pooler user name") && !pooler.violations[0].includes(prodRef));
  });

  it("fails closed when the policy config identifies no prod at all", () => {
    const result = runResource(policy, variable("A", "b"), {});
    assert.strictEqual(result.violations.length, 1);
    assert.match(result.violations[0], /No prod project ref or fingerprint is configured/);
    assertClean(runResource(policy, variable("A", "b"), { requireProdIdentity: false }));
  });

  it("reports what is known at preview and defers unknown values to `up`", () => {
    const result = runResource(policy, command({ environment: { PGPASSWORD: pw, GENERATED: unknown.string } }), config);
    assert.strictEqual(result.violations.length, 1);
    assert.strictEqual(result.deferred, true);
    const onlyUnknown = runResource(policy, command({ environment: { GENERATED: unknown.string } }), config);
    assert.deepStrictEqual(onlyUnknown, { violations: [], deferred: true });
  });
});
