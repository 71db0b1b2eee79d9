import * as assert from "assert";
import { noProdCredentialOutsideProd as policy } from "../policies/no-prod-credential-outside-prod";
import { schema } from "../lib/config";
import {
  jwt,
  neonIdentityConfig as neonConfig,
  prodAnonJwt,
  prodDatabaseHost,
  prodEndpointId,
  prodIdentityConfig as config,
  prodRef,
  prodSecrets,
  prodServiceRoleJwt,
  testAnonJwt,
  testDatabaseHost,
  testRef,
  testSecrets,
  testServiceRoleJwt,
} from "./fixtures";
import { FakeResource, assertClean, runResource, unknown } from "./helpers";

const vercelVar = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";
const commandType = "command:local:Command";

const variable = (key: string, value: string): FakeResource => ({
  type: vercelVar,
  name: `vercel-dm-internal-${key}-preview`,
  props: { projectId: "prj_placeholder0000000000000000", key, value, targets: ["preview"], sensitive: true },
});
const command = (props: Record<string, unknown>): FakeResource => ({
  type: commandType,
  name: "supabase-db-push",
  props: { create: "set -eu\nsupabase db push", ...props },
});
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
  [
    "pooler user name percent-encoded",
    variable("DATABASE_URL", `postgresql://postgres%2E${prodRef}:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres`),
  ],
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
      props: {
        projectId: "prj_x",
        variables: [
          { key: "A", value: "a", targets: ["preview"], sensitive: false },
          { key: "B", value: prodUrl, targets: ["preview"], sensitive: true },
        ],
      },
    },
  ],
  [
    "prod URL in a project's inline environments",
    {
      type: "vercel:index/project:Project",
      name: "p",
      props: { name: "p", environments: [{ key: "U", value: prodUrl, sensitive: false, targets: ["preview"] }] },
    },
  ],
  ["prod secret in command triggers", command({ triggers: ["abc123", prodSecrets.supabaseServiceRoleKey] })],
  [
    "prod ref in a GitHub Actions variable",
    { type: "github:index/actionsVariable:ActionsVariable", name: "v", props: { repository: "r", variableName: "SUPABASE_URL", value: prodUrl } },
  ],
  [
    "prod secret in a deprecated plaintextValue",
    {
      type: "github:index/actionsSecret:ActionsSecret",
      name: "s",
      props: { repository: "r", secretName: "S", plaintextValue: prodSecrets.supabaseAccessToken },
    },
  ],
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
  [
    "the release gate stack name",
    { type: "pulumi:pulumi:StackReference", name: "release-gate-source", props: { name: "organization/deploy-guardrails/test" } },
  ],
  ["a part of the prod password", command({ environment: { X: "dummy-prod" } })],
  ["short values", command({ environment: { A: "true", B: "5432", C: "" }, triggers: [true, 1] })],
];

const prodPoolerHost = prodDatabaseHost.replace(".", "-pooler.");
const testPoolerHost = testDatabaseHost.replace(".", "-pooler.");
const neonUrl = (host: string, query = "sslmode=require") => `postgresql://bk_app:dev-branch-password@${host}/balance_kitchen?${query}`;

/**
 * Every form the host of a prod database that is not Supabase (example 002: Neon) can take in a non-prod stack, with
 * only prodDatabaseHosts (and fingerprints) configured, as npm run policy:fingerprints writes it for a postgres prod
 * stack. Each must be refused.
 */
