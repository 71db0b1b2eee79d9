import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { namespace } from "./errors";
import { Settings, parseSettings } from "./parse";
import { builtInSecretKeys } from "./secret-keys";

/** What a secure (encrypted) value of a stack file stands for when only plain values are read: never the value. */
export const encryptedPlaceholder = "(encrypted in the stack file, never read by this tool)";

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Config keys a `{"secret": "<key>"}` source names anywhere in a stack file. */
function referencedSecretKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedSecretKeys(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "secret" && typeof item === "string") found.add(item);
      else referencedSecretKeys(item, found);
    }
  }
  return found;
}

export interface StackFileOptions {
  /**
   * For readers that need no secret (env:local, npm run codeowners, the workflow tests) on a checkout whose stack files
   * hold none yet (the committed placeholders): an unset secret key counts as set and encrypted.
   */
  secretsMayBeAbsent?: boolean;
}

/**
 * A stack's settings from its committed files (Pulumi.yaml defaults, then Pulumi.<stack>.yaml), through the same
 * parser as the program, for tools that run without the stack's passphrase (the release plan, the migration drift
 * check, env:local, CODEOWNERS): encrypted values are known to be set and secret, and never read.
 */
export function settingsFromStackFiles(projectDir: string, stack: string, options: StackFileOptions = {}): Settings {
  const projectFile = [path.join(projectDir, "Pulumi.yaml"), path.join(__dirname, "..", "Pulumi.yaml")].find((f) => fs.existsSync(f));
  if (!projectFile) throw new Error(`No Pulumi.yaml in ${projectDir}.`);
  const project = yaml.load(fs.readFileSync(projectFile, "utf8")) as { config?: Record<string, { default?: unknown }> };
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new Error(`No stack file ${path.basename(file)} in ${projectDir}.`);
  const stackFile = (yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const full = (key: string) => (key.includes(":") ? key : `${namespace}:${key}`);
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    if (declaration.default !== undefined) values[full(key)] = asConfigString(declaration.default);
  }
  for (const [key, value] of Object.entries(stackFile)) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      values[full(key)] = encryptedPlaceholder;
      secretKeys.add(full(key));
    } else values[full(key)] = asConfigString(value);
  }
  if (options.secretsMayBeAbsent) {
    for (const key of [...builtInSecretKeys, ...referencedSecretKeys(stackFile)]) {
      if ((values[full(key)] ?? "") !== "") continue;
      values[full(key)] = encryptedPlaceholder;
      secretKeys.add(full(key));
    }
  }
  return parseSettings(values, stack, secretKeys);
}
