import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { namespace } from "./errors";
import { Settings, parseSettings } from "./parse";

/** What a secure (encrypted) value of a stack file stands for when only plain values are read: never the value. */
export const encryptedPlaceholder = "(encrypted in the stack file)";

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A stack's settings from its committed files (Pulumi.yaml defaults, then Pulumi.<stack>.yaml), through the same
 * parser as the program, for tools that run without the stack's passphrase (the release plan, the migration drift
 * check): encrypted values are known to be set and secret, and never read.
 */
export function settingsFromStackFiles(projectDir: string, stack: string): Settings {
  const project = yaml.load(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { config?: Record<string, { default?: unknown }> };
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new Error(`No stack file ${path.basename(file)} in ${projectDir}.`);
  const stackFile = (yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    const full = key.includes(":") ? key : `${namespace}:${key}`;
    if (declaration.default !== undefined) values[full] = asConfigString(declaration.default);
  }
  for (const [key, value] of Object.entries(stackFile)) {
    const full = key.includes(":") ? key : `${namespace}:${key}`;
    if (typeof value === "object" && value !== null && "secure" in value) {
      values[full] = encryptedPlaceholder;
      secretKeys.add(full);
    } else values[full] = asConfigString(value);
  }
  return parseSettings(values, stack, secretKeys);
}
