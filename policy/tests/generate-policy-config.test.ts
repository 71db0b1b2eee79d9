import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { fingerprint } from "../lib/fingerprint";
import { ConfigReadError, buildPolicyConfig, existingSalt, extractProdValues, StackConfigJson } from "../lib/generate-policy-config";
import { policies } from "../policies";
import { jwt, prodRef, prodSecrets } from "./fixtures";

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
  "deploy-guardrails:agentAccounts": object([{ login: "codex-agent", id: 900001 }]),
  "deploy-guardrails:requiredStatusChecks": object(["preview"]),
  "deploy-guardrails:environmentMarkerTable": plain("public.deploy_env_marker"),
};

describe("policy config generation (npm run policy:fingerprints)", () => {
  describe("extractProdValues", () => {
    const cases: [string, StackConfigJson, { refs?: string[]; secrets?: string[]; skippedShort?: number }][] = [
      ["the committed prod stack", prodConfig, { refs: [prodRef], secrets: Object.values(prodSecrets).sort() }],
      ["a ref only inside a URL", { "p:url": plain(`https://${prodRef}.supabase.co/rest/v1`) }, { refs: [prodRef], secrets: [] }],
      ["a ref only in a pooler user", { "p:db": plain(`postgresql://postgres.${prodRef}@aws-0-eu-west-1.pooler.supabase.com/postgres`) }, { refs: [prodRef] }],
      ["a ref only in a JWT claim", { "p:jwtKey": secret(jwt({ ref: prodRef, role: "service_role" })) }, { refs: [prodRef] }],
      ["a secret inside structured config", { "p:secrets": { value: "{}", objectValue: { a: { b: "nested-secret-value" } }, secret: true } }, { secrets: ["nested-secret-value"] }],
      ["a plain value under a secret-sounding key", { "p:stripeSecret": plain("sk_test_plainbutsecret") }, { secrets: ["sk_test_plainbutsecret"] }],
      ["a structured value's secret-sounding field is a key name, not a secret", { "p:functionSecrets": object([{ name: "X", secret: "cronSecret" }]) }, { secrets: [] }],
      ["a plain value under an ordinary key", { "p:databaseUrl": plain("postgresql://postgres@db.x.supabase.co/postgres") }, { secrets: [] }],
      ["short and empty secrets are left out", { "p:pin": secret("1234"), "p:emptyKey": plain("") }, { secrets: [], skippedShort: 1 }],
      ["values are normalised like the policy normalises them", { "p:token": secret(`  "${prodSecrets.supabaseAccessToken}" `) }, { secrets: [prodSecrets.supabaseAccessToken] }],
      ["a malformed ref is not a ref", { "p:supabaseProjectRef": plain("Not-A-Ref") }, { refs: [] }],
    ];
    for (const [what, config, expected] of cases) {
      it(what, () => {
        const values = extractProdValues(config);
        if (expected.refs) assert.deepStrictEqual(values.refs, expected.refs);
        if (expected.secrets) assert.deepStrictEqual(values.secretValues.sort(), expected.secrets);
        if (expected.skippedShort !== undefined) assert.strictEqual(values.skippedShort, expected.skippedShort);
      });
    }

    it("skips keys it is told to skip", () => {
      const values = extractProdValues(prodConfig, { skipKeys: ["deploy-guardrails:vercelApiToken", "supabaseAnonKey"] });
      assert.strictEqual(values.secretValues.length, 3);
    });

    it("reads GitHub accounts and checks", () => {
      const values = extractProdValues({ ...prodConfig, "deploy-guardrails:agentAccounts": object([{ login: "codex-agent", id: 900001 }, "helper-bot"]) });
      assert.deepStrictEqual(values.agentLogins, ["codex-agent", "helper-bot"]);
      assert.deepStrictEqual(values.agentIds, [900001]);
      assert.deepStrictEqual(values.releaseAuthorityIds, [100001]);
      assert.deepStrictEqual(values.requiredStatusChecks, ["preview"]);
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
    const built = buildPolicyConfig(existing, prod, "s4lt", policies) as Record<string, Record<string, unknown>>;

    it("writes refs and fingerprints into every policy that declares them", () => {
      const hashes = Object.values(prodSecrets).map((v) => fingerprint("s4lt", v)).sort();
      for (const name of ["no-prod-credential-outside-prod", "no-server-secret-in-public-variable", "secrets-stay-secret"]) {
        assert.deepStrictEqual(built[name].prodFingerprints, { salt: "s4lt", sha256: hashes }, name);
      }
      assert.deepStrictEqual(built["no-prod-credential-outside-prod"].prodProjectRefs, [prodRef]);
    });

    it("keeps hand-written keys and spreads prodStacks from the canonical section", () => {
      assert.strictEqual(built["no-prod-credential-outside-prod"].enforcementLevel, "mandatory");
      assert.strictEqual(built["main-branch-protected"].minApprovals, 2);
      assert.deepStrictEqual(built["vercel-targets-match-stack"].prodStacks, ["prod", "prod-eu"]);
      assert.deepStrictEqual(built["some-retired-policy"], { keep: true });
    });

    it("only adds agents and status checks, and replaces the release authority", () => {
      assert.deepStrictEqual(built["agents-cannot-release"], { agentAccounts: ["old-bot", "codex-agent"], agentAccountIds: [900001] });
      assert.deepStrictEqual(built["main-branch-protected"].requiredStatusChecks, ["unit", "preview"]);
      assert.deepStrictEqual(built["production-environment-protected"].releaseAuthorityIds, [100001]);
    });

    it("keeps the salt of an existing file", () => {
      assert.strictEqual(existingSalt(built), "s4lt");
      assert.strictEqual(existingSalt({}), undefined);
    });

    it("never writes a secret value", () => {
      const text = JSON.stringify(built);
      for (const value of Object.values(prodSecrets)) assert.ok(!text.includes(value));
    });
  });

  describe("the committed policy.config.json", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy.config.json"), "utf8")) as Record<string, Record<string, unknown>>;

    it("names only policies of this pack", () => {
      const names = new Set(policies.map((p) => p.name));
      for (const name of Object.keys(committed)) assert.ok(names.has(name), name);
    });

    it("identifies the committed prod stack: its ref and a fingerprint of each placeholder secret", () => {
      const section = committed["no-prod-credential-outside-prod"] as { prodProjectRefs: string[]; prodFingerprints: { salt: string; sha256: string[] } };
      assert.deepStrictEqual(section.prodProjectRefs, [prodRef]);
      for (const value of Object.values(prodSecrets)) {
        assert.ok(section.prodFingerprints.sha256.includes(fingerprint(section.prodFingerprints.salt, value)), "a prod placeholder has no fingerprint");
      }
    });

    it("is what the generator writes from the committed prod stack (regenerate with npm run policy:fingerprints)", () => {
      const salt = existingSalt(committed)!;
      assert.deepStrictEqual(buildPolicyConfig(committed, extractProdValues(prodConfig), salt, policies), committed);
    });

    it("lists the agent account and the release authority", () => {
      assert.deepStrictEqual(committed["agents-cannot-release"], { agentAccounts: ["codex-agent"], agentAccountIds: [900001] });
      assert.deepStrictEqual(committed["production-environment-protected"].releaseAuthorityIds, [100001]);
    });
  });
});
