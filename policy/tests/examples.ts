import * as fs from "fs";
import * as path from "path";
import { StackConfigJson } from "../lib/generate-policy-config";
import { prodSecrets, testSecrets } from "./fixtures";

// js-yaml comes with mocha and @pulumi/pulumi; required untyped so the pack needs no @types package for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(text: string): unknown };

const repoRoot = path.join(__dirname, "..", "..");

/** The `config:` map of an example's committed stack file, e.g. examples/002-balance-kitchen/Pulumi.prod.yaml. */
export function exampleStackFile(example: string, stack: string): Record<string, unknown> {
  const file = yaml.load(fs.readFileSync(path.join(repoRoot, "examples", example, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return file.config;
}

/** The project's config defaults (Pulumi.yaml), as the engine hands them to the program. */
export function projectDefaults(): Record<string, unknown> {
  const project = yaml.load(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: unknown }> };
  const result: Record<string, unknown> = {};
  for (const [key, declaration] of Object.entries(project.config)) if (declaration.default !== undefined) result[key] = declaration.default;
  return result;
}

/**
 * Example 002 (Balance Kitchen, Neon): the secrets its stack files name, with the dummy values the engine tests set
 * (scripts/engine/workspace.ts: the built-in ones, and `dummy-<stack>-<key>-value` for the others).
 */
export const balanceKitchenSecrets = {
  prod: {
    supabaseDbPassword: prodSecrets.supabaseDbPassword,
    vercelApiToken: prodSecrets.vercelApiToken,
    neonDatabaseUrl: "dummy-prod-neonDatabaseUrl-value",
    stripeSecretKey: "dummy-prod-stripeSecretKey-value",
  },
  test: {
    supabaseDbPassword: testSecrets.supabaseDbPassword,
    vercelApiToken: testSecrets.vercelApiToken,
    neonDatabaseUrl: "dummy-test-neonDatabaseUrl-value",
    stripeSecretKey: "dummy-test-stripeSecretKey-value",
  },
};

/**
 * What `pulumi config --stack prod --json --show-secrets` prints for example 002's committed Pulumi.prod.yaml plus its
 * dummy prod secrets: the input of npm run policy:fingerprints for that stack.
 */
export function balanceKitchenProdConfig(): StackConfigJson {
  const result: StackConfigJson = {};
  for (const [key, value] of Object.entries(exampleStackFile("002-balance-kitchen", "prod"))) {
    result[key] =
      typeof value === "object" && value !== null
        ? { value: JSON.stringify(value), objectValue: value, secret: false }
        : { value: String(value), secret: false };
  }
  for (const [key, value] of Object.entries(balanceKitchenSecrets.prod)) result[`deploy-guardrails:${key}`] = { value, secret: true };
  return result;
}