const hostLeaks: [string, FakeResource][] = [
  ["prod host in a database URL", variable("DATABASE_URL", neonUrl(prodDatabaseHost))],
  ["prod host in upper case", variable("DATABASE_URL", neonUrl(prodDatabaseHost.toUpperCase()))],
  ["prod URL in upper case throughout", variable("DATABASE_URL", neonUrl(prodDatabaseHost).toUpperCase())],
  ["prod host percent-encoded", variable("DATABASE_URL", neonUrl("%65p-prod-placeholder%2Eeu-central-1%2Eaws.neon.tech"))],
  [
    "prod URL percent-encoded twice inside another URL",
    variable("WEBHOOK_URL", `https://hooks.example.com/x?db=${encodeURIComponent(encodeURIComponent(neonUrl(prodDatabaseHost)))}`),
  ],
  ["prod pooler host (<endpoint>-pooler)", variable("DATABASE_URL", neonUrl(prodPoolerHost))],
  ["prod pooler host in upper case", command({ environment: { PGHOST: prodPoolerHost.toUpperCase() } })],
  ["prod host with surrounding whitespace", variable("PGHOST", `  ${prodDatabaseHost} \n`)],
  ["prod host in quotes", variable("PGHOST", `"${prodDatabaseHost}"`)],
  ["prod host in a command environment", command({ environment: { PGHOST: prodDatabaseHost } })],
  ["prod URL in a command environment", command({ environment: { DATABASE_URL: neonUrl(prodDatabaseHost) } })],
  ["prod host in a command script (libpq keywords)", command({ create: `psql "host=${prodDatabaseHost} dbname=balance_kitchen" -f db/seed.sql` })],
  ["prod host with a port", command({ environment: { PGHOSTADDR: `${prodDatabaseHost}:5432` } })],
  ["prod host as an FQDN with a trailing dot", command({ environment: { PGHOST: `${prodDatabaseHost}.` } })],
  ["prod host in a JDBC URL", variable("JDBC_URL", `jdbc:postgresql://${prodDatabaseHost}:5432/balance_kitchen`)],
  ["prod endpoint id selecting the endpoint on another host", variable("DATABASE_URL", neonUrl(testDatabaseHost, `options=endpoint%3D${prodEndpointId}`))],
  ["prod URL base64-encoded", variable("ENCODED", b64(neonUrl(prodDatabaseHost)))],
  ["prod URL in a GitHub environment secret", envSecret(neonUrl(prodDatabaseHost))],
  ["prod host deep in nested inputs", { type: "some:index/thing:Thing", name: "t", props: { a: [{ b: { host: prodDatabaseHost } }] } }],
];

