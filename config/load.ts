import * as pulumi from "@pulumi/pulumi";
import { namespace } from "./errors";
import { Settings, parseSettings } from "./parse";

export interface LoadedConfig {
  settings: Settings;
  /** Secret config values by key; they stay Outputs and are never unwrapped by the program. */
  secrets: Record<string, pulumi.Output<string>>;
  githubToken?: pulumi.Output<string>;
}

/** `isConfigSecret` is exported by the runtime but left out of its typings. */
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/**
 * Reads and validates the stack's whole configuration once, before any resource is registered,
 * so a bad value fails the run without half-applying anything.
 */
export function loadConfig(): LoadedConfig {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((key) => isConfigSecret(key)));
  const settings = parseSettings(values, pulumi.getStack(), secretKeys);
  const config = new pulumi.Config(namespace);
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const key of settings.secretKeys) secrets[key] = config.requireSecret(key);
  const githubToken = settings.github && values[`${namespace}:githubToken`] ? config.requireSecret("githubToken") : undefined;
  return { settings, secrets, githubToken };
}
