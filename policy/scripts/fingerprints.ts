/**
 * npm run policy:fingerprints -- [--stack prod] [--out policy.config.json] [--salt HEX] [--cost LOG2N] [--config-json FILE|-]
 *                                 [--pulumi BIN] [--cwd DIR] [--skip-key KEY]...
 *
 * Reads the prod stack's config with the real CLI (`pulumi config --json --show-secrets` run in --cwd, default the
 * repository root; output captured, never printed) and (re)writes the generated keys of policy.config.json: the stack
 * name into prodStacks, prod project refs (Supabase) or prod database hosts (databaseProvider postgres, e.g. Neon),
 * scrypt fingerprints of the prod values (prodFingerprints, every prod value; prodSecretFingerprints, the server
 * secrets), agent accounts, release authority and required status checks. Refuses a stack whose tier is not prod.
 * Prints counts only.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  buildPolicyConfig,
  ConfigReadError,
  describeWritten,
  extractProdValues,
  missingProdIdentity,
  notProdTier,
  PolicyConfigFile,
  StackConfigJson,
} from "../lib/generate-policy-config";
import { defaultKdf, kdfBounds } from "../../contracts/fingerprint";
import { policies } from "../policies";

const repoRoot = path.resolve(__dirname, "..", "..");
const callerDir = process.env.INIT_CWD ?? process.cwd();

interface Options {
  stack: string;
  out: string;
  salt?: string;
  cost?: number;
  configJson?: string;
  pulumi?: string;
  cwd: string;
  skipKeys: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { stack: "prod", out: path.join(repoRoot, "policy.config.json"), cwd: repoRoot, skipKeys: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case "--stack":
        options.stack = value();
        break;
      case "--out":
        options.out = path.resolve(callerDir, value());
        break;
      case "--salt":
        options.salt = value();
        break;
      case "--cost":
        options.cost = Number(value());
        break;
      case "--config-json":
        options.configJson = value();
        break;
      case "--pulumi":
        options.pulumi = value();
        break;
      case "--cwd":
        options.cwd = path.resolve(callerDir, value());
        break;
      case "--skip-key":
        options.skipKeys.push(value());
        break;
      default:
        fail(`unknown option ${argv[i]}; see the header of policy/scripts/fingerprints.ts`);
    }
  }
  return options;
}

function fail(message: string): never {
  console.error(`policy:fingerprints: ${message}`);
  process.exit(1);
}

/** The pulumi CLI: --pulumi, else PATH, else where `npm run toolchain` puts it. */
function pulumiBinary(explicit: string | undefined): string {
  if (explicit) return explicit;
  const cache = process.env.DEPLOY_GUARDRAILS_CACHE ?? path.join(os.homedir(), ".cache", "deploy-guardrails");
  const toolchain = path.join(cache, "toolchain", "current", "bin", "pulumi");
  const onPath = (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, "pulumi")));
  return !onPath && fs.existsSync(toolchain) ? toolchain : "pulumi";
}

function readStackConfig(options: Options): StackConfigJson {
  if (options.configJson) {
    const text = options.configJson === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(path.resolve(callerDir, options.configJson), "utf8");
    return JSON.parse(text) as StackConfigJson;
  }
  try {
    // stdout holds decrypted secrets: capture it, parse it, never echo it.
    const stdout = execFileSync(pulumiBinary(options.pulumi), ["config", "--stack", options.stack, "--json", "--show-secrets"], {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
      encoding: "utf8",
    });
    return JSON.parse(stdout) as StackConfigJson;
  } catch (e) {
    const err = e as { status?: number; stderr?: string; code?: string };
    if (err.code === "ENOENT") fail("the pulumi CLI was not found: put it on PATH, run npm run toolchain, or pass --pulumi");
    if (err.status !== undefined) fail(`pulumi config --stack ${options.stack} failed (exit ${err.status}): ${(err.stderr ?? "").trim()}`);
    fail(`could not parse the output of pulumi config --stack ${options.stack} as JSON`);
  }
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const existing: PolicyConfigFile = fs.existsSync(options.out) ? JSON.parse(fs.readFileSync(options.out, "utf8")) : {};
  let prod;
  try {
    prod = extractProdValues(readStackConfig(options), { skipKeys: options.skipKeys });
  } catch (e) {
    if (e instanceof ConfigReadError) fail(e.message);
    throw e;
  }
  const notProd = notProdTier(prod, options.stack);
  if (notProd !== undefined) fail(notProd);
  const missing = missingProdIdentity(prod, options.stack);
  if (missing !== undefined) fail(missing);
  if (options.salt !== undefined && !/^[0-9a-f]{32,}$/.test(options.salt))
    fail("--salt must be at least 16 bytes in lowercase hex (e.g. openssl rand -hex 16)");
  if (options.cost !== undefined && !(Number.isInteger(options.cost) && options.cost >= kdfBounds.logN.min && options.cost <= kdfBounds.logN.max)) {
    fail(`--cost is log2 of scrypt's N: an integer from ${kdfBounds.logN.min} to ${kdfBounds.logN.max} (default ${defaultKdf.logN})`);
  }
  const next = buildPolicyConfig(
    existing,
    prod,
    { stack: options.stack, kdfSalt: options.salt, cost: options.cost === undefined ? undefined : { logN: options.cost } },
    policies,
  );
  fs.writeFileSync(options.out, `${JSON.stringify(next, null, 2)}\n`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const skipped = prod.skippedShort > 0 ? ` (${plural(prod.skippedShort, "value")} shorter than 8 characters left out)` : "";
  const relative = path.relative(callerDir, options.out);
  const shown = relative && !relative.startsWith("..") ? relative : options.out;
  console.log(`wrote ${describeWritten(prod)} to ${shown}${skipped}`);
}

main();
