import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FingerprintSet, defaultKdf, matchesFingerprint } from "../../contracts/fingerprint";
import { databaseHostOfUrl } from "../../contracts/prod-identity";
import {
  BuildOptions,
  ConfigReadError,
  buildPolicyConfig,
  describeWritten,
  existingFingerprints,
  extractProdValues,
  missingProdIdentity,
  notProdTier,
  StackConfigJson,
} from "../lib/generate-policy-config";
import { policies } from "../policies";
import { noProdCredentialOutsideProd } from "../policies/no-prod-credential-outside-prod";
import { jwt, prodDatabaseHost, prodEndpointId, prodRef, prodSecrets, sequentialSalt, testDatabaseHost, testKdf } from "./fixtures";
import { balanceKitchenSecrets, balanceKitchenProdConfig as neonProdConfig } from "./examples";
import { assertClean, runResource } from "./helpers";

const plain = (value: string) => ({ value, secret: false });
const secret = (value: string) => ({ value, secret: true });
const object = (objectValue: unknown) => ({ value: JSON.stringify(objectValue), objectValue, secret: false });

/** What `pulumi config --stack prod --json --show-secrets` prints for the committed prod stack plus its secrets. */
const prodConfig: StackConfigJson = {
  "deploy-guardrails:tier": plain("prod"),
  "deploy-guardrails:supabaseProjectRef": plain(prodRef),
  "deploy-guardrails:prodProjectRef": plain(prodRef),
  "deploy-guardrails:supabaseUrl": plain(`https://${prodRef}.supabase.co`),
  "deploy-guardrails:supabaseAnonKey": plain(prodSecrets.supabaseAnonKey),
  "deploy-guardrails:supabaseDbPassword": secret(prodSecrets.supabaseDbPassword),
  "deploy-guardrails:supabaseAccessToken": secret(prodSecrets.supabaseAccessToken),
  "deploy-guardrails:supabaseServiceRoleKey": secret(prodSecrets.supabaseServiceRoleKey),
  "deploy-guardrails:vercelApiToken": secret(prodSecrets.vercelApiToken),
  "deploy-guardrails:functionSecrets": object([{ name: "CRON_SECRET", generated: "cronSecret" }]),
  "deploy-guardrails:releaseAuthority": object([{ login: "release-captain", id: 100001 }]),
  "deploy-guardrails:soleReleaseAuthority": plain("true"),
  "deploy-guardrails:agentAccounts": object([{ login: "codex-agent", id: 900001 }]),
  "deploy-guardrails:requiredStatusChecks": object(["preview"]),
  "deploy-guardrails:environmentMarkerTable": plain("public.deploy_env_marker"),
};

const neonSecrets = balanceKitchenSecrets.prod;
/** Every prod value identifies prod (prodFingerprints); the server secrets are all but the public anon key (prodSecretFingerprints). */
const credentialProdValues = Object.values(prodSecrets);
const secretProdValues = credentialProdValues.filter((v) => v !== prodSecrets.supabaseAnonKey);
/** Cheap, deterministic fingerprints for the tables; the committed file uses the default cost. */
const cheap: BuildOptions = { stack: "prod", kdfSalt: testKdf.salt, cost: { logN: testKdf.logN }, newSalt: sequentialSalt };
const matchesAll = (set: unknown, values: string[]) => values.every((v) => matchesFingerprint(v, set as FingerprintSet));
const matchesNone = (set: unknown, values: string[]) => values.every((v) => !matchesFingerprint(v, set as FingerprintSet));