/** Values of the same provider that are not prod, or only look like it. None may be refused. */
const hostCleanValues: [string, FakeResource][] = [
  ["the test branch's host of the same provider", variable("DATABASE_URL", neonUrl(testDatabaseHost))],
  ["the test branch's pooler host", command({ environment: { DATABASE_URL: neonUrl(testPoolerHost) } })],
  ["the test host selecting its own endpoint", variable("DATABASE_URL", neonUrl(testDatabaseHost, "options=endpoint%3Dep-dev-placeholder"))],
  ["a public value merely containing prod", variable("VITE_DOCS_URL", "https://prod-docs.example.com/ep-prod")],
  ["VITE_APP_ENV=production", variable("VITE_APP_ENV", "production")],
  ["a different endpoint with a longer id", variable("DATABASE_URL", neonUrl("ep-prod-placeholder2.eu-central-1.aws.neon.tech"))],
  ["a different endpoint whose id extends the prod one", variable("DATABASE_URL", neonUrl("ep-prod-placeholder-2.eu-central-1.aws.neon.tech"))],
  ["a different endpoint whose id ends like the prod one", command({ environment: { PGHOST: "xep-prod-placeholder.eu-central-1.aws.neon.tech" } })],
  ["the provider's region domain alone", variable("NEON_REGION_HOST", "eu-central-1.aws.neon.tech")],
  ["the provider's console", variable("VITE_STATUS_URL", "https://console.neon.tech/app/projects")],
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

  describe("refuses every form of the prod database host (prodDatabaseHosts) in a non-prod stack", () => {
    for (const [form, resource] of hostLeaks) {
      it(form, () => {
        const result = runResource(policy, resource, neonConfig);
        assert.ok(result.violations.length >= 1, `not caught: ${form}`);
        assert.match(result.violations[0], /holds the prod database(?: host|'s Neon endpoint id)/);
        assert.match(result.violations[0], /is not a prod stack/);
        for (const v of result.violations) assert.ok(!v.toLowerCase().includes(prodEndpointId), `a message printed the prod host: ${v}`);
      });
    }
  });

  describe("passes the test database and values that merely resemble the prod host", () => {
    for (const [form, resource] of hostCleanValues) {
      it(form, () => assertClean(runResource(policy, resource, neonConfig)));
    }
  });

  it("has at least 6 host leak cases and 3 host clean cases", () => {
    assert.ok(hostLeaks.length >= 6 && hostCleanValues.length >= 3);
  });

  it("keeps refusing Supabase refs and passing every clean value when refs and hosts are both configured", () => {
    const both = { ...config, prodDatabaseHosts: [prodDatabaseHost] };
    for (const [form, resource] of [...leaks, ...hostLeaks]) assert.ok(runResource(policy, resource, both).violations.length >= 1, `not caught: ${form}`);
    for (const [form, resource] of [...cleanValues, ...hostCleanValues]) assert.deepStrictEqual(runResource(policy, resource, both).violations, [], form);
  });

  it("without prodDatabaseHosts, a prod host alone is not recognised (the config decides what prod is)", () => {
    assertClean(runResource(policy, command({ environment: { PGHOST: prodDatabaseHost } }), config));
  });

  it("matches a configured host however it is written, and a configured pooler host covers the direct host", () => {
    const leak = command({ environment: { PGHOST: prodDatabaseHost } });
    for (const configured of [` ${prodDatabaseHost.toUpperCase()} `, `${prodDatabaseHost}.`, prodPoolerHost]) {
      assert.strictEqual(runResource(policy, leak, { prodDatabaseHosts: [configured] }).violations.length, 1, configured);
    }
  });

  it("judges any database host, not only Neon's: the host and its -pooler variant, not another host below or beside it", () => {
    const generic = { prodDatabaseHosts: ["db.acme.example"] };
    for (const value of ["postgres://app@DB.ACME.EXAMPLE:5432/app", "host=db-pooler.acme.example", "db.acme.example"]) {
      assert.strictEqual(runResource(policy, command({ environment: { PGHOST: value } }), generic).violations.length, 1, value);
    }
    for (const value of ["staging.db.acme.example", "testdb.acme.example", "db-2.acme.example", "db", "acme.example"]) {
      assertClean(runResource(policy, command({ environment: { PGHOST: value } }), generic));
    }
  });

  it("ignores configured hosts that are not host names of at least two labels", () => {
    const result = runResource(policy, command({ environment: { PGHOST: "localhost", URL: "postgres://app@localhost/app" } }), {
      prodDatabaseHosts: ["localhost", "", "not a host"],
    });
    assert.match(result.violations[0], /No prod identity is configured/);
    assert.strictEqual(result.violations.length, 1);
  });

  it("declares prodDatabaseHosts in its config schema, with a description and an RE2-safe host pattern", () => {
    const declared = (policy.configSchema?.properties ?? {}) as Record<string, { description?: string; default?: unknown; items?: { pattern?: string } }>;
    assert.strictEqual(declared.prodDatabaseHosts, schema.prodDatabaseHosts);
    assert.ok((declared.prodDatabaseHosts.description ?? "").includes("prodDatabaseHost"));
    assert.deepStrictEqual(declared.prodDatabaseHosts.default, []);
    const pattern = declared.prodDatabaseHosts.items?.pattern ?? "";
    assert.doesNotMatch(pattern, /\(\?[=!<]/, "the engine validates schemas with RE2: no lookaround");
    for (const host of [prodDatabaseHost, prodPoolerHost, "DB.ACME.EXAMPLE", "db.acme.example."]) assert.match(host, new RegExp(pattern), host);
    for (const host of ["localhost", "", "-db.acme.example", "db..acme", "postgres://db.acme.example", "db.acme.example:5432"])
      assert.doesNotMatch(host, new RegExp(pattern), host);
  });

  it("allows prod values in the prod stack", () => {
    assertClean(runResource(policy, { ...variable("NEXT_PUBLIC_SUPABASE_URL", prodUrl), stack: "prod" }, config));
    assertClean(runResource(policy, { ...variable("DATABASE_URL", neonUrl(prodPoolerHost)), stack: "prod" }, neonConfig));
  });

  it("treats every stack in prodStacks as prod", () => {
    const resource = { ...variable("NEXT_PUBLIC_SUPABASE_URL", prodUrl), stack: "production-eu" };
    assertClean(runResource(policy, resource, { ...config, prodStacks: ["prod", "production-eu"] }));
    assert.strictEqual(runResource(policy, resource, config).violations.length, 1);
  });

  it("names the path and the form, never the value", () => {
    const result = runResource(policy, command({ environment: { PGPASSWORD: pw } }), config);
    assert.deepStrictEqual(result.violations, [
      'environment.PGPASSWORD holds a value matching a prod fingerprint, but "test" is not a prod stack. Use the test project\'s value here; prod credentials belong only to the prod stack.',
    ]);
    const pooler = runResource(policy, variable("DATABASE_URL", `postgresql://postgres.${prodRef}:x@h/postgres`), config);
    assert.ok(pooler.violations[0].includes("pooler user name") && !pooler.violations[0].includes(prodRef));
  });

  it("names the path, the host form and the fix for a prod database host, never the host", () => {
    assert.deepStrictEqual(runResource(policy, command({ environment: { PGHOST: prodDatabaseHost } }), neonConfig).violations, [
      "environment.PGHOST holds the prod database host (prodDatabaseHosts), but \"test\" is not a prod stack. Point it at this stack's own database (for Neon, the test branch's endpoint); only the prod stack may reach the prod database.",
    ]);
    assert.deepStrictEqual(runResource(policy, variable("DATABASE_URL", neonUrl(prodPoolerHost)), neonConfig).violations, [
      "value holds the prod database host's connection pooler (<endpoint>-pooler), but \"test\" is not a prod stack. Point it at this stack's own database (for Neon, the test branch's endpoint); only the prod stack may reach the prod database.",
    ]);
    const byId = runResource(policy, variable("DATABASE_URL", neonUrl(testDatabaseHost, `options=endpoint%3D${prodEndpointId}`)), neonConfig);
    assert.match(byId.violations[0], /^value holds the prod database's Neon endpoint id \(ep-…\), but "test" is not a prod stack\. Point it at/);
  });

  it("a prod host together with a prod secret is reported as a prod credential, naming both forms", () => {
    const result = runResource(policy, variable("DATABASE_URL", `postgresql://bk_app:${pw}@${prodDatabaseHost}/balance_kitchen`), neonConfig);
    assert.deepStrictEqual(result.violations, [
      'value holds the prod database host (prodDatabaseHosts) and a value matching a prod fingerprint, but "test" is not a prod stack. Use the test project\'s value here; prod credentials belong only to the prod stack.',
    ]);
  });

  it("fails closed when the policy config identifies no prod at all, naming both identity keys", () => {
    const result = runResource(policy, variable("A", "b"), {});
    assert.strictEqual(result.violations.length, 1);
    assert.match(result.violations[0], /^No prod identity is configured: neither prodProjectRefs .* nor prodDatabaseHosts .* nor prodFingerprints/);
    assert.match(result.violations[0], /npm run policy:fingerprints/);
    assertClean(runResource(policy, variable("A", "b"), { requireProdIdentity: false }));
    assertClean(runResource(policy, variable("A", "b"), { prodDatabaseHosts: [prodDatabaseHost] }));
    assertClean(runResource(policy, variable("A", "b"), { prodProjectRefs: [prodRef] }));
  });

  it("reports what is known at preview and defers unknown values to `up`", () => {
    const result = runResource(policy, command({ environment: { PGPASSWORD: pw, GENERATED: unknown.string } }), config);
    assert.strictEqual(result.violations.length, 1);
    assert.strictEqual(result.deferred, true);
    const onlyUnknown = runResource(policy, command({ environment: { GENERATED: unknown.string } }), config);
    assert.deepStrictEqual(onlyUnknown, { violations: [], deferred: true });
  });
});
