import * as assert from "assert";
import { databaseUrlHasPassword, findCredentialShapes, findSecretAssignments } from "../lib/credential-shapes";
import { fingerprint, fingerprintCandidates } from "../lib/fingerprint";
import { isAgentActor, toAgentAccounts } from "../lib/github-actors";
import { findJwtClaims } from "../lib/jwt";
import { normaliseSecret, percentDecodeFully, percentDecodeOnce, splitTokens, stripQuotes } from "../lib/normalise";
import { stackFromUrn } from "../lib/stack";
import { jwt, testAnonJwt } from "./fixtures";

describe("lib", () => {
  describe("normalise", () => {
    const cases: [string, string, string][] = [
      ["trims", "  abc \n", "abc"],
      ["strips nested quotes", ` "'abc'" `, "abc"],
      ["percent-decodes", "a%20b%2Fc", "a b/c"],
      ["percent-decodes repeatedly", "a%2520b", "a b"],
      ["leaves invalid escapes alone", "100%zz%", "100%zz%"],
      ["leaves invalid UTF-8 alone", "%ff%fe", "%ff%fe"],
      ["decodes after unquoting", `"%61bc"`, "abc"],
    ];
    for (const [what, input, expected] of cases) it(what, () => assert.strictEqual(normaliseSecret(input), expected));

    it("decodes once or fully", () => {
      assert.strictEqual(percentDecodeOnce("%2541"), "%41");
      assert.strictEqual(percentDecodeFully("%2541"), "A");
    });

    it("strips only matching quotes", () => assert.strictEqual(stripQuotes(`"abc'`), `"abc'`));

    it("splits on URL, script and JSON separators but not on dots", () => {
      assert.deepStrictEqual(splitTokens('postgresql://u:p@h.example.com:5432/db?sslmode=require&x="y"'), ["postgresql", "u", "p", "h.example.com", "5432", "db", "sslmode", "require", "x", "y"]);
    });
  });

  describe("fingerprint", () => {
    it("is salted sha256 of the normalised value", () => {
      assert.strictEqual(fingerprint("s", " 'abcdefgh' "), fingerprint("s", "abcdefgh"));
      assert.notStrictEqual(fingerprint("s", "abcdefgh"), fingerprint("t", "abcdefgh"));
      assert.match(fingerprint("s", "abcdefgh"), /^[0-9a-f]{64}$/);
    });

    it("offers the whole value and every long enough token as a candidate", () => {
      const candidates = fingerprintCandidates("PGPASSWORD=secretvalue1 psql");
      assert.ok(candidates.includes("secretvalue1") && candidates.includes("PGPASSWORD=secretvalue1 psql"));
      assert.ok(!candidates.includes("psql"));
    });
  });

  describe("jwt", () => {
    it("finds claims anywhere in a string", () => {
      assert.deepStrictEqual(findJwtClaims(`Bearer ${testAnonJwt}; x`), [{ ref: "testrefaaaaaaaaaaaaa", role: "anon", iss: "supabase" }]);
    });
    it("skips tokens that do not decode to JSON", () => {
      assert.deepStrictEqual(findJwtClaims("eyJhbGciOi.notjsonatall.sig"), []);
      assert.deepStrictEqual(findJwtClaims("no token here"), []);
    });
    it("reads a JWT without a ref", () => assert.deepStrictEqual(findJwtClaims(jwt({ role: "service_role" })), [{ ref: undefined, role: "service_role", iss: undefined }]));
  });

  describe("credential shapes", () => {
    const server: [string, string][] = [
      ["supabase-secret-key", "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz"],
      ["supabase-access-token", "sbp_0123456789abcdef0123456789abcdef01234567"],
      ["service-role-jwt", jwt({ role: "service_role" })],
      ["database-url", "mysql://host/db"],
      ["database-url-with-password", "postgres://user:pw@host:5432/db"],
      ["github-token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"],
      ["aws-access-key", "AKIAIOSFODNN7EXAMPLE"],
      ["private-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"],
      ["slack-token", "xoxb-123456789012-abcdefghij"],
      ["pulumi-token", `pul-${"a".repeat(40)}`],
      ["npm-token", `npm_${"A".repeat(36)}`],
      ["openai-key", `sk-proj-${"a".repeat(40)}`],
    ];
    for (const [kind, value] of server) {
      it(`finds ${kind}`, () => assert.ok(findCredentialShapes(value).some((s) => s.kind === kind), kind));
    }
    const publicValues = ["sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH", testAnonJwt, "pk_live_0123456789abcdefABCDEF", "https://example.com/sb_secret", "production", "task-sk-1"];
    for (const value of publicValues) it(`finds nothing in ${value.slice(0, 24)}`, () => assert.deepStrictEqual(findCredentialShapes(value), []));

    it("tells a password from a placeholder in database URLs", () => {
      assert.ok(databaseUrlHasPassword("postgresql://postgres:hunter2@db.x.supabase.co/postgres"));
      for (const url of ["postgresql://postgres@db/postgres", "postgresql://postgres:[YOUR-PASSWORD]@db/p", "postgresql://postgres:$PGPASSWORD@db/p", "postgresql://postgres:@db/p"]) {
        assert.ok(!databaseUrlHasPassword(url), url);
      }
    });

    it("finds literal secrets assigned in scripts, not references", () => {
      assert.deepStrictEqual(findSecretAssignments("PGPASSWORD=hunter2 psql; export API_TOKEN='abc'"), ["PGPASSWORD", "API_TOKEN"]);
      assert.deepStrictEqual(findSecretAssignments('PGPASSWORD="$PGPASSWORD" psql; X=1; found=$(psql)'), []);
      assert.deepStrictEqual(findSecretAssignments("supabase db push --password=abc"), ["--password"]);
    });
  });

  describe("GitHub actors", () => {
    const agents = toAgentAccounts(["codex-agent", "900002"], [900001]);
    const cases: [string | number, boolean][] = [
      ["/codex-agent", true],
      ["codex-agent", true],
      ["@Codex-Agent", true],
      [900001, true],
      ["900002", true],
      [Buffer.from("04:User900001").toString("base64"), true],
      ["/release-captain", false],
      ["acme/release-managers", false],
      [100001, false],
      [Buffer.from("04:User100001").toString("base64"), false],
    ];
    for (const [actor, expected] of cases) it(`${actor} ${expected ? "is" : "is not"} an agent`, () => assert.strictEqual(isAgentActor(actor, agents), expected));
  });

  describe("stackFromUrn", () => {
    it("reads the stack", () => assert.strictEqual(stackFromUrn("urn:pulumi:prod::deploy-guardrails::a:b:C::name"), "prod"));
    it("rejects a non-URN", () => assert.throws(() => stackFromUrn("prod"), /not a Pulumi URN/));
  });
});