/** Runs the real CLI script (transpile-only, config on stdin, never from a file); returns exit code and output. */
function runScript(config: StackConfigJson, out: string, ...args: string[]) {
  const script = path.join(__dirname, "..", "scripts", "fingerprints.ts");
  const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", script, "--config-json", "-", "--out", out, ...args], {
    cwd: path.join(__dirname, ".."),
    input: JSON.stringify(config),
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: path.dirname(out) },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("policy config generation (npm run policy:fingerprints)", () => {
  describe("extractProdValues", () => {
    const cases: [string, StackConfigJson, { refs?: string[]; credentials?: string[]; secrets?: string[]; skippedShort?: number }][] = [
      ["the committed prod stack", prodConfig, { refs: [prodRef], credentials: [...credentialProdValues].sort(), secrets: [...secretProdValues].sort() }],
      [
        "a public anon or publishable key identifies prod but is no server secret",
        { "p:supabaseAnonKey": plain("sb_publishable_x1234567890abcdefghij"), "p:webPublishableKey": plain("pk_live_1234567890abcdef") },
        { credentials: ["pk_live_1234567890abcdef", "sb_publishable_x1234567890abcdefghij"], secrets: [] },
      ],
      [
        "an anon key marked secret is still no server secret",
        { "p:supabaseAnonKey": secret("sb_publishable_x1234567890abcdefghij") },
        { credentials: ["sb_publishable_x1234567890abcdefghij"], secrets: [] },
      ],
      ["a ref only inside a URL", { "p:url": plain(`https://${prodRef}.supabase.co/rest/v1`) }, { refs: [prodRef], secrets: [] }],
      ["a ref only in a pooler user", { "p:db": plain(`postgresql://postgres.${prodRef}@aws-0-eu-west-1.pooler.supabase.com/postgres`) }, { refs: [prodRef] }],
      ["a ref only in a JWT claim", { "p:jwtKey": secret(jwt({ ref: prodRef, role: "service_role" })) }, { refs: [prodRef] }],
      [
        "a secret inside structured config",
        { "p:secrets": { value: "{}", objectValue: { a: { b: "nested-secret-value" } }, secret: true } },
        { secrets: ["nested-secret-value"] },
      ],
      ["a plain value under a secret-sounding key", { "p:stripeSecret": plain("sk_test_plainbutsecret") }, { secrets: ["sk_test_plainbutsecret"] }],
      [
        "a structured value's secret-sounding field is a key name, not a secret",
        { "p:functionSecrets": object([{ name: "X", secret: "cronSecret" }]) },
        { secrets: [] },
      ],
      ["a plain value under an ordinary key", { "p:databaseUrl": plain("postgresql://postgres@db.x.supabase.co/postgres") }, { secrets: [] }],
      ["short and empty secrets are left out", { "p:pin": secret("1234"), "p:emptyKey": plain("") }, { secrets: [], skippedShort: 1 }],
      [
        "values are normalised like the policy normalises them",
        { "p:token": secret(`  "${prodSecrets.supabaseAccessToken}" `) },
        { secrets: [prodSecrets.supabaseAccessToken] },
      ],
      ["a malformed ref is not a ref", { "p:supabaseProjectRef": plain("Not-A-Ref") }, { refs: [] }],
    ];
    for (const [what, config, expected] of cases) {
      it(what, () => {
        const values = extractProdValues(config);
        if (expected.refs) assert.deepStrictEqual(values.refs, expected.refs);
        if (expected.secrets) assert.deepStrictEqual(values.secretValues.sort(), expected.secrets);
        if (expected.credentials) assert.deepStrictEqual(values.credentialValues.sort(), expected.credentials);
        for (const s of values.secretValues) assert.ok(values.credentialValues.includes(s), "every server secret is also a prod credential");
        if (expected.skippedShort !== undefined) assert.strictEqual(values.skippedShort, expected.skippedShort);
      });
    }

    it("skips keys it is told to skip", () => {
      const values = extractProdValues(prodConfig, { skipKeys: ["deploy-guardrails:vercelApiToken", "supabaseAnonKey"] });
      assert.strictEqual(values.secretValues.length, 3);
      assert.strictEqual(values.credentialValues.length, 3);
    });

    it("reads GitHub accounts and checks", () => {
      const values = extractProdValues({ ...prodConfig, "deploy-guardrails:agentAccounts": object([{ login: "codex-agent", id: 900001 }, "helper-bot"]) });
      assert.deepStrictEqual(values.agentLogins, ["codex-agent", "helper-bot"]);
      assert.deepStrictEqual(values.agentIds, [900001]);
      assert.deepStrictEqual(values.releaseAuthorityIds, [100001]);
      assert.deepStrictEqual(values.requiredStatusChecks, ["preview"]);
    });

    it("refuses a stack whose tier is not prod, naming the key and not echoing an unknown tier", () => {
      assert.strictEqual(notProdTier(extractProdValues(prodConfig), "prod"), undefined);
      assert.match(
        notProdTier(extractProdValues({ ...prodConfig, "deploy-guardrails:tier": plain("test") }), "test") ?? "",
        /^stack test has deploy-guardrails:tier test, so its values are not prod's; pass --stack/,
      );
      assert.match(notProdTier(extractProdValues({ "p:x": plain("y") }), "prod") ?? "", /has no deploy-guardrails:tier/);
      const pasted = notProdTier(extractProdValues({ "deploy-guardrails:tier": plain(prodSecrets.supabaseDbPassword) }), "prod") ?? "";
      assert.match(pasted, /a deploy-guardrails:tier that is not test, staging or prod/);
      assert.ok(!pasted.includes(prodSecrets.supabaseDbPassword));
    });

    it("refuses config read without --show-secrets", () => {
      assert.throws(() => extractProdValues({ "p:k": { secret: true } }), ConfigReadError);
      assert.throws(() => extractProdValues({ "p:k": { value: "[secret]", secret: true } }), /--show-secrets/);
    });
  });

  describe("buildPolicyConfig", () => {
    const prod = extractProdValues(prodConfig);
    const existing = {
      "no-prod-credential-outside-prod": { prodStacks: ["prod", "prod-eu"], enforcementLevel: "mandatory" },
      "agents-cannot-release": { agentAccounts: ["old-bot"] },
      "main-branch-protected": { requiredStatusChecks: ["unit"], minApprovals: 2 },
      "some-retired-policy": { keep: true },
    };
    const built = buildPolicyConfig(existing, prod, cheap, policies) as Record<string, Record<string, unknown>>;

    it("writes the two fingerprint lists into the policies that ask each question", () => {
      const credentials = built["no-prod-credential-outside-prod"].prodFingerprints;
      assert.ok(matchesAll(credentials, credentialProdValues), "every prod value, the publishable key included, is a prod credential");
      assert.ok(!("prodSecretFingerprints" in built["no-prod-credential-outside-prod"]));
      for (const name of ["no-server-secret-in-public-variable", "secrets-stay-secret"]) {
        assert.ok(matchesAll(built[name].prodSecretFingerprints, secretProdValues), name);
        assert.ok(matchesNone(built[name].prodSecretFingerprints, [prodSecrets.supabaseAnonKey]), `${name}: the public key is no server secret`);
        assert.ok(!("prodFingerprints" in built[name]), name);
      }
      assert.deepStrictEqual(built["no-prod-credential-outside-prod"].prodProjectRefs, [prodRef]);
    });

    it("stores one salted entry per value and the KDF's cost beside them, never a bare hash", () => {
      const set = built["no-prod-credential-outside-prod"].prodFingerprints as FingerprintSet;
      assert.deepStrictEqual(set.kdf, { name: "scrypt", salt: testKdf.salt, logN: 10, r: 8, p: 1 });
      assert.strictEqual(set.entries.length, credentialProdValues.length);
      assert.strictEqual(new Set(set.entries.map((e) => e.salt)).size, set.entries.length, "each value has its own salt");
      const secrets = built["secrets-stay-secret"].prodSecretFingerprints as FingerprintSet;
      for (const e of secrets.entries) assert.ok(!set.entries.some((c) => c.hash === e.hash), "the two lists must not show which prod value is public");
    });

    it("keeps hand-written keys and spreads prodStacks from the canonical section, adding the stack read", () => {
      assert.strictEqual(built["no-prod-credential-outside-prod"].enforcementLevel, "mandatory");
      assert.strictEqual(built["main-branch-protected"].minApprovals, 2);
      assert.deepStrictEqual(built["vercel-targets-match-stack"].prodStacks, ["prod", "prod-eu"]);
      assert.deepStrictEqual(built["some-retired-policy"], { keep: true });
    });

    it("writes the name of the prod stack it read into prodStacks (--stack production)", () => {
      const production = buildPolicyConfig({}, prod, { ...cheap, stack: "production" }, policies) as Record<string, Record<string, unknown>>;
      for (const policy of policies) {
        if ("prodStacks" in (policy.configSchema?.properties ?? {})) assert.deepStrictEqual(production[policy.name].prodStacks, ["production"], policy.name);
      }
      const renamed = buildPolicyConfig(existing, prod, { ...cheap, stack: "production" }, policies) as Record<string, Record<string, unknown>>;
      assert.deepStrictEqual(renamed["vercel-targets-match-stack"].prodStacks, ["prod", "prod-eu", "production"]);
    });

    it("only adds agents and status checks, and replaces the release authority", () => {
      assert.deepStrictEqual(built["agents-cannot-release"], { agentAccounts: ["old-bot", "codex-agent"], agentAccountIds: [900001] });
      assert.deepStrictEqual(built["main-branch-protected"].requiredStatusChecks, ["unit", "preview"]);
      assert.deepStrictEqual(built["production-environment-protected"].releaseAuthorityIds, [100001]);
    });

    it("regenerates unchanged values unchanged, and gives a changed value a new entry", () => {
      assert.deepStrictEqual(existingFingerprints(built)?.kdf?.salt, testKdf.salt);
      assert.strictEqual(existingFingerprints({}), undefined);
      assert.deepStrictEqual(buildPolicyConfig(built, prod, { stack: "prod", newSalt: sequentialSalt }, policies), built);
      const rotated = extractProdValues({ ...prodConfig, "deploy-guardrails:supabaseDbPassword": secret("a-rotated-db-password") });
      const next = buildPolicyConfig(built, rotated, { stack: "prod", newSalt: sequentialSalt }, policies) as Record<string, Record<string, unknown>>;
      const before = (built["no-prod-credential-outside-prod"].prodFingerprints as FingerprintSet).entries;
      const after = (next["no-prod-credential-outside-prod"].prodFingerprints as FingerprintSet).entries;
      assert.strictEqual(after.filter((e) => before.some((b) => b.salt === e.salt && b.hash === e.hash)).length, before.length - 1);
      assert.ok(matchesFingerprint("a-rotated-db-password", next["no-prod-credential-outside-prod"].prodFingerprints as FingerprintSet));
      assert.ok(!matchesFingerprint(prodSecrets.supabaseDbPassword, next["no-prod-credential-outside-prod"].prodFingerprints as FingerprintSet));
    });

    it("replaces the old single SHA-256 list everywhere, also in sections whose policy now asks the other question", () => {
      const oldList = { salt: "s4lt", sha256: ["0".repeat(64)] };
      const old = {
        "no-prod-credential-outside-prod": { prodFingerprints: oldList },
        "secrets-stay-secret": { prodFingerprints: oldList },
        "no-server-secret-in-public-variable": { prodFingerprints: oldList },
      };
      const next = buildPolicyConfig(old, prod, cheap, policies) as Record<string, Record<string, unknown>>;
      assert.ok(matchesAll(next["no-prod-credential-outside-prod"].prodFingerprints, credentialProdValues));
      assert.ok(!("sha256" in (next["no-prod-credential-outside-prod"].prodFingerprints as object)));
      assert.ok(!JSON.stringify(next).includes("sha256"), "a stale list of the old format was kept");
    });

    it("never writes a secret value", () => {
      const text = JSON.stringify(built);
      for (const value of Object.values(prodSecrets)) assert.ok(!text.includes(value));
    });
  });

  describe("a postgres (Neon) prod stack: example 002", () => {
    const neon = neonProdConfig();
    const hostCases: [string, StackConfigJson, string[]][] = [
      ["prodDatabaseHost", { "p:databaseProvider": plain("postgres"), "p:prodDatabaseHost": plain(prodDatabaseHost) }, [prodDatabaseHost]],
      [
        "prodDatabaseHost written in upper case with whitespace",
        { "p:databaseProvider": plain("postgres"), "p:prodDatabaseHost": plain(` ${prodDatabaseHost.toUpperCase()} `) },
        [prodDatabaseHost],
      ],
      [
        "only the host of databaseUrl",
        { "p:databaseProvider": plain("postgres"), "p:databaseUrl": plain(`postgresql://bk@${prodDatabaseHost}:5432/bk`) },
        [prodDatabaseHost],
      ],
      [
        "both, when they differ (the pooler host in databaseUrl)",
        {
          "p:databaseProvider": plain("postgres"),
          "p:prodDatabaseHost": plain(prodDatabaseHost),
          "p:databaseUrl": plain(`postgres://bk@${prodDatabaseHost.replace(".", "-pooler.")}/bk`),
        },
        [prodDatabaseHost.replace(".", "-pooler."), prodDatabaseHost],
      ],
      [
        "not a databaseUrl on localhost or an IP address",
        { "p:databaseProvider": plain("postgres"), "p:databaseUrl": plain("postgresql://bk@127.0.0.1:6543/bk") },
        [],
      ],
      ["not a prodDatabaseHost that is no host name", { "p:databaseProvider": plain("postgres"), "p:prodDatabaseHost": plain("localhost") }, []],
      [
        "not the host of a Supabase stack's databaseUrl (a pooler host the region's projects share)",
        { "p:databaseUrl": plain(`postgresql://postgres.${prodRef}@aws-0-eu-central-1.pooler.supabase.com:6543/postgres`) },
        [],
      ],
    ];
    for (const [what, config, hosts] of hostCases) {
      it(`database hosts from ${what}`, () => assert.deepStrictEqual(extractProdValues(config).databaseHosts, hosts));
    }

    it("reads the committed prod stack: its host, no Supabase ref, and every secret", () => {
      const values = extractProdValues(neon);
      assert.strictEqual(values.databaseProvider, "postgres");
      assert.deepStrictEqual(values.databaseHosts, [prodDatabaseHost]);
      assert.deepStrictEqual(values.refs, []);
      assert.deepStrictEqual(values.secretValues.sort(), Object.values(neonSecrets).sort());
      assert.strictEqual(missingProdIdentity(values, "prod"), undefined);
      assert.strictEqual(describeWritten(values), "1 prod database host and 4 fingerprints (4 of them server secrets)");
    });

    it("takes the host of a connection URL only", () => {
      assert.strictEqual(databaseHostOfUrl(`postgresql://u@${prodDatabaseHost.toUpperCase()}:5432/db?sslmode=require`), prodDatabaseHost);
      assert.strictEqual(databaseHostOfUrl(`"postgres://${prodDatabaseHost}"`), prodDatabaseHost);
      assert.strictEqual(databaseHostOfUrl(prodDatabaseHost), undefined);
      assert.strictEqual(databaseHostOfUrl("postgresql://u@localhost/db"), undefined);
    });

    it("says what is missing when prod cannot be identified, naming keys and never values", () => {
      const postgres = extractProdValues({ "p:databaseProvider": plain("postgres"), "p:password": secret(prodSecrets.supabaseDbPassword) });
      assert.match(
        missingProdIdentity(postgres, "prod") ?? "",
        /^no prod database host found in the config of stack prod \(databaseProvider is postgres\): set deploy-guardrails:prodDatabaseHost/,
      );
      const supabase = extractProdValues({ "p:password": secret(prodSecrets.supabaseDbPassword) });
      assert.match(
        missingProdIdentity(supabase, "prod") ?? "",
        /^no Supabase project ref found .*supabaseProjectRef.*databaseProvider to postgres and deploy-guardrails:prodDatabaseHost$/,
      );
      assert.strictEqual(missingProdIdentity(extractProdValues(prodConfig), "prod"), undefined);
    });

    it("counts what it writes", () => {
      assert.strictEqual(describeWritten(extractProdValues(prodConfig)), "1 prod ref and 5 fingerprints (4 of them server secrets)");
      const both = extractProdValues({ ...prodConfig, "deploy-guardrails:prodDatabaseHost": plain(prodDatabaseHost) });
      assert.strictEqual(describeWritten(both), "1 prod ref, 1 prod database host and 5 fingerprints (4 of them server secrets)");
    });

    it("writes prodDatabaseHosts and no prodProjectRefs, and fingerprints into every section as before", () => {
      const existing = { "no-prod-credential-outside-prod": { prodStacks: ["prod"], prodProjectRefs: ["prodrefbbbbbbbbbbbbb"] } };
      const built = buildPolicyConfig(existing, extractProdValues(neon), cheap, policies) as Record<string, Record<string, unknown>>;
      const section = built["no-prod-credential-outside-prod"];
      assert.deepStrictEqual(section.prodDatabaseHosts, [prodDatabaseHost]);
      assert.ok(!("prodProjectRefs" in section), "a stale Supabase ref is left in a Neon config");
      assert.ok(matchesAll(section.prodFingerprints, Object.values(neonSecrets)));
      for (const name of ["no-server-secret-in-public-variable", "secrets-stay-secret"])
        assert.ok(matchesAll(built[name].prodSecretFingerprints, Object.values(neonSecrets)), name);
      assert.ok(!("prodDatabaseHosts" in built["no-server-secret-in-public-variable"]), "only policies that declare the key get it");
      assert.deepStrictEqual(built["agents-cannot-release"], { agentAccounts: ["bk-codex"], agentAccountIds: [940001] });
      assert.deepStrictEqual(built["production-environment-protected"].releaseAuthorityIds, [500001, 500002]);
      const text = JSON.stringify(built);
      for (const value of Object.values(neonSecrets)) assert.ok(!text.includes(value));
    });

    it("a Supabase regeneration drops prodDatabaseHosts a previous Neon one wrote", () => {
      const existing = { "no-prod-credential-outside-prod": { prodDatabaseHosts: [prodDatabaseHost] } };
      const section = (buildPolicyConfig(existing, extractProdValues(prodConfig), cheap, policies) as Record<string, Record<string, unknown>>)[
        "no-prod-credential-outside-prod"
      ];
      assert.ok(!("prodDatabaseHosts" in section));
      assert.deepStrictEqual(section.prodProjectRefs, [prodRef]);
    });

    describe("the CLI script", function () {
      this.timeout(60000);
      let dir: string;
      before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-fingerprints-"))));
      after(() => fs.rmSync(dir, { recursive: true, force: true }));
      const assertNoSecret = (output: string) => {
        for (const value of [...Object.values(neonSecrets), ...Object.values(prodSecrets)]) assert.ok(!output.includes(value), "the script printed a secret");
      };

      it("accepts example 002's prod stack, prints counts only, and writes a config the policy enforces", () => {
        const out = path.join(dir, "neon.policy.config.json");
        const run = runScript(neon, out, "--salt", testKdf.salt, "--cost", "10");
        assert.strictEqual(run.status, 0, run.output);
        assert.strictEqual(run.output.trim(), "wrote 1 prod database host and 4 fingerprints (4 of them server secrets) to neon.policy.config.json");
        assertNoSecret(run.output);
        const written = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, Record<string, unknown>>;
        const section = written["no-prod-credential-outside-prod"];
        assert.deepStrictEqual(section.prodDatabaseHosts, [prodDatabaseHost]);
        assert.ok(!("prodProjectRefs" in section));
        assertNoSecret(JSON.stringify(written));
        const variable = (value: string) => ({
          type: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
          name: "v",
          props: { key: "DATABASE_URL", value, targets: ["preview"], sensitive: true },
        });
        const leak = runResource(
          noProdCredentialOutsideProd,
          variable(`postgresql://bk_app:x@${prodEndpointId}-pooler.eu-central-1.aws.neon.tech/bk`),
          section,
        );
        assert.strictEqual(leak.violations.length, 1);
        assertClean(runResource(noProdCredentialOutsideProd, variable(`postgresql://bk_app:x@${testDatabaseHost}/bk`), section));
      });

      it("still refuses a postgres prod stack without a host, naming the key and printing no secret", () => {
        const out = path.join(dir, "hostless.policy.config.json");
        const { "deploy-guardrails:prodDatabaseHost": _host, "deploy-guardrails:databaseUrl": _url, ...hostless } = neon;
        const run = runScript(hostless, out);
        assert.strictEqual(run.status, 1);
        assert.match(run.output, /no prod database host found in the config of stack prod .*deploy-guardrails:prodDatabaseHost/);
        assertNoSecret(run.output);
        assert.ok(!fs.existsSync(out), "wrote a config that cannot recognise prod");
      });

      it("writes the Supabase stack as before", () => {
        const out = path.join(dir, "supabase.policy.config.json");
        const run = runScript(prodConfig, out, "--cost", "10");
        assert.strictEqual(run.status, 0, run.output);
        assert.strictEqual(run.output.trim(), "wrote 1 prod ref and 5 fingerprints (4 of them server secrets) to supabase.policy.config.json");
        assertNoSecret(run.output);
      });

      it("--stack production writes prodStacks for that name; a stack whose tier is not prod is refused and nothing is written", () => {
        const out = path.join(dir, "production.policy.config.json");
        const run = runScript(prodConfig, out, "--stack", "production", "--cost", "10");
        assert.strictEqual(run.status, 0, run.output);
        const written = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, Record<string, unknown>>;
        assert.deepStrictEqual(written["no-prod-credential-outside-prod"].prodStacks, ["production"]);
        assert.deepStrictEqual(written["release-gate-passed"].prodStacks, ["production"]);
        const testOut = path.join(dir, "from-test.policy.config.json");
        const refused = runScript({ ...prodConfig, "deploy-guardrails:tier": plain("test") }, testOut, "--stack", "test");
        assert.strictEqual(refused.status, 1);
        assert.match(refused.output, /stack test has deploy-guardrails:tier test, so its values are not prod's/);
        assert.ok(!fs.existsSync(testOut));
        assertNoSecret(refused.output);
      });

      it("refuses a salt or cost it cannot use", () => {
        assert.match(runScript(prodConfig, path.join(dir, "x.json"), "--salt", "s4lt").output, /--salt must be at least 16 bytes in lowercase hex/);
        assert.match(runScript(prodConfig, path.join(dir, "x.json"), "--cost", "4").output, /--cost is log2 of scrypt's N: an integer from 10 to 20/);
      });
    });
  });

  describe("the committed policy.config.json", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy.config.json"), "utf8")) as Record<string, Record<string, unknown>>;

    it("names only policies of this pack", () => {
      const names = new Set(policies.map((p) => p.name));
      for (const name of Object.keys(committed)) assert.ok(names.has(name), name);
    });

    it("identifies the committed prod stack: its ref, every placeholder as a credential, all but the public key as a server secret", () => {
      const section = committed["no-prod-credential-outside-prod"] as { prodProjectRefs: string[]; prodFingerprints: FingerprintSet };
      assert.deepStrictEqual(section.prodProjectRefs, [prodRef]);
      assert.ok(matchesAll(section.prodFingerprints, credentialProdValues), "a prod placeholder has no fingerprint");
      const secrets = committed["no-server-secret-in-public-variable"].prodSecretFingerprints;
      assert.ok(matchesAll(secrets, secretProdValues));
      assert.ok(matchesNone(secrets, [prodSecrets.supabaseAnonKey]), "the public key must not be a server secret: prod's own NEXT_PUBLIC_ variable would fail");
      assert.deepStrictEqual(section.prodFingerprints.kdf.logN, defaultKdf.logN, "the committed file uses the default cost");
    });

    it("is what the generator writes from the committed prod stack (regenerate with npm run policy:fingerprints)", () => {
      assert.deepStrictEqual(buildPolicyConfig(committed, extractProdValues(prodConfig), { stack: "prod" }, policies), committed);
    });

    it("lists the agent account and the release authority", () => {
      assert.deepStrictEqual(committed["agents-cannot-release"], { agentAccounts: ["codex-agent"], agentAccountIds: [900001] });
      assert.deepStrictEqual(committed["production-environment-protected"].releaseAuthorityIds, [100001]);
    });
  });
});
