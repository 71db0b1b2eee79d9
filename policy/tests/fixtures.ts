import { fingerprintValues, KdfParams } from "../../contracts/fingerprint";

/** The committed placeholders (Pulumi.test.yaml, Pulumi.prod.yaml) and the engine tests' dummy secrets. */
export const testRef = "testrefaaaaaaaaaaaaa";
export const prodRef = "prodrefbbbbbbbbbbbbb";

export const prodSecrets = {
  supabaseDbPassword: "dummy-prod-db-password",
  supabaseAccessToken: "sbp_2222222222222222222222222222222222222222",
  supabaseServiceRoleKey: "sb_secret_dummyProdServiceRoleKey000000",
  vercelApiToken: "prodtoken000000000000000",
  supabaseAnonKey: "sb_publishable_PRODplaceholderKEY_0000000000",
};

export const testSecrets = {
  supabaseDbPassword: "dummy-test-db-password",
  supabaseAccessToken: "sbp_1111111111111111111111111111111111111111",
  supabaseServiceRoleKey: "sb_secret_dummyTestServiceRoleKey000000",
  vercelApiToken: "testtoken000000000000000",
  supabaseAnonKey: "sb_publishable_TESTplaceholderKEY_0000000000",
};

/** The cheapest KDF the policy accepts (logN 10), so the tables stay fast; the format is the committed file's. */
export const testKdf: KdfParams = { name: "scrypt", salt: "0123456789abcdef0123456789abcdef", logN: 10, r: 8, p: 1 };
let saltCounter = 0;
/** Deterministic entry salts, so a test can rebuild the same list. */
export const sequentialSalt = () => (saltCounter++).toString(16).padStart(32, "0");

/** Every prod value (publishable key included) and the server secrets among them, as the generator writes them. */
export const prodFingerprints = fingerprintValues(Object.values(prodSecrets), testKdf, [], sequentialSalt);
export const prodSecretFingerprints = fingerprintValues(
  Object.values(prodSecrets).filter((v) => v !== prodSecrets.supabaseAnonKey),
  testKdf,
  [],
  sequentialSalt,
);

/** The policy config a regenerated policy.config.json gives no-prod-credential-outside-prod. */
export const prodIdentityConfig = {
  prodStacks: ["prod"],
  prodProjectRefs: [prodRef],
  prodFingerprints,
};

/** Example 002 (Balance Kitchen): a Neon database, no Supabase project. The hosts of its stack files. */
export const prodDatabaseHost = "ep-prod-placeholder.eu-central-1.aws.neon.tech";
export const prodEndpointId = "ep-prod-placeholder";
export const testDatabaseHost = "ep-dev-placeholder.eu-central-1.aws.neon.tech";

/** The policy config a regenerated policy.config.json gives no-prod-credential-outside-prod for a Neon prod stack. */
export const neonIdentityConfig = {
  prodStacks: ["prod"],
  prodDatabaseHosts: [prodDatabaseHost],
  prodFingerprints: prodIdentityConfig.prodFingerprints,
};

/** A JWT with the given payload; the signature is never checked by anyone here. */
export function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(payload)}.c2lnbmF0dXJlc2lnbmF0dXJlc2ln`;
}

export const prodServiceRoleJwt = jwt({ iss: "supabase", ref: prodRef, role: "service_role", iat: 1700000000, exp: 2000000000 });
export const prodAnonJwt = jwt({ iss: "supabase", ref: prodRef, role: "anon", iat: 1700000000, exp: 2000000000 });
export const testServiceRoleJwt = jwt({ iss: "supabase", ref: testRef, role: "service_role", iat: 1700000000, exp: 2000000000 });
export const testAnonJwt = jwt({ iss: "supabase", ref: testRef, role: "anon", iat: 1700000000, exp: 2000000000 });

/** Strings no violation message may ever contain. */
export const neverPrinted = [...Object.values(prodSecrets), ...Object.values(testSecrets), prodServiceRoleJwt, prodAnonJwt, testServiceRoleJwt, prodEndpointId];
