import * as pulumi from "@pulumi/pulumi";
import { PlainRunError, namespace } from "./errors";
import { Settings, parseSettings } from "./parse";
import { guardSecretLogs } from "./secret-logs";
import { decideTokenReach } from "./token-reach";
import { ProbeInput, probeTokens } from "./token-reach-http";

export interface LoadedConfig {
  settings: Settings;
  /** Secret config values by key; they stay Outputs and are never unwrapped by the program. */
  secrets: Record<string, pulumi.Output<string>>;
}

/** `isConfigSecret` is exported by the runtime but left out of its typings. */
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/**
 * Reads and validates the stack's whole configuration once, before any resource is registered, so a bad value fails
 * the run without half-applying anything. First it makes sure no log level of this run prints a secret; at preview it
 * asks the APIs whether a non-prod stack's tokens reach prod. There is no GitHub token here: the GitHub provider takes
 * it from the run's GITHUB_TOKEN environment variable only (config/secret-keys.ts refuses one in config).
 */
export async function loadConfig(): Promise<LoadedConfig> {
  guardSecretLogs();
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((key) => isConfigSecret(key)));
  const settings = parseSettings(values, pulumi.getStack(), secretKeys);
  for (const warning of settings.warnings) void pulumi.log.warn(warning);
  await checkTokenReach(settings, values);
  const config = new pulumi.Config(namespace);
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const key of settings.secretKeys) secrets[key] = config.requireSecret(key);
  return { settings, secrets };
}

/**
 * Loudly, at preview: can this non-prod stack's Supabase or Vercel token reach prod? The tokens are read from the
 * decrypted config in memory, sent only in an Authorization header to the API, and never printed. Skipped at `up`'s
 * update phase (its preview phase checked) and under mocks (not a preview), and when checkTokenReach is false.
 */
async function checkTokenReach(settings: Settings, values: Record<string, string>): Promise<void> {
  if (!pulumi.runtime.isDryRun() || settings.isProd || !settings.tokenReach.check) return;
  const token = (key: string) => values[`${namespace}:${key}`] || undefined;
  const input: ProbeInput = {};
  const supabaseToken = token("supabaseAccessToken");
  if (settings.secretKeys.includes("supabaseAccessToken") && supabaseToken && settings.identity.prodProjectRef) {
    input.supabase = { token: supabaseToken, prodRef: settings.identity.prodProjectRef };
  }
  const vercelToken = token("vercelApiToken");
  const projects = (settings.vercel?.projects ?? []).flatMap((p) => (p.projectId ? [{ name: p.name, id: p.projectId }] : []));
  if (vercelToken && projects.length > 0) input.vercel = { token: vercelToken, teamId: settings.vercel?.teamId, projects };
  if (!input.supabase && !input.vercel) return;
  let verdict;
  try {
    verdict = decideTokenReach(await probeTokens(input), settings.tokenReach, settings.stack);
  } catch (e) {
    throw new PlainRunError(`Refusing to run: ${(e as Error).message}.`);
  }
  for (const warning of verdict.warnings) void pulumi.log.warn(warning);
  if (verdict.errors.length > 0) {
    throw new PlainRunError(
      `A token of stack "${settings.stack}" can reach prod (${verdict.errors.length} problem${verdict.errors.length === 1 ? "" : "s"}):\n${verdict.errors.map((e) => `  - ${e}`).join("\n")}`,
    );
  }
}
