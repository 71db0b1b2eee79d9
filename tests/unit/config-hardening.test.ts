import * as assert from "assert";
import { ConfigError } from "../../config/errors";
import { unreadableGateStackMessage } from "../../config/gate-stack";
import { parseSettings } from "../../config/parse";
import { dummySecrets, stackConfig } from "./harness";

/**
 * Issue 12 (5) and issue 13's config symptoms: one row per refusal (or per acceptance the policy pack agrees with).
 * Every row fails on the code before this change (measured: see the report on the wp-secrets branch).
 */

interface Row {
  name: string;
  stack: "test" | "prod";
  overrides?: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** Keys given as plain config although the test harness would make them secret. */
  plainKeys?: string[];
  /** Refused: every pattern must match. Accepted: leave out. */
  expect?: RegExp[];
  /** Strings the message must not contain (values a user pasted). */
  neverShown?: string[];
  /** Exactly this many problems. */
  problems?: number;
  /** Config values under their full key, e.g. another namespace's. */
  rawValues?: Record<string, string>;
}

function run(row: Row): { message?: string } {
  const config = stackConfig(row.stack, row.overrides ?? {}, { ...dummySecrets, ...(row.secrets ?? {}) });
  Object.assign(config.values, row.rawValues ?? {});
  const secretKeys = new Set(config.secretKeys.filter((k) => !(row.plainKeys ?? []).includes(k.split(":")[1])));
  try {
    parseSettings(config.values, row.stack, secretKeys);
    return {};
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return { message: e.message };
  }
}

const testProject = (variables: unknown[]) => [{ name: "dm-internal", projectId: "prj_placeholder0000000000000000", variables }];
const prodRef = "prodrefbbbbbbbbbbbbb";
const legacyJwt = (ref: string, role: string) =>
  [
    { alg: "HS256", typ: "JWT" },
    { iss: "supabase", ref, role, iat: 1700000000, exp: 2000000000 },
  ]
    .map((o) => Buffer.from(JSON.stringify(o)).toString("base64url"))
    .join(".") + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
const pastedSecret = "sb_secret_PastedIntoTheWrongField000000";
const stripeLive = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv";

