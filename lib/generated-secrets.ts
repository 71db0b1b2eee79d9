import { createHmac } from "crypto";

/** Letters and digits only: the value travels through env files, URLs and shell lines unescaped. */
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A generated secret, derived from the stack's secret seed (config generatedSecretsSeed) rather than drawn at apply
 * time: so its value is known at preview, and the policy pack can check everything that carries it before anything
 * changes (a value unknown at preview cannot be checked, policy values-known-at-preview). Stack, name and version are
 * bound in, so test and prod never share one, and raising the version rotates it.
 */
export function deriveGeneratedSecret(seed: string, args: { stack: string; name: string; version: number; length: number }): string {
  const info = `deploy-guardrails generated secret\u0000${args.stack}\u0000${args.name}\u0000${args.version}`;
  let out = "";
  for (let block = 0; out.length < args.length; block++) {
    const bytes = createHmac("sha256", seed).update(`${info}\u0000${block}`).digest();
    // 248 = 4 x 62: dropping bytes above it keeps every character equally likely.
    for (const byte of bytes) if (byte < 248 && out.length < args.length) out += alphabet[byte % alphabet.length];
  }
  return out;
}
