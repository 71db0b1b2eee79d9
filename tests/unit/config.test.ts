import * as assert from "assert";
import { ConfigError } from "../../config/errors";
import { parseSettings } from "../../config/parse";
import * as path from "path";
import { examplesDir, stackConfig } from "./harness";

function parse(stack: string, overrides: Record<string, unknown> = {}, secrets?: Record<string, string>, plainKeys: string[] = []) {
  const config = stackConfig(stack, overrides, secrets);
  const secretKeys = new Set(config.secretKeys.filter((k) => !plainKeys.includes(k.split(":")[1])));
  return parseSettings(config.values, stack, secretKeys);
}

function problems(stack: string, overrides: Record<string, unknown>, secrets?: Record<string, string>, plainKeys?: string[]): string {
  try {
    parse(stack, overrides, secrets, plainKeys);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail("expected the configuration to be refused");
}

const testProject = (variables: unknown[], extra: Record<string, unknown> = {}) => [
  { name: "dm-internal", projectId: "prj_placeholder0000000000000000", variables, ...extra },
];

describe("configuration", () => {
  it("accepts both committed stacks", () => {
    const test = parse("test");
    assert.strictEqual(test.tier, "test");
    assert.strictEqual(test.isProd, false);
    assert.strictEqual(test.supabase?.integrationTestCommand, "sh supabase/integration/run.sh");
    assert.deepStrictEqual(test.secretKeys, ["generatedSecretsSeed", "supabaseAccessToken", "supabaseDbPassword", "supabaseServiceRoleKey", "vercelApiToken"]);
    const prod = parse("prod");
    assert.strictEqual(prod.isProd, true);
    assert.strictEqual(prod.supabase?.integrationTestCommand, undefined);
    assert.deepStrictEqual(prod.github?.requiredStatusChecks, ["preview"]);
    // The session pooler (IPv4), not the IPv6-only direct host: GitHub-hosted runners have no IPv6.
    assert.strictEqual(prod.supabase?.databaseUrl, "postgresql://postgres.prodrefbbbbbbbbbbbbb@aws-0-eu-central-1.pooler.supabase.com:5432/postgres");
  });

  const cases: { name: string; stack: string; overrides: Record<string, unknown>; secrets?: Record<string, string>; plainKeys?: string[]; expect: RegExp[] }[] =
    [
      { name: "missing tier", stack: "test", overrides: { tier: undefined }, expect: [/deploy-guardrails:tier: is required but not set/, /for example: test/] },
      { name: "tier that does not match the stack", stack: "test", overrides: { tier: "prod" }, expect: [/tier: is "prod" but the stack is "test"/] },
      { name: "unknown tier", stack: "test", overrides: { tier: "qa" }, expect: [/tier: is not one of "test", "staging", "prod"/] },
      {
        name: "Supabase ref of the wrong shape",
        stack: "test",
        overrides: { supabaseProjectRef: "Test-Ref-1" },
        expect: [/supabaseProjectRef: must be a Supabase project ref: exactly 20 lowercase letters/, /abcdefghijklmnopqrst/],
      },
      {
        name: "URL that is not https",
        stack: "test",
        overrides: { supabaseUrl: "http://testrefaaaaaaaaaaaaa.supabase.co" },
        expect: [/supabaseUrl: must start with https:\/\//],
      },
      {
        name: "prod ref as the test stack's project",
        stack: "test",
        overrides: { supabaseProjectRef: "prodrefbbbbbbbbbbbbb", supabaseUrl: "" },
        expect: [/supabaseProjectRef: is the prod project, but this is the test tier/],
      },
      {
        name: "prod ref hidden in another test value",
        stack: "test",
        overrides: { databaseUrl: "postgresql://postgres@db.prodrefbbbbbbbbbbbbb.supabase.co:5432/postgres" },
        expect: [/databaseUrl: names the prod database/],
      },
      {
        name: "prod stack pointing at another project",
        stack: "prod",
        overrides: { supabaseProjectRef: "testrefaaaaaaaaaaaaa", supabaseUrl: "" },
        expect: [/supabaseProjectRef: differs from prodProjectRef/],
      },
      {
        name: "password inside the database URL",
        stack: "test",
        overrides: { databaseUrl: "postgresql://postgres:hunter2@db.testrefaaaaaaaaaaaaa.supabase.co:5432/postgres" },
        expect: [/databaseUrl: must not contain a password; put it in the secret supabaseDbPassword/],
      },
      {
        name: "unknown Vercel target",
        stack: "test",
        overrides: { vercelProjects: testProject([{ key: "A", value: "1", targets: ["staging"] }]) },
        expect: [/vercelProjects\[0\]\.variables\[0\]\.targets\[0\]: is not one of "production", "preview", "development"/],
      },
      {
        name: "test stack targeting production",
        stack: "test",
        overrides: { vercelProjects: testProject([{ key: "A", value: "1", targets: ["production"] }]) },
        expect: [/\(A\) targets "production", but the test tier may only target "preview" and "development"/],
      },
      {
        name: "prod stack targeting preview",
        stack: "prod",
        overrides: { vercelProjects: [{ name: "web", variables: [{ key: "A", value: "1", targets: ["preview"] }] }] },
        expect: [/\(A\) targets "preview", but the prod tier may only target "production"/],
      },
      {
        name: "env var key that is not a valid name",
        stack: "test",
        overrides: { vercelProjects: testProject([{ key: "NEXT-PUBLIC URL", value: "x" }]) },
        expect: [/variables\[0\]\.key: must be a valid environment variable name/],
      },
      {
        name: "duplicated variable",
        stack: "test",
        overrides: {
          vercelProjects: testProject([
            { key: "A", value: "1" },
            { key: "A", value: "2", targets: ["preview"] },
          ]),
        },
        expect: [/A is set twice for target "preview"; Vercel rejects duplicates/],
      },
      {
        name: "secret sent to development",
        stack: "test",
        overrides: { vercelProjects: testProject([{ key: "S", supabase: "serviceRoleKey", targets: ["preview", "development"] }]) },
        expect: [/\(S\) holds a secret but targets "development"/],
      },
      {
        name: "variable with two value sources",
        stack: "test",
        overrides: { vercelProjects: testProject([{ key: "A", value: "1", secret: "stripeKey" }]) },
        expect: [/variables\[0\]: \(A\) has "value" and "secret"; it needs exactly one of "value", "secret", "generated" or "supabase"/],
      },
      {
        name: "branch variable outside preview",
        stack: "test",
        overrides: { vercelProjects: testProject([{ key: "A", value: "1", gitBranch: "dev" }]) },
        expect: [/gitBranch: \(A\) is branch-specific/],
      },
      {
        name: "function name with spaces",
        stack: "test",
        overrides: { edgeFunctions: [{ name: "send email" }] },
        expect: [/edgeFunctions\[0\]\.name: must be a function folder name without spaces/],
      },
      {
        name: "duplicated function",
        stack: "test",
        overrides: { edgeFunctions: [{ name: "hello" }, { name: "hello" }] },
        expect: [/edgeFunctions: lists "hello" twice/],
      },
      { name: "malformed JSON list", stack: "test", overrides: { edgeFunctions: "[{name: hello" }, expect: [/edgeFunctions: is not valid JSON/] },
      {
        name: "missing secret",
        stack: "test",
        overrides: {},
        secrets: { supabaseDbPassword: "x", supabaseAccessToken: "y", vercelApiToken: "z" },
        expect: [/supabaseServiceRoleKey: is required but not set/, /pulumi config set --secret --stack test deploy-guardrails:supabaseServiceRoleKey/],
      },
      {
        name: "secret stored in plain text",
        stack: "test",
        overrides: {},
        plainKeys: ["supabaseDbPassword"],
        expect: [/supabaseDbPassword: is stored in plain text in the stack file; it must be a secret/],
      },
      {
        name: "generated secret that does not exist",
        stack: "test",
        overrides: { generatedSecrets: [] },
        expect: [/generatedSecrets: has no entry named "cronSecret"/],
      },
      {
        name: "test stack without integration tests",
        stack: "test",
        overrides: { integrationTestCommand: "" },
        expect: [/integrationTestCommand: is required on the test tier/],
      },
      {
        name: "test stack without the project id",
        stack: "test",
        overrides: { vercelProjects: [{ name: "dm-internal", variables: [] }] },
        expect: [/vercelProjects\[0\]\.projectId: is required on the test tier/, /pulumi stack output vercelProjectIds --stack prod/],
      },
      {
        name: "misspelled key",
        stack: "test",
        overrides: { supabaseprojectref: "x" },
        expect: [/supabaseprojectref: is not a key this program reads \(did you mean supabaseProjectRef\?\)/],
      },
      {
        name: "agent as release authority",
        stack: "prod",
        overrides: { releaseAuthority: [{ login: "codex-agent", id: 900001 }] },
        expect: [/releaseAuthority: lists the agent account "codex-agent"/],
      },
      {
        name: "no release authority in prod",
        stack: "prod",
        overrides: { releaseAuthority: [] },
        expect: [/releaseAuthority: is empty; the production environment needs at least one human reviewer/],
      },
      {
        name: "preview check not required",
        stack: "prod",
        overrides: { requiredStatusChecks: ["lint"] },
        expect: [/requiredStatusChecks: does not include "preview"/],
      },
      { name: "zero approvals", stack: "prod", overrides: { requiredApprovals: 0 }, expect: [/requiredApprovals: must be at least 1/] },
      {
        name: "marker column that is not an identifier",
        stack: "test",
        overrides: { environmentMarkerColumn: "env; drop table x" },
        expect: [/environmentMarkerColumn: must be a column name: a lowercase SQL identifier/, /for example: environment/],
      },
      {
        name: "marker column with capitals",
        stack: "test",
        overrides: { environmentMarkerColumn: "Env" },
        expect: [/environmentMarkerColumn: must be a column name/],
      },
      {
        name: "marker value with a comma",
        stack: "test",
        overrides: { environmentMarkerValue: "dev,prod" },
        expect: [/environmentMarkerValue: must be one short word/, /for example: test/],
      },
      {
        name: "marker value with shell characters",
        stack: "test",
        overrides: { environmentMarkerValue: "$(id)" },
        expect: [/environmentMarkerValue: must be one short word/],
      },
      {
        name: "prod marker value on the test tier",
        stack: "test",
        overrides: { environmentMarkerValue: "Production" },
        expect: [/environmentMarkerValue: is "Production", the marker of a prod database, but this is the test tier/, /for example: test/],
      },
      {
        name: "non-prod marker value on the prod tier",
        stack: "prod",
        overrides: { environmentMarkerValue: "dev" },
        expect: [/environmentMarkerValue: is "dev", the marker of a non-prod database, but this is the prod tier/, /for example: prod/],
      },
      {
        name: "framework that is not a slug",
        stack: "prod",
        overrides: { vercelProjects: [{ name: "web", framework: "Next.js", variables: [] }] },
        expect: [/vercelProjects\[0\]\.framework: must be a Vercel framework slug such as "nextjs" or "vite", or "other" for no framework/],
      },
      {
        name: "framework null instead of other",
        stack: "prod",
        overrides: { vercelProjects: [{ name: "web", framework: null, variables: [] }] },
        expect: [/vercelProjects\[0\]\.framework: must be a Vercel framework slug .* or "other" for no framework/],
      },
      {
        name: "deployment branches in the prod stack",
        stack: "prod",
        overrides: { environmentDeploymentBranches: ["main"] },
        expect: [
          /environmentDeploymentBranches: is set on the prod tier, but the production environment deploys from productionBranch \(main\) only/,
          /leave it unset in the prod stack/,
        ],
      },
      {
        name: "a wildcard deployment branch",
        stack: "test",
        overrides: { environmentDeploymentBranches: ["release/*"] },
        expect: [/environmentDeploymentBranches\[0\]: must be a branch name such as staging .*without wildcards/, /for example: \["staging"\]/],
      },
      {
        name: "a deployment branch git refuses",
        stack: "test",
        overrides: { environmentDeploymentBranches: ["main", "a..b"] },
        expect: [/environmentDeploymentBranches\[1\]: must be a branch name git accepts/],
      },
      {
        name: "deployment branches as a string",
        stack: "test",
        overrides: { environmentDeploymentBranches: "staging" },
        expect: [/environmentDeploymentBranches: is not valid JSON/],
      },
      {
        name: "a deployment branch listed twice",
        stack: "test",
        overrides: { environmentDeploymentBranches: ["dev", "dev"] },
        expect: [/environmentDeploymentBranches: lists "dev" twice/],
      },
      {
        name: "deployment branches that share a resource name",
        stack: "test",
        overrides: { environmentDeploymentBranches: ["release/1", "release_1"] },
        expect: [/environmentDeploymentBranches: lists "release\/1" and "release_1", which would share the resource name deploy-policy-release_1/],
      },
      {
        name: "Vercel team id of the wrong shape",
        stack: "prod",
        overrides: { vercelTeamId: "acme" },
        expect: [/vercelTeamId: must be a Vercel team id such as team_abc123/],
      },
    ];
  for (const c of cases) {
    it(`refuses ${c.name}, naming the key and the fix`, () => {
      const message = problems(c.stack, c.overrides, c.secrets, c.plainKeys);
      for (const pattern of c.expect) assert.match(message, pattern);
      assert.match(message, new RegExp(`pulumi config set --stack ${c.stack}`));
    });
  }

  it("reads the marker from column environment and expects the tier, unless told otherwise", () => {
    assert.deepStrictEqual([parse("test").supabase?.markerColumn, parse("test").supabase?.markerValue], ["environment", "test"]);
    assert.deepStrictEqual([parse("prod").supabase?.markerColumn, parse("prod").supabase?.markerValue], ["environment", "prod"]);
    const bk = parse("test", { environmentMarkerTable: "public.bk_env_marker", environmentMarkerColumn: "env", environmentMarkerValue: "dev" }).supabase;
    assert.deepStrictEqual([bk?.markerTable, bk?.markerColumn, bk?.markerValue], ["public.bk_env_marker", "env", "dev"]);
  });

  it("limits the writing environment to the production branch unless deployment branches are given", () => {
    assert.deepStrictEqual(parse("test").github?.environmentDeploymentBranches, []);
    assert.deepStrictEqual(parse("test", { environmentDeploymentBranches: ["main", "dev"] }).github?.environmentDeploymentBranches, ["main", "dev"]);
    const staging = stackConfig("test", { tier: "staging", environmentDeploymentBranches: ["staging"] });
    assert.deepStrictEqual(parseSettings(staging.values, "staging", new Set(staging.secretKeys)).github?.environmentDeploymentBranches, ["staging"]);
  });

  // Where the release connects (config/identity.ts releaseDatabaseUrl): the session pooler unless databaseUrl says otherwise.
  const databaseCases: [string, Record<string, unknown>, RegExp | string][] = [
    [
      "no pooler host and no databaseUrl: refused, naming both keys and why",
      { supabasePoolerHost: undefined },
      /supabasePoolerHost: is required unless databaseUrl is set: .*db\.testrefaaaaaaaaaaaaa\.supabase\.co has IPv6 addresses only, which GitHub-hosted runners cannot reach.*Connect → Session pooler.*for example: aws-0-eu-central-1\.pooler\.supabase\.com/s,
    ],
    [
      "the direct host as the pooler host",
      { supabasePoolerHost: "db.testrefaaaaaaaaaaaaa.supabase.co" },
      /supabasePoolerHost: is the direct host, which has IPv6 addresses only/,
    ],
    [
      "a whole connection string as the pooler host",
      { supabasePoolerHost: "postgresql://postgres.testrefaaaaaaaaaaaaa@aws-0-eu-central-1.pooler.supabase.com:5432/postgres" },
      /supabasePoolerHost: must be the host of the project's Session pooler/,
    ],
    [
      "the pooler without the project in the user name",
      { databaseUrl: "postgresql://postgres@aws-0-eu-central-1.pooler.supabase.com:5432/postgres" },
      /databaseUrl: reaches the shared pooler, which finds the project by the user name: it must be postgres.<project ref>/,
    ],
    [
      "the pooler user of another project",
      { databaseUrl: "postgresql://postgres.otherrefcccccccccccc@aws-0-eu-central-1.pooler.supabase.com:5432/postgres" },
      /databaseUrl: connects as the pooler user of the project otherrefcccccccccccc, but supabaseProjectRef is testrefaaaaaaaaaaaaa/,
    ],
    [
      "the direct host of another project",
      { databaseUrl: "postgresql://postgres@db.otherrefcccccccccccc.supabase.co:5432/postgres" },
      /databaseUrl: points at the project otherrefcccccccccccc, but supabaseProjectRef is testrefaaaaaaaaaaaaa/,
    ],
    ["the pooler host given", {}, "postgresql://postgres.testrefaaaaaaaaaaaaa@aws-0-eu-central-1.pooler.supabase.com:5432/postgres"],
    [
      "another cluster of the pooler (aws-1)",
      { supabasePoolerHost: "aws-1-us-east-1.pooler.supabase.com" },
      "postgresql://postgres.testrefaaaaaaaaaaaaa@aws-1-us-east-1.pooler.supabase.com:5432/postgres",
    ],
    [
      "databaseUrl wins: the direct host, for a runner with IPv6 or the IPv4 add-on",
      { supabasePoolerHost: undefined, databaseUrl: "postgresql://postgres@db.testrefaaaaaaaaaaaaa.supabase.co:5432/postgres" },
      "postgresql://postgres@db.testrefaaaaaaaaaaaaa.supabase.co:5432/postgres",
    ],
  ];
  for (const [name, overrides, expected] of databaseCases) {
    it(`release database: ${name}`, () => {
      if (typeof expected === "string") assert.strictEqual(parse("test", overrides).supabase?.databaseUrl, expected);
      else assert.match(problems("test", overrides), expected);
    });
  }
  it("needs no pooler host when the stack releases nothing", () => {
    assert.strictEqual(parse("test", { supabasePoolerHost: undefined, enableSupabaseRelease: "false", integrationTestCommand: undefined }).supabase, undefined);
  });

  it("reports every problem at once", () => {
    const message = problems("test", { tier: "qa", supabaseUrl: "http://x", edgeFunctions: [{ name: "a b" }] });
    assert.match(message, /\(3 problems\)/);
  });

  it("never prints a secret value, even when the secret itself is the problem", () => {
    const secret = "hunter2-super-secret-prodrefbbbbbbbbbbbbb";
    const message = problems("test", {}, { supabaseDbPassword: secret, supabaseAccessToken: "y", supabaseServiceRoleKey: "z", vercelApiToken: "w" });
    assert.match(message, /supabaseDbPassword: names the prod database/);
    assert.ok(!message.includes("hunter2"));
  });
});

describe("configuration of a plain Postgres (Neon) database", () => {
  const neon = (tier: string, host: string, extra: Record<string, unknown> = {}) => ({
    tier,
    databaseProvider: "postgres",
    supabaseProjectRef: "",
    prodProjectRef: "",
    supabaseUrl: "",
    supabaseAnonKey: "",
    prodDatabaseHost: "ep-prod-123.eu-central-1.aws.neon.tech",
    databaseUrl: `postgresql://app@${host}/app`,
    migrationCommand: "pnpm db:migrate",
    edgeFunctions: [],
    functionSecrets: [],
    vercelProjects: [],
    githubEnvironmentSecrets: [],
    generatedSecrets: [],
    ...extra,
  });
  const noSupabaseSecrets = { supabaseDbPassword: "x", vercelApiToken: "y" };
  it("accepts a test stack on its own host and a prod stack on the prod host", () => {
    const test = parseSettings(
      stackConfig("test", neon("test", "ep-dev-456.eu-central-1.aws.neon.tech"), noSupabaseSecrets).values,
      "test",
      new Set(["deploy-guardrails:supabaseDbPassword", "deploy-guardrails:vercelApiToken"]),
    );
    assert.strictEqual(test.identity.provider, "postgres");
    assert.strictEqual(test.projectRef, undefined);
  });
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ["the prod host in the test stack", "test", neon("test", "ep-prod-123.eu-central-1.aws.neon.tech"), /databaseUrl: names the prod database/],
    [
      "another host in the prod stack",
      "prod",
      neon("prod", "ep-dev-456.eu-central-1.aws.neon.tech", { integrationTestCommand: "" }),
      /databaseUrl: points at ep-dev-456.eu-central-1.aws.neon.tech, but this is the prod tier/,
    ],
    [
      "no migration command",
      "test",
      neon("test", "ep-dev-456.eu-central-1.aws.neon.tech", { migrationCommand: "" }),
      /migrationCommand: is required when databaseProvider is postgres/,
    ],
    [
      "edge functions",
      "test",
      neon("test", "ep-dev-456.eu-central-1.aws.neon.tech", { edgeFunctions: [{ name: "hello" }] }),
      /edge functions and function secrets need a Supabase project/,
    ],
    [
      "a host that is not one",
      "test",
      neon("test", "ep-dev-456.eu-central-1.aws.neon.tech", { prodDatabaseHost: "Not A Host" }),
      /prodDatabaseHost: must be a host name of at least two labels/,
    ],
  ];
  for (const [name, stack, overrides, pattern] of cases) {
    it(`refuses ${name}`, () => assert.match(problems(stack, overrides, noSupabaseSecrets), pattern));
  }
});

describe("configuration of the examples' stack files", () => {
  const parseExample = (example: string, stack: string, secretNames: string[]) => {
    const secrets = Object.fromEntries(secretNames.map((k) => [k, `dummy-${k}-for-unit-tests`]));
    const config = stackConfig(stack, {}, secrets, path.join(examplesDir, example));
    return parseSettings(config.values, stack, new Set(config.secretKeys));
  };
  const manoSecrets = ["supabaseDbPassword", "supabaseAccessToken", "supabaseServiceRoleKey", "vercelApiToken", "anthropicApiKey"];
  it("001-mano: the staging environment deploys from the staging branch; test and prod keep the production branch", () => {
    assert.deepStrictEqual(parseExample("001-mano", "staging", manoSecrets).github?.environmentDeploymentBranches, ["staging"]);
    assert.deepStrictEqual(parseExample("001-mano", "test", manoSecrets).github?.environmentDeploymentBranches, []);
    assert.deepStrictEqual(parseExample("001-mano", "prod", manoSecrets).github?.environmentDeploymentBranches, []);
  });
  const bkSecrets = ["supabaseDbPassword", "vercelApiToken", "neonDatabaseUrl", "stripeSecretKey"];
  it("002-balance-kitchen: test reads bk_env_marker.env and expects dev; prod expects prod", () => {
    const test = parseExample("002-balance-kitchen", "test", bkSecrets).supabase;
    assert.deepStrictEqual(
      [test?.markerTable, test?.markerColumn, test?.markerValue, test?.migrationCommand],
      ["public.bk_env_marker", "env", "dev", "sh db/migrate.sh"],
    );
    const prod = parseExample("002-balance-kitchen", "prod", bkSecrets).supabase;
    assert.deepStrictEqual([prod?.markerTable, prod?.markerColumn, prod?.markerValue], ["public.bk_env_marker", "env", "prod"]);
  });
  it("002-balance-kitchen: the api project has no framework (Vercel's Other), the three apps are vite", () => {
    const projects = parseExample("002-balance-kitchen", "prod", bkSecrets).vercel?.projects ?? [];
    assert.deepStrictEqual(
      projects.map((p) => [p.name, p.framework]),
      [
        ["site", "vite"],
        ["client", "vite"],
        ["admin", "vite"],
        ["api", "other"],
      ],
    );
  });
});
