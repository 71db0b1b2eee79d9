import * as assert from "assert";
import { databaseUrlHasPassword, findCredentialShapes, findSecretAssignments } from "../../contracts/credential-shapes";
import { createHash, createHmac, scryptSync } from "crypto";
import { fingerprintCandidates, fingerprintEntry, fingerprintValues, kdfProblem, matchesFingerprint } from "../../contracts/fingerprint";
import { isAgentActor, toAgentAccounts } from "../lib/github-actors";
import { findJwtClaims } from "../../contracts/jwt";
import { normaliseSecret, percentDecodeFully, percentDecodeOnce, splitTokens, stripQuotes } from "../../contracts/normalise";
import { stackFromUrn } from "../lib/stack";
import { jwt, testAnonJwt, testKdf } from "./fixtures";

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
      assert.deepStrictEqual(splitTokens('postgresql://u:p@h.example.com:5432/db?sslmode=require&x="y"'), [
        "postgresql",
        "u",
        "p",
        "h.example.com",
        "5432",
        "db",
        "sslmode",
        "require",
        "x",
        "y",
      ]);
    });
  });

  describe("fingerprint", () => {
    const salt = "00".repeat(16);
    it("is HMAC-SHA256 under the entry's own salt of scrypt(normalised value, the file's salt)", () => {
      const stretched = scryptSync("abcdefgh", Buffer.from(testKdf.salt, "hex"), 32, { N: 1024, r: 8, p: 1 });
      const entry = fingerprintEntry(testKdf, " 'abcdefgh' ", salt);
      assert.strictEqual(entry.hash, createHmac("sha256", Buffer.from(salt, "hex")).update(stretched).digest("hex"));
      assert.notStrictEqual(
        entry.hash,
        createHash("sha256")
          .update(salt + "abcdefgh")
          .digest("hex"),
        "never the old single SHA-256",
      );
      assert.deepStrictEqual(fingerprintEntry(testKdf, "abcdefgh", salt), entry, "normalised before stretching");
      assert.notStrictEqual(fingerprintEntry(testKdf, "abcdefgh", "11".repeat(16)).hash, entry.hash, "another entry salt, another hash");
      assert.notStrictEqual(fingerprintEntry({ ...testKdf, salt: "ff".repeat(16) }, "abcdefgh", salt).hash, entry.hash, "another file salt, another hash");
    });

    it("matches what it fingerprinted, in every form the policy looks through, and nothing else", () => {
      const set = fingerprintValues(["correct-horse-battery", "tiny"], testKdf);
      assert.strictEqual(set.entries.length, 1, "values shorter than 8 characters are left out");
      for (const form of [
        "correct-horse-battery",
        ` "correct-horse-battery" `,
        "PGPASSWORD=correct-horse-battery psql",
        "postgres://u:correct%2Dhorse%2Dbattery@h/db",
      ]) {
        assert.ok(matchesFingerprint(form, set), form);
      }
      assert.ok(!matchesFingerprint("correct-horse-battery-staple", set));
      assert.ok(!matchesFingerprint("tiny", set));
    });

    it("refuses a KDF section it cannot trust, naming the field", () => {
      assert.strictEqual(kdfProblem(testKdf), undefined);
      assert.match(kdfProblem({ ...testKdf, logN: 4 }) ?? "", /kdf.logN must be an integer from 10 to 20/);
      assert.match(kdfProblem({ ...testKdf, salt: "" }) ?? "", /kdf.salt must be at least 16 random bytes/);
      assert.match(kdfProblem({ ...testKdf, name: "sha256" as "scrypt" }) ?? "", /kdf.name must be "scrypt"/);
      assert.throws(
        () => matchesFingerprint("abcdefghij", { kdf: { ...testKdf, logN: 30 }, entries: [{ salt, hash: "0".repeat(64) }] }),
        /prodFingerprints cannot be used: kdf.logN/,
      );
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
    it("reads a JWT without a ref", () =>
      assert.deepStrictEqual(findJwtClaims(jwt({ role: "service_role" })), [{ ref: undefined, role: "service_role", iss: undefined }]));
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
      it(`finds ${kind}`, () =>
        assert.ok(
          findCredentialShapes(value).some((s) => s.kind === kind),
          kind,
        ));
    }
    const publicValues = [
      "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH",
      testAnonJwt,
      "pk_live_0123456789abcdefABCDEF",
      "https://example.com/sb_secret",
      "production",
      "task-sk-1",
    ];
    for (const value of publicValues) it(`finds nothing in ${value.slice(0, 24)}`, () => assert.deepStrictEqual(findCredentialShapes(value), []));

    it("tells a password from a placeholder in database URLs", () => {
      assert.ok(databaseUrlHasPassword("postgresql://postgres:hunter2@db.x.supabase.co/postgres"));
      for (const url of [
        "postgresql://postgres@db/postgres",
        "postgresql://postgres:[YOUR-PASSWORD]@db/p",
        "postgresql://postgres:$PGPASSWORD@db/p",
        "postgresql://postgres:@db/p",
      ]) {
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
    for (const [actor, expected] of cases)
      it(`${actor} ${expected ? "is" : "is not"} an agent`, () => assert.strictEqual(isAgentActor(actor, agents), expected));
  });

  describe("stackFromUrn", () => {
    it("reads the stack", () => assert.strictEqual(stackFromUrn("urn:pulumi:prod::deploy-guardrails::a:b:C::name"), "prod"));
    it("rejects a non-URN", () => assert.throws(() => stackFromUrn("prod"), /not a Pulumi URN/));
  });
});
