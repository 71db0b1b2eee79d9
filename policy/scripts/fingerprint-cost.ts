/**
 * cd policy && npx ts-node --transpile-only scripts/fingerprint-cost.ts [seconds]
 *
 * How fast an offline guesser can test guesses against one fingerprint of policy.config.json, on one core: the old
 * format (sha256(salt + value)) and the committed file's (scrypt with its kdf, then HMAC-SHA256). Prints JSON.
 */
import { createHash, createHmac, scryptSync } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { FingerprintSet } from "../../contracts/fingerprint";

const seconds = Number(process.argv[2] ?? 5);
const config = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy.config.json"), "utf8")) as Record<
  string,
  { prodFingerprints?: FingerprintSet }
>;
const set = config["no-prod-credential-outside-prod"].prodFingerprints as FingerprintSet;
const entry = set.entries[0];

function perSecond(guess: (candidate: string) => boolean): number {
  let n = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) if (guess(`guess-${n++}`)) break;
  return Math.round(n / seconds);
}

const oldSalt = "d89f791cedd9b31854f0e4d0b865ebac";
const sha256 = perSecond(
  (g) =>
    createHash("sha256")
      .update(oldSalt + g, "utf8")
      .digest("hex") === entry.hash,
);
const salt = Buffer.from(set.kdf.salt, "hex");
const N = 2 ** set.kdf.logN;
const scrypt = perSecond(
  (g) =>
    createHmac("sha256", Buffer.from(entry.salt, "hex"))
      .update(scryptSync(g, salt, 32, { N, r: set.kdf.r, p: set.kdf.p, maxmem: 256 * N * set.kdf.r }))
      .digest("hex") === entry.hash,
);
console.log(
  JSON.stringify({
    seconds,
    sha256GuessesPerSecond: sha256,
    committedKdf: `scrypt logN ${set.kdf.logN} r ${set.kdf.r} p ${set.kdf.p} + HMAC`,
    guessesPerSecond: scrypt,
    slowdown: Math.round(sha256 / scrypt),
  }),
);