const rows: Row[] = [
  // 12.5: plaintext for every secret key, and no GitHub token in any stack
  {
    name: "a built-in secret key stored plain although no variable uses it",
    stack: "prod",
    overrides: { vercelProjects: [] },
    secrets: { vercelApiToken: "plain-but-unused-vercel-token" },
    plainKeys: ["vercelApiToken"],
    expect: [
      /vercelApiToken: is stored in plain text in the stack file; it must be a secret/,
      /pulumi config set --secret --stack prod deploy-guardrails:vercelApiToken/,
    ],
    neverShown: ["plain-but-unused-vercel-token"],
  },
  {
    name: "the access token stored plain in a stack without functions",
    stack: "test",
    overrides: { edgeFunctions: [], functionSecrets: [], githubEnvironmentSecrets: [] },
    plainKeys: ["supabaseAccessToken"],
    expect: [/supabaseAccessToken: is stored in plain text/],
    neverShown: [dummySecrets.supabaseAccessToken],
  },
  {
    name: "githubToken in the test stack, even as a secret",
    stack: "test",
    secrets: { githubToken: "ghp_0123456789abcdefghijABCDEFGHIJ0123456789" },
    expect: [
      /githubToken: is set, but no stack may hold a GitHub token: the GitHub provider takes it from the GITHUB_TOKEN environment variable/,
      /pulumi config rm --stack test deploy-guardrails:githubToken/,
    ],
    neverShown: ["ghp_0123456789abcdefghijABCDEFGHIJ0123456789"],
  },
  {
    name: "githubToken in the prod stack, stored plain",
    stack: "prod",
    overrides: { githubToken: "ghp_0123456789abcdefghijABCDEFGHIJ0123456789" },
    expect: [/githubToken: is set, but no stack may hold a GitHub token/],
    neverShown: ["ghp_0123456789abcdefghijABCDEFGHIJ0123456789"],
  },
  {
    name: "the GitHub provider's own github:token",
    stack: "prod",
    rawValues: { "github:token": "x" },
    expect: [/ {2}- github:token: is set, but no stack may hold a GitHub token/, /pulumi config rm --stack prod github:token/],
  },
  // 13: exactly one source for GitHub environment secrets
  {
    name: "a GitHub environment secret without a source",
    stack: "test",
    overrides: { githubEnvironmentSecrets: [{ name: "SUPABASE_DB_PASSWORD" }] },
    expect: [
      /githubEnvironmentSecrets\[0\]: \(SUPABASE_DB_PASSWORD\) has no value source; it needs exactly one of "value", "secret", "generated" or "supabase"/,
    ],
  },
  {
    name: "a GitHub environment secret with a value and a secret",
    stack: "prod",
    overrides: { githubEnvironmentSecrets: [{ name: "SUPABASE_DB_PASSWORD", value: "literal-in-git", secret: "supabaseDbPassword" }] },
    expect: [/githubEnvironmentSecrets\[0\]: \(SUPABASE_DB_PASSWORD\) has "value" and "secret"; it needs exactly one/],
  },
  {
    name: "a function secret without a source",
    stack: "test",
    overrides: { functionSecrets: [{ name: "CRON_SECRET" }] },
    expect: [/functionSecrets\[0\]: \(CRON_SECRET\) has no value source/],
  },
  // 13: a value pasted into the wrong field is never echoed
  {
    name: "a secret pasted into a supabase source",
    stack: "test",
    overrides: { vercelProjects: testProject([{ key: "A", supabase: pastedSecret }]) },
    expect: [/vercelProjects\[0\]\.variables\[0\]\.supabase: is not one of "url", "anonKey", "serviceRoleKey", "projectRef"/],
    neverShown: [pastedSecret, "PastedIntoTheWrongField"],
  },
  {
    name: "a token pasted as the tier",
    stack: "test",
    overrides: { tier: stripeLive },
    expect: [/tier: is not one of "test", "staging", "prod"/],
    neverShown: [stripeLive],
  },
  {
    name: "a secret pasted as a field name",
    stack: "test",
    overrides: { vercelProjects: testProject([{ key: "A", value: "1", [pastedSecret]: true }]) },
    expect: [/has unknown field\(s\) \(a field whose name is not shown: it looks like a value\)/],
    neverShown: [pastedSecret],
  },
  // 13: releaseGateStack
  {
    name: "a releaseGateStack that is not a stack name",
    stack: "prod",
    overrides: { releaseGateStack: "organization/deploy guardrails/test" },
    expect: [/releaseGateStack: is not a stack name: \[<organization>\/\[<project>\/\]\]<stack>/, /for example: organization\/deploy-guardrails\/test/],
  },
  {
    name: "a releaseGateStack with an empty part",
    stack: "prod",
    overrides: { releaseGateStack: "organization//test" },
    expect: [/releaseGateStack: is not a stack name/],
  },
  {
    name: "prod gating on itself",
    stack: "prod",
    overrides: { releaseGateStack: "organization/deploy-guardrails/prod" },
    expect: [/releaseGateStack: names this stack \(prod\)/],
  },
  // 13: supabaseDir stays inside the project
  {
    name: "supabaseDir ../../../etc",
    stack: "test",
    overrides: { supabaseDir: "../../../etc" },
    expect: [/supabaseDir: must stay inside the project: no '\.' or '\.\.' segments/],
  },
  {
    name: "supabaseDir with a .. in the middle",
    stack: "test",
    overrides: { supabaseDir: "supabase/../../x" },
    expect: [/supabaseDir: must stay inside the project/],
  },
  // 13: a literal that looks like a secret in a value source (the policy's credential shapes)
  ...[
    ["a Stripe live secret key", stripeLive, /a Stripe secret key/],
    ["an sb_secret_ key", "sb_secret_dummyTestServiceRoleKey000000", /a Supabase secret key/],
    ["an sbp_ access token", "sbp_0123456789abcdef0123456789abcdef01234567", /a Supabase access token/],
    ["a service_role JWT", legacyJwt("testrefaaaaaaaaaaaaa", "service_role"), /a service_role key \(JWT\)/],
    ["a database URL with a password", "postgresql://app:hunter2hunter2@db.testrefaaaaaaaaaaaaa.supabase.co/postgres", /a database URL with a password/],
  ].map(([what, value, kind]) => ({
    name: `${what as string} as a literal value`,
    stack: "test" as const,
    overrides: { vercelProjects: testProject([{ key: "SERVER_KEY", value, targets: ["preview"] }]) },
    expect: [
      new RegExp(`vercelProjects\\[0\\]\\.variables\\[0\\]\\.value: holds ${(kind as RegExp).source}`),
      /in plain text, readable in the stack file \(so in git\) and in the state; a "value" source is for public values only/,
      /\{"secret": "<a config key>"\}/,
    ],
    neverShown: [value as string],
  })),
  {
    name: "a service_role JWT as the anon key",
    stack: "test",
    overrides: { supabaseAnonKey: legacyJwt("testrefaaaaaaaaaaaaa", "service_role") },
    expect: [/supabaseAnonKey: holds a service_role key \(JWT\) in plain text/],
  },
  {
    name: "a literal password in the migration command",
    stack: "test",
    overrides: { migrationCommand: "PGPASSWORD=hunter2hunter2 psql -f x.sql" },
    expect: [/migrationCommand: holds a literal value for PGPASSWORD in plain text/, /read it from the environment/],
    neverShown: ["hunter2hunter2"],
  },
  // 13: Supabase reserves SUPABASE_ for function secrets
  {
    name: "a function secret named SUPABASE_URL",
    stack: "test",
    overrides: { functionSecrets: [{ name: "SUPABASE_URL", value: "https://example.com" }] },
    expect: [/functionSecrets\[0\]\.name: \(SUPABASE_URL\) starts with SUPABASE_, which Supabase reserves/, /for example: "URL"/],
  },
  // 13: a prod stack without agent accounts
  {
    name: "a prod stack without agentAccounts",
    stack: "prod",
    overrides: { agentAccounts: [] },
    expect: [/agentAccounts: is empty in the prod stack/, /github-actions\[bot\]/],
  },
  // 13: one bad generatedSecrets length is one problem
  {
    name: "a generated secret that is too short",
    stack: "test",
    overrides: { generatedSecrets: [{ name: "cronSecret", length: 8 }] },
    expect: [/generatedSecrets\[0\]\.length: Number must be greater than or equal to 24/],
    problems: 1,
  },
  // 13: the program and the policy agree on what names prod (contracts/prod-identity.ts)
  {
    name: "the prod ref as a word in a test value",
    stack: "test",
    overrides: { integrationTestCommand: `sh run.sh --project ${prodRef}` },
    expect: [/integrationTestCommand: names the prod database \(the prod project ref\)/],
  },
  {
    name: "the prod ref percent-encoded in a test URL (the policy sees through it)",
    stack: "test",
    overrides: { supabaseUrl: "https://%70rodrefbbbbbbbbbbbbb.supabase.co" },
    expect: [/supabaseUrl: names the prod database \(the prod project ref in a Supabase URL or host/],
  },
  {
    name: "the prod ref inside a longer word (the policy lets it through)",
    stack: "test",
    overrides: { integrationTestCommand: `sh run.sh --label ${prodRef}x` },
  },
];

describe("configuration: secrets and the rules shared with the policy pack", () => {
  for (const row of rows) {
    it(`${row.expect ? "refuses" : "accepts"} ${row.name}`, () => {
      const { message } = run(row);
      if (!row.expect) {
        assert.strictEqual(message, undefined, `expected the configuration to be accepted:\n${message}`);
        return;
      }
      assert.ok(message !== undefined, "expected the configuration to be refused");
      for (const pattern of row.expect) assert.match(message, pattern);
      for (const value of row.neverShown ?? []) assert.ok(!message.includes(value), `the message shows a value the user gave:\n${message}`);
      if (row.problems !== undefined) assert.match(message, new RegExp(`\\(${row.problems} problems?\\)`));
      assert.match(message, new RegExp(`pulumi config set --stack ${row.stack}`));
    });
  }

  it("a Neon test stack may name staging.<prod host>, like the policy (another host), but not the prod host", () => {
    const neon = (url: string) => ({
      databaseProvider: "postgres",
      supabaseProjectRef: "",
      prodProjectRef: "",
      supabaseUrl: "",
      supabaseAnonKey: "",
      prodDatabaseHost: "ep-prod-123.eu-central-1.aws.neon.tech",
      databaseUrl: "postgresql://app@ep-dev-456.eu-central-1.aws.neon.tech/app",
      migrationCommand: `sh migrate.sh ${url}`,
      edgeFunctions: [],
      functionSecrets: [],
      vercelProjects: [],
      githubEnvironmentSecrets: [],
    });
    const secrets = { supabaseDbPassword: "x-long-enough" };
    assert.deepStrictEqual(run({ name: "", stack: "test", overrides: neon("https://staging.ep-prod-123.eu-central-1.aws.neon.tech"), secrets }), {});
    assert.match(
      run({ name: "", stack: "test", overrides: neon("ep-prod-123-pooler.eu-central-1.aws.neon.tech"), secrets }).message ?? "",
      /migrationCommand: names the prod database \(the prod database host's connection pooler/,
    );
  });

  it("never prints a secret value of the stack, even inside a problem about another key", () => {
    const secret = "hunter2-super-secret-value";
    const message = run({ name: "", stack: "test", overrides: { supabaseProjectRef: secret }, secrets: { supabaseDbPassword: secret } }).message ?? "";
    assert.match(message, /supabaseProjectRef: must be a Supabase project ref/);
    assert.ok(!message.includes(secret));
  });
});

describe("a releaseGateStack the backend cannot read", () => {
  it("is explained with the key, the name given, the engine's reason and the fix", () => {
    const message = unreadableGateStackMessage(
      "organization/deploy-guardrails/tset",
      "prod",
      'invocation of pulumi:pulumi:readStackOutputs returned an error: unknown stack "organization/deploy-guardrails/tset"\nmore',
    );
    assert.match(
      message,
      /^deploy-guardrails:releaseGateStack is "organization\/deploy-guardrails\/tset", but that stack could not be read \(invocation of pulumi:pulumi:readStackOutputs returned an error: unknown stack "organization\/deploy-guardrails\/tset"\)\./,
    );
    assert.match(message, /pulumi config set --stack prod deploy-guardrails:releaseGateStack <organization>\/<project>\/test`\.$/);
    assert.ok(!message.includes("more"), "only the first line of the engine's message");
  });
});
